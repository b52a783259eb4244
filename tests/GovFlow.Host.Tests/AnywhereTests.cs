using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using GovFlow.Host.Simulators;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>通办 through the real host: the residence permit (南山分局's, 全市通办) accepted at 福田's and 南山's halls, and refused outside 深圳.</summary>
[TestFixture]
public class AnywhereTests : DataDirFixture
{
    private const string ResidencePermit = "44030407015";
    private const string Futian = "深圳市福田区沙头街道办事处";
    private WebApplicationFactory<Program> _factory = null!;
    private readonly Dictionary<string, HttpClient> _clients = [];

    [SetUp]
    public void Start() => _factory = TestHost.Create(DataDir);

    [TearDown]
    public void Stop()
    {
        foreach (var c in _clients.Values) c.Dispose();
        _clients.Clear();
        _factory.Dispose();
    }

    private async Task<HttpClient> As(string user)
    {
        if (_clients.TryGetValue(user, out var existing)) return existing;
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = DemoUsers.Password });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return _clients[user] = client;
    }

    private object Application()
    {
        var p = _factory.Services.GetRequiredService<SimulatedWorld>().People.First(x => x.BirthDate.Year is > 1970 and < 2000);
        return new
        {
            matterCode = ResidencePermit, channel = "window",
            applicant = new { name = p.Name, idType = "111", idNumber = p.IdNumber, phone = p.Phone, address = p.Address },
            materials = new[] { "居住登记表", "居民身份证", "住所证明", "近期一寸照片" }.Select(m => new { name = m, provided = true })
        };
    }

    private async Task<JsonObject> CaseOf(HttpResponseMessage created, string user)
    {
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["caseId"]!.GetValue<string>();
        return (await (await As(user)).GetFromJsonAsync<JsonObject>($"/api/cases/{id}"))!;
    }

    private async Task<JsonNode?> TaskOf(string caseId, string user) =>
        (await (await As(user)).GetFromJsonAsync<JsonObject>("/api/tasks?scope=department&pageSize=100"))!["items"]!.AsArray()
            .SingleOrDefault(t => t!["caseId"]!.GetValue<string>() == caseId);

    [Test]
    public async Task A_window_outside_the_matters_scope_is_refused_and_not_offered_the_matter()
    {
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
            var hall = await db.Departments.SingleAsync(d => d.Name == Futian);
            Assert.That(hall.RegionCode, Is.EqualTo("440304"), "the demo hall's region");
            hall.RegionCode = "440605";
            hall.RegionName = "佛山市南海区";
            await db.SaveChangesAsync();
        }
        var window = await As("window02");
        var refused = await window.PostAsJsonAsync("/api/cases", Application());
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = (await refused.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(problem["errors"]!["matterCode"]![0]!.GetValue<string>(), Does.StartWith("本事项不支持在佛山市南海区受理"));
        var acceptable = (await window.GetFromJsonAsync<List<string>>("/api/matters/acceptable"))!;
        Assert.Multiple(() =>
        {
            Assert.That(acceptable, Does.Not.Contain(ResidencePermit));
            Assert.That(acceptable, Does.Contain("44030505001"), "a matter without a scope is accepted anywhere");
        });
    }

    [Test]
    public async Task A_case_accepted_in_futian_is_handed_to_the_nanshan_owner_who_signs_for_it()
    {
        Assert.That(await (await As("window02")).GetFromJsonAsync<List<string>>("/api/matters/acceptable"), Does.Contain(ResidencePermit));
        var view = await CaseOf(await (await As("window02")).PostAsJsonAsync("/api/cases", Application()), "window02");
        var caseId = view["caseId"]!.GetValue<string>();
        Assert.Multiple(() =>
        {
            Assert.That(view["hall"]!.GetValue<string>(), Is.EqualTo(Futian));
            Assert.That(view["department"]!.GetValue<string>(), Is.EqualTo("深圳市公安局南山分局"));
            Assert.That(view["handOver"]!["status"]!.GetValue<string>(), Is.EqualTo("pending"));
            Assert.That(view["handOver"]!["acceptingRegion"]!.GetValue<string>(), Is.EqualTo("440304"));
            Assert.That(view["handOver"]!["limitWorkingDays"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(view["handOver"]!["originalsWaybill"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty, "the originals are posted");
        });

        var receipt = await TaskOf(caseId, "reviewer04");
        Assert.That(receipt, Is.Not.Null, "the owner's reviewer has the receipt task");
        Assert.That(receipt!["stepName"]!.GetValue<string>(), Is.EqualTo("受理转交签收"));
        Assert.That(receipt["dueAt"], Is.Not.Null, "the hand-over has its own limit");
        var signed = await (await As("reviewer04")).PostAsJsonAsync($"/api/tasks/{receipt["taskId"]!.GetValue<string>()}/complete", new { action = "receive" });
        Assert.That(signed.IsSuccessStatusCode, Is.True, await signed.Content.ReadAsStringAsync());

        Assert.That((await TaskOf(caseId, "reviewer04"))!["stepName"]!.GetValue<string>(), Is.EqualTo("审核"));
        var after = (await (await As("reviewer04")).GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}"))!;
        Assert.That(after["handOver"]!["status"]!.GetValue<string>(), Is.EqualTo("received"));
    }

    [Test]
    public async Task A_case_accepted_in_the_owners_district_is_not_handed_over()
    {
        var view = await CaseOf(await (await As("window01")).PostAsJsonAsync("/api/cases", Application()), "window01");
        Assert.Multiple(() =>
        {
            Assert.That(view["hall"]!.GetValue<string>(), Is.EqualTo("综合窗口"));
            Assert.That(view["handOver"]!["status"]!.GetValue<string>(), Is.EqualTo("local"));
        });
    }
}
