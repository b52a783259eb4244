using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovFlow.Activities.Cases;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using GovFlow.Host.Simulators;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>
/// The host's limits: definitions over their size (413), activity count or nesting (400) are refused at import, form
/// data over its size or nesting is refused before it is bound (400), and a flow that runs away is an incident.
/// </summary>
[TestFixture]
public class LimitsTests : DataDirFixture
{
    private const string ElderlyAllowance = "44030505001";
    private WebApplicationFactory<Program> _factory = null!;

    [SetUp]
    public void Start() => _factory = TestHost.Create(DataDir);

    [TearDown]
    public void Stop() => _factory.Dispose();

    private async Task<HttpClient> As(string user, WebApplicationFactory<Program>? factory = null)
    {
        var client = (factory ?? _factory).CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        (await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = DemoUsers.Password })).EnsureSuccessStatusCode();
        return client;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonObject> Problem(HttpResponseMessage response) => (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    private static JsonObject Text(string text) => new() { ["typeName"] = "String", ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = text } };

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    private object Submission(object? data)
    {
        var person = _factory.Services.GetRequiredService<SimulatedWorld>().People.First(p => p.BirthDate.Year < 1946);
        return new
        {
            matterCode = ElderlyAllowance,
            applicant = new { name = person.Name, idType = "111", idNumber = person.IdNumber, phone = person.Phone, address = person.Address },
            materials = new[] { "高龄津贴申请书", "居民身份证", "银行卡", "照片" }.Select(m => new { name = m, provided = true }),
            data
        };
    }

    [Test]
    public async Task An_oversized_definition_is_a_413_naming_the_limit()
    {
        var policy = await As("policy01");
        var original = JsonNode.Parse(await policy.GetStringAsync($"/api/definitions/{ElderlyAllowance}/export"))!;
        original["description"] = new string('说', 1024 * 1024);
        var response = await policy.PostAsync("/api/definitions/import", Json(original.ToJsonString()));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        var problem = await Problem(response);
        Assert.That(problem["errors"]!["GovFlow:Definitions:MaxBytes"]![0]!.GetValue<string>(), Is.EqualTo("流程定义超过 2 MB 上限（2097152 字节，GovFlow:Definitions:MaxBytes）"));
    }

    [Test]
    public async Task A_definition_with_too_many_activities_or_too_deep_is_a_400_naming_the_limit()
    {
        var policy = await As("policy01");
        var export = await policy.GetStringAsync($"/api/definitions/{ElderlyAllowance}/export");

        var many = JsonNode.Parse(export)!;
        var activities = many["root"]!["activities"]!.AsArray();
        for (var i = 0; i < 2_000; i++)
            activities.Add(new JsonObject { ["type"] = "Elsa.WriteLine", ["version"] = 1, ["id"] = $"extra{i}" });
        var response = await policy.PostAsync("/api/definitions/import", Json(many.ToJsonString()));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await Problem(response))["errors"]!["GovFlow:Definitions:MaxActivities"]![0]!.GetValue<string>(), Does.StartWith("流程定义的活动超过上限 2000 个"));

        var deep = export.TrimEnd().TrimEnd('}') + ", \"strange\": " + Nested(100) + "}";
        response = await policy.PostAsync("/api/definitions/import", Json(deep));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await Problem(response))["errors"]!["GovFlow:Definitions:MaxDepth"]![0]!.GetValue<string>(), Does.StartWith("流程定义嵌套超过上限 64 层"));
    }

    [Test]
    public async Task Definition_limits_are_configurable()
    {
        using var strict = TestHost.Create(settings: new Dictionary<string, string> { ["GovFlow:Definitions:MaxActivities"] = "10" });
        var policy = await As("policy01", strict);
        var response = await policy.PostAsync("/api/definitions/import", Json(await policy.GetStringAsync($"/api/definitions/{ElderlyAllowance}/export")));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await Problem(response))["errors"]!["GovFlow:Definitions:MaxActivities"]![0]!.GetValue<string>(), Does.StartWith("流程定义的活动超过上限 10 个"));
    }

    [Test]
    public async Task Form_data_over_256_KB_is_a_400_and_nothing_is_stored()
    {
        var window = await As("window01");
        var response = await window.PostAsJsonAsync("/api/cases", Submission(new { note = new string('x', 300 * 1024) }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await Problem(response))["errors"]!["data"]![0]!.GetValue<string>(), Is.EqualTo("表单数据超过 256 KB 上限（GovFlow:Forms:MaxBytes）"));
        using var scope = _factory.Services.CreateScope();
        Assert.That(await scope.ServiceProvider.GetRequiredService<GovFlowDb>().Cases.CountAsync(), Is.EqualTo(0));

        var fits = await window.PostAsJsonAsync("/api/cases", Submission(new { age = 90, note = new string('x', 200 * 1024) }));
        Assert.That(fits.StatusCode, Is.EqualTo(HttpStatusCode.Created), await fits.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Form_data_nested_61_levels_is_a_400_not_a_500()
    {
        var window = await As("window01");
        var body = JsonSerializer.Serialize(Submission(new { age = 90 }))[..^1] + ", \"data\": {\"age\": 90, \"deep\": " + Nested(61) + "}}";
        var response = await window.PostAsync("/api/cases", Json(body));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
        Assert.That((await Problem(response))["errors"]!["data"]![0]!.GetValue<string>(), Is.EqualTo("表单数据嵌套超过 32 层上限（GovFlow:Forms:MaxDepth）"));
    }

    [Test]
    public async Task A_task_completion_over_the_form_limit_is_a_400()
    {
        var window = await As("window01");
        var created = await window.PostAsJsonAsync("/api/cases", Submission(new { age = 90 }));
        var caseId = (await created.Content.ReadFromJsonAsync<JsonObject>())!["caseId"]!.GetValue<string>();
        var reviewer = await As("reviewer02");
        var task = (await reviewer.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}"))!["currentSteps"]![0]!["taskId"]!.GetValue<string>();
        var response = await reviewer.PostAsJsonAsync($"/api/tasks/{task}/complete", new { action = "approve", opinion = new string('同', 100 * 1024) });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await Problem(response))["errors"]!["data"]![0]!.GetValue<string>(), Does.Contain("GovFlow:Forms:MaxBytes"));
        var approved = await reviewer.PostAsJsonAsync($"/api/tasks/{task}/complete", new { action = "approve", opinion = "同意" });
        Assert.That(approved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await approved.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task A_flow_that_runs_away_after_a_task_is_an_incident_on_the_case()
    {
        // Version 2 of the matter sends the first approval into a cycle of two activities that never waits.
        var policy = await As("policy01");
        var definition = JsonNode.Parse(await policy.GetStringAsync($"/api/definitions/{ElderlyAllowance}/export"))!;
        var root = definition["root"]!;
        root["activities"]!.AsArray().Add(new JsonObject { ["type"] = "Elsa.WriteLine", ["version"] = 1, ["id"] = "spin1", ["text"] = Text("甲") });
        root["activities"]!.AsArray().Add(new JsonObject { ["type"] = "Elsa.WriteLine", ["version"] = 1, ["id"] = "spin2", ["text"] = Text("乙") });
        var connections = root["connections"]!.AsArray();
        // Approval also leads into the cycle (rather than only there), so the rest of the flow stays reachable and the version imports.
        connections.Add(new JsonObject { ["source"] = new JsonObject { ["activity"] = "step1", ["port"] = "Approved" }, ["target"] = new JsonObject { ["activity"] = "spin1", ["port"] = "In" } });
        connections.Add(new JsonObject { ["source"] = new JsonObject { ["activity"] = "spin1", ["port"] = "Done" }, ["target"] = new JsonObject { ["activity"] = "spin2", ["port"] = "In" } });
        connections.Add(new JsonObject { ["source"] = new JsonObject { ["activity"] = "spin2", ["port"] = "Done" }, ["target"] = new JsonObject { ["activity"] = "spin1", ["port"] = "In" } });
        var imported = await policy.PostAsync("/api/definitions/import", Json(definition.ToJsonString()));
        Assert.That(imported.StatusCode, Is.EqualTo(HttpStatusCode.Created), await imported.Content.ReadAsStringAsync());
        Assert.That((await policy.PostAsync($"/api/definitions/{ElderlyAllowance}/publish?version=2", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var window = await As("window01");
        var created = await window.PostAsJsonAsync("/api/cases", Submission(new { age = 90 }));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var caseId = (await created.Content.ReadFromJsonAsync<JsonObject>())!["caseId"]!.GetValue<string>();
        var reviewer = await As("reviewer02");
        var task = (await reviewer.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}"))!["currentSteps"]![0]!["taskId"]!.GetValue<string>();

        var approved = await reviewer.PostAsJsonAsync($"/api/tasks/{task}/complete", new { action = "approve", opinion = "同意" });
        Assert.That(approved.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), await approved.Content.ReadAsStringAsync());
        Assert.That(await approved.Content.ReadAsStringAsync(), Does.Contain("已记为异常"));
        var view = (await (await As("auditor01")).GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}"))!;
        var incident = view["incidents"]!.AsArray().Single()!;
        Assert.Multiple(() =>
        {
            Assert.That(incident["message"]!.GetValue<string>(), Is.EqualTo("单步执行超过 10000 个活动 (more than 10000 activity executions in one step)"));
            Assert.That(view["status"]!.GetValue<string>(), Is.EqualTo(CaseStatus.InReview), "the runaway step did not happen");
            Assert.That(view["currentSteps"]![0]!["taskId"]!.GetValue<string>(), Is.EqualTo(task), "the task is still open for a retry");
        });
    }
}
