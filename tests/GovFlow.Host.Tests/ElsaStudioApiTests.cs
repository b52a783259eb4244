using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using GovFlow.Host.Simulators;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>
/// Elsa Studio's server API on the real host, replaying the calls Studio makes (shared/ELSA-STUDIO-API.md): sign in,
/// the definitions list, create, open, the toolbox, save, publish, the instances and the journal, with the shapes and
/// links Studio needs; a matter designed this way takes a window clerk's case; a Studio save loses nothing on export.
/// </summary>
[TestFixture]
public class ElsaStudioApiTests
{
    private const string StudioOrigin = "http://studio.example";
    private const string Elderly = "44030505001";
    private WebApplicationFactory<Program> _factory = null!;
    private TestClock _clock = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _clock = new TestClock(TestHost.Now);
        _factory = TestHost.Create(clock: _clock, settings: new Dictionary<string, string> { ["GovFlow:Studio:Origins:0"] = StudioOrigin });
    }

    [OneTimeTearDown]
    public void Stop() => _factory.Dispose();

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private async Task<JsonObject> Login(string user, string password = DemoUsers.Password)
    {
        using var anonymous = _factory.CreateClient();
        var response = await anonymous.PostAsJsonAsync("/elsa/api/identity/login", new { username = user, password });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private async Task<HttpClient> Studio(string user, string password = DemoUsers.Password)
    {
        var tokens = await Login(user, password);
        Assert.That(tokens["isAuthenticated"]!.GetValue<bool>(), Is.True, tokens.ToJsonString());
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://localhost/elsa/api/") });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens["accessToken"]!.GetValue<string>());
        return client;
    }

    private static JsonObject Claims(string jwt) =>
        JsonNode.Parse(Convert.FromBase64String(Pad(jwt.Split('.')[1].Replace('-', '+').Replace('_', '/'))))!.AsObject();

    private static string Pad(string base64) => base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');

    private static IEnumerable<JsonObject> Activities(JsonObject activity)
    {
        yield return activity;
        foreach (var (key, value) in activity)
        {
            if (key is "customProperties" or "metadata") continue;
            foreach (var child in Nested(value)) yield return child;
        }
    }

    private static IEnumerable<JsonObject> Nested(JsonNode? node) => node switch
    {
        JsonObject o when o["type"] is JsonValue && o["id"] is JsonValue => Activities(o),
        JsonObject o => o.SelectMany(p => p.Key is "customProperties" or "metadata" ? [] : Nested(p.Value)),
        JsonArray a => a.SelectMany(Nested),
        _ => []
    };

    private static bool HasLink(JsonNode? owner, string rel) => owner?["links"]?.AsArray().Any(l => l!["rel"]!.GetValue<string>() == rel) == true;

    // What Studio's save sends: its model's fields only (RemoteWorkflowDefinitionService.SaveAsync), nothing GovFlow added.
    private static JsonObject StudioModel(JsonObject opened)
    {
        var model = new JsonObject();
        foreach (var key in (string[])["id", "definitionId", "name", "description", "createdAt", "version", "toolVersion", "variables", "inputs", "outputs", "outcomes", "customProperties", "isLatest", "isPublished", "options", "root"])
            if (opened.ContainsKey(key)) model[key] = opened[key]?.DeepClone();
        return model;
    }

    [Test]
    public async Task A_disabled_user_or_a_changed_password_ends_Studio_sessions_at_the_next_call()
    {
        // A designer of their own for this test, so the shared demo users stay as they are.
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
            db.Users.Add(new UserRecord { UserName = "designer9", Role = Roles.Policy, Department = "深圳市南山区政务服务数据管理局", DisplayName = "临时设计", PasswordHash = Passwords.Hash(DemoUsers.Password) });
            await db.SaveChangesAsync();
        }
        async Task Change(Action<UserRecord> change)
        {
            using var scope = _factory.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
            change((await db.Users.FindAsync("designer9"))!);
            await db.SaveChangesAsync();
        }

        using var studio = await Studio("designer9");
        Assert.That((await studio.GetAsync("features/installed")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await Change(u => u.PasswordHash = Passwords.Hash("Another-pass-2026"));
        Assert.That((await studio.GetAsync("features/installed")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "a changed password ends the session at once");

        using var again = await Studio("designer9", "Another-pass-2026");
        Assert.That((await again.GetAsync("features/installed")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await Change(u => u.Active = false);
        Assert.That((await again.GetAsync("features/installed")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "a disabled user is signed out at once");
    }

    [Test]
    public async Task Studio_signs_in_with_GovFlow_users_and_refreshes_its_tokens()
    {
        using var anonymous = _factory.CreateClient();
        var version = await anonymous.GetFromJsonAsync<JsonObject>("/elsa/api/package/version");
        Assert.That(version!["packageVersion"]!.GetValue<string>(), Does.StartWith("3."));

        var tokens = await Login("policy01");
        var access = tokens["accessToken"]!.GetValue<string>();
        var claims = Claims(access);
        Assert.Multiple(() =>
        {
            Assert.That(tokens["isAuthenticated"]!.GetValue<bool>(), Is.True);
            Assert.That(claims["name"]!.GetValue<string>(), Is.EqualTo("policy01"));
            Assert.That(claims["role"]!.GetValue<string>(), Is.EqualTo(Roles.Policy));
            Assert.That(claims["exp"]!.GetValue<long>(), Is.EqualTo(TestHost.Now.AddMinutes(15).ToUnixTimeSeconds()));
        });

        Assert.That((await Login("policy01", "wrong"))["isAuthenticated"]!.GetValue<bool>(), Is.False);
        var window = await Login("window01");
        Assert.That(window["isAuthenticated"]!.GetValue<bool>(), Is.False, "a window clerk does not design");
        Assert.That(window["message"]!.GetValue<string>(), Does.Contain("窗口人员"));

        // A refresh token renews the pair; an access token refreshes nothing, and a refresh token opens no endpoint.
        var refresh = tokens["refreshToken"]!.GetValue<string>();
        using var renew = new HttpRequestMessage(HttpMethod.Post, "/elsa/api/identity/refresh-token") { Headers = { Authorization = new("Bearer", refresh) } };
        var renewed = await anonymous.SendAsync(renew);
        Assert.That(renewed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await renewed.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!.GetValue<string>(), Is.Not.Empty);
        using var wrongKind = new HttpRequestMessage(HttpMethod.Post, "/elsa/api/identity/refresh-token") { Headers = { Authorization = new("Bearer", access) } };
        Assert.That((await anonymous.SendAsync(wrongKind)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        using var refreshAsAccess = new HttpRequestMessage(HttpMethod.Get, "/elsa/api/features/installed") { Headers = { Authorization = new("Bearer", refresh) } };
        Assert.That((await anonymous.SendAsync(refreshAsAccess)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

        // The features: none installed, each one off.
        using var studio = await Studio("policy01");
        var features = await studio.GetFromJsonAsync<JsonObject>("features/installed");
        Assert.That(features!["items"]!.AsArray(), Is.Empty);
        Assert.That(features["count"]!.GetValue<int>(), Is.Zero);
        Assert.That((await studio.GetAsync("features/installed/Elsa.Studio.Dashboard")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        // GovFlow's cookie opens nothing here, and the bearer token nothing of GovFlow's own API.
        var cookie = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        await cookie.PostAsJsonAsync("/api/auth/login", new { userName = "policy01", password = DemoUsers.Password });
        Assert.That((await cookie.GetAsync("/elsa/api/workflow-definitions")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        using var bearerOnGovFlow = new HttpRequestMessage(HttpMethod.Get, "/api/definitions") { Headers = { Authorization = new("Bearer", access) } };
        Assert.That((await anonymous.SendAsync(bearerOnGovFlow)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

        // The access token expires after 15 minutes; the refresh token still renews it.
        var before = _clock.Now;
        try
        {
            _clock.Now = before.AddMinutes(20);
            Assert.That((await studio.GetAsync("features/installed")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            using var later = new HttpRequestMessage(HttpMethod.Post, "/elsa/api/identity/refresh-token") { Headers = { Authorization = new("Bearer", refresh) } };
            Assert.That((await anonymous.SendAsync(later)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            _clock.Now = before.AddHours(9);
            using var tooLate = new HttpRequestMessage(HttpMethod.Post, "/elsa/api/identity/refresh-token") { Headers = { Authorization = new("Bearer", refresh) } };
            Assert.That((await anonymous.SendAsync(tooLate)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "signed out after a working day");
        }
        finally
        {
            _clock.Now = before;
        }
    }

    [Test]
    public async Task Wrong_passwords_in_Studio_lock_the_name_in_GovFlow_too()
    {
        for (var i = 0; i < 5; i++) await Login("head02", "wrong-password");
        var locked = await Login("head02");
        Assert.That(locked["isAuthenticated"]!.GetValue<bool>(), Is.False);
        Assert.That(locked["message"]!.GetValue<string>(), Does.Contain("锁定"));
        using var cookie = _factory.CreateClient();
        var govflow = await cookie.PostAsJsonAsync("/api/auth/login", new { userName = "head02", password = DemoUsers.Password });
        Assert.That(govflow.StatusCode, Is.EqualTo(HttpStatusCode.Locked));
    }

    [Test]
    public async Task A_clerk_who_also_holds_the_policy_role_designs_in_Studio()
    {
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GovFlow.Host.Persistence.GovFlowDb>();
            (await db.Users.FindAsync("window02"))!.OtherRoles = Roles.Policy;
            await db.CommitAsync();
        }
        var tokens = await Login("window02");
        Assert.That(tokens["isAuthenticated"]!.GetValue<bool>(), Is.True, tokens.ToJsonString());
        Assert.That(Claims(tokens["accessToken"]!.GetValue<string>())["role"]!.AsArray().Select(r => r!.GetValue<string>()), Is.EqualTo(new[] { Roles.Window, Roles.Policy }), "the post first");
        using var studio = await Studio("window02");
        Assert.That(HasLink(await studio.GetFromJsonAsync<JsonObject>("workflow-definitions?PageSize=1"), "bulk-publish"), Is.True);
    }

    [Test]
    public async Task Auditors_get_a_read_only_Studio()
    {
        using var studio = await Studio("auditor01");
        var list = await studio.GetFromJsonAsync<JsonObject>("workflow-definitions?versionOptions=Latest&Page=0&PageSize=10&IsSystem=False");
        Assert.That(list!["items"]!.AsArray(), Is.Not.Empty);
        Assert.That(HasLink(list, "bulk-publish"), Is.False);
        Assert.That(list["items"]!.AsArray().Any(d => HasLink(d, "publish")), Is.False);
        var opened = await studio.GetFromJsonAsync<JsonObject>($"workflow-definitions/by-definition-id/{Elderly}?versionOptions=Latest");
        Assert.That(opened!["isReadonly"]!.GetValue<bool>(), Is.True);
        Assert.That(HasLink(opened, "publish"), Is.False);
        var save = await studio.PostAsync("workflow-definitions", Json(new JsonObject { ["model"] = StudioModel(opened) }));
        Assert.That(save.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task The_designer_sequence_creates_a_matter_a_window_clerk_accepts_a_case_on()
    {
        using var studio = await Studio("policy01");

        // 6. The list: paged summaries with the links that make Studio editable.
        var list = await studio.GetFromJsonAsync<JsonObject>("workflow-definitions?versionOptions=Latest&Page=0&PageSize=5&SearchTerm=&IsSystem=False&OrderBy=Name&OrderDirection=Ascending");
        Assert.Multiple(() =>
        {
            Assert.That(list!["items"]!.AsArray(), Has.Count.EqualTo(5));
            Assert.That(list["totalCount"]!.GetValue<int>(), Is.GreaterThan(5));
            Assert.That(HasLink(list, "bulk-publish"), Is.True);
            foreach (var d in list["items"]!.AsArray())
            {
                Assert.That(HasLink(d, "publish"), Is.True);
                foreach (var field in (string[])["id", "definitionId", "name", "version", "isLatest", "isPublished", "createdAt", "materializerName"])
                    Assert.That(d!.AsObject().ContainsKey(field), Is.True, field);
            }
        });
        var found = await studio.GetFromJsonAsync<JsonObject>($"workflow-definitions?versionOptions=Latest&SearchTerm={Elderly}");
        Assert.That(found!["items"]!.AsArray().Select(d => d!["definitionId"]!.GetValue<string>()), Does.Contain(Elderly));

        // 7–8. The create dialog: a unique name, then Studio's new definition (a bare flowchart without node ids).
        const string name = "高龄津贴（Studio 设计）";
        Assert.That((await studio.GetFromJsonAsync<JsonObject>($"workflow-definitions/validation/is-name-unique?name={Uri.EscapeDataString(name)}"))!["isUnique"]!.GetValue<bool>(), Is.True);
        var elderlyName = (await studio.GetFromJsonAsync<JsonObject>($"workflow-definitions/by-definition-id/{Elderly}"))!["name"]!.GetValue<string>();
        Assert.That((await studio.GetFromJsonAsync<JsonObject>($"workflow-definitions/validation/is-name-unique?name={Uri.EscapeDataString(elderlyName)}"))!["isUnique"]!.GetValue<bool>(), Is.False);
        var created = await studio.PostAsync("workflow-definitions", Json(new JsonObject
        {
            ["model"] = new JsonObject
            {
                ["name"] = name, ["description"] = "在 Elsa Studio 中设计", ["version"] = 1, ["toolVersion"] = "3.5.0", ["isLatest"] = true, ["isPublished"] = false,
                ["root"] = new JsonObject { ["id"] = "flow1", ["type"] = "Elsa.Flowchart", ["version"] = 1, ["name"] = "Flowchart1" }
            }
        }));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.OK), await created.Content.ReadAsStringAsync());
        var createdBody = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(createdBody["alreadyPublished"]!.GetValue<bool>(), Is.False);
        var definitionId = createdBody["workflowDefinition"]!["definitionId"]!.GetValue<string>();
        Assert.That(createdBody["workflowDefinition"]!["root"]!["nodeId"]!.GetValue<string>(), Is.EqualTo("Workflow1:flow1"));
        var duplicate = await studio.PostAsync("workflow-definitions", Json(new JsonObject { ["model"] = new JsonObject { ["name"] = name, ["root"] = new JsonObject { ["id"] = "f", ["type"] = "Elsa.Flowchart" } } }));
        Assert.That(duplicate.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "names are unique");

        // 9. The designer opens it: the full definition with its links and a node id on every activity.
        var opened = (await studio.GetFromJsonAsync<JsonObject>($"workflow-definitions/by-definition-id/{definitionId}?versionOptions=Latest"))!;
        Assert.That(HasLink(opened, "publish"), Is.True);
        Assert.That(opened["isReadonly"]!.GetValue<bool>(), Is.False);

        // 10–13. The toolbox and the panels.
        var descriptors = (await studio.GetFromJsonAsync<JsonObject>("descriptors/activities?Refresh=True"))!["items"]!.AsArray();
        var byType = descriptors.ToDictionary(d => d!["typeName"]!.GetValue<string>(), d => d!.AsObject());
        Assert.That(byType, Does.ContainKey("Elsa.Flowchart"));
        var review = byType["GovFlow.ReviewTask"];
        Assert.Multiple(() =>
        {
            Assert.That(review["kind"]!.GetValue<string>(), Is.EqualTo("Task"));
            Assert.That(review["category"]!.GetValue<string>(), Is.Not.Empty);
            Assert.That(review["ports"]!.AsArray().Select(p => p!["type"]!.GetValue<string>()), Is.All.EqualTo("Flow"));
            // A container's child slots are embedded ports, as Studio draws If's Then and Else inside the node.
            Assert.That(byType["Elsa.If"]["ports"]!.AsArray().Where(p => p!["type"]!.GetValue<string>() == "Embedded").Select(p => p!["name"]!.GetValue<string>()),
                Is.EqualTo(new[] { "then", "else" }));
            Assert.That(byType["Elsa.While"]["ports"]!.AsArray().Where(p => p!["type"]!.GetValue<string>() == "Embedded").Select(p => p!["name"]!.GetValue<string>()),
                Is.EqualTo(new[] { "body" }));
            foreach (var input in review["inputs"]!.AsArray())
                foreach (var field in (string[])["name", "typeName", "uiHint", "defaultSyntax", "category", "order", "isWrapped"])
                    Assert.That(input!.AsObject().ContainsKey(field), Is.True, $"{input["name"]}.{field}");
        });
        var typeDefinitions = await studio.GetStringAsync($"scripting/javascript/type-definitions/{Elderly}");
        Assert.That(typeDefinitions, Does.Contain("declare function getVariable(name: string): any;").And.Contain("declare const variables"));
        var expressions = (await studio.GetFromJsonAsync<JsonObject>("descriptors/expression-descriptors"))!["items"]!.AsArray().Select(e => e!["type"]!.GetValue<string>());
        Assert.That(expressions, Is.SupersetOf(new[] { "Literal", "JavaScript", "Liquid" }));
        Assert.That((await studio.GetFromJsonAsync<JsonObject>("descriptors/variables"))!["items"]!.AsArray().Select(v => v!["typeName"]!.GetValue<string>()), Does.Contain("String"));
        Assert.That((await studio.GetFromJsonAsync<JsonObject>("descriptors/storage-drivers"))!["items"]!.AsArray(), Is.Not.Empty);
        foreach (var path in (string[])["workflow-activation-strategies", "incident-strategies", "log-persistence-strategies", "commit-strategies/workflows", "commit-strategies/activities"])
            Assert.That((await studio.GetFromJsonAsync<JsonObject>($"descriptors/{path}"))!["count"]!.GetValue<int>(), Is.Zero, path);

        // 8. Save: the flow and the matter, drawn after the elderly allowance under a new matter code.
        var template = (await studio.GetFromJsonAsync<JsonObject>($"workflow-definitions/by-definition-id/{Elderly}?versionOptions=Published"))!;
        Assert.That(Activities(template["root"]!.AsObject()).All(a => a["nodeId"] is JsonValue), Is.True, "every activity has a node id");
        var model = StudioModel(opened);
        model["root"] = template["root"]!.DeepClone();
        model["variables"] = template["variables"]!.DeepClone();
        var matter = template["customProperties"]!["govflow:matter"]!.DeepClone().AsObject();
        matter["code"] = "44030505901";
        matter["name"] = name;
        model["customProperties"] = new JsonObject { ["govflow:matter"] = matter };
        var saved = await studio.PostAsync("workflow-definitions", Json(new JsonObject { ["model"] = model, ["publish"] = false }));
        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await saved.Content.ReadAsStringAsync());
        Assert.That((await saved.Content.ReadFromJsonAsync<JsonObject>())!["workflowDefinition"]!["isPublished"]!.GetValue<bool>(), Is.False);

        // 14. Publish from the list's row menu.
        var published = await studio.PostAsync($"workflow-definitions/{definitionId}/publish", Json(new JsonObject()));
        Assert.That(published.StatusCode, Is.EqualTo(HttpStatusCode.OK), await published.Content.ReadAsStringAsync());
        var publishedBody = (await published.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(publishedBody["workflowDefinition"]!["isPublished"]!.GetValue<bool>(), Is.True);

        // The matter takes a window clerk's case, which runs to its first review task.
        var window = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        await window.PostAsJsonAsync("/api/auth/login", new { userName = "window01", password = DemoUsers.Password });
        var application = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Applications.Elderly(_factory.Services.GetRequiredService<SimulatedWorld>())))!;
        application["matterCode"] = "44030505901";
        var submitted = await window.PostAsync("/api/cases", Json(application));
        Assert.That(submitted.StatusCode, Is.EqualTo(HttpStatusCode.Created), await submitted.Content.ReadAsStringAsync());
        var caseId = (await submitted.Content.ReadFromJsonAsync<JsonObject>())!["caseId"]!.GetValue<string>();
        var view = (await window.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}"))!;
        Assert.That(view["currentSteps"]!.AsArray(), Is.Not.Empty, view.ToJsonString());
        Assert.That(view["currentSteps"]![0]!["taskId"], Is.Not.Null);

        // 15–19. The instance viewer: the list, the instance, the version it runs, its journal, its badges, its state.
        // Cases are an auditor's to read; the designer's token lists none.
        Assert.That((await studio.PostAsync("workflow-instances", Json(new JsonObject { ["page"] = 0, ["pageSize"] = 10 }))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        using var audit = await Studio("auditor01");
        var instances = (await audit.PostAsync("workflow-instances", Json(new JsonObject { ["page"] = 0, ["pageSize"] = 10, ["definitionId"] = definitionId })));
        Assert.That(instances.StatusCode, Is.EqualTo(HttpStatusCode.OK), await instances.Content.ReadAsStringAsync());
        var instanceList = (await instances.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(instanceList["totalCount"]!.GetValue<int>(), Is.EqualTo(1));
        var instance = instanceList["items"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That(instance["status"]!.GetValue<string>(), Is.EqualTo("Running"));
            Assert.That(instance["subStatus"]!.GetValue<string>(), Is.EqualTo("Suspended"));
            Assert.That(instance["version"]!.GetValue<int>(), Is.EqualTo(publishedBody["workflowDefinition"]!["version"]!.GetValue<int>()));
            Assert.That(instance["name"]!.GetValue<string>(), Is.EqualTo(view["caseNumber"]!.GetValue<string>()));
        });
        var instanceId = instance["id"]!.GetValue<string>();
        var one = (await audit.GetFromJsonAsync<JsonObject>($"workflow-instances/{instanceId}"))!;
        Assert.That(one["workflowState"]!["id"]!.GetValue<string>(), Is.EqualTo(instanceId));
        Assert.That(one["workflowState"]!.ToJsonString(), Does.Not.Contain(application["applicant"]!["idNumber"]!.GetValue<string>()), "personal data masked");
        var version = (await audit.GetFromJsonAsync<JsonObject>($"workflow-definitions/by-id/{instance["definitionVersionId"]!.GetValue<string>()}"))!;
        Assert.That(version["definitionId"]!.GetValue<string>(), Is.EqualTo(definitionId));

        var journal = await audit.PostAsync($"workflow-instances/{instanceId}/journal?skip=0&take=50", Json(new JsonObject { ["filter"] = new JsonObject() }));
        Assert.That(journal.StatusCode, Is.EqualTo(HttpStatusCode.OK), await journal.Content.ReadAsStringAsync());
        var records = (await journal.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(records["totalCount"]!.GetValue<int>(), Is.GreaterThan(1));
        var nodeIds = Activities(version["root"]!.AsObject()).Select(a => a["nodeId"]!.GetValue<string>()).ToHashSet();
        // The workflow's own records name the workflow (Workflow1); every other names a node of the designer's diagram.
        foreach (var r in records["items"]!.AsArray().Where(r => r!["activityType"]!.GetValue<string>() != "Elsa.Workflow"))
        {
            foreach (var field in (string[])["id", "activityInstanceId", "activityId", "activityType", "nodeId", "timestamp", "sequence", "eventName"])
                Assert.That(r!.AsObject().ContainsKey(field), Is.True, field);
            Assert.That(nodeIds, Does.Contain(r!["nodeId"]!.GetValue<string>()), "records name the designer's nodes");
        }
        var suspended = records["items"]!.AsArray().Last(r => r!["eventName"]!.GetValue<string>() == "Suspended")!["nodeId"]!.GetValue<string>();
        var report = await audit.PostAsync("activity-executions/report", Json(new JsonObject { ["workflowInstanceId"] = instanceId, ["activityNodeIds"] = new JsonArray(suspended) }));
        var stats = (await report.Content.ReadFromJsonAsync<JsonObject>())!["stats"]!.AsArray().Single()!;
        Assert.That(stats["isBlocked"]!.GetValue<bool>(), Is.True, "waits for the reviewer");
        Assert.That(stats["uncompletedCount"]!.GetValue<int>(), Is.EqualTo(1));
        var summaries = (await audit.GetFromJsonAsync<JsonObject>($"activity-execution-summaries/list?WorkflowInstanceId={instanceId}&ActivityNodeId={Uri.EscapeDataString(suspended)}"))!["items"]!.AsArray();
        Assert.That(summaries.Single()!["status"]!.GetValue<string>(), Is.EqualTo("Running"));
        var execution = (await audit.GetFromJsonAsync<JsonObject>($"activity-executions/by-id?id={summaries[0]!["id"]!.GetValue<string>()}"))!;
        Assert.That(execution["records"]!.AsArray(), Is.Not.Empty);
        var state = (await audit.GetFromJsonAsync<JsonObject>($"workflow-instances/{instanceId}/execution-state"))!;
        Assert.That(state["subStatus"]!.GetValue<string>(), Is.EqualTo("Suspended"));
    }

    [Test]
    public async Task A_refused_publish_reaches_Studio_as_a_validation_problem_and_keeps_the_draft()
    {
        using var studio = await Studio("policy01");
        var opened = (await studio.GetFromJsonAsync<JsonObject>("workflow-definitions/by-definition-id/44030520007?versionOptions=Latest"))!;
        var model = StudioModel(opened);
        model["customProperties"]!["govflow:matter"]!["promisedLimit"]!["value"] = 99;
        var refused = await studio.PostAsync("workflow-definitions", Json(new JsonObject { ["model"] = model, ["publish"] = true }));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        // Refit turns a problem+json answer into Studio's ValidationApiException, whose errors Studio lists to its user.
        Assert.That(refused.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        var errors = (await refused.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().SelectMany(e => e.Value!.AsArray().Select(m => m!.GetValue<string>())).ToList();
        Assert.That(errors, Has.Some.Contains("无法发布").And.Contains("promisedLimit"));

        var versions = (await studio.GetFromJsonAsync<JsonObject>("workflow-definitions?versionOptions=AllVersions&DefinitionIds=44030520007"))!["items"]!.AsArray();
        Assert.That(versions.Select(v => (v!["version"]!.GetValue<int>(), v["isPublished"]!.GetValue<bool>())), Is.EqualTo(new[] { (1, true), (2, false) }), "the draft is kept; the published version stays");

        // The list's bulk-publish link leads where Studio posts; the validator's refusal skips the definition.
        var list = (await studio.GetFromJsonAsync<JsonObject>("workflow-definitions?versionOptions=Latest&PageSize=1"))!;
        var bulk = list["links"]!.AsArray().Single(l => l!["rel"]!.GetValue<string>() == "bulk-publish")!;
        Assert.That(bulk["method"]!.GetValue<string>(), Is.EqualTo("POST"));
        var bulkPublished = await studio.PostAsync(bulk["href"]!.GetValue<string>(), Json(new JsonObject { ["definitionIds"] = new JsonArray("44030520007", "no-such-flow") }));
        Assert.That(bulkPublished.StatusCode, Is.EqualTo(HttpStatusCode.OK), await bulkPublished.Content.ReadAsStringAsync());
        var outcome = (await bulkPublished.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(outcome["skipped"]!.AsArray().Select(x => x!.GetValue<string>()), Is.EqualTo(new[] { "44030520007" }));
        Assert.That(outcome["notFound"]!.AsArray().Select(x => x!.GetValue<string>()), Is.EqualTo(new[] { "no-such-flow" }));
        Assert.That((await studio.DeleteAsync($"workflow-definition-versions/{versions[1]!["id"]!.GetValue<string>()}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await studio.DeleteAsync("workflow-definitions/44030520007")).StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "a published definition is not deleted");
    }

    [Test]
    public async Task A_save_from_Studio_keeps_the_matter_and_exports_losslessly()
    {
        using var studio = await Studio("policy01");
        const string id = "44030501003";
        var opened = (await studio.GetFromJsonAsync<JsonObject>($"workflow-definitions/by-definition-id/{id}?versionOptions=Latest"))!;
        var before = JsonNode.Parse(await studio.GetStringAsync($"workflow-definitions/{id}/export"))!.AsObject();
        var model = StudioModel(opened);
        model["description"] = "Studio 中修改的说明";
        // A Studio that does not know GovFlow's matter drops it; the save keeps it anyway.
        model["customProperties"]!.AsObject().Remove("govflow:matter");
        model["customProperties"]!["designer:note"] = "画布已整理";
        var saved = await studio.PostAsync("workflow-definitions", Json(new JsonObject { ["model"] = model }));
        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await saved.Content.ReadAsStringAsync());
        var version = (await saved.Content.ReadFromJsonAsync<JsonObject>())!["workflowDefinition"]!["version"]!.GetValue<int>();

        var policy = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        await policy.PostAsJsonAsync("/api/auth/login", new { userName = "policy01", password = DemoUsers.Password });
        var exported = JsonNode.Parse(await policy.GetStringAsync($"/api/definitions/{id}/export?version={version}"))!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(JsonNode.DeepEquals(exported["customProperties"]!["govflow:matter"], before["customProperties"]!["govflow:matter"]), Is.True, "the matter is kept");
            Assert.That(exported["customProperties"]!["designer:note"]!.GetValue<string>(), Is.EqualTo("画布已整理"));
            // Everything Studio sent comes back, but what the server owns (the version's id, number and state).
            foreach (var (key, value) in model.Where(p => p.Key is not ("id" or "version" or "isLatest" or "isPublished" or "customProperties")))
                Assert.That(JsonNode.DeepEquals(exported[key], value), Is.True, key);
            // And what the file had that Studio's model has no place for is still there.
            foreach (var (key, value) in before.Where(p => !model.ContainsKey(p.Key) && p.Key is not ("id" or "version" or "isLatest" or "isPublished")))
                Assert.That(JsonNode.DeepEquals(exported[key], value), Is.True, key);
        });
        await studio.DeleteAsync($"workflow-definition-versions/{exported["id"]!.GetValue<string>()}");
    }

    [Test]
    public async Task Studio_calls_from_its_own_origin_with_chunked_bodies()
    {
        using var anonymous = _factory.CreateClient();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/elsa/api/workflow-definitions")
        {
            Headers = { { "Origin", StudioOrigin }, { "Access-Control-Request-Method", "POST" }, { "Access-Control-Request-Headers", "authorization,content-type" } }
        };
        var allowed = await anonymous.SendAsync(preflight);
        Assert.That(allowed.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { StudioOrigin }));
        using var elsewhere = new HttpRequestMessage(HttpMethod.Options, "/elsa/api/workflow-definitions")
        {
            Headers = { { "Origin", "http://evil.example" }, { "Access-Control-Request-Method", "POST" } }
        };
        Assert.That((await anonymous.SendAsync(elsewhere)).Headers.Contains("Access-Control-Allow-Origin"), Is.False);

        // A bearer write from Studio's origin passes the cross-site check (no cookie to borrow), with a chunked body.
        using var studio = await Studio("policy01");
        var body = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["model"] = new JsonObject { ["name"] = "跨源分块保存", ["root"] = new JsonObject { ["id"] = "f1", ["type"] = "Elsa.Flowchart", ["version"] = 1 } }
        }.ToJsonString());
        using var save = new HttpRequestMessage(HttpMethod.Post, "workflow-definitions") { Content = new StreamContent(new OneWayStream(body)) };
        save.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        save.Headers.TransferEncodingChunked = true;
        save.Headers.Add("Origin", StudioOrigin);
        Assert.That(save.Content.Headers.ContentLength, Is.Null, "no Content-Length: the body goes chunked");
        var saved = await studio.SendAsync(save);
        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await saved.Content.ReadAsStringAsync());
        var definitionId = (await saved.Content.ReadFromJsonAsync<JsonObject>())!["workflowDefinition"]!["definitionId"]!.GetValue<string>();
        Assert.That((await studio.DeleteAsync($"workflow-definitions/{definitionId}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent), "a draft nobody runs is deleted");
        Assert.That((await studio.GetAsync($"workflow-definitions/by-definition-id/{definitionId}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        // GovFlow's own cookie writes from another origin stay refused, and a form is still no body for them.
        var cookie = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        await cookie.PostAsJsonAsync("/api/auth/login", new { userName = "policy01", password = DemoUsers.Password });
        using var crossSite = new HttpRequestMessage(HttpMethod.Post, "/api/definitions/44030520007/retract") { Headers = { { "Origin", StudioOrigin } } };
        Assert.That((await cookie.SendAsync(crossSite)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var form = await studio.PostAsync("workflow-definitions", new FormUrlEncodedContent([new("model", "{}")]));
        Assert.That(form.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType), "only the file import takes a form");
    }

    [Test]
    public async Task Studio_imports_files_exports_and_reverts()
    {
        using var studio = await Studio("policy01");
        const string id = "44030501002";
        var exported = await studio.GetAsync($"workflow-definitions/{id}/export");
        Assert.That(exported.Content.Headers.ContentDisposition!.FileName, Does.Contain(id));
        var file = JsonNode.Parse(await exported.Content.ReadAsStringAsync())!.AsObject();
        file["description"] = "从文件导入的第二版";

        using var upload = new MultipartFormDataContent();
        upload.Add(new StringContent(file.ToJsonString(), Encoding.UTF8, "application/json"), "files", $"{id}.json");
        var imported = await studio.PostAsync("workflow-definitions/import-files", upload);
        Assert.That(imported.StatusCode, Is.EqualTo(HttpStatusCode.OK), await imported.Content.ReadAsStringAsync());
        var latest = (await studio.GetFromJsonAsync<JsonObject>($"workflow-definitions/by-definition-id/{id}?versionOptions=Latest"))!;
        Assert.That(latest["description"]!.GetValue<string>(), Is.EqualTo("从文件导入的第二版"));
        Assert.That(latest["isPublished"]!.GetValue<bool>(), Is.False);

        file["description"] = "JSON 导入的说明";
        var json = await studio.PostAsync("workflow-definitions/import", Json(file));
        Assert.That(json.StatusCode, Is.EqualTo(HttpStatusCode.OK), await json.Content.ReadAsStringAsync());
        Assert.That((await json.Content.ReadFromJsonAsync<JsonObject>())!["version"]!.GetValue<int>(), Is.EqualTo(latest["version"]!.GetValue<int>()), "the draft is replaced, not stacked");

        var reverted = await studio.PostAsync($"workflow-definitions/{id}/revert/1", Json(new JsonObject()));
        Assert.That(reverted.StatusCode, Is.EqualTo(HttpStatusCode.OK), await reverted.Content.ReadAsStringAsync());
        var back = (await reverted.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(back["description"]?.ToJsonString(), Is.EqualTo(JsonNode.Parse(await (await studio.GetAsync($"workflow-definitions/{id}/export?versionOptions=1")).Content.ReadAsStringAsync())!["description"]?.ToJsonString()));
        await studio.DeleteAsync($"workflow-definition-versions/{back["id"]!.GetValue<string>()}");
    }

    [Test]
    public async Task A_definition_usable_as_an_activity_joins_the_toolbox()
    {
        using var studio = await Studio("policy01");
        var saved = await studio.PostAsync("workflow-definitions", Json(new JsonObject
        {
            ["model"] = new JsonObject
            {
                ["name"] = "Joint Review", ["options"] = new JsonObject { ["usableAsActivity"] = true },
                ["inputs"] = new JsonArray(new JsonObject { ["type"] = "String", ["name"] = "opinion", ["displayName"] = "意见" }),
                ["outcomes"] = new JsonArray("Agreed", "Refused"),
                ["root"] = new JsonObject { ["id"] = "f1", ["type"] = "Elsa.Flowchart", ["version"] = 1 }
            }
        }));
        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await saved.Content.ReadAsStringAsync());
        var definitionId = (await saved.Content.ReadFromJsonAsync<JsonObject>())!["workflowDefinition"]!["definitionId"]!.GetValue<string>();
        try
        {
            var descriptors = (await studio.GetFromJsonAsync<JsonObject>("descriptors/activities"))!["items"]!.AsArray();
            var joint = descriptors.Single(d => d!["typeName"]!.GetValue<string>() == "JointReview")!;
            Assert.Multiple(() =>
            {
                Assert.That(joint["ports"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "Agreed", "Refused" }));
                Assert.That(joint["inputs"]![0]!["displayName"]!.GetValue<string>(), Is.EqualTo("意见"));
                Assert.That(joint["constructionProperties"]!["workflowDefinitionId"]!.GetValue<string>(), Is.EqualTo(definitionId));
            });
        }
        finally
        {
            await studio.DeleteAsync($"workflow-definitions/{definitionId}");
        }
    }

    [Test]
    public async Task Bad_calls_are_the_callers_fault_never_a_server_error()
    {
        using var studio = await Studio("policy01");
        var calls = new (HttpMethod Method, string Path, string? Body, HttpStatusCode Expected)[]
        {
            (HttpMethod.Post, "workflow-definitions", "{}", HttpStatusCode.BadRequest),
            (HttpMethod.Post, "workflow-definitions", """{"model": 5}""", HttpStatusCode.BadRequest),
            (HttpMethod.Post, "workflow-definitions", """{"model": {"root": 1}}""", HttpStatusCode.BadRequest),
            (HttpMethod.Post, "workflow-definitions", """{"model": {"root": {"type": "Elsa.Flowchart", "activities": [null]}}, "publish": true}""", HttpStatusCode.BadRequest),
            (HttpMethod.Post, "workflow-definitions", "not json", HttpStatusCode.BadRequest),
            (HttpMethod.Get, "workflow-definitions?versionOptions=Sometimes", null, HttpStatusCode.BadRequest),
            (HttpMethod.Get, "workflow-definitions/by-definition-id/no-such-flow", null, HttpStatusCode.NotFound),
            (HttpMethod.Get, "workflow-definitions/by-id/no-such-version", null, HttpStatusCode.NotFound),
            (HttpMethod.Post, "workflow-definitions/no-such-flow/publish", "{}", HttpStatusCode.NotFound),
            (HttpMethod.Post, "workflow-definitions/no-such-flow/retract", "{}", HttpStatusCode.NotFound),
            (HttpMethod.Post, $"workflow-definitions/{Elderly}/revert/99", null, HttpStatusCode.NotFound),
            (HttpMethod.Delete, "workflow-definitions/no-such-flow", null, HttpStatusCode.NotFound),
            (HttpMethod.Post, "workflow-definitions/import-files", "{}", HttpStatusCode.BadRequest),
            (HttpMethod.Get, "workflow-instances/no-such-instance", null, HttpStatusCode.NotFound),
            (HttpMethod.Get, "workflow-instances/no-such-instance/execution-state", null, HttpStatusCode.NotFound),
            (HttpMethod.Post, "workflow-instances/no-such-instance/journal", "{}", HttpStatusCode.NotFound),
            (HttpMethod.Get, "activity-executions/by-id?id=nothing", null, HttpStatusCode.NotFound),
            (HttpMethod.Get, "dashboard/no-such-thing", null, HttpStatusCode.NotFound)
        };
        using var audit = await Studio("auditor01");
        foreach (var (method, path, body, expected) in calls)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json") };
            // Cases are an auditor's to read, so the instance calls go with an auditor's token.
            var response = await (path.StartsWith("workflow-instances", StringComparison.Ordinal) || path.StartsWith("activity-executions", StringComparison.Ordinal) ? audit : studio).SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(expected), $"{method} {path}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    // A body whose length is not known in advance, so the client sends it chunked.
    private sealed class OneWayStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}

/// <summary>Two nodes on one database: a draft deleted through Studio on one leaves the other's store.</summary>
[TestFixture]
public class StudioDeletionFollowTests : DataDirFixture
{
    [Test]
    public async Task A_draft_deleted_on_one_node_is_gone_from_the_other()
    {
        using var nodeA = TestHost.Create(DataDir);
        using var nodeB = TestHost.Create(DataDir);
        var login = await nodeA.CreateClient().PostAsJsonAsync("/elsa/api/identity/login", new { username = "policy01", password = DemoUsers.Password });
        var token = (await login.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!.GetValue<string>();
        using var studio = nodeA.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://localhost/elsa/api/") });
        studio.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var saved = await studio.PostAsync("workflow-definitions", new StringContent(new JsonObject
        {
            ["model"] = new JsonObject { ["name"] = "两节点草稿", ["root"] = new JsonObject { ["id"] = "f1", ["type"] = "Elsa.Flowchart", ["version"] = 1 } }
        }.ToJsonString(), Encoding.UTF8, "application/json"));
        var definitionId = (await saved.Content.ReadFromJsonAsync<JsonObject>())!["workflowDefinition"]!["definitionId"]!.GetValue<string>();

        var versionsB = nodeB.Services.GetRequiredService<GovFlow.Host.Persistence.DefinitionVersions>();
        var storeB = nodeB.Services.GetRequiredService<GovFlow.Workflows.Runtime.InMemoryWorkflowDefinitionStore>();
        async Task SyncB()
        {
            using var scope = nodeB.Services.CreateScope();
            await versionsB.SyncAsync(scope.ServiceProvider.GetRequiredService<GovFlow.Host.Persistence.GovFlowDb>());
        }
        await SyncB();
        Assert.That(storeB.VersionsOf(definitionId), Has.Count.EqualTo(1), "node B follows the save");
        Assert.That((await studio.DeleteAsync($"workflow-definitions/{definitionId}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await SyncB();
        Assert.That(storeB.VersionsOf(definitionId), Is.Empty, "and the deletion");
    }
}

/// <summary>Where Studio's signing key comes from, and that no key outside demo mode leaves the Studio API off.</summary>
[TestFixture]
public class StudioKeyTests : DataDirFixture
{
    private GovFlow.Host.ElsaApi.StudioOptions Read(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)).Append(new("GovFlow:DataDir", DataDir)))
            .Build();
        return GovFlow.Host.ElsaApi.StudioOptions.From(configuration);
    }

    [Test]
    public void Demo_mode_generates_a_key_once_and_a_production_start_without_one_leaves_Studio_off()
    {
        var first = Read();
        Assert.That(first.Enabled, Is.True);
        Assert.That(File.Exists(Path.Combine(DataDir, GovFlow.Host.ElsaApi.StudioOptions.DemoKeyFile)), Is.True);
        Assert.That(Read().SigningKey, Is.EqualTo(first.SigningKey), "the same key after a restart: tokens survive it");

        var production = Read(("GovFlow:Demo", "false"));
        Assert.That(production.Enabled, Is.False);
        Assert.That(production.Off, Does.Contain("GovFlow:Studio:SigningKey"));

        var configured = Read(("GovFlow:Demo", "false"), ("GovFlow:Studio:SigningKey", Convert.ToBase64String(new byte[32])), ("GovFlow:Studio:Origins:0", "https://studio.example"));
        Assert.That(configured.Enabled, Is.True);
        Assert.That(configured.Origins, Is.EqualTo(new[] { "https://studio.example" }));
        Assert.That(() => Read(("GovFlow:Studio:SigningKey", "short")), Throws.InvalidOperationException.With.Message.Contains("too short"));
    }
}
