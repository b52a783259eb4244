using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovFlow.Host.Security;
using GovFlow.Host.Simulators;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>ID numbers, phones and addresses: masked in every view, revealed on a case page only with a logged reason.</summary>
[TestFixture]
public class PersonalDataTests
{
    private WebApplicationFactory<Program> _factory = null!;
    private readonly Dictionary<string, HttpClient> _clients = [];

    [OneTimeSetUp]
    public void Start() => _factory = TestHost.Create();

    [OneTimeTearDown]
    public void Stop()
    {
        foreach (var c in _clients.Values) c.Dispose();
        _factory.Dispose();
    }

    [TestCase("111", "44030519491231123X", "440305********123X")]
    [TestCase("001", "91440300MA5ABCDE1X", "91440300MA5ABCDE1X")]
    public void ID_numbers_are_masked_but_credit_codes_are_not(string type, string number, string shown) =>
        Assert.That(PersonalData.MaskIdNumber(type, number), Is.EqualTo(shown));

    [Test]
    public void Phones_addresses_and_free_text_are_masked()
    {
        Assert.Multiple(() =>
        {
            Assert.That(PersonalData.MaskPhone("13800138000"), Is.EqualTo("138****8000"));
            Assert.That(PersonalData.MaskAddress("广东省深圳市南山区科技园路1号"), Is.EqualTo("广东省深圳市****"));
            Assert.That(PersonalData.MaskText("""{"holderCode":"44030519491231123X","phone":"13800138000","caseNumber":"2026030205001123456"}"""),
                Is.EqualTo("""{"holderCode":"440305********123X","phone":"138****8000","caseNumber":"2026030205001123456"}"""));
        });
    }

    [Test]
    public async Task The_case_page_masks_the_applicant_and_a_reveal_needs_a_reason_and_is_logged_for_auditors()
    {
        var (caseId, person) = await Submit();
        var window = await As("window01");
        var view = (await window.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}"))!;
        var applicant = view["applicant"]!;
        Assert.Multiple(() =>
        {
            Assert.That(applicant["idNumber"]!.GetValue<string>(), Is.EqualTo(person.IdNumber[..6] + "********" + person.IdNumber[^4..]));
            Assert.That(applicant["phone"]!.GetValue<string>(), Is.EqualTo(person.Phone[..3] + "****" + person.Phone[^4..]));
            Assert.That(view.ToJsonString(), Does.Not.Contain(person.IdNumber), "not in the certificate uses either");
            Assert.That(view["certificateUses"]!.AsArray().Select(u => u!["data"]?["address"]?.GetValue<string>()).Where(a => a != null), Is.All.EndsWith("****"));
        });
        var auditor = await As("auditor01");
        var journal = (await auditor.GetFromJsonAsync<JsonArray>($"/api/cases/{caseId}/journal"))!;
        var replay = (await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}/replay?upTo={journal.Count}"))!;
        Assert.That(journal.ToJsonString() + replay.ToJsonString(), Does.Not.Contain(person.IdNumber).And.Not.Contain(person.Phone));
        Assert.That(replay["caseFile"]!["certificateUses"]!.AsArray(), Is.Not.Empty, "the replay shows the certificate uses, masked");

        var noReason = await window.PostAsJsonAsync($"/api/cases/{caseId}/applicant/reveal", new { reason = " " });
        Assert.That(noReason.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await noReason.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["reason"]![0]!.GetValue<string>(), Does.Contain("理由"));
        Assert.That((await auditor.PostAsJsonAsync($"/api/cases/{caseId}/applicant/reveal", new { reason = "抽查" })).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        var revealed = (await (await window.PostAsJsonAsync($"/api/cases/{caseId}/applicant/reveal", new { reason = "联系申请人补正材料" })).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That((revealed["idNumber"]!.GetValue<string>(), revealed["phone"]!.GetValue<string>()), Is.EqualTo((person.IdNumber, person.Phone)));

        var reveals = (await auditor.GetFromJsonAsync<JsonArray>($"/api/cases/{caseId}/reveals"))!;
        Assert.That(reveals.Select(r => $"{r!["userName"]}:{r["role"]}:{r["reason"]}"), Is.EqualTo(new[] { "window01:window:联系申请人补正材料" }));
        Assert.That((await window.GetAsync($"/api/cases/{caseId}/reveals")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    private async Task<(string CaseId, SimPerson Person)> Submit()
    {
        var world = _factory.Services.GetRequiredService<SimulatedWorld>();
        var p = world.People.First(x => x.BirthDate.Year < 1946);
        var response = await (await As("window01")).PostAsJsonAsync("/api/cases", new
        {
            matterCode = "44030505001",
            applicant = new { name = p.Name, idType = "111", idNumber = p.IdNumber, phone = p.Phone, address = p.Address },
            materials = new[] { "高龄津贴申请书", "居民身份证", "银行卡", "照片" }.Select(m => new { name = m, provided = true }),
            data = new { age = 2026 - p.BirthDate.Year },
            channel = "window"
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return ((await response.Content.ReadFromJsonAsync<JsonObject>())!["caseId"]!.GetValue<string>(), p);
    }

    private async Task<HttpClient> As(string user)
    {
        if (_clients.TryGetValue(user, out var existing)) return existing;
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = DemoUsers.Password });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return _clients[user] = client;
    }
}
