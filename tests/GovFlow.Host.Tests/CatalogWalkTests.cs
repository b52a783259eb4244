using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Matters;
using GovFlow.Activities.Steps;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using GovFlow.Host.Simulators;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>
/// Every matter of the catalog can be finished by the demo staff: one case each, accepted with its materials and
/// moved through the API by the user of each task's department and role, taking the action that moves it on, until
/// it has a final status, its mail is delivered and the applicant has rated it.
/// </summary>
[TestFixture]
public class CatalogWalkTests : DataDirFixture
{
    private static readonly string[] MovingOn = ["approve", "agree", "supply", "done", "rectify"];
    private WebApplicationFactory<Program> _factory = null!;
    private readonly Dictionary<string, HttpClient> _clients = [];

    [OneTimeSetUp]
    public void Start() => _factory = TestHost.Create(DataDir);

    [OneTimeTearDown]
    public void Stop()
    {
        foreach (var c in _clients.Values) c.Dispose();
        _factory.Dispose();
    }

    // The catalog's files are named by matter code.
    private static IEnumerable<string> Matters()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GovFlow.sln"))) dir = dir.Parent;
        return Directory.GetFiles(Path.Combine(dir!.FullName, "workflows-json"), "*.json").Select(f => Path.GetFileName(f)[..11]).Order();
    }

    [TestCaseSource(nameof(Matters))]
    public async Task A_case_of_the_matter_reaches_a_final_status_in_the_demo_staffs_hands(string code)
    {
        var entry = _factory.Services.GetRequiredService<MatterCatalog>().Find(code)!;
        var staff = DemoUsers.All(_factory.Services.GetRequiredService<MatterCatalog>(), _factory.Services.GetRequiredService<SimulatedWorld>());
        var caseId = await SubmitAsync(entry.Matter);
        var auditor = await As("auditor01");
        var trail = new List<string>();
        for (var step = 0; step < 40; step++)
        {
            var view = (await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}"))!;
            Assert.That(view["incidents"]!.AsArray(), Is.Empty, $"{entry.Matter.Name}: a step faulted after {string.Join(" → ", trail)}");
            var status = view["status"]!.GetValue<string>();
            // A bundle (一件事一次办) waits for its member cases: their steps are the ones to take.
            var task = view["currentSteps"]!.AsArray().FirstOrDefault() ?? await MemberStepAsync(auditor, caseId);
            if (task is null)
            {
                var kinds = view["positions"]!.AsArray().Select(p => p!["kind"]!.GetValue<string>()).ToList();
                if (kinds.Contains(SendByPost.TrackingBookmark)) { await ResumeAsync(caseId, SendByPost.TrackingBookmark, new() { ["status"] = "delivered", ["detail"] = "本人签收" }, "ems"); trail.Add("签收"); continue; }
                if (kinds.Contains(RequestRating.RatingBookmark)) { await ResumeAsync(caseId, RequestRating.RatingBookmark, new() { ["level"] = 1, ["comment"] = "满意" }, "applicant"); trail.Add("评价"); continue; }
                Assert.That(CaseStatus.IsFinal(status), Is.True, $"{entry.Matter.Name} is stranded in {status} after {string.Join(" → ", trail)}, waiting on [{string.Join(", ", kinds)}]");
                return;
            }
            var department = task["department"]!.GetValue<string>();
            var role = task["role"]!.GetValue<string>();
            var user = staff.FirstOrDefault(u => u.Department == department && u.Role == role);
            Assert.That(user, Is.Not.Null, $"{entry.Matter.Name}: no demo {role} at {department} for “{task["stepName"]}”");
            var actions = task["actions"]!.AsArray().Select(a => a!.AsObject()).ToList();
            var action = MovingOn.Select(n => actions.FirstOrDefault(a => a["name"]!.GetValue<string>() == n)).FirstOrDefault(a => a is not null)
                         ?? throw new AssertionException($"{entry.Matter.Name}: “{task["stepName"]}” offers no action that moves the case on: {string.Join(", ", actions.Select(a => a["name"]))}");
            var body = new JsonObject { ["action"] = action["name"]!.GetValue<string>(), ["opinion"] = "同意，材料齐全" };
            foreach (var field in action["fields"]!.AsArray().Where(f => f!["required"]!.GetValue<bool>()))
                body[field!["name"]!.GetValue<string>()] = field["choices"] is JsonArray choices ? choices.DeepClone() : JsonValue.Create("");
            var client = await As(user!.UserName);
            var done = await client.PostAsJsonAsync($"/api/tasks/{task["taskId"]}/complete", body);
            Assert.That(done.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{entry.Matter.Name} “{task["stepName"]}” by {user.UserName}: {await done.Content.ReadAsStringAsync()}");
            trail.Add($"{task["stepName"]}:{body["action"]}");
        }
        Assert.Fail($"{entry.Matter.Name} did not finish in 40 steps: {string.Join(" → ", trail)}");
    }

    private static async Task<JsonNode?> MemberStepAsync(HttpClient auditor, string caseId)
    {
        var bundle = (await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}/bundle"))!;
        foreach (var member in bundle["members"]!.AsArray())
            if ((await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{member!["caseId"]}"))!["currentSteps"]!.AsArray().FirstOrDefault() is { } step) return step.DeepClone();
        return null;
    }

    private async Task<string> SubmitAsync(ServiceMatter m)
    {
        var world = _factory.Services.GetRequiredService<SimulatedWorld>();
        var enterprise = m.ServiceObjects.Contains("2") && !m.ServiceObjects.Contains("1");
        var elderly = m.Code is "44030505001" or "44030520007";
        var person = world.People.First(p => elderly ? p.BirthDate.Year < 1946 : p.BirthDate.Year is > 1980 and < 2000);
        var company = world.Enterprises[5];
        var data = new Dictionary<string, JsonElement>
        {
            ["age"] = JsonSerializer.SerializeToElement(2026 - person.BirthDate.Year), ["onMinimumAllowance"] = JsonSerializer.SerializeToElement(false),
            ["criminalRecord"] = JsonSerializer.SerializeToElement(false), ["carsOwned"] = JsonSerializer.SerializeToElement(0),
            ["codeValidUntil"] = JsonSerializer.SerializeToElement("2027-06-30"), ["housing"] = JsonSerializer.SerializeToElement("owned"),
            ["married"] = JsonSerializer.SerializeToElement(false), ["agent"] = JsonSerializer.SerializeToElement(false), ["hasDisabledMember"] = JsonSerializer.SerializeToElement(false)
        };
        using var scope = _factory.Services.CreateScope();
        var response = await scope.ServiceProvider.GetRequiredService<CaseService>().SubmitAsync(new CaseSubmission
        {
            MatterCode = m.Code, Channel = "window", Data = data,
            Materials = m.Materials.Select(x => new MaterialInput { Name = x.Name, Provided = true }).ToList(),
            Applicant = enterprise
                ? new ApplicantInput { Name = company.Name, IdType = "001", IdNumber = company.Uscc, Phone = "13912345678", Address = company.Address }
                : new ApplicantInput { Name = person.Name, IdType = "111", IdNumber = person.IdNumber, Phone = person.Phone, Address = person.Address }
        }, null, "window01");
        return response["caseId"]!.GetValue<string>();
    }

    private async Task ResumeAsync(string caseId, string bookmarkName, Dictionary<string, object?> input, string actor)
    {
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        var instances = db.Instances.Where(i => i.CaseId == caseId).Select(i => i.Id);
        var bookmark = await db.Bookmarks.AsNoTracking().FirstAsync(b => instances.Contains(b.InstanceId) && b.Name == bookmarkName);
        await scope.ServiceProvider.GetRequiredService<CaseService>().ResumeAsync(bookmark.Id, input, actor);
    }

    private async Task<HttpClient> As(string user)
    {
        if (_clients.TryGetValue(user, out var client)) return client;
        client = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        (await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = DemoUsers.Password })).EnsureSuccessStatusCode();
        return _clients[user] = client;
    }
}
