using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovFlow.Host.Api;
using GovFlow.Host.Simulators;
using GovFlow.Workflows.Serialization;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>Drafts and versions as policy staff see them: who and when, open cases, what a publish or retract changes, and a comparison of two versions.</summary>
[TestFixture]
public class DefinitionVersionTests : DataDirFixture
{
    private const string Elderly = "44030505001";
    private WebApplicationFactory<Program> _host = null!;

    [SetUp]
    public void Start() => _host = TestHost.Create(DataDir);

    [TearDown]
    public void Stop() => _host.Dispose();

    [Test]
    public async Task Publishing_v2_while_a_v1_case_is_open_names_what_changes_and_who_did_it()
    {
        var window = await CalendarYearTests.SignInAsync(_host, "window01");
        var submitted = await window.PostAsJsonAsync("/api/cases", Applications.Elderly(_host.Services.GetRequiredService<SimulatedWorld>()));
        Assert.That(submitted.StatusCode, Is.EqualTo(HttpStatusCode.Created), await submitted.Content.ReadAsStringAsync());

        var policy = await CalendarYearTests.SignInAsync(_host, "policy01");
        var v2 = JsonNode.Parse(await policy.GetStringAsync($"/api/definitions/{Elderly}/export"))!;
        var matter = v2["customProperties"]!["govflow:matter"]!;
        matter["promisedLimit"]!["value"] = 25;
        matter["materials"]!.AsArray().Single(m => m!["name"]!.GetValue<string>() == "银行卡")!["copies"] = 1;
        var imported = await policy.PostAsync("/api/definitions/import", new StringContent(v2.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        Assert.That(imported.StatusCode, Is.EqualTo(HttpStatusCode.Created), await imported.Content.ReadAsStringAsync());

        var versions = await VersionsAsync(policy);
        Assert.Multiple(() =>
        {
            Assert.That(versions.Select(v => (v["version"]!.GetValue<int>(), v["state"]!.GetValue<string>())), Is.EqualTo(new[] { (1, "published"), (2, "draft") }));
            Assert.That(versions[0]["openCases"]!.GetValue<int>(), Is.EqualTo(1), "the case submitted runs on v1");
            Assert.That(versions[0]["createdBy"], Is.Null, "v1 ships with GovFlow");
            Assert.That(versions[1]["createdBy"]!.GetValue<string>(), Is.EqualTo("policy01"));
            Assert.That(versions[1]["createdAt"]!.GetValue<DateTimeOffset>(), Is.EqualTo(TestHost.Now));
            Assert.That(versions[1]["openCases"]!.GetValue<int>(), Is.Zero);
        });

        var impact = (await policy.GetFromJsonAsync<JsonObject>($"/api/definitions/{Elderly}/publish-impact?version=2"))!;
        Assert.Multiple(() =>
        {
            Assert.That(impact["action"]!.GetValue<string>(), Is.EqualTo("publish"));
            Assert.That((impact["version"]!.GetValue<int>(), impact["publishedVersion"]!.GetValue<int>()), Is.EqualTo((2, 1)));
            Assert.That(impact["newCases"]!.GetValue<string>(), Is.EqualTo("starts"));
            Assert.That(impact["openCases"]!.GetValue<int>(), Is.EqualTo(1), "one open case stays on v1");
            Assert.That(Text(impact["openCasesByVersion"]!), Is.EqualTo("""[{"version":1,"count":1}]"""));
            Assert.That(impact["migration"]!.GetValue<string>(), Is.EqualTo($"/api/definitions/{Elderly}/migration?to=2"));
            Assert.That(impact["refusal"], Is.Null);
        });
        AssertNamesExactlyTheLimitAndTheMaterial(impact["changes"]!.AsObject(), 1, 2);

        Assert.That((await policy.PostAsync($"/api/definitions/{Elderly}/publish?version=2", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        versions = await VersionsAsync(policy);
        Assert.Multiple(() =>
        {
            Assert.That(versions.Select(v => v["state"]!.GetValue<string>()), Is.EqualTo(new[] { "retired", "published" }));
            Assert.That(versions[1]["publishedBy"]!.GetValue<string>(), Is.EqualTo("policy01"));
            Assert.That(versions[1]["publishedAt"]!.GetValue<DateTimeOffset>(), Is.EqualTo(TestHost.Now));
            Assert.That(versions[0]["retractedBy"]!.GetValue<string>(), Is.EqualTo("policy01"), "v1's turn ended with v2's publication");
            Assert.That(versions[0]["openCases"]!.GetValue<int>(), Is.EqualTo(1), "the v1 case stays on v1");
        });

        AssertNamesExactlyTheLimitAndTheMaterial((await policy.GetFromJsonAsync<JsonObject>($"/api/definitions/{Elderly}/compare?from=1&to=2"))!, 1, 2);

        var retract = (await policy.GetFromJsonAsync<JsonObject>($"/api/definitions/{Elderly}/retract-impact"))!;
        Assert.Multiple(() =>
        {
            Assert.That(retract["action"]!.GetValue<string>(), Is.EqualTo("retract"));
            Assert.That(retract["newCases"]!.GetValue<string>(), Is.EqualTo("refused"), "new applications are refused after a retract");
            Assert.That(retract["publishedVersion"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(retract["openCases"]!.GetValue<int>(), Is.EqualTo(1));
        });
        Assert.That((await policy.PostAsync($"/api/definitions/{Elderly}/retract", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        versions = await VersionsAsync(policy);
        Assert.That(versions.Select(v => v["state"]!.GetValue<string>()), Is.EqualTo(new[] { "retired", "retired" }));
        Assert.That(versions[1]["retractedBy"]!.GetValue<string>(), Is.EqualTo("policy01"));
    }

    [Test]
    public async Task A_draft_saved_over_records_its_last_editor_and_a_missing_version_is_not_found()
    {
        var policy = await CalendarYearTests.SignInAsync(_host, "policy01");
        var json = await policy.GetStringAsync($"/api/definitions/{Elderly}/export");
        for (var i = 0; i < 2; i++)
            (await policy.PostAsync("/api/definitions/import", new StringContent(json, System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        var draft = (await VersionsAsync(policy))[1];
        Assert.That((draft["createdBy"]!.GetValue<string>(), draft["updatedBy"]!.GetValue<string>()), Is.EqualTo(("policy01", "policy01")));

        var same = (await policy.GetFromJsonAsync<JsonObject>($"/api/definitions/{Elderly}/compare?from=1&to=2"))!;
        Assert.That(new[] { "elements", "materials", "steps", "activities", "connections" }.Select(k => same[k]!.AsArray().Count), Is.All.Zero, same.ToJsonString());

        var again = (await policy.GetFromJsonAsync<JsonObject>($"/api/definitions/{Elderly}/publish-impact?version=1"))!;
        Assert.Multiple(() =>
        {
            Assert.That(again["newCases"]!.GetValue<string>(), Is.EqualTo("unchanged"), "v1 is already published");
            Assert.That((again["openCases"]!.GetValue<int>(), again["migration"], again["changes"]), Is.EqualTo((0, (JsonNode?)null, (JsonNode?)null)));
        });

        var missing = await policy.GetAsync($"/api/definitions/{Elderly}/compare?from=1&to=9");
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await missing.Content.ReadAsStringAsync(), Does.Contain("第 9 版"));
        Assert.That((await policy.GetAsync("/api/definitions/no-such-flow/publish-impact")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var auditor = await CalendarYearTests.SignInAsync(_host, "auditor01");
        Assert.That((await auditor.GetAsync($"/api/definitions/{Elderly}/compare?from=1&to=2")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "auditors read versions");
        var window = await CalendarYearTests.SignInAsync(_host, "window01");
        Assert.That((await window.GetAsync($"/api/definitions/{Elderly}/publish-impact")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task A_version_saved_and_published_in_Elsa_Studio_names_its_user()
    {
        _host.Dispose();
        _host = TestHost.Create(DataDir, settings: new Dictionary<string, string> { ["GovFlow:Studio:Origins:0"] = "http://localhost:5100" });
        using var anonymous = _host.CreateClient();
        var tokens = (await (await anonymous.PostAsJsonAsync("/elsa/api/identity/login", new { username = "policy01", password = GovFlow.Host.Security.DemoUsers.Password })).Content.ReadFromJsonAsync<JsonObject>())!;
        var studio = _host.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://localhost/elsa/api/") });
        studio.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens["accessToken"]!.GetValue<string>());
        var model = (await studio.GetFromJsonAsync<JsonObject>($"workflow-definitions/by-definition-id/{Elderly}?versionOptions=Published"))!;
        model["description"] = "在 Elsa Studio 中修改";
        var saved = await studio.PostAsync("workflow-definitions", new StringContent(new JsonObject { ["model"] = model, ["publish"] = true }.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await saved.Content.ReadAsStringAsync());

        var versions = await VersionsAsync(await CalendarYearTests.SignInAsync(_host, "policy01"));
        Assert.Multiple(() =>
        {
            Assert.That((versions[1]["createdBy"]!.GetValue<string>(), versions[1]["publishedBy"]!.GetValue<string>()), Is.EqualTo(("policy01", "policy01")), "the Studio user, not a stand-in");
            Assert.That(versions[0]["retractedBy"]!.GetValue<string>(), Is.EqualTo("policy01"));
        });
    }

    [Test]
    public void The_flow_comparison_marks_activities_added_removed_and_changed_and_connections_by_their_ends()
    {
        var v1 = JsonNode.Parse(File.ReadAllText(Path.Combine(Workflows(), "44030505001-elderly-allowance.json")))!;
        var v2 = v1.DeepClone();
        var activities = v2["root"]!["activities"]!.AsArray();
        var accept = activities.Single(a => a!["id"]!.GetValue<string>() == "accept")!;
        accept["department"]!["expression"]!["value"] = "南山区行政服务大厅";
        accept["metadata"]!["designer"]!["position"]!["x"] = 999;   // moved on the canvas only: not a change
        activities.Single(a => a!["id"]!.GetValue<string>() == "cert1")!["metadata"]!["designer"]!["position"]!["y"] = 50;
        var cert2 = activities.Single(a => a!["id"]!.GetValue<string>() == "cert2")!;
        activities.Remove(cert2);
        activities.Add(new JsonObject { ["type"] = "GovFlow.Notify", ["version"] = 1, ["id"] = "notify9", ["name"] = "短信提醒" });
        var connections = v2["root"]!["connections"]!.AsArray();
        foreach (var c in connections.Where(c => c!["source"]!["activity"]!.GetValue<string>() == "cert2" || c!["target"]!["activity"]!.GetValue<string>() == "cert2").ToList())
            connections.Remove(c);
        connections.Add(new JsonObject { ["source"] = new JsonObject { ["activity"] = "cert1", ["port"] = "Found" }, ["target"] = new JsonObject { ["activity"] = "notify9", ["port"] = "In" } });

        var changes = DefinitionComparison.Compare(WorkflowJson.Read(v1.ToJsonString(), "v1.json"), WorkflowJson.Read(v2.ToJsonString(), "v2.json"),
            _host.Services.GetRequiredService<GovFlow.Workflows.Runtime.ActivityRegistry>());
        Assert.Multiple(() =>
        {
            Assert.That(changes.Activities.Select(a => (a.Id, a.Change)), Is.EquivalentTo(new[] { ("cert2", "removed"), ("notify9", "added"), ("accept", "changed") }));
            Assert.That(changes.Activities.Single(a => a.Id == "accept").Properties, Is.EqualTo(new[] { "department" }));
            Assert.That(changes.Activities.Single(a => a.Id == "accept").Labels, Is.EqualTo(new[] { "受理窗口" }), "the input by its display name");
            Assert.That(changes.Activities.Single(a => a.Id == "notify9").Name, Is.EqualTo("短信提醒"));
            Assert.That(changes.Connections.Where(c => c.Change == "added").Select(c => (c.Source, c.SourcePort, c.Target)), Is.EqualTo(new[] { ("cert1", (string?)"Found", "notify9") }));
            Assert.That(changes.Connections.Where(c => c.Change == "removed").Select(c => c.Source + ">" + c.Target), Is.All.Contain("cert2"));
            Assert.That(changes.Connections.Count(c => c.Change == "removed"), Is.GreaterThanOrEqualTo(2));
            Assert.That(changes.Elements, Is.Empty);
        });
    }

    [Test]
    public void Elements_are_named_in_Chinese_with_their_values_as_the_hall_reads_them()
    {
        var v1 = JsonNode.Parse(File.ReadAllText(Path.Combine(Workflows(), "44030505001-elderly-allowance.json")))!;
        var v2 = v1.DeepClone();
        var matter = v2["customProperties"]!["govflow:matter"]!;
        matter["flags"]!["appointment"] = false;
        matter["handlingForms"] = new JsonArray("1", "2");
        matter["tolerance"] = null;
        matter["materials"]!.AsArray().Add(new JsonObject { ["name"] = "委托书", ["originals"] = 1, ["required"] = false, ["main"] = false, ["condition"] = "byAgent", ["form"] = "paper", ["source"] = "applicant" });
        matter["steps"]!.AsArray().RemoveAt(4);

        var changes = DefinitionComparison.Compare(WorkflowJson.Read(v1.ToJsonString(), "v1.json"), WorkflowJson.Read(v2.ToJsonString(), "v2.json"));
        var byField = changes.Elements.ToDictionary(e => e.Field);
        Assert.Multiple(() =>
        {
            Assert.That((byField["flags.appointment"].Label, byField["flags.appointment"].Before, byField["flags.appointment"].After), Is.EqualTo(("支持预约办理", "是", "否")));
            Assert.That((byField["handlingForms"].Before, byField["handlingForms"].After), Is.EqualTo(("窗口办理、网上办理、移动端办理、快递申请", "窗口办理、网上办理")));
            Assert.That((byField["tolerance.supplementLimit"].Label, byField["tolerance.supplementLimit"].Before, byField["tolerance.supplementLimit"].After), Is.EqualTo(("容缺补正时限", "5个工作日", (string?)null)));
            Assert.That(changes.Materials.Select(m => (m.Name, m.Change)), Is.EqualTo(new[] { ("委托书", "added") }));
            Assert.That(changes.Steps.Select(s => (s.Name, s.Change)), Is.EqualTo(new[] { ("办结", "removed") }));
        });
    }

    private static void AssertNamesExactlyTheLimitAndTheMaterial(JsonObject changes, int from, int to)
    {
        Assert.Multiple(() =>
        {
            Assert.That((changes["from"]!.GetValue<int>(), changes["to"]!.GetValue<int>()), Is.EqualTo((from, to)));
            Assert.That(Text(changes["elements"]!), Is.EqualTo("""[{"field":"promisedLimit","label":"承诺办结时限","before":"22个工作日","after":"25个工作日"}]"""));
            Assert.That(Text(changes["materials"]!),
                Is.EqualTo("""[{"name":"银行卡","change":"changed","properties":[{"field":"copies","label":"复印件份数","before":"0","after":"1"}]}]"""));
            Assert.That(changes["steps"]!.AsArray(), Is.Empty);
            Assert.That(changes["activities"]!.AsArray(), Is.Empty);
            Assert.That(changes["connections"]!.AsArray(), Is.Empty);
        });
    }

    // Chinese as it is, not \u-escaped, so the expected JSON reads as the answer does.
    private static string Text(JsonNode node) => node.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private static async Task<List<JsonObject>> VersionsAsync(HttpClient policy) =>
        [.. (await policy.GetFromJsonAsync<JsonArray>($"/api/definitions/{Elderly}/versions"))!.Select(v => v!.AsObject())];

    private static string Workflows()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "workflows-json"))) return Path.Combine(dir.FullName, "workflows-json");
        throw new DirectoryNotFoundException("workflows-json");
    }
}
