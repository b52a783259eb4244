using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using GovFlow.Host.Simulators;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>The case API through the real host: sign-in, roles and departments, the inbox, conflicts, the journal.</summary>
[TestFixture]
public class ApiTests
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

    private async Task<HttpClient> As(string user)
    {
        if (_clients.TryGetValue(user, out var existing)) return existing;
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = DemoUsers.Password });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return _clients[user] = client;
    }

    private object ElderlyCase()
    {
        var world = _factory.Services.GetRequiredService<SimulatedWorld>();
        var p = world.People.First(x => x.BirthDate.Year < 1946);
        return new
        {
            matterCode = "44030505001",
            applicant = new { name = p.Name, idType = "111", idNumber = p.IdNumber, phone = p.Phone, address = p.Address },
            materials = new[] { "高龄津贴申请书", "居民身份证", "银行卡", "照片" }.Select(m => new { name = m, provided = true }),
            data = new { age = 2026 - p.BirthDate.Year },
            channel = "window"
        };
    }

    private async Task<string> Submit(string? key = null)
    {
        var window = await As("window01");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases") { Content = JsonContent.Create(ElderlyCase()) };
        if (key != null) request.Headers.Add("Idempotency-Key", key);
        var response = await window.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["caseId"]!.GetValue<string>();
    }

    private async Task<string> TaskOf(string caseId, string user)
    {
        var inbox = await (await As(user)).GetFromJsonAsync<JsonObject>("/api/tasks?scope=department&pageSize=100");
        return inbox!["items"]!.AsArray().Single(t => t!["caseId"]!.GetValue<string>() == caseId)!["taskId"]!.GetValue<string>();
    }

    [Test]
    public async Task Sign_in_failures_are_clear()
    {
        using var anonymous = _factory.CreateClient();
        Assert.That((await anonymous.GetAsync("/api/auth/me")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await anonymous.PostAsJsonAsync("/api/auth/login", new { userName = "window01", password = "wrong" })).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var missing = await anonymous.PostAsJsonAsync("/api/auth/login", new { userName = "window01" });
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await missing.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["password"], Is.Not.Null);
        var demo = await anonymous.GetFromJsonAsync<JsonArray>("/api/demo/users");
        Assert.That(demo!.Select(u => u!["role"]!.GetValue<string>()).Distinct(), Is.EquivalentTo(Roles.All));
        var me = await (await As("reviewer01")).GetFromJsonAsync<JsonObject>("/api/auth/me");
        Assert.That(me!["department"]!.GetValue<string>(), Is.EqualTo("深圳市南山区民政局"));
    }

    [Test]
    public async Task A_case_moves_through_the_departments_inboxes()
    {
        var caseId = await Submit();
        var first = await TaskOf(caseId, "reviewer02");
        var inbox = await (await As("reviewer02")).GetFromJsonAsync<JsonObject>("/api/tasks?scope=department");
        var item = inbox!["items"]!.AsArray().First(t => t!["taskId"]!.GetValue<string>() == first)!;
        Assert.Multiple(() =>
        {
            Assert.That(item["stepName"]!.GetValue<string>(), Is.EqualTo("初审"));
            Assert.That(item["workingDaysLeft"]!.GetValue<int>(), Is.EqualTo(5));
            Assert.That(item["warning"]!.GetValue<string>(), Is.EqualTo("green"));
            Assert.That(inbox["hasMore"]!.GetValue<bool>(), Is.False);
        });
        var counts = await (await As("reviewer02")).GetFromJsonAsync<JsonObject>("/api/tasks/counts?scope=department");
        Assert.That(counts!["green"]!.GetValue<int>(), Is.GreaterThanOrEqualTo(1));
        Assert.That(counts["total"]!.GetValue<int>(), Is.EqualTo(counts["green"]!.GetValue<int>() + counts["yellow"]!.GetValue<int>() + counts["red"]!.GetValue<int>()));
        Assert.That((await (await As("reviewer02")).GetAsync("/api/tasks?warning=purple")).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await (await As("reviewer01")).PostAsync($"/api/tasks/{first}/claim", null)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "another department");
        Assert.That((await (await As("reviewer02")).PostAsync($"/api/tasks/{first}/claim", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var reject = await (await As("reviewer02")).PostAsJsonAsync($"/api/tasks/{first}/complete", new { action = "reject" });
        Assert.That(reject.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await reject.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["opinion"], Is.Not.Null);
        var done = await (await As("reviewer02")).PostAsJsonAsync($"/api/tasks/{first}/complete", new { action = "approve", opinion = "材料齐全" });
        Assert.That(done.StatusCode, Is.EqualTo(HttpStatusCode.OK), await done.Content.ReadAsStringAsync());
        var second = await TaskOf(caseId, "reviewer01");
        var view = await (await As("reviewer01")).GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}");
        Assert.That(view!["currentSteps"]![0]!["stepName"]!.GetValue<string>(), Is.EqualTo("审核"));
        Assert.That(view["steps"]!.AsArray().Last()!["opinion"]!.GetValue<string>(), Is.EqualTo("材料齐全"));
        Assert.That(second, Is.Not.EqualTo(first));
    }

    [Test]
    public async Task A_first_review_task_lists_the_actions_its_flow_connects_in_the_inbox_and_in_the_case()
    {
        var caseId = await Submit();
        var reviewer = await As("reviewer02");
        var inbox = await reviewer.GetFromJsonAsync<JsonObject>("/api/tasks?scope=department&pageSize=100");
        var item = inbox!["items"]!.AsArray().Single(t => t!["caseId"]!.GetValue<string>() == caseId)!;
        var view = await reviewer.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}");
        var step = view!["currentSteps"]!.AsArray().Single()!;
        Assert.That(step["taskId"]!.GetValue<string>(), Is.EqualTo(item["taskId"]!.GetValue<string>()));
        foreach (var (where, actions) in new[] { ("inbox", item["actions"]!.AsArray()), ("case view", step["actions"]!.AsArray()) })
        {
            var byName = actions.ToDictionary(a => a!["name"]!.GetValue<string>(), a => a!);
            Assert.Multiple(() =>
            {
                // 初审 goes on from Approved and Rejected; nothing is connected from its Returned port, so there is no return.
                Assert.That(byName.Keys, Is.EquivalentTo(new[] { "approve", "reject", "requestCorrection", "transfer" }), where);
                Assert.That(byName["approve"]["label"]!.GetValue<string>(), Is.EqualTo("通过"), where);
                Assert.That(byName["reject"]["opinion"]!.GetValue<string>(), Is.EqualTo("required"), where);
                Assert.That(byName["requestCorrection"]["fields"]![0]!["choices"]!.AsArray().Select(c => c!.GetValue<string>()), Does.Contain("高龄津贴申请书"), where);
            });
        }
    }

    [Test]
    public async Task The_loser_of_a_race_gets_409()
    {
        var caseId = await Submit();
        var task = await TaskOf(caseId, "reviewer02");
        var client = await As("reviewer02");
        var results = await Task.WhenAll(
            client.PostAsJsonAsync($"/api/tasks/{task}/complete", new { action = "approve" }),
            client.PostAsJsonAsync($"/api/tasks/{task}/complete", new { action = "approve" }));
        Assert.That(results.Select(r => r.StatusCode), Is.EquivalentTo(new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
    }

    [Test]
    public async Task Idempotent_submission_and_bad_input()
    {
        var a = await Submit("same");
        var b = await Submit("same");
        Assert.That(b, Is.EqualTo(a));
        var window = await As("window01");
        var bad = await window.PostAsJsonAsync("/api/cases", new { matterCode = "44030505001", applicant = new { name = "张三", idType = "111", idNumber = "123" } });
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await bad.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["applicant.idNumber"], Is.Not.Null);
        var garbage = await window.PostAsync("/api/cases", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.That(garbage.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Auditors_verify_and_replay_the_journal()
    {
        var caseId = await Submit();
        var task = await TaskOf(caseId, "reviewer02");
        await (await As("reviewer02")).PostAsJsonAsync($"/api/tasks/{task}/complete", new { action = "approve" });
        var auditor = await As("auditor01");
        var journal = await auditor.GetFromJsonAsync<JsonArray>($"/api/cases/{caseId}/journal");
        var verify = await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}/journal/verify");
        Assert.That(verify!["valid"]!.GetValue<bool>(), Is.True);
        Assert.That(verify["entries"]!.GetValue<int>(), Is.EqualTo(journal!.Count));
        // Acceptance is the window's step and the steps its certificate lookups' replies continue (credited to the
        // window clerk too); then the review.
        Assert.That(journal.Select(r => r!["actor"]!.GetValue<string>()).Distinct(), Is.EqualTo(new[] { "window01", "reviewer02" }));
        var firstStepEnd = journal.First(r => r!["actor"]!.GetValue<string>() == "reviewer02")!["sequence"]!.GetValue<long>() - 1;
        var replay = await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}/replay?upTo={firstStepEnd}");
        Assert.That(replay!["status"]!.GetValue<string>(), Is.EqualTo("InReview"));
        Assert.That(replay["caseFile"]!["steps"]!.AsArray(), Has.Count.EqualTo(1), "as it stood before the first review");
        Assert.That((await auditor.GetAsync($"/api/cases/{caseId}/replay?upTo=0")).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await auditor.PostAsJsonAsync("/api/cases", ElderlyCase())).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Applicants_see_only_their_own_cases()
    {
        var caseId = await Submit();
        var applicant = await As("applicant01");
        Assert.That((await applicant.GetAsync($"/api/cases/{caseId}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await applicant.GetAsync("/api/cases/0000")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await applicant.GetAsync($"/api/cases/{caseId}/journal")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await applicant.GetAsync("/api/tasks")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task A_case_from_submission_to_rating_and_the_metrics()
    {
        var caseId = await Submit();
        foreach (var (user, step) in new[] { ("reviewer02", "初审"), ("reviewer01", "审核"), ("reviewer01", "审批") })
        {
            var task = await TaskOf(caseId, user);
            var done = await (await As(user)).PostAsJsonAsync($"/api/tasks/{task}/complete", new { action = "approve", opinion = step + "同意" });
            Assert.That(done.StatusCode, Is.EqualTo(HttpStatusCode.OK), await done.Content.ReadAsStringAsync());
        }
        var view = await (await As("auditor01")).GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}");
        var waybill = view!["waybill"]!["number"]!.GetValue<string>();
        var world = _factory.Services.GetRequiredService<SimulatedWorld>();
        await _factory.CreateClient().PostAsJsonAsync($"/sim/mail/waybills/{waybill}/status", new { status = "delivered", detail = "本人签收" });
        Assert.That(await _factory.Services.GetRequiredService<GovFlow.Host.Scheduling.DueBookmarkSweeper>().TrackWaybillsAsync(), Is.GreaterThanOrEqualTo(1));

        var number = view["caseNumber"]!.GetValue<string>();
        // The case view masks it; the applicant knows their own.
        var idNumber = world.People.First(x => x.BirthDate.Year < 1946).IdNumber;
        Assert.That(view["applicant"]!["idNumber"]!.GetValue<string>(), Is.EqualTo(idNumber[..6] + "********" + idNumber[^4..]));
        using var anonymous = _factory.CreateClient();
        Assert.That((await anonymous.PostAsJsonAsync("/api/progress", new { caseNumber = $"{number}", idNumber = $"11010519491231002X" })).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "someone else's ID number");
        var progress = await (await anonymous.PostAsJsonAsync("/api/progress", new { caseNumber = number, idNumber })).Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(progress!["status"]!.GetValue<string>(), Is.EqualTo("Completed"));
        Assert.That(progress["canRate"]!.GetValue<bool>(), Is.True);
        var badLevel = await anonymous.PostAsJsonAsync("/api/progress/rating", new { caseNumber = number, idNumber, level = 9 });
        Assert.That(badLevel.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var rated = await anonymous.PostAsJsonAsync("/api/progress/rating", new { caseNumber = number, idNumber, level = 1, comment = "很满意" });
        Assert.That(rated.StatusCode, Is.EqualTo(HttpStatusCode.OK), await rated.Content.ReadAsStringAsync());
        Assert.That((await anonymous.PostAsJsonAsync("/api/progress/rating", new { caseNumber = number, idNumber, level = 1 })).StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "rated once");

        var metrics = await (await As("auditor01")).GetFromJsonAsync<JsonObject>("/api/metrics?from=2026-01-01&to=2026-12-31");
        Assert.Multiple(() =>
        {
            Assert.That(metrics!["volumes"]!["completed"]!.GetValue<int>(), Is.GreaterThanOrEqualTo(1));
            Assert.That(metrics["ratings"]!["1"]!.GetValue<int>(), Is.GreaterThanOrEqualTo(1));
            Assert.That(metrics["onTimeRate"]!.GetValue<double>(), Is.EqualTo(100));
            Assert.That(metrics["satisfactionRate"]!.GetValue<double>(), Is.EqualTo(100));
        });
        Assert.That((await (await As("window01")).GetAsync("/api/metrics")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await (await As("auditor01")).GetAsync("/api/metrics?from=2026-13-01")).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Policy_staff_import_publish_export_and_retract_definitions()
    {
        var policy = await As("policy01");
        var original = await policy.GetStringAsync("/api/definitions/44030520007/export");
        Assert.That(original.TrimStart(), Does.StartWith("{\n  \"$schema\""));
        var changed = JsonNode.Parse(original)!;
        changed["description"] = "第二版：增加线上办理说明";
        var imported = await policy.PostAsync("/api/definitions/import", new StringContent(changed.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        Assert.That(imported.StatusCode, Is.EqualTo(HttpStatusCode.Created), await imported.Content.ReadAsStringAsync());
        Assert.That((await imported.Content.ReadFromJsonAsync<JsonObject>())!["version"]!.GetValue<int>(), Is.EqualTo(2));
        var versions = await policy.GetFromJsonAsync<JsonArray>("/api/definitions/44030520007/versions");
        Assert.That(versions!.Select(v => (v!["version"]!.GetValue<int>(), v["isPublished"]!.GetValue<bool>())), Is.EqualTo(new[] { (1, true), (2, false) }));
        Assert.That((await policy.PostAsync("/api/definitions/44030520007/publish?version=2", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await policy.GetStringAsync("/api/definitions/44030520007/export")), Does.Contain("第二版"));

        var broken = JsonNode.Parse(original)!;
        broken["customProperties"]!["govflow:matter"]!["promisedLimit"]!["value"] = 99;
        var refused = await policy.PostAsync("/api/definitions/import", new StringContent(broken.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("promisedLimit"));
        var garbage = await policy.PostAsync("/api/definitions/import", new StringContent("{\"root\": 1}", System.Text.Encoding.UTF8, "application/json"));
        Assert.That((await garbage.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["$.root"], Is.Not.Null);

        Assert.That((await (await As("reviewer01")).PostAsync("/api/definitions/44030520007/retract", null)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await policy.PostAsync("/api/definitions/44030520007/retract", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        versions = await policy.GetFromJsonAsync<JsonArray>("/api/definitions/44030520007/versions");
        Assert.That(versions!.All(v => !v!["isPublished"]!.GetValue<bool>()), Is.True);
        await policy.PostAsync("/api/definitions/44030520007/publish?version=1", null);
    }

    [Test]
    public async Task Publishing_an_unknown_definition_leaves_no_trace()
    {
        var policy = await As("policy01");
        Assert.That((await policy.PostAsync("/api/definitions/no-such-flow/publish", null)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var list = await policy.GetAsync("/api/definitions");
        Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the listing still answers for everyone");
        Assert.That(await list.Content.ReadAsStringAsync(), Does.Not.Contain("no-such-flow"));
    }

    [Test]
    public async Task A_retracted_matter_takes_no_new_cases_and_its_open_cases_go_on()
    {
        var open = await Submit();
        var policy = await As("policy01");
        Assert.That((await policy.PostAsync("/api/definitions/44030505001/retract", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        try
        {
            var refused = await (await As("window01")).PostAsJsonAsync("/api/cases", ElderlyCase());
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((await refused.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["matterCode"]![0]!.GetValue<string>(), Does.Contain("停止受理"));

            var reviewer = await As("reviewer02");
            var task = (await reviewer.GetFromJsonAsync<JsonObject>($"/api/cases/{open}"))!["currentSteps"]![0]!["taskId"]!.GetValue<string>();
            var done = await reviewer.PostAsJsonAsync($"/api/tasks/{task}/complete", new { action = "approve", opinion = "同意" });
            Assert.That(done.StatusCode, Is.EqualTo(HttpStatusCode.OK), await done.Content.ReadAsStringAsync());
        }
        finally
        {
            await policy.PostAsync("/api/definitions/44030505001/publish", null);
        }
    }

    [Test]
    public async Task A_task_is_transferred_only_to_someone_who_can_act_on_it()
    {
        var caseId = await Submit();
        var reviewer = await As("reviewer02");
        var task = (await reviewer.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}"))!["currentSteps"]![0]!["taskId"]!.GetValue<string>();
        foreach (var nobody in new[] { "nosuchuser", "reviewer01" })
        {
            var refused = await reviewer.PostAsJsonAsync($"/api/tasks/{task}/complete", new { action = "transfer", opinion = "请协助办理", assignee = nobody });
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), nobody);
            Assert.That((await refused.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["assignee"]![0]!.GetValue<string>(), Does.Contain("不能接收该待办"));
        }
        var moved = await reviewer.PostAsJsonAsync($"/api/tasks/{task}/complete", new { action = "transfer", opinion = "请协助办理", assignee = "reviewer08" });
        Assert.That(moved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await moved.Content.ReadAsStringAsync());
        var now = (await reviewer.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}"))!["currentSteps"]![0]!;
        Assert.That(now["assignee"]!.GetValue<string>(), Is.EqualTo("reviewer08"));
    }

    [Test]
    public async Task A_correction_goes_back_to_the_window_that_took_the_application()
    {
        var window = await As("window02");
        var application = JsonSerializer.SerializeToNode(ElderlyCase())!.AsObject();
        application["materials"] = new JsonArray(new JsonObject { ["name"] = "高龄津贴申请书", ["provided"] = true });
        var created = await window.PostAsJsonAsync("/api/cases", application);
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var caseId = (await created.Content.ReadFromJsonAsync<JsonObject>())!["caseId"]!.GetValue<string>();
        var step = (await window.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}"))!["currentSteps"]!.AsArray().Single()!;
        Assert.Multiple(() =>
        {
            Assert.That(step["department"]!.GetValue<string>(), Is.EqualTo("深圳市福田区沙头街道办事处"), "window02's hall, not the flow's 综合窗口");
            Assert.That(step["assignee"]!.GetValue<string>(), Is.EqualTo("window02"));
            Assert.That(step["dueAt"], Is.Not.Null, "the applicant's time to supply is the task's due date");
        });
    }

    [Test]
    public async Task A_case_past_its_promised_date_lights_red_without_moving()
    {
        var caseId = await Submit();
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
            var record = await db.Cases.FindAsync(caseId);
            record!.PromisedDue = _factory.Services.GetRequiredService<TimeProvider>().GetUtcNow().AddHours(-1);
            Assert.That(record.WarningLevel, Is.EqualTo("Green"), "the light the last step stored");
            await db.SaveChangesAsync();
        }
        var auditor = await As("auditor01");
        var red = await auditor.GetFromJsonAsync<JsonObject>("/api/cases?warning=red&pageSize=100");
        Assert.That(red!["items"]!.AsArray().Select(c => c!["caseId"]!.GetValue<string>()), Does.Contain(caseId), "the dashboard's red list");
        Assert.That((await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}"))!["warning"]!.GetValue<string>(), Is.EqualTo("red"));
        var green = await auditor.GetFromJsonAsync<JsonObject>("/api/cases?warning=green&pageSize=100");
        Assert.That(green!["items"]!.AsArray().Select(c => c!["caseId"]!.GetValue<string>()), Does.Not.Contain(caseId));

        // 电子监察: the overdue case gets one red card, seen by supervisors and its department's head.
        for (var sweep = 0; sweep < 2; sweep++)
        {
            using var scope = _factory.Services.CreateScope();
            await GovFlow.Host.Cases.RedCards.IssueAsync(scope.ServiceProvider.GetRequiredService<GovFlowDb>(), scope.ServiceProvider.GetRequiredService<GovFlow.Activities.Calendar.WorkingCalendar>(),
                _factory.Services.GetRequiredService<TimeProvider>().GetUtcNow());
        }
        var cards = await auditor.GetFromJsonAsync<JsonArray>("/api/supervision/red-cards");
        Assert.That(cards!.Count(c => c!["caseId"]!.GetValue<string>() == caseId), Is.EqualTo(1), "one red card per case");
        Assert.That((await (await As("reviewer01")).GetAsync("/api/supervision/red-cards")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "not a head");
        Assert.That(await (await As("head02")).GetFromJsonAsync<JsonArray>("/api/supervision/red-cards"), Has.None.Matches<JsonNode>(c => c["caseId"]!.GetValue<string>() == caseId),
            "a head sees their own department's cards only");
    }

    [Test]
    public async Task A_step_past_its_own_limit_is_flagged_in_supervision_while_its_case_is_in_time()
    {
        var caseId = await Submit();
        string taskId;
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
            var task = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Tasks, t => t.CaseId == caseId);
            taskId = task.Id;
            task.DueAt = _factory.Services.GetRequiredService<TimeProvider>().GetUtcNow().AddHours(-1);
            await db.SaveChangesAsync();
        }
        var auditor = await As("auditor01");
        var overrun = (await auditor.GetFromJsonAsync<JsonArray>("/api/supervision/step-overruns"))!.Single(o => o!["taskId"]!.GetValue<string>() == taskId)!;
        Assert.Multiple(() =>
        {
            Assert.That(overrun["caseWarning"]!.GetValue<string>(), Is.EqualTo("green"), "the case itself is in time");
            Assert.That(overrun["workingDaysOver"]!.GetValue<int>(), Is.EqualTo(0), "overdue since an hour ago, the same day");
        });
        var inbox = (await (await As("reviewer02")).GetFromJsonAsync<JsonObject>("/api/tasks?scope=department"))!["items"]!.AsArray();
        Assert.That(inbox.Single(t => t!["taskId"]!.GetValue<string>() == taskId)!["warning"]!.GetValue<string>(), Is.EqualTo("red"), "the task shows red in the inbox");
        Assert.That((await (await As("reviewer02")).GetAsync("/api/supervision/step-overruns")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "not a head");
        Assert.That((await (await As("head02")).GetFromJsonAsync<JsonArray>("/api/supervision/step-overruns"))!.Select(o => o!["taskId"]!.GetValue<string>()), Does.Contain(taskId),
            "the step's department head sees it");
    }

    [Test]
    public async Task A_case_turns_yellow_its_matters_working_days_before_the_promised_date()
    {
        var caseId = await Submit();
        using var scope = _factory.Services.CreateScope();
        var record = await scope.ServiceProvider.GetRequiredService<GovFlowDb>().Cases.FindAsync(caseId);
        var calendar = scope.ServiceProvider.GetRequiredService<GovFlow.Activities.Calendar.WorkingCalendar>();
        var yellowDay = GovFlow.Activities.Cases.ChinaTime.Date(record!.YellowFrom!.Value);
        var dueDay = GovFlow.Activities.Cases.ChinaTime.Date(record.PromisedDue!.Value);
        Assert.That(calendar.WorkingDaysBetween(yellowDay.AddDays(-1), dueDay), Is.EqualTo(3), "yellow on the last two working days before the due day (高龄津贴: the default 2)");
    }

    [Test]
    public async Task A_department_head_reassigns_and_releases_any_task_of_the_department()
    {
        var caseId = await Submit();
        var reviewer = await As("reviewer02");
        var step = (await reviewer.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}"))!["currentSteps"]![0]!;
        var task = step["taskId"]!.GetValue<string>();
        var transfer = step["actions"]!.AsArray().Single(a => a!["name"]!.GetValue<string>() == "transfer")!;
        Assert.That(transfer["fields"]![0]!["choices"]!.AsArray().Select(c => c!.GetValue<string>()), Is.EquivalentTo(new[] { "head02", "reviewer02", "reviewer08" }),
            "a transfer offers the department's handlers of the step's role");
        Assert.That((await reviewer.PostAsync($"/api/tasks/{task}/claim", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        Assert.That((await reviewer.PostAsJsonAsync($"/api/tasks/{task}/reassign", new { assignee = "reviewer08" })).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "only the head reassigns");
        var head = await As("head02");
        Assert.That((await head.GetFromJsonAsync<JsonObject>("/api/auth/me"))!["isHead"]!.GetValue<bool>(), Is.True);
        var moved = await head.PostAsJsonAsync($"/api/tasks/{task}/reassign", new { assignee = "reviewer08" });
        Assert.That(moved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await moved.Content.ReadAsStringAsync());
        Assert.That((await moved.Content.ReadFromJsonAsync<JsonObject>())!["assignee"]!.GetValue<string>(), Is.EqualTo("reviewer08"));
        Assert.That((await head.PostAsJsonAsync($"/api/tasks/{task}/reassign", new { assignee = "reviewer01" })).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "not of the department");

        var released = await head.PostAsync($"/api/tasks/{task}/unclaim", null);
        Assert.That(released.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the head releases a task someone else holds");
        Assert.That((await released.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>(), Is.EqualTo("Open"));
    }

    // Every endpoint × every role: 401 without sign-in, 403 outside the role.
    private static readonly (string Method, string Url, string[] Allowed)[] Matrix =
    [
        ("POST", "/api/cases", [Roles.Window]),
        ("GET", "/api/cases", [Roles.Window, Roles.Reviewer, Roles.Auditor]),
        ("GET", "/api/tasks", [Roles.Window, Roles.Reviewer, Roles.Auditor]),
        ("GET", "/api/tasks?scope=all", [Roles.Auditor]),
        ("GET", "/api/tasks/counts", [Roles.Window, Roles.Reviewer, Roles.Auditor]),
        ("GET", "/api/auth/me", [Roles.Policy, Roles.Window, Roles.Reviewer, Roles.Auditor, Roles.Applicant]),
        ("GET", "/api/definitions", [Roles.Policy, Roles.Auditor]),
        ("GET", "/api/metrics", [Roles.Policy, Roles.Auditor])
    ];

    public static IEnumerable<TestCaseData> MatrixCases() =>
        from m in Matrix
        from role in Roles.All.Append("anonymous")
        select new TestCaseData(m.Method, m.Url, role, m.Allowed.Contains(role)).SetName($"Access({m.Method} {m.Url} as {role})");

    [TestCaseSource(nameof(MatrixCases))]
    public async Task Authorization_matrix(string method, string url, string role, bool allowed)
    {
        var user = role switch
        {
            Roles.Policy => "policy01", Roles.Window => "window01", Roles.Reviewer => "reviewer01", Roles.Auditor => "auditor01", Roles.Applicant => "applicant01", _ => null
        };
        var client = user is null ? _factory.CreateClient() : await As(user);
        using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = method == "POST" ? JsonContent.Create(ElderlyCase()) : null };
        var response = await client.SendAsync(request);
        var code = (int)response.StatusCode;
        if (user is null) Assert.That(code, Is.EqualTo(401));
        else if (allowed) Assert.That(code, Is.AnyOf(200, 201), await response.Content.ReadAsStringAsync());
        else Assert.That(code, Is.EqualTo(403));
        if (user is null) client.Dispose();
    }
}
