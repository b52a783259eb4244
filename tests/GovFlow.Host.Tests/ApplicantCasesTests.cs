using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovFlow.Activities.Calendar;
using GovFlow.Activities.Cases;
using GovFlow.Host.Security;
using GovFlow.Host.Simulators;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>
/// The applicant's own view (我的办件): a signed-in applicant lists their cases and no one else's, and opens each in
/// plain words — what is owed and by when, and why a case was refused or not accepted.
/// </summary>
[TestFixture]
public class ApplicantCasesTests
{
    private const string Elderly = "44030505001";
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

    [Test]
    public async Task The_applicant_lists_their_own_cases_newest_first_and_not_another_applicants()
    {
        var older = await SubmitAsync(ElderlyCase());
        var newer = await SubmitAsync(ElderlyCase());
        var other = await SubmitAsync(ElderlyCase(person: World().People.Where(p => p.BirthDate.Year < 1946).Skip(1).First()));
        var applicant = await As("applicant01");

        var page = (await applicant.GetFromJsonAsync<JsonObject>("/api/my/cases?pageSize=100"))!;
        var ids = page["items"]!.AsArray().Select(i => i!["caseId"]!.GetValue<string>()).ToList();
        Assert.Multiple(async () =>
        {
            Assert.That(ids, Does.Contain(older).And.Contain(newer).And.Not.Contain(other));
            // The test clock stands still, so cases of one fixture share their received instant: newest first is all that is asserted.
            Assert.That(page["items"]!.AsArray().Select(i => i!["receivedAt"]!.GetValue<DateTimeOffset>()), Is.Ordered.Descending, "newest first");
            Assert.That(page["total"]!.GetValue<int>(), Is.EqualTo(ids.Count));
            var first = page["items"]!.AsArray().Single(i => i!["caseId"]!.GetValue<string>() == newer)!;
            Assert.That(first["matterName"]!.GetValue<string>(), Does.Contain("高龄津贴"));
            Assert.That(first["statusName"]!.GetValue<string>(), Is.EqualTo("审查中"));
            Assert.That(first["promisedDue"], Is.Not.Null);
            Assert.That(first["owed"]!.AsArray(), Is.Empty);
            Assert.That((await applicant.GetAsync($"/api/my/cases/{newer}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await applicant.GetAsync($"/api/my/cases/{other}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "another applicant's case does not exist for them");
            Assert.That((await (await As("window01")).GetAsync("/api/my/cases")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await _factory.CreateClient().GetAsync("/api/my/cases")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That((await applicant.GetAsync("/api/my/cases?pageSize=500")).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        });
    }

    [Test]
    public async Task A_correction_shows_the_materials_owed_and_the_deadline_in_the_list_and_the_progress()
    {
        var caseId = await SubmitAsync(ElderlyCase(without: "高龄津贴申请书"));
        var applicant = await As("applicant01");
        var deadline = ChinaTime.EndOfWorkingDays(_factory.Services.GetRequiredService<WorkingCalendar>(), TestHost.Now, 20);

        var line = (await applicant.GetFromJsonAsync<JsonObject>("/api/my/cases?pageSize=100"))!["items"]!.AsArray().Single(i => i!["caseId"]!.GetValue<string>() == caseId)!;
        var progress = (await applicant.GetFromJsonAsync<JsonObject>($"/api/my/cases/{caseId}"))!;
        Assert.Multiple(() =>
        {
            Assert.That(line["statusName"]!.GetValue<string>(), Is.EqualTo("补正中"));
            foreach (var owed in new[] { line["owed"]!.AsArray().Single()!, progress["owed"]!.AsArray().Single()! })
            {
                Assert.That(owed["why"]!.GetValue<string>(), Is.EqualTo("补正"));
                Assert.That(owed["materials"]!.AsArray().Select(m => m!.GetValue<string>()), Is.EqualTo(new[] { "高龄津贴申请书" }));
                Assert.That(owed["by"]!.GetValue<DateTimeOffset>(), Is.EqualTo(deadline));
            }
            Assert.That(progress["reasons"], Is.Null);
        });
    }

    [Test]
    public async Task A_refusal_shows_the_reviewers_reasons_and_each_steps_result_in_plain_words()
    {
        var caseId = await SubmitAsync(ElderlyCase());
        await CompleteAsync(caseId, "reviewer02", new { action = "reject", opinion = "申请人已在外区领取高龄津贴" });
        var applicant = await As("applicant01");

        var progress = (await applicant.GetFromJsonAsync<JsonObject>($"/api/my/cases/{caseId}"))!;
        var number = progress["caseNumber"]!.GetValue<string>();
        using var anonymous = _factory.CreateClient();
        var lookedUp = (await (await anonymous.PostAsJsonAsync("/api/progress", new { caseNumber = number, idNumber = World().People.First(p => p.BirthDate.Year < 1946).IdNumber }))
            .Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Multiple(() =>
        {
            foreach (var view in new[] { progress, lookedUp })
            {
                Assert.That(view["statusName"]!.GetValue<string>(), Is.EqualTo("不予许可"));
                Assert.That(view["reasons"]!.GetValue<string>(), Is.EqualTo("申请人已在外区领取高龄津贴"));
                Assert.That(view["steps"]!.AsArray().Select(s => s!["result"]!.GetValue<string>()), Does.Contain("不通过"));
                Assert.That(view["owed"]!.AsArray(), Is.Empty);
            }
        });
    }

    [Test]
    public async Task Not_accepted_at_the_window_shows_the_windows_reasons()
    {
        var caseId = await SubmitAsync(ElderlyCase(data: new { age = 90, acceptance = "notAccepted", notAcceptedReasons = "申请人户籍不在本区，不属于本机关职权范围" }));
        var progress = (await (await As("applicant01")).GetFromJsonAsync<JsonObject>($"/api/my/cases/{caseId}"))!;
        Assert.That(progress["statusName"]!.GetValue<string>(), Is.EqualTo("不予受理"));
        Assert.That(progress["reasons"]!.GetValue<string>(), Is.EqualTo("申请人户籍不在本区，不属于本机关职权范围"));
    }

    private SimulatedWorld World() => _factory.Services.GetRequiredService<SimulatedWorld>();

    private object ElderlyCase(string? without = null, object? data = null, SimPerson? person = null)
    {
        var p = person ?? World().People.First(x => x.BirthDate.Year < 1946);
        return new
        {
            matterCode = Elderly, channel = "window", data = data ?? new { age = 2026 - p.BirthDate.Year },
            applicant = new { name = p.Name, idType = "111", idNumber = p.IdNumber, phone = p.Phone, address = p.Address },
            materials = new[] { "高龄津贴申请书", "居民身份证", "银行卡", "照片" }.Where(m => m != without).Select(m => new { name = m, provided = true })
        };
    }

    private async Task<string> SubmitAsync(object application)
    {
        var response = await (await As("window01")).PostAsJsonAsync("/api/cases", application);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["caseId"]!.GetValue<string>();
    }

    private async Task CompleteAsync(string caseId, string user, object action)
    {
        var client = await As(user);
        var inbox = await client.GetFromJsonAsync<JsonObject>("/api/tasks?scope=department&pageSize=100");
        var task = inbox!["items"]!.AsArray().Single(t => t!["caseId"]!.GetValue<string>() == caseId)!["taskId"]!.GetValue<string>();
        var done = await client.PostAsJsonAsync($"/api/tasks/{task}/complete", action);
        Assert.That(done.StatusCode, Is.EqualTo(HttpStatusCode.OK), await done.Content.ReadAsStringAsync());
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
