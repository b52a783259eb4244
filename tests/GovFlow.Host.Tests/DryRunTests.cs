using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovFlow.Activities.Calendar;
using GovFlow.Activities.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using GovFlow.Host.Simulators;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>The designer's dry run (试运行): a definition runs on a sample application with simulated services and a jumping clock, and nothing is stored.</summary>
[TestFixture]
public class DryRunTests
{
    private static readonly string[] ElderlyMaterials = ["高龄津贴申请书", "居民身份证", "银行卡", "照片"];

    // The Tuesday before the 2026 Labour Day holiday (1–5 May; Saturday 9 May is worked instead).
    private static readonly DateTimeOffset BeforeLabourDay = new(2026, 4, 28, 9, 30, 0, TimeSpan.FromHours(8));

    private WebApplicationFactory<Program> _factory = null!;
    private HttpClient _policy = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _factory = TestHost.Create();
        _policy = await SignIn("policy01");
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _policy.Dispose();
        _factory.Dispose();
    }

    [Test]
    public async Task Approving_every_step_of_the_elderly_allowance_finishes_it_with_due_dates_on_working_days_and_stores_nothing()
    {
        var casesBefore = await CountAsync(db => db.Cases.CountAsync());
        var instancesBefore = await CountAsync(db => db.Instances.CountAsync());

        var result = await DryRunAsync(await ExportAsync("44030505001"));

        var calendar = _factory.Services.GetRequiredService<WorkingCalendar>();
        var tasks = result["tasks"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(result["stoppedBecause"]!["code"]!.GetValue<string>(), Is.EqualTo("finished"), result.ToJsonString());
            Assert.That(result["status"]!["code"]!.GetValue<string>(), Is.EqualTo(CaseStatus.Completed));
            Assert.That(result["status"]!["name"]!.GetValue<string>(), Is.EqualTo("已办结"));
            Assert.That(Path(result), Is.SupersetOf(new[] { "cert1", "cert2", "accept", "step1", "step2", "step3", "conclude", "post", "rating", "end" }));
            Assert.That(Path(result).IndexOf("step1"), Is.LessThan(Path(result).IndexOf("step3")));
            Assert.That(Path(result), Does.Not.Contain("refuse"));
            Assert.That(tasks.Select(t => t!["stepName"]!.GetValue<string>()), Is.EqualTo(new[] { "初审", "审核", "审批" }));
            Assert.That(tasks.Select(t => t!["department"]!.GetValue<string>()), Is.EqualTo(new[] { "深圳市南山区粤海街道办事处", "深圳市南山区民政局", "深圳市南山区民政局" }));
            Assert.That(tasks.All(t => t!["outcome"]!.GetValue<string>() == "approve" && t["outcomeName"]!.GetValue<string>() == "通过"), Is.True);
            foreach (var task in tasks)
            {
                var created = task!["createdAt"]!.GetValue<DateTimeOffset>();
                var due = task["dueAt"]!.GetValue<DateTimeOffset>();
                Assert.That(due, Is.EqualTo(ChinaTime.EndOfWorkingDays(calendar, created, 5)), "the step's limit of 5 working days on the host's calendar");
                Assert.That(calendar.IsWorkingDay(ChinaTime.Date(due)), Is.True);
                Assert.That(calendar.IsWorkingDay(ChinaTime.Date(task["completedAt"]!.GetValue<DateTimeOffset>())), Is.True);
            }
            // 审批 opens on Thursday 30 April and is decided one working day later: Wednesday 6 May, after the holiday.
            Assert.That(ChinaTime.Date(tasks[2]!["completedAt"]!.GetValue<DateTimeOffset>()), Is.EqualTo(new DateOnly(2026, 5, 6)));
            Assert.That(ChinaTime.Date(tasks[2]!["dueAt"]!.GetValue<DateTimeOffset>()), Is.GreaterThan(new DateOnly(2026, 5, 5)));
            var promised = result["dueDates"]!["promised"]!.GetValue<DateTimeOffset>();
            Assert.That(promised, Is.GreaterThan(BeforeLabourDay.AddDays(22)), "22 working days stretch over the holiday");
            Assert.That(result["dueDates"]!["onTime"]!.GetValue<bool>(), Is.True);
            var calls = result["calls"]!.AsArray().Select(c => c!["service"]!.GetValue<string>()).ToList();
            Assert.That(calls, Does.Contain("电子证照库").And.Contain("短信平台").And.Contain("邮政寄递"));
            var journal = result["journal"]!.AsArray();
            Assert.That(journal.Any(j => j!["event"]!.GetValue<string>() == "开始" && j["activityName"]?.GetValue<string>() == "初审"), Is.True);
            Assert.That(journal.Any(j => j!["actor"]!.GetValue<string>() == "试运行"), Is.True);
        });
        Assert.Multiple(async () =>
        {
            Assert.That(await CountAsync(db => db.Cases.CountAsync()), Is.EqualTo(casesBefore), "no case is created");
            Assert.That(await CountAsync(db => db.Instances.CountAsync()), Is.EqualTo(instancesBefore), "no instance is stored");
            Assert.That(await CountAsync(db => db.Tasks.CountAsync(t => t.CaseNumber.StartsWith("SY"))), Is.Zero, "no task reaches an inbox");
        });
    }

    [Test]
    public async Task An_instant_matter_s_dry_run_looks_the_applicant_up_in_the_simulated_population_database()
    {
        var result = await DryRunAsync(await ExportAsync("44030007009"), materials: ["无犯罪记录证明申请表"]);
        var calls = result["calls"]!.AsArray().Select(c => c!["service"]!.GetValue<string>()).ToList();
        Assert.That(calls, Does.Contain("人口库"), result.ToJsonString());
        Assert.That(Path(result), Does.Contain("population").And.Contain("rules"));
    }

    [Test]
    public async Task A_return_decision_takes_the_return_path_and_the_returned_step_opens_again()
    {
        var result = await DryRunAsync(await ExportAsync("44030505001"), decisions: new JsonArray(new JsonObject { ["step"] = "审核", ["outcome"] = "return", ["opinion"] = "缺银行卡复印件" }));

        var steps = result["tasks"]!.AsArray().Select(t => t!["stepName"]!.GetValue<string>()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(result["stoppedBecause"]!["code"]!.GetValue<string>(), Is.EqualTo("finished"), result.ToJsonString());
            Assert.That(steps, Is.EqualTo(new[] { "初审", "审核", "初审", "审核", "审批" }));
            Assert.That(result["tasks"]![1]!["outcome"]!.GetValue<string>(), Is.EqualTo("return"));
            Assert.That(result["tasks"]![1]!["outcomeName"]!.GetValue<string>(), Is.EqualTo("退回"));
            var path = Path(result);
            Assert.That(path.Count(a => a == "step1"), Is.EqualTo(2), string.Join(",", path));
            Assert.That(result["status"]!["code"]!.GetValue<string>(), Is.EqualTo(CaseStatus.Completed));
        });
    }

    [Test]
    public async Task A_rejection_takes_the_refusal_path_and_an_undecided_task_can_stop_the_run()
    {
        var refused = await DryRunAsync(await ExportAsync("44030505001"), decisions: new JsonArray(new JsonObject { ["step"] = "step1", ["outcome"] = "Rejected", ["opinion"] = "年龄不符" }));
        var stopped = await DryRunAsync(await ExportAsync("44030505001"), decisions: new JsonArray(new JsonObject { ["outcome"] = "approve" }), stopAtUndecided: true);
        Assert.Multiple(() =>
        {
            Assert.That(refused["status"]!["code"]!.GetValue<string>(), Is.EqualTo(CaseStatus.Refused));
            Assert.That(Path(refused), Does.Contain("refuse").And.Not.Contain("step2"));
            Assert.That(stopped["stoppedBecause"]!["code"]!.GetValue<string>(), Is.EqualTo("waitingForDecision"));
            Assert.That(stopped["stoppedBecause"]!["activityId"]!.GetValue<string>(), Is.EqualTo("step2"));
            Assert.That(stopped["stoppedBecause"]!["message"]!.GetValue<string>(), Does.Contain("审核"));
            Assert.That(stopped["status"]!["name"]!.GetValue<string>(), Is.EqualTo("审查中"));
            Assert.That(stopped["tasks"]![1]!["outcome"], Is.Null, "the open task has no outcome yet");
        });
    }

    [Test]
    public async Task A_deadline_that_comes_before_the_decision_fires_first_and_closes_the_task()
    {
        // 银行卡 may be owed under tolerance (容缺) on the applicant's signed commitment; they supply it after the deadline.
        var result = await DryRunAsync(await ExportAsync("44030505001"), materials: ["高龄津贴申请书", "居民身份证", "照片"], toleranceCommitment: true,
            decisions: new JsonArray(new JsonObject { ["step"] = "tolerance", ["outcome"] = "supply", ["afterWorkingDays"] = 200 }));

        var owed = result["tasks"]!.AsArray().First()!;
        Assert.Multiple(() =>
        {
            Assert.That(result["stoppedBecause"]!["code"]!.GetValue<string>(), Is.EqualTo("finished"), result.ToJsonString());
            Assert.That(Path(result), Does.Contain("tolerance").And.Contain("notifyExpired").And.Not.Contain("step1"));
            Assert.That(owed["activityId"]!.GetValue<string>(), Is.EqualTo("tolerance"));
            Assert.That(owed["outcome"]!.GetValue<string>(), Is.EqualTo("closedByFlow"));
            Assert.That(result["journal"]!.AsArray().Any(j => j!["actor"]!.GetValue<string>() == "定时任务"), Is.True, "the deadline fired as the scheduler would");
        });
    }

    [Test]
    public async Task A_decision_the_step_does_not_offer_stops_with_the_choices_in_Chinese()
    {
        var result = await DryRunAsync(await ExportAsync("44030505001"), decisions: new JsonArray(new JsonObject { ["step"] = "初审", ["outcome"] = "fly" }));
        Assert.Multiple(() =>
        {
            Assert.That(result["stoppedBecause"]!["code"]!.GetValue<string>(), Is.EqualTo("invalidDecision"));
            Assert.That(result["stoppedBecause"]!["message"]!.GetValue<string>(), Does.Contain("通过（approve）"));
        });
    }

    [Test]
    public async Task A_script_that_never_ends_stops_the_run_with_a_Chinese_error()
    {
        var definition = await ExportAsync("44030505001");
        var step1 = definition["root"]!["activities"]!.AsArray().Single(a => a!["id"]!.GetValue<string>() == "step1")!;
        step1["assignee"] = new JsonObject { ["typeName"] = "String", ["expression"] = new JsonObject { ["type"] = "JavaScript", ["value"] = "while (true) {} 'reviewer01'" } };

        var result = await DryRunAsync(definition);

        Assert.Multiple(() =>
        {
            Assert.That(result["stoppedBecause"]!["code"]!.GetValue<string>(), Is.AnyOf("faulted", "limit"), result["stoppedBecause"]!.ToJsonString());
            Assert.That(result["stoppedBecause"]!["message"]!.GetValue<string>(), Does.Contain("初审").And.Contain("脚本"), "the script's own limit (time or statements) stops it");
            Assert.That(Path(result), Does.Contain("step1").And.Not.Contain("step2"));
        });
    }

    [Test]
    public async Task A_flow_that_loops_forever_stops_at_the_step_limit()
    {
        var definition = await ExportAsync("44030505001");
        // 审核 sends every approval back to 初审: a handler could approve forever.
        var connections = definition["root"]!["connections"]!.AsArray();
        var onward = connections.Single(c => c!["source"]!["activity"]!.GetValue<string>() == "step2" && c["source"]!["port"]!.GetValue<string>() == "Approved")!;
        onward["target"]!["activity"] = "step1";
        // 审批 stays reachable (a refusal at 审核 also asks for it), so the validator's reachability rule passes the
        // flow; the run approves throughout and loops.
        connections.Add(new JsonObject
        {
            ["source"] = new JsonObject { ["activity"] = "step2", ["port"] = "Rejected" },
            ["target"] = new JsonObject { ["activity"] = "step3", ["port"] = "In" }
        });

        var result = await DryRunAsync(definition);

        Assert.Multiple(() =>
        {
            Assert.That(result["stoppedBecause"]!["code"]!.GetValue<string>(), Is.EqualTo("limit"), result["stoppedBecause"]!.ToJsonString());
            // Whichever bound comes first: the simulated days (a task a working day) or the steps.
            Assert.That(result["stoppedBecause"]!["message"]!.GetValue<string>(), Does.Contain("400 天").Or.Contain("可能有循环"));
            Assert.That(result["tasks"]!.AsArray(), Has.Count.GreaterThan(50));
        });
    }

    [Test]
    public async Task Ten_thousand_activities_are_refused_with_a_Chinese_error()
    {
        var activities = new JsonArray();
        for (var i = 0; i < 10_000; i++)
            activities.Add(new JsonObject { ["type"] = "Elsa.WriteLine", ["id"] = $"w{i}", ["text"] = new JsonObject { ["typeName"] = "String", ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = "x" } } });
        var definition = await ExportAsync("44030505001");
        definition["root"]!["activities"] = activities;
        definition["root"]!["connections"] = new JsonArray();

        var response = await _policy.PostAsJsonAsync("/api/definitions/dry-run", new JsonObject { ["definition"] = definition });

        Assert.That(response.StatusCode, Is.AnyOf(HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["detail"]!.GetValue<string>(), Does.Match(@"\p{IsCJKUnifiedIdeographs}"));
    }

    [Test]
    public async Task An_invalid_definition_gets_the_validators_problems_as_422()
    {
        var definition = await ExportAsync("44030505001");
        definition["customProperties"]!["govflow:matter"]!["promisedLimit"]!["value"] = 99;

        var response = await _policy.PostAsJsonAsync("/api/definitions/dry-run", new JsonObject { ["definition"] = definition });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Multiple(() =>
        {
            Assert.That(problem!["title"]!.GetValue<string>(), Does.Contain("不能试运行"));
            Assert.That(problem["problems"]!.AsArray().Select(p => p!["path"]!.GetValue<string>()), Has.Some.Contain("promisedLimit"));
        });
    }

    [Test]
    public async Task Bad_bodies_and_other_roles_are_refused()
    {
        using var window = await SignIn("window01");
        var definition = await ExportAsync("44030505001");
        Assert.Multiple(async () =>
        {
            Assert.That((await window.PostAsJsonAsync("/api/definitions/dry-run", new JsonObject { ["definition"] = definition.DeepClone() })).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            var missing = await _policy.PostAsJsonAsync("/api/definitions/dry-run", new JsonObject { ["application"] = new JsonObject() });
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((await missing.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), Does.Contain("流程定义"));
            var garbage = await _policy.PostAsync("/api/definitions/dry-run", new StringContent("{\"definition\": {\"root\": 1}}", System.Text.Encoding.UTF8, "application/json"));
            Assert.That(garbage.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            var wrongType = await _policy.PostAsJsonAsync("/api/definitions/dry-run", new JsonObject { ["definition"] = definition.DeepClone(), ["decisions"] = "approve" });
            Assert.That(wrongType.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        });
    }

    private async Task<JsonObject> DryRunAsync(JsonNode definition, JsonArray? decisions = null, bool stopAtUndecided = false, string[]? materials = null, bool toleranceCommitment = false)
    {
        var world = _factory.Services.GetRequiredService<SimulatedWorld>();
        var person = world.People.First(p => p.BirthDate.Year < 1946);
        var body = new JsonObject
        {
            ["definition"] = definition.DeepClone(),
            ["application"] = new JsonObject
            {
                ["applicant"] = new JsonObject { ["name"] = person.Name, ["idType"] = "111", ["idNumber"] = person.IdNumber, ["phone"] = person.Phone, ["address"] = person.Address },
                ["materials"] = new JsonArray([.. (materials ?? ElderlyMaterials).Select(m => (JsonNode)m)]),
                ["data"] = new JsonObject { ["age"] = 2026 - person.BirthDate.Year, ["onMinimumAllowance"] = false, ["toleranceCommitment"] = toleranceCommitment },
                ["channel"] = "window"
            },
            ["startAt"] = BeforeLabourDay.ToString("O"),
            ["decisions"] = decisions ?? [],
            ["stopAtUndecided"] = stopAtUndecided
        };
        var response = await _policy.PostAsJsonAsync("/api/definitions/dry-run", body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private async Task<JsonObject> ExportAsync(string code) => JsonNode.Parse(await _policy.GetStringAsync($"/api/definitions/{code}/export"))!.AsObject();

    private static List<string> Path(JsonObject result) => [.. result["path"]!.AsArray().Select(p => p!["activityId"]!.GetValue<string>())];

    private async Task<int> CountAsync(Func<GovFlowDb, Task<int>> count)
    {
        using var scope = _factory.Services.CreateScope();
        return await count(scope.ServiceProvider.GetRequiredService<GovFlowDb>());
    }

    private async Task<HttpClient> SignIn(string user)
    {
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = DemoUsers.Password });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return client;
    }
}
