using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovFlow.Activities.Calendar;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>
/// The inbox's counts come from tally rows kept as the steps commit; whatever the steps did, they answer what
/// counting the open tasks answers, for every scope and filter and at every moment's lights.
/// </summary>
[TestFixture]
public sealed class TaskTallyTests : DataDirFixture
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    [Test]
    public async Task Claims_releases_reassignments_completions_refusals_and_a_lost_race_keep_the_counts_equal_to_the_tasks()
    {
        var clock = new TestClock(TestHost.Now);
        using var host = TestHost.Create(DataDir, clock);
        var window = await CalendarYearTests.SignInAsync(host, "window01");
        for (var i = 0; i < 8; i++)
        {
            var submitted = await window.PostAsJsonAsync("/api/cases", Applications.Elderly(host.Services.GetRequiredService<Simulators.SimulatedWorld>()));
            Assert.That(submitted.StatusCode, Is.EqualTo(HttpStatusCode.Created), await submitted.Content.ReadAsStringAsync());
        }
        var reviewer = await CalendarYearTests.SignInAsync(host, "reviewer02");
        var head = await CalendarYearTests.SignInAsync(host, "head02");
        var tasks = (await reviewer.GetFromJsonAsync<JsonObject>("/api/tasks?scope=department&pageSize=100"))!["items"]!.AsArray()
            .Select(t => t!["taskId"]!.GetValue<string>()).ToList();
        Assert.That(tasks, Has.Count.GreaterThanOrEqualTo(8));
        await AssertTalliesMatchAsync(host, clock);

        async Task Ok(Task<HttpResponseMessage> call)
        {
            var response = await call;
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        }
        await Ok(reviewer.PostAsync($"/api/tasks/{tasks[0]}/claim", null));
        await Ok(reviewer.PostAsync($"/api/tasks/{tasks[1]}/claim", null));
        await Ok(reviewer.PostAsync($"/api/tasks/{tasks[1]}/unclaim", null));
        await Ok(reviewer.PostAsync($"/api/tasks/{tasks[2]}/claim", null));
        await Ok(head.PostAsJsonAsync($"/api/tasks/{tasks[2]}/reassign", new { assignee = "reviewer08" }));
        await Ok(reviewer.PostAsJsonAsync($"/api/tasks/{tasks[3]}/complete", new { action = "approve", opinion = "同意" }));
        await Ok(reviewer.PostAsJsonAsync($"/api/tasks/{tasks[4]}/complete", new { action = "reject", opinion = "不符合条件" }));
        await Ok(reviewer.PostAsJsonAsync($"/api/tasks/{tasks[5]}/complete", new { action = "transfer", opinion = "请协助办理", assignee = "reviewer08" }));
        await AssertTalliesMatchAsync(host, clock);

        // Two completions of one task: the loser's step fails at commit and must leave no delta behind.
        var race = await Task.WhenAll(
            reviewer.PostAsJsonAsync($"/api/tasks/{tasks[6]}/complete", new { action = "approve", opinion = "同意" }),
            reviewer.PostAsJsonAsync($"/api/tasks/{tasks[6]}/complete", new { action = "approve", opinion = "同意" }));
        Assert.That(race.Select(r => r.StatusCode), Does.Contain(HttpStatusCode.OK));
        await AssertTalliesMatchAsync(host, clock);

        // The lights move with the clock while the tallies stay: yellow, then red.
        foreach (var days in new[] { 3, 5, 12, 40 })
        {
            clock.Now = TestHost.Now.AddDays(days);
            await AssertTalliesMatchAsync(host, clock);
        }
        await FoldAsync(host);
        await AssertTalliesMatchAsync(host, clock);
        await AssertFoldedAsync(host);
    }

    [Test]
    public async Task A_holiday_notice_that_moves_a_task_s_due_date_moves_its_tally()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 12, 25, 10, 0, 0, China));
        using var host = TestHost.Create(DataDir, clock);
        await TimerTests.SubmitFoodCaseWithTolerance(host);
        await CalendarYearTests.SubmitElderlyAllowanceAsync(host);
        await AssertTalliesMatchAsync(host, clock);
        DateTimeOffset? was;
        using (var scope = host.Services.CreateScope())
            was = (await scope.ServiceProvider.GetRequiredService<GovFlowDb>().Tasks.SingleAsync(t => t.Kind == "GovFlow.ToleranceSupplement")).DueAt;
        var policy = await CalendarYearTests.SignInAsync(host, "policy01");
        var loaded = await policy.PostAsJsonAsync("/api/calendar/years", CalendarYearTests.Notice2027(new DateOnly(2027, 1, 4)));
        Assert.That(loaded.StatusCode, Is.EqualTo(HttpStatusCode.OK), await loaded.Content.ReadAsStringAsync());
        using (var scope = host.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
            var moved = (await db.Tasks.SingleAsync(t => t.Kind == "GovFlow.ToleranceSupplement")).DueAt;
            Assert.That(moved, Is.GreaterThan(was!.Value), "the notice moved the supplement task");
            foreach (var due in new[] { was, moved })
                Assert.That(await db.TaskTallies.Where(t => t.DueAt == due).SumAsync(t => t.Count),
                    Is.EqualTo(await db.Tasks.CountAsync(t => t.DueAt == due && (t.Status == TaskStatuses.Open || t.Status == TaskStatuses.Claimed))), $"due {due:O}");
        }
        foreach (var moment in new[] { new DateTimeOffset(2026, 12, 31, 10, 0, 0, China), new DateTimeOffset(2027, 1, 5, 10, 0, 0, China), new DateTimeOffset(2027, 1, 6, 10, 0, 0, China) })
        {
            clock.Now = moment;
            await AssertTalliesMatchAsync(host, clock);
        }
    }

    [Test]
    public async Task Folding_while_steps_commit_keeps_every_count()
    {
        var clock = new TestClock(TestHost.Now);
        using var host = TestHost.Create(DataDir, clock);
        var world = host.Services.GetRequiredService<Simulators.SimulatedWorld>();
        var windows = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => CalendarYearTests.SignInAsync(host, "window01")));
        var reviewer = await CalendarYearTests.SignInAsync(host, "reviewer02");
        using var stop = new CancellationTokenSource();
        var folds = 0;
        // Two folders at once, as two nodes would run them.
        var folders = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var scope = host.Services.CreateScope();
                if (await InboxTallies.FoldAsync(scope.ServiceProvider.GetRequiredService<GovFlowDb>(), 100, CancellationToken.None) > 0) Interlocked.Increment(ref folds);
            }
        })).ToList();
        await Task.WhenAll(windows.Select(async w =>
        {
            for (var i = 0; i < 10; i++)
            {
                var submitted = await w.PostAsJsonAsync("/api/cases", Applications.Elderly(world));
                Assert.That(submitted.StatusCode, Is.EqualTo(HttpStatusCode.Created));
                var id = (await submitted.Content.ReadFromJsonAsync<JsonObject>())!["caseId"]!.GetValue<string>();
                var task = (await reviewer.GetFromJsonAsync<JsonObject>("/api/tasks?scope=department&pageSize=100"))!["items"]!.AsArray()
                    .First(t => t!["caseId"]!.GetValue<string>() == id)!["taskId"]!.GetValue<string>();
                if (i % 2 == 0) await reviewer.PostAsJsonAsync($"/api/tasks/{task}/complete", new { action = "approve", opinion = "同意" });
                else await reviewer.PostAsync($"/api/tasks/{task}/claim", null);
            }
        }));
        await stop.CancelAsync();
        await Task.WhenAll(folders);
        Assert.That(folds, Is.GreaterThan(0), "the folds ran while the steps committed");
        await AssertTalliesMatchAsync(host, clock);
        await FoldAsync(host);
        await AssertFoldedAsync(host);
        await AssertTalliesMatchAsync(host, clock);
    }

    [Test]
    public void The_migration_fills_the_tallies_from_the_open_tasks()
    {
        var path = Path.Combine(DataDir, "backfill.db");
        using var db = new SqliteGovFlowDb(new DbContextOptionsBuilder<SqliteGovFlowDb>().UseSqlite($"Data Source={path}").Options);
        var migrations = db.Database.GetMigrations().ToList();
        var adding = migrations.FindIndex(m => m.EndsWith("_TaskTallies", StringComparison.Ordinal));
        var migrator = db.GetService<IMigrator>();
        migrator.Migrate(migrations[adding - 1]);
        using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            var due = TestHost.Now.AddDays(3).ToUnixTimeMilliseconds();
            var yellow = TestHost.Now.AddDays(1).ToUnixTimeMilliseconds();
            var rows = new (string Department, string? Assignee, string Status, long? Due, long? Yellow)[]
            {
                ("甲局", null, "Open", due, yellow), ("甲局", null, "Open", due, yellow), ("甲局", "reviewer02", "Claimed", due, null),
                ("甲局", null, "Completed", due, yellow), ("乙局", null, "Open", null, null), ("乙局", null, "Cancelled", null, null)
            };
            for (var i = 0; i < rows.Length; i++)
            {
                using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT INTO tasks (Id, InstanceId, CaseId, CaseNumber, MatterCode, MatterName, ApplicantName, Kind, StepName, Department, Role, Assignee, Status, DueAt, YellowFrom, CreatedAt, Stamp) " +
                                     "VALUES ($id, 'i', 'c', 'n', '44030505001', '高龄津贴', '张三', 'GovFlow.ReviewTask', '初审', $dept, 'reviewer', $assignee, $status, $due, $yellow, 0, 'x')";
                insert.Parameters.AddWithValue("$id", $"t{i}");
                insert.Parameters.AddWithValue("$dept", rows[i].Department);
                insert.Parameters.AddWithValue("$assignee", (object?)rows[i].Assignee ?? DBNull.Value);
                insert.Parameters.AddWithValue("$status", rows[i].Status);
                insert.Parameters.AddWithValue("$due", (object?)rows[i].Due ?? DBNull.Value);
                insert.Parameters.AddWithValue("$yellow", (object?)rows[i].Yellow ?? DBNull.Value);
                insert.ExecuteNonQuery();
            }
        }
        migrator.Migrate();
        var tallies = db.TaskTallies.AsNoTracking().ToList();
        var open = db.Tasks.AsNoTracking().Where(t => t.Status == TaskStatuses.Open || t.Status == TaskStatuses.Claimed).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(tallies.Sum(t => t.Count), Is.EqualTo(4));
            Assert.That(tallies, Has.Count.EqualTo(3), "one row per key");
            foreach (var key in open.GroupBy(t => (t.Department, t.Assignee, t.Status, t.DueAt, t.YellowFrom)))
                Assert.That(tallies.Where(t => (t.Department, t.Assignee, t.Status, t.DueAt, t.YellowFrom) == key.Key).Sum(t => t.Count), Is.EqualTo(key.Count()), key.Key.ToString());
        });
    }

    internal static async Task FoldAsync(WebApplicationFactory<Program> host)
    {
        using var scope = host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        while (await InboxTallies.FoldAsync(db, 1_000, CancellationToken.None) > 0) { }
    }

    internal static async Task AssertFoldedAsync(WebApplicationFactory<Program> host)
    {
        using var scope = host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        var rows = await db.TaskTallies.AsNoTracking().ToListAsync();
        Assert.Multiple(() =>
        {
            Assert.That(rows.GroupBy(t => (t.Department, t.Assignee, t.Status, t.MatterCode, t.StepName, t.DueAt, t.YellowFrom)).Where(g => g.Count() > 1), Is.Empty, "one row per key after a fold");
            Assert.That(rows.Where(t => t.Count == 0), Is.Empty, "keys that sum to nothing are dropped");
        });
    }

    // The oracle: today's counting query over the tasks (before the tallies), for every scope and filter the inbox offers.
    internal static async Task AssertTalliesMatchAsync(WebApplicationFactory<Program> host, TestClock clock)
    {
        var callers = new (string User, string Scope)[] { ("reviewer02", "department"), ("reviewer02", "mine"), ("reviewer08", "mine"), ("window01", "department"), ("auditor01", "all") };
        using var scope = host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        var lights = WarningLights.At(scope.ServiceProvider.GetRequiredService<WorkingCalendar>(), clock.Now);
        var steps = await db.Tasks.Select(t => t.StepName).Distinct().ToListAsync();
        var matters = await db.Tasks.Select(t => t.MatterCode).Distinct().ToListAsync();
        var checkedCounts = 0;
        foreach (var (user, inboxScope) in callers)
        {
            var client = await CalendarYearTests.SignInAsync(host, user);
            var me = (await client.GetFromJsonAsync<JsonObject>("/api/auth/me"))!;
            var department = me["department"]?.GetValue<string>();
            foreach (var matter in matters.Prepend(null).Append("00000000000"))
            foreach (var step in steps.Prepend(null))
            foreach (var status in new string?[] { null, "claimed", "unclaimed" })
            {
                var query = db.Tasks.AsNoTracking().Where(t => t.Status == TaskStatuses.Open || t.Status == TaskStatuses.Claimed);
                query = inboxScope switch
                {
                    "mine" => query.Where(t => t.Assignee == user),
                    "department" => query.Where(t => t.Department == department),
                    _ => query
                };
                if (matter is not null) query = query.Where(t => t.MatterCode == matter);
                if (step is not null) query = query.Where(t => t.StepName == step);
                if (status == "claimed") query = query.Where(t => t.Status == TaskStatuses.Claimed);
                if (status == "unclaimed") query = query.Where(t => t.Status == TaskStatuses.Open);
                var red = await lights.Showing(query, "red").CountAsync();
                var yellow = await lights.Showing(query, "yellow").CountAsync();
                var green = await lights.Showing(query, "green").CountAsync();
                var total = await query.CountAsync();

                var url = $"/api/tasks/counts?scope={inboxScope}" + (matter is null ? "" : $"&matter={matter}") + (step is null ? "" : $"&step={Uri.EscapeDataString(step)}") + (status is null ? "" : $"&status={status}");
                var counts = (await client.GetFromJsonAsync<JsonObject>(url))!;
                var where = $"{user} {url} at {clock.Now:O}";
                Assert.Multiple(() =>
                {
                    Assert.That(counts["total"]!.GetValue<int>(), Is.EqualTo(total), where);
                    Assert.That(counts["red"]!.GetValue<int>(), Is.EqualTo(red), where);
                    Assert.That(counts["yellow"]!.GetValue<int>(), Is.EqualTo(yellow), where);
                    Assert.That(counts["green"]!.GetValue<int>(), Is.EqualTo(green), where);
                });
                checkedCounts += total;
            }
        }
        Assert.That(checkedCounts, Is.GreaterThan(0), "the oracle saw open tasks");
    }
}
