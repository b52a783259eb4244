using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Scheduling;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GovFlow.Host.Tests;

/// <summary>
/// The same durable behaviour on a real PostgreSQL server (started by scripts/test.sh), and scale-out: two host
/// nodes on one database complete a task once and fire a timer once, with Quartz clustered between them.
/// </summary>
[TestFixture]
[NonParallelizable]
public class PostgresTests
{
    private string _connection = null!;
    private string _database = null!;

    [SetUp]
    public async Task CreateDatabase()
    {
        var server = Environment.GetEnvironmentVariable("GOVFLOW_TEST_PG");
        if (string.IsNullOrEmpty(server)) Assert.Ignore("GOVFLOW_TEST_PG is not set: run scripts/test.sh, which starts PostgreSQL.");
        _database = "govflow_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {_database}", admin);
            await create.ExecuteNonQueryAsync();
        }
        _connection = new NpgsqlConnectionStringBuilder(server) { Database = _database }.ConnectionString;
    }

    [TearDown]
    public async Task DropDatabase()
    {
        var server = Environment.GetEnvironmentVariable("GOVFLOW_TEST_PG");
        if (string.IsNullOrEmpty(server) || _database is null) return;
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(server);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    private WebApplicationFactory<Program> Node(TestClock clock, bool scheduler = false)
    {
        var node = TestHost.Create(Directory.CreateTempSubdirectory().FullName, clock, scheduler, _connection);
        return node;
    }

    [Test]
    public async Task A_submissions_facts_come_in_one_command_on_PostgreSQL()
    {
        EfCommands.Listen();
        using var node = Node(new TestClock(TestHost.Now));
        await SubmissionFactsTests.AssertFactsAsync(node);
    }

    [Test]
    public async Task The_case_search_by_case_number_ID_number_or_phone_has_an_index_to_read_on_PostgreSQL()
    {
        using var node = Node(new TestClock(TestHost.Now));
        using var scope = node.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        // Empty tables are cheapest read whole; priced out, a sequential scan left in a plan means no index serves it.
        await db.Database.OpenConnectionAsync();
        await db.Database.ExecuteSqlRawAsync("SET enable_seqscan = off");
        foreach (var (what, shape) in CaseSearchTests.SearchShapes(db, "2026030244030505001000123", "张三", "440305194001010013", "13900000000"))
        {
            var plan = await CaseSearchTests.PlanAsync(shape, "EXPLAIN ", reader => reader.GetString(0));
            Assert.That(plan, Has.None.Contains("Seq Scan on cases"), $"{what}: {string.Join("\n", plan)}");
        }
    }

    [Test]
    public async Task Every_node_follows_what_another_node_publishes_and_retracts()
    {
        var clock = new TestClock(TestHost.Now);
        using var a = Node(clock);
        using var b = Node(clock);
        var policyA = await SignInAsync(a, "policy01");
        var policyB = await SignInAsync(b, "policy01");
        var changed = JsonNode.Parse(await policyA.GetStringAsync("/api/definitions/44030520007/export"))!;
        changed["description"] = "第二版：节点 A 发布";
        var imported = await policyA.PostAsync("/api/definitions/import", new StringContent(changed.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        Assert.That(imported.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Created), await imported.Content.ReadAsStringAsync());
        Assert.That((await policyA.PostAsync("/api/definitions/44030520007/publish?version=2", null)).IsSuccessStatusCode, Is.True);
        Assert.That(await EventuallyAsync(async () => (await policyB.GetStringAsync("/api/definitions/44030520007/export")).Contains("第二版：节点 A 发布")), Is.True,
            "node B serves the version node A published");

        Assert.That((await policyA.PostAsync("/api/definitions/44030505001/retract", null)).IsSuccessStatusCode, Is.True);
        var windowB = await SignInAsync(b, "window01");
        Assert.That(await EventuallyAsync(async () =>
        {
            var versions = await policyB.GetFromJsonAsync<JsonArray>("/api/definitions/44030505001/versions");
            return versions!.All(v => !v!["isPublished"]!.GetValue<bool>());
        }), Is.True, "node B sees the retraction");
        using (var scope = b.Services.CreateScope())
            Assert.That(scope.ServiceProvider.GetRequiredService<GovFlow.Activities.Matters.MatterCatalog>().Find("44030505001"), Is.Null, "and takes no new cases of it");
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 50; i++)
        {
            if (await condition()) return true;
            await Task.Delay(200);
        }
        return false;
    }

    private static async Task<HttpClient> SignInAsync(WebApplicationFactory<Program> node, string user)
    {
        var client = node.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        (await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = GovFlow.Host.Security.DemoUsers.Password })).EnsureSuccessStatusCode();
        return client;
    }

    [Test]
    public async Task Two_nodes_committing_and_folding_at_once_keep_the_inbox_counts()
    {
        var clock = new TestClock(TestHost.Now);
        using var first = Node(clock);
        using var second = Node(clock);
        using var stop = new CancellationTokenSource();
        // Each node folds in a loop while both commit steps, as their folders would on a busy day.
        var folders = new[] { first, second }.Select(node => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var scope = node.Services.CreateScope();
                await InboxTallies.FoldAsync(scope.ServiceProvider.GetRequiredService<GovFlowDb>(), 100, CancellationToken.None);
            }
        })).ToList();
        await Task.WhenAll(new[] { first, second }.Select(async node =>
        {
            var window = await SignInAsync(node, "window01");
            var reviewer = await SignInAsync(node, "reviewer02");
            var world = node.Services.GetRequiredService<GovFlow.Host.Simulators.SimulatedWorld>();
            for (var i = 0; i < 8; i++)
            {
                var submitted = await window.PostAsJsonAsync("/api/cases", Applications.Elderly(world));
                Assert.That(submitted.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Created), await submitted.Content.ReadAsStringAsync());
                var id = (await submitted.Content.ReadFromJsonAsync<JsonObject>())!["caseId"]!.GetValue<string>();
                var task = (await reviewer.GetFromJsonAsync<JsonObject>("/api/tasks?scope=department&pageSize=100"))!["items"]!.AsArray()
                    .First(t => t!["caseId"]!.GetValue<string>() == id)!["taskId"]!.GetValue<string>();
                if (i % 2 == 0) (await reviewer.PostAsJsonAsync($"/api/tasks/{task}/complete", new { action = "approve", opinion = "同意" })).EnsureSuccessStatusCode();
                else (await reviewer.PostAsync($"/api/tasks/{task}/claim", null)).EnsureSuccessStatusCode();
            }
        }));
        await stop.CancelAsync();
        await Task.WhenAll(folders);
        await TaskTallyTests.AssertTalliesMatchAsync(first, clock);
        await TaskTallyTests.FoldAsync(second);
        await TaskTallyTests.AssertFoldedAsync(second);
        await TaskTallyTests.AssertTalliesMatchAsync(second, clock);
    }

    [Test]
    public async Task Cases_run_on_postgres_with_the_same_schema()
    {
        var clock = new TestClock(TestHost.Now);
        using var node = Node(clock);
        var caseId = await TimerTests.SubmitFoodCaseWithTolerance(node);
        using var scope = node.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        Assert.That(db.Database.IsNpgsql(), Is.True);
        var record = await db.Cases.SingleAsync(c => c.Id == caseId);
        Assert.That(record.Status, Is.EqualTo("Accepted"));
        Assert.That(await db.Tasks.CountAsync(t => t.CaseId == caseId), Is.EqualTo(1), "the applicant's supplement task");
        var journal = await db.Journal.Where(j => j.InstanceId == record.InstanceId).OrderBy(j => j.Sequence).ToListAsync();
        Assert.That(journal, Is.Not.Empty);
        Assert.That(journal.Select(j => j.Sequence), Is.EqualTo(Enumerable.Range(1, journal.Count).Select(i => (long)i)));
    }

    [Test]
    public async Task Two_nodes_complete_a_task_once()
    {
        var clock = new TestClock(TestHost.Now);
        using var a = Node(clock);
        using var b = Node(clock);
        var caseId = await TimerTests.SubmitFoodCaseWithTolerance(a);
        string taskId;
        using (var scope = a.Services.CreateScope())
            taskId = await scope.ServiceProvider.GetRequiredService<GovFlowDb>().Tasks.Where(t => t.CaseId == caseId).Select(t => t.Id).SingleAsync();
        var supply = new TaskAction { Action = "supply", Materials = ["食品安全管理人员健康证明", "经营场所平面图"] };
        async Task<string> Complete(WebApplicationFactory<Program> node)
        {
            using var scope = node.Services.CreateScope();
            try { await scope.ServiceProvider.GetRequiredService<CaseService>().CompleteAsync(taskId, supply, "window01"); return "ok"; }
            catch (ConflictException) { return "conflict"; }
        }
        var results = await Task.WhenAll(Complete(a), Complete(b));
        Assert.That(results, Is.EquivalentTo(new[] { "ok", "conflict" }));
        using var check = b.Services.CreateScope();
        var db = check.ServiceProvider.GetRequiredService<GovFlowDb>();
        var record = await db.Cases.SingleAsync(c => c.Id == caseId);
        Assert.That(await db.Journal.CountAsync(j => j.InstanceId == record.InstanceId && j.EventName == "Resumed" && j.ActivityType == "GovFlow.ToleranceGap"), Is.EqualTo(1));
    }

    [Test]
    public async Task Two_nodes_fire_a_timer_once()
    {
        var clock = new TestClock(TestHost.Now);
        using var a = Node(clock);
        using var b = Node(clock);
        var caseId = await TimerTests.SubmitFoodCaseWithTolerance(a);
        clock.Now = TestHost.Now.AddDays(10);
        var fired = await Task.WhenAll(a.Services.GetRequiredService<DueBookmarkSweeper>().SweepAsync(), b.Services.GetRequiredService<DueBookmarkSweeper>().SweepAsync());
        Assert.That(fired.Sum(), Is.EqualTo(2), "the reminder and the deadline, each once");
        Assert.That((await TimerTests.Case(b, caseId)).Status, Is.EqualTo("Suspended"));
    }

    [Test]
    public async Task Clustered_schedulers_on_two_nodes_fire_a_timer_due_while_down_once()
    {
        var clock = new TestClock(TestHost.Now);
        string caseId;
        using (var first = Node(clock))
            caseId = await TimerTests.SubmitFoodCaseWithTolerance(first);
        clock.Now = TestHost.Now.AddDays(10);
        using var a = Node(clock, scheduler: true);
        using var b = Node(clock, scheduler: true);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        CaseRecord record;
        do
        {
            await Task.Delay(300);
            record = await TimerTests.Case(a, caseId);
        } while (record.Status != "Suspended" && DateTime.UtcNow < deadline);
        Assert.That(record.Status, Is.EqualTo("Suspended"));
        await Task.Delay(2500);
        using var scope = b.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        Assert.That(await db.Journal.CountAsync(j => j.InstanceId == record.InstanceId && j.EventName == "ToleranceExpired"), Is.EqualTo(1));
    }

    [Test]
    public async Task Personal_data_is_encrypted_found_by_its_blind_index_and_legacy_rows_are_rewritten_on_PostgreSQL()
    {
        var clock = new TestClock(TestHost.Now);
        using var node = Node(clock);
        var world = node.Services.GetRequiredService<GovFlow.Host.Simulators.SimulatedWorld>();
        var person = world.People.First(p => p.BirthDate.Year < 1946);
        var window = await SignInAsync(node, "window01");
        var created = (await (await window.PostAsJsonAsync("/api/cases", Applications.Elderly(world))).Content.ReadFromJsonAsync<JsonObject>())!;
        var (caseId, number) = (created["caseId"]!.GetValue<string>(), created["caseNumber"]!.GetValue<string>());
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["provider"] = "postgres", ["connection"] = _connection, ["GovFlow:Crypto:Sm4Keys:v1"] = TestHost.Sm4Key, ["GovFlow:Crypto:BlindIndexKey"] = TestHost.BlindIndexKey
        }).Build();
        var protector = GovFlow.Host.Security.PersonalDataProtector.From(configuration);
        await using (var raw = Database.Unprotected(configuration))
        {
            var row = (await raw.Cases.FindAsync(caseId))!;
            Assert.That(new[] { row.ApplicantIdNumber, row.ApplicantPhone, row.ApplicantAddress, row.CaseFileJson }, Is.All.StartsWith("sm4:v1:"));
            // Back to how a GovFlow before encryption stored it.
            row.ApplicantIdNumber = person.IdNumber;
            row.ApplicantAddress = person.Address;
            row.ApplicantIdIndex = null;
            await raw.SaveChangesAsync();
        }
        await using (var raw = Database.Unprotected(configuration))
            Assert.That(await new PersonalDataProtection(protector, Microsoft.Extensions.Logging.Abstractions.NullLogger<PersonalDataProtection>.Instance, TimeProvider.System).RunAsync(raw), Is.EqualTo(1));
        await using (var raw = Database.Unprotected(configuration))
            Assert.That((await raw.Cases.FindAsync(caseId))!.ApplicantIdNumber, Does.StartWith("sm4:v1:"));
        using var anonymous = node.CreateClient();
        Assert.That((await anonymous.PostAsJsonAsync("/api/progress", new { caseNumber = number, idNumber = person.IdNumber })).StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK));
    }
}
