using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovFlow.Host.Cases;
using GovFlow.Host.Cli;
using GovFlow.Host.Operations;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using GovFlow.Host.Simulators;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace GovFlow.Host.Tests;

/// <summary>Operations: request logs, metrics, health, backup and restore.</summary>
[TestFixture]
public sealed class OperationsTests : DataDirFixture
{
    private const string ScrapeToken = "scrape-secret";

    private static async Task<HttpClient> SignIn(WebApplicationFactory<Program> host, string user)
    {
        var client = host.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = DemoUsers.Password });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return client;
    }

    private static async Task<JsonObject> Submit(WebApplicationFactory<Program> host, HttpClient window)
    {
        var response = await window.PostAsJsonAsync("/api/cases", Applications.Elderly(host.Services.GetRequiredService<SimulatedWorld>()));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static async Task<string> TaskOf(HttpClient reviewer, string caseId)
    {
        var inbox = await reviewer.GetFromJsonAsync<JsonObject>("/api/tasks?scope=department&pageSize=100");
        return inbox!["items"]!.AsArray().Single(t => t!["caseId"]!.GetValue<string>() == caseId)!["taskId"]!.GetValue<string>();
    }

    private static string? Text(LogEvent e, string property) =>
        e.Properties.TryGetValue(property, out var value) ? (value as ScalarValue)?.Value?.ToString() : null;

    private static IReadOnlyList<LogEvent> RequestLogs(CapturedLogs logs) =>
        [.. logs.Events.Where(e => Text(e, "SourceContext") == "Serilog.AspNetCore.RequestLoggingMiddleware")];

    [Test]
    public async Task Liveness_asks_nothing_and_readiness_asks_the_database_its_migrations_and_the_scheduler()
    {
        using var host = TestHost.Create(DataDir, scheduler: true);
        using var http = host.CreateClient();

        var live = await http.GetAsync("/health/live");
        var ready = await http.GetAsync("/health/ready");
        var all = await http.GetAsync("/health");

        Assert.Multiple(async () =>
        {
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await live.Content.ReadFromJsonAsync<JsonObject>())!["checks"]!.AsObject().Count, Is.Zero, "liveness asks no dependency");
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK), await ready.Content.ReadAsStringAsync());
            Assert.That((await ready.Content.ReadFromJsonAsync<JsonObject>())!["checks"]!.AsObject().Select(c => c.Key), Is.EquivalentTo(new[] { "database", "migrations", "scheduler" }));
            Assert.That(all.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await all.Content.ReadFromJsonAsync<JsonObject>())!["checks"]!.AsObject().Select(c => c.Key), Does.Contain("sweep"), "/health answers as before");
        });
    }

    [Test]
    public async Task Readiness_fails_while_a_migration_is_missing()
    {
        using var host = TestHost.Create(DataDir);
        using (var scope = host.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
            var last = (await db.Database.GetAppliedMigrationsAsync()).Last();
            await db.Database.ExecuteSqlAsync($"DELETE FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" = {last}");
        }
        using var http = host.CreateClient();

        var ready = await http.GetAsync("/health/ready");
        var live = await http.GetAsync("/health/live");

        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That((await ready.Content.ReadFromJsonAsync<JsonObject>())!["checks"]!["migrations"]!["status"]!.GetValue<string>(), Is.EqualTo("Unhealthy"));
        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a live process is not restarted for its database");
    }

    [Test]
    public async Task A_scrape_after_a_step_shows_the_step_counters_and_the_gauges()
    {
        using var host = TestHost.Create(DataDir, scheduler: true, settings: new Dictionary<string, string> { ["GovFlow:Metrics:Token"] = ScrapeToken, ["GovFlow:Metrics:GaugeSeconds"] = "0" });
        using var window = await SignIn(host, "window01");
        await Submit(host, window);
        using var scraper = host.CreateClient();

        var refused = await scraper.GetAsync("/metrics");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ScrapeToken);
        var scrape = await scraper.SendAsync(request);
        var text = await scrape.Content.ReadAsStringAsync();

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "the test server's client is not on loopback and has no token");
        Assert.That(scrape.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Match(@"govflow_steps_total\{[^}]*kind=""submit""[^}]*outcome=""committed""[^}]*\} [1-9]"));
            Assert.That(text, Does.Contain("govflow_step_duration_seconds_bucket"));
            Assert.That(text, Does.Match(@"govflow_tasks_open(_\w+)?(\{[^}]*\})? [1-9]"), "the submitted case waits at its first task");
            Assert.That(text, Does.Contain("govflow_cases_overdue"));
            Assert.That(text, Does.Contain("govflow_outbox_backlog"));
            Assert.That(text, Does.Contain("govflow_sweep_backlog"));
            Assert.That(text, Does.Contain("govflow_sweep_lag_seconds"));
            Assert.That(text, Does.Contain("http_server_request_duration_seconds"), "ASP.NET Core's own metrics");
        });
    }

    [Test]
    public void Scrapes_are_admitted_from_the_allowed_networks_or_with_the_token()
    {
        var access = new ScrapeAccess([IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("10.8.0.0/16")], ScrapeToken);
        static Microsoft.AspNetCore.Http.HttpContext From(string address, string? authorization = null)
        {
            var http = new Microsoft.AspNetCore.Http.DefaultHttpContext();
            http.Connection.RemoteIpAddress = IPAddress.Parse(address);
            if (authorization != null) http.Request.Headers.Authorization = authorization;
            return http;
        }

        Assert.Multiple(() =>
        {
            Assert.That(access.Admits(From("127.0.0.1")), Is.True);
            Assert.That(access.Admits(From("::ffff:10.8.3.4")), Is.True, "an IPv4 address seen through IPv6");
            Assert.That(access.Admits(From("192.168.1.9")), Is.False);
            Assert.That(access.Admits(From("192.168.1.9", "Bearer wrong")), Is.False);
            Assert.That(access.Admits(From("192.168.1.9", "Bearer " + ScrapeToken)), Is.True);
        });
    }

    [Test]
    public async Task Each_request_is_logged_once_with_its_user_its_case_number_and_its_path_only()
    {
        var logs = new CapturedLogs();
        using var host = TestHost.Create(DataDir, settings: new Dictionary<string, string> { ["GovFlow:Logs:File"] = "false" },
            services: s => s.AddSingleton<ILogEventSink>(logs));
        using var window = await SignIn(host, "window01");
        var submitted = await Submit(host, window);
        var (caseId, number) = (submitted["caseId"]!.GetValue<string>(), submitted["caseNumber"]!.GetValue<string>());
        var idNumber = host.Services.GetRequiredService<SimulatedWorld>().People.First(p => p.BirthDate.Year < 1946).IdNumber;
        Assert.That((await window.GetAsync($"/api/cases/{caseId}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var anonymous = host.CreateClient();
        Assert.That((await anonymous.PostAsJsonAsync("/api/progress", new { caseNumber = number, idNumber })).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        // A client that still puts the ID number in the query string is not logged with it either.
        await anonymous.GetAsync($"/api/progress?caseNumber={number}&idNumber={idNumber}");

        var requests = RequestLogs(logs);
        var submit = requests.Where(e => Text(e, "RequestMethod") == "POST" && Text(e, "RequestPath") == "/api/cases").ToList();
        var read = requests.Where(e => Text(e, "RequestPath") == $"/api/cases/{caseId}").ToList();
        var progress = requests.Where(e => Text(e, "RequestPath") == "/api/progress" && Text(e, "RequestMethod") == "POST").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(submit, Has.Count.EqualTo(1), "one line per request");
            Assert.That(submit.Select(e => (Text(e, "UserName"), Text(e, "CaseNumber"), Text(e, "StatusCode"))), Is.EqualTo(new[] { ("window01", number, "201") }));
            Assert.That(read.Select(e => (Text(e, "UserName"), Text(e, "CaseNumber"))), Is.EqualTo(new[] { ("window01", number) }));
            Assert.That(progress.Select(e => Text(e, "CaseNumber")), Is.EqualTo(new[] { number }), "an anonymous lookup names the case it found");
            Assert.That(requests.Select(e => Text(e, "RequestPath")), Has.None.Contains("?"));
            Assert.That(logs.Events.Select(e => e.RenderMessage() + string.Join(" ", e.Properties.Values)), Has.None.Contains(idNumber), "the ID number in the query string is logged nowhere");
        });
    }

    [Test]
    public async Task The_log_file_is_compact_JSON_under_the_data_directory()
    {
        string number;
        using (var host = TestHost.Create(DataDir))
        {
            using var window = await SignIn(host, "window01");
            number = (await Submit(host, window))["caseNumber"]!.GetValue<string>();
        }

        var file = Directory.GetFiles(Path.Combine(DataDir, "logs"), "govflow-*.json").Single();
        var lines = (await File.ReadAllLinesAsync(file)).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var submit = lines.Single(l => l["RequestPath"]?.GetValue<string>() == "/api/cases" && l["RequestMethod"]?.GetValue<string>() == "POST");
        Assert.That((submit["@mt"]!.GetValue<string>(), submit["CaseNumber"]!.GetValue<string>(), submit["UserName"]!.GetValue<string>()),
            Is.EqualTo(("HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0000} ms", number, "window01")));
    }

    [TestCase("sqlite")]
    [TestCase("postgres")]
    public async Task The_losers_of_races_are_logged_without_an_error(string provider)
    {
        await using var postgres = provider == "postgres" ? await ThrowawayPostgres.CreateAsync() : null;
        var logs = new CapturedLogs();
        // EF's own lines are let through, so a save failure logged at error would be seen here.
        using var host = TestHost.Create(DataDir, postgres: postgres?.Connection, settings: new Dictionary<string, string>
        {
            ["GovFlow:Logs:File"] = "false",
            ["Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore"] = "Information"
        }, services: s => s.AddSingleton<ILogEventSink>(logs));
        using var window = await SignIn(host, "window01");
        using var reviewer = await SignIn(host, "reviewer02");
        var caseId = (await Submit(host, window))["caseId"]!.GetValue<string>();
        var task = await TaskOf(reviewer, caseId);

        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => reviewer.PostAsync($"/api/tasks/{task}/claim", null)));
        var completions = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => reviewer.PostAsJsonAsync($"/api/tasks/{task}/complete", new { action = "approve" })));
        var repeats = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases") { Content = JsonContent.Create(Applications.Elderly(host.Services.GetRequiredService<SimulatedWorld>())) };
            request.Headers.Add("Idempotency-Key", "same-form");
            return await window.SendAsync(request);
        }));

        Assert.Multiple(() =>
        {
            Assert.That(claims.Select(r => r.StatusCode), Has.All.EqualTo(HttpStatusCode.OK).Or.EqualTo(HttpStatusCode.Conflict));
            Assert.That(completions.Count(r => r.StatusCode == HttpStatusCode.OK), Is.EqualTo(1));
            Assert.That(completions.Count(r => r.StatusCode == HttpStatusCode.Conflict), Is.EqualTo(3));
            Assert.That(repeats.Select(r => r.StatusCode), Has.All.EqualTo(HttpStatusCode.Created), "a repeated form gets the first answer");
            Assert.That(logs.Events.Where(e => e.Level >= LogEventLevel.Error).Select(e => e.RenderMessage()), Is.Empty);
            Assert.That(RequestLogs(logs).Where(e => Text(e, "StatusCode") == "409").Select(e => e.Level), Has.All.EqualTo(LogEventLevel.Information));
        });
    }

    [Test]
    public async Task A_step_runs_in_a_GovFlow_span_that_names_its_case()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == Telemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue
        };
        ActivitySource.AddActivityListener(listener);
        using var host = TestHost.Create(DataDir);
        using var window = await SignIn(host, "window01");

        var number = (await Submit(host, window))["caseNumber"]!.GetValue<string>();

        var ofCase = spans.Where(a => a.GetTagItem("govflow.case_number") as string == number).ToList();
        Assert.That(ofCase.Select(a => (a.DisplayName, a.GetTagItem("govflow.step.outcome"))), Does.Contain(("govflow.step submit", (object)"committed")));
    }

    [Test]
    public async Task A_backup_taken_while_cases_are_submitted_restores_to_a_host_whose_every_journal_verifies()
    {
        var backupFile = Path.Combine(DataDir, "backups", "during-load.db");
        var restored = Directory.CreateTempSubdirectory("govflow-restored").FullName;
        try
        {
            JsonObject backup;
            int submitted;
            using (var host = TestHost.Create(DataDir))
            {
                using var window = await SignIn(host, "window01");
                var committed = 0;
                var underLoad = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var load = Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
                {
                    for (var i = 0; i < 12; i++)
                    {
                        await Submit(host, window);
                        if (Interlocked.Increment(ref committed) == 8) underLoad.TrySetResult();
                    }
                }));
                await underLoad.Task;
                var (exit, output, error) = await Task.Run(() => Run("backup", backupFile, "--GovFlow:DataDir", DataDir));
                await load;
                submitted = committed;
                Assert.That(exit, Is.Zero, error);
                backup = JsonNode.Parse(output)!.AsObject();
            }
            var reported = backup["cases"]!.GetValue<long>();
            Assert.That(reported, Is.InRange(8, submitted), "the backup holds the cases committed before it, and no half case");
            // The journal's signing key is configuration, not data: the restored node uses the same key.
            File.Copy(Path.Combine(DataDir, JournalKeys.DemoKeyFile), Path.Combine(restored, JournalKeys.DemoKeyFile));

            var (restoreExit, restoreOutput, restoreError) = Run("restore", backupFile, "--GovFlow:DataDir", restored);
            Assert.That(restoreExit, Is.Zero, restoreError);
            Assert.That(JsonNode.Parse(restoreOutput)!["cases"]!.GetValue<long>(), Is.EqualTo(reported));

            using var restoredHost = TestHost.Create(restored);
            using var scope = restoredHost.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
            var key = restoredHost.Services.GetRequiredService<JournalKeys>().PublicKey;
            var cases = await db.Cases.AsNoTracking().ToListAsync();
            var broken = new List<string>();
            foreach (var record in cases)
                if ((await CaseJournal.LoadAsync(db, record)).Audit(key) is { Valid: false } audit) broken.Add($"{record.CaseNumber}: {audit.Problem}");
            Assert.That(cases, Has.Count.EqualTo(reported));
            Assert.That(broken, Is.Empty);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(restored, true);
        }
    }

    [Test]
    public async Task A_backup_that_does_not_check_is_not_restored_and_the_database_stays()
    {
        using (TestHost.Create(DataDir)) { }
        var database = Path.Combine(DataDir, "govflow.db");
        var before = await File.ReadAllBytesAsync(database);
        var garbage = Path.Combine(DataDir, "garbage.db");
        await File.WriteAllTextAsync(garbage, "not a database at all, but long enough to look like a header of something");

        var (exit, _, error) = Run("restore", garbage, "--GovFlow:DataDir", DataDir);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("恢复失败"));
        Assert.That(await File.ReadAllBytesAsync(database), Is.EqualTo(before));
    }

    [Test]
    public void A_backup_of_a_data_directory_without_a_database_fails_and_creates_none()
    {
        var (exit, _, error) = Run("backup", Path.Combine(DataDir, "copy.db"), "--GovFlow:DataDir", DataDir);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("备份失败"));
        Assert.That(Directory.GetFiles(DataDir), Is.Empty);
    }

    [Test]
    public async Task The_scheduled_backup_writes_timestamped_copies_and_keeps_the_newest()
    {
        using (var host = TestHost.Create(DataDir))
        {
            using var window = await SignIn(host, "window01");
            await Submit(host, window);
        }
        var directory = Path.Combine(DataDir, "backups");
        var job = new BackupJob(new BackupOptions(Database.Connection(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["GovFlow:DataDir"] = DataDir }).Build()).Connection, directory, Keep: 2),
            TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<BackupJob>.Instance);

        var results = new[] { 1, 2, 3 }.Select(day => job.Run(new DateTimeOffset(2026, 3, day, 2, 30, 0, TimeSpan.Zero))).ToList();

        Assert.That(Directory.GetFiles(directory).Select(Path.GetFileName), Is.EquivalentTo(new[] { "govflow-20260302-023000.db", "govflow-20260303-023000.db" }));
        Assert.That(results.Select(r => r.Cases), Has.All.EqualTo(1));
    }

    [Test]
    public async Task A_configured_backup_schedule_runs_the_backup_job_with_the_scheduler()
    {
        var directory = Path.Combine(DataDir, "nightly");
        using var host = TestHost.Create(DataDir, scheduler: true, settings: new Dictionary<string, string>
        {
            ["GovFlow:Backup:Cron"] = "* * * * * ?", ["GovFlow:Backup:Directory"] = directory, ["GovFlow:Backup:Keep"] = "1"
        });
        var scheduler = await host.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler();

        var trigger = await scheduler.GetTrigger(new Quartz.TriggerKey("backup-cron", "govflow"));
        // Waits for the scheduler's first run (a second's cron); the limit only keeps a broken schedule from hanging the suite.
        for (var i = 0; i < 300 && !(Directory.Exists(directory) && Directory.GetFiles(directory, "govflow-*.db").Length > 0); i++) await Task.Delay(100);

        Assert.That(trigger, Is.InstanceOf<Quartz.ICronTrigger>());
        Assert.That(Directory.GetFiles(directory, "govflow-*.db"), Has.Length.EqualTo(1));
    }

    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.That(Commands.TryRun(args, output, error, out var exit), Is.True);
        return (exit, output.ToString(), error.ToString());
    }
}

/// <summary>A database of its own on the PostgreSQL server scripts/test.sh starts (the test is ignored without one), dropped afterwards.</summary>
internal sealed class ThrowawayPostgres : IAsyncDisposable
{
    private readonly string _server;
    private readonly string _database;

    private ThrowawayPostgres(string server, string database)
    {
        _server = server;
        _database = database;
        Connection = new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
    }

    public string Connection { get; }

    public static async Task<ThrowawayPostgres> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable("GOVFLOW_TEST_PG");
        if (string.IsNullOrEmpty(server)) Assert.Ignore("GOVFLOW_TEST_PG is not set: run scripts/test.sh, which starts PostgreSQL.");
        var database = "govflow_" + Guid.NewGuid().ToString("N")[..12];
        await using var admin = new Npgsql.NpgsqlConnection(server);
        await admin.OpenAsync();
        await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE {database}", admin);
        await create.ExecuteNonQueryAsync();
        return new ThrowawayPostgres(server!, database);
    }

    public async ValueTask DisposeAsync()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        await using var admin = new Npgsql.NpgsqlConnection(_server);
        await admin.OpenAsync();
        await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>A log sink that keeps every event, for tests that read what was logged.</summary>
internal sealed class CapturedLogs : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events => [.. _events];

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);
}
