using System.Net.Http.Json;
using System.Text.Json;
using Bogus;
using GovFlow.Activities.Calendar;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Matters;
using GovFlow.Activities.Supervision;
using GovFlow.Host.Api;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>
/// /api/metrics from the cases' fact columns and the daily rollups gives what <see cref="Metrics.Compute"/> gives over
/// the same cases in memory: before the refresher summed the days, after, after cases moved again, and for rows
/// written before the facts existed (in memory until the backfill reaches them).
/// </summary>
[TestFixture(false)]
[TestFixture(true)]
[NonParallelizable]
public class MetricRollupTests(bool postgres) : DataDirFixture
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 0, China);
    private static readonly DateTimeOffset From = new(2026, 10, 1, 0, 0, 0, China);
    private static readonly DateTimeOffset To = new(2026, 12, 1, 0, 0, 0, China);
    private static readonly string[] Statuses =
    [
        CaseStatus.Received, CaseStatus.Accepted, CaseStatus.InReview, CaseStatus.Correction, CaseStatus.Suspended, CaseStatus.Completed, CaseStatus.Completed,
        CaseStatus.Completed, CaseStatus.CompletedWithTolerance, CaseStatus.Refused, CaseStatus.NotAccepted, CaseStatus.Withdrawn
    ];

    private WebApplicationFactory<Program> _factory = null!;
    private TestClock _clock = null!;

    private string? _database;

    [SetUp]
    public async Task Start()
    {
        _clock = new TestClock(Now);
        string? connection = null;
        if (postgres)
        {
            // The same GROUP BY on PostgreSQL (its own database per test, as PostgresTests).
            var server = Environment.GetEnvironmentVariable("GOVFLOW_TEST_PG");
            if (string.IsNullOrEmpty(server)) Assert.Ignore("GOVFLOW_TEST_PG is not set: run scripts/test.sh, which starts PostgreSQL.");
            _database = "govflow_" + Guid.NewGuid().ToString("N")[..12];
            await using (var admin = new Npgsql.NpgsqlConnection(server))
            {
                await admin.OpenAsync();
                await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE {_database}", admin);
                await create.ExecuteNonQueryAsync();
            }
            connection = new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = _database }.ConnectionString;
        }
        // The refresher runs when a test calls it, so each figure is compared before and after it.
        _factory = TestHost.Create(DataDir, _clock, postgres: connection, settings: new Dictionary<string, string> { ["GovFlow:MetricRollups:Seconds"] = "0" });
    }

    [TearDown]
    public async Task Stop()
    {
        _factory?.Dispose();
        if (_database is null) return;
        Npgsql.NpgsqlConnection.ClearAllPools();
        await using var admin = new Npgsql.NpgsqlConnection(Environment.GetEnvironmentVariable("GOVFLOW_TEST_PG"));
        await admin.OpenAsync();
        await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    [Test]
    public async Task The_rollups_answer_as_the_cases_in_memory_before_and_after_a_refresh_and_after_cases_move_again()
    {
        await AddAsync(Cases(400, withFacts: true));
        await AssertSameAsync("before any refresh: every day summed from the cases");

        _clock.Now = Now + MetricRollups.Settle + TimeSpan.FromMinutes(1);
        Assert.That(await RefreshAsync(), Is.GreaterThan(40), "the days of two months of cases");
        Assert.That(await WithDb(db => db.MetricDays.SumAsync(d => d.Received)), Is.EqualTo(400), "every case in a day's row");
        await AssertSameAsync("after the refresh: every day from metric_days");

        // Cases move: an open one completes late, a completed one is rated badly and rectified, one is withdrawn.
        var moved = _clock.Now;
        await WithDb(async db =>
        {
            var catalog = _factory.Services.GetRequiredService<MatterCatalog>();
            var calendar = _factory.Services.GetRequiredService<WorkingCalendar>();
            var open = await db.Cases.Where(c => c.Status == CaseStatus.InReview).OrderBy(c => c.Id).Take(3).ToListAsync();
            var done = await db.Cases.Where(c => c.Status == CaseStatus.Completed && c.RatingLevel == null).OrderBy(c => c.Id).Take(3).ToListAsync();
            var withdrawn = await db.Cases.Where(c => c.Status == CaseStatus.Accepted).OrderBy(c => c.Id).Take(2).ToListAsync();
            foreach (var c in open) { c.Status = CaseStatus.Completed; c.CompletedAt = moved; }
            foreach (var c in withdrawn) { c.Status = CaseStatus.Withdrawn; c.CompletedAt = moved; }
            foreach (var c in open.Concat(done).Concat(withdrawn))
            {
                var file = CaseFile.Read(c.CaseFileJson);
                if (done.Contains(c)) file.Set(CaseParts.Rating, new RatingRecord { Level = 5, Rectification = new Rectification { AssignedAt = moved, DueAt = moved.AddDays(5), ClosedAt = moved } });
                c.CaseFileJson = file.Data.ToJsonString();
                MetricRollups.SetFacts(c, file, catalog.Find(c.MatterCode)?.Matter, calendar, moved);
            }
            Assert.That(open.Count + done.Count + withdrawn.Count, Is.EqualTo(8), "the generated set has cases of each kind to move");
            return await db.SaveChangesAsync();
        });
        await AssertSameAsync("cases moved since the refresh: their days summed live, the others from metric_days");

        _clock.Now = moved + MetricRollups.Settle + TimeSpan.FromMinutes(1);
        Assert.That(await RefreshAsync(), Is.InRange(1, 8), "only the days of the cases that moved");
        await AssertSameAsync("after the second refresh");
        Assert.That(await RefreshAsync(), Is.Zero, "nothing moved since");
    }

    [Test]
    public async Task Cases_written_before_the_facts_existed_count_the_same_before_and_after_the_backfill()
    {
        await AddAsync(Cases(150, withFacts: false));
        await AssertSameAsync("no facts yet: computed from the cases in memory");

        var catalog = _factory.Services.GetRequiredService<MatterCatalog>();
        var calendar = _factory.Services.GetRequiredService<WorkingCalendar>();
        var filled = 0;
        for (int n; (n = await WithDb(db => MetricRollups.BackfillAsync(db, catalog, calendar, _clock.GetUtcNow(), batch: 40))) > 0;) filled += n;
        Assert.That(filled, Is.EqualTo(150));
        Assert.That(await WithDb(db => db.Cases.CountAsync(c => c.UpdatedAt == null)), Is.Zero);
        await AssertSameAsync("facts filled, nothing refreshed yet");

        _clock.Now = Now + MetricRollups.Settle + TimeSpan.FromMinutes(1);
        await RefreshAsync();
        await AssertSameAsync("facts filled and refreshed");
    }

    [Test]
    public async Task A_step_sets_the_cases_facts()
    {
        var world = _factory.Services.GetRequiredService<Simulators.SimulatedWorld>();
        using var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        (await client.PostAsJsonAsync("/api/auth/login", new { userName = "window01", password = DemoUsers.Password })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("/api/cases", Applications.Elderly(world))).EnsureSuccessStatusCode();
        var record = await WithDb(db => db.Cases.AsNoTracking().SingleAsync());
        Assert.Multiple(() =>
        {
            Assert.That(record.UpdatedAt, Is.EqualTo(Now));
            Assert.That(MetricRollups.DateOf(record.ReceivedDay), Is.EqualTo(new DateOnly(2026, 11, 30)));
            Assert.That(record.CaseType, Is.EqualTo("2"), "高龄津贴 is a 承诺件");
        });
    }

    private async Task AssertSameAsync(string when)
    {
        var expected = await WithDb(async db =>
        {
            var cases = await db.Cases.AsNoTracking().Where(c => c.ReceivedAt >= From && c.ReceivedAt < To).ToListAsync();
            return Metrics.Compute(cases, _factory.Services.GetRequiredService<WorkingCalendar>(), _clock.GetUtcNow(), From, To, _factory.Services.GetRequiredService<MatterCatalog>());
        });
        using var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        (await client.PostAsJsonAsync("/api/auth/login", new { userName = "auditor01", password = DemoUsers.Password })).EnsureSuccessStatusCode();
        var actual = await client.GetStringAsync("/api/metrics?from=2026-10-01&to=2026-11-30");
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Assert.That(JsonSerializer.Serialize(JsonSerializer.Deserialize<Api.Contracts.MetricsView>(actual, options), options), Is.EqualTo(JsonSerializer.Serialize(expected, options)), when);
        Assert.That(expected.Volumes.Received, Is.Positive, "the period has cases");
    }

    private Task<int> RefreshAsync() => WithDb(db => MetricRollups.RefreshAsync(db, _clock.GetUtcNow()));

    private async Task<T> WithDb<T>(Func<GovFlowDb, Task<T>> work)
    {
        using var scope = _factory.Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<GovFlowDb>());
    }

    private Task AddAsync(IReadOnlyList<CaseRecord> cases) => WithDb(db =>
    {
        db.Cases.AddRange(cases);
        return db.SaveChangesAsync();
    });

    // Cases of every status over two months, as the flows leave them: pauses, corrections, ratings with and without
    // rectification, posted and returned waybills, 即办件 and 承诺件, open ones past their promised date.
    private List<CaseRecord> Cases(int count, bool withFacts)
    {
        var catalog = _factory.Services.GetRequiredService<MatterCatalog>();
        var calendar = _factory.Services.GetRequiredService<WorkingCalendar>();
        var matters = new[] { "44030505001", "44030520007" }.Select(code => catalog.Find(code)!.Matter)
            .Concat(catalog.Entries.Select(e => e.Matter).Where(m => m.Result?.CertificateType is { Length: > 0 }).Take(1)).ToList();
        var faker = new Faker("zh_CN") { Random = new Randomizer(18) };
        var days = (Now.Date - From.Date).Days;
        return Enumerable.Range(0, count).Select(i =>
        {
            var matter = faker.PickRandom(matters);
            var status = faker.PickRandom(Statuses);
            var received = From.AddDays(faker.Random.Int(0, days - 1)).AddHours(faker.Random.Int(8, 17)).AddMinutes(faker.Random.Int(0, 59));
            DateTimeOffset? accepted = status is CaseStatus.Received or CaseStatus.NotAccepted ? null : received.AddMinutes(faker.Random.Int(5, 90));
            var due = accepted?.AddDays(matter.CaseType == "1" ? 1 : faker.Random.Int(5, 20));
            DateTimeOffset? promised = due is not { } d || faker.Random.Bool(0.1f) ? null : new DateTimeOffset(d.Year, d.Month, d.Day, 18, 0, 0, China);
            var finished = status is CaseStatus.Completed or CaseStatus.CompletedWithTolerance or CaseStatus.Refused or CaseStatus.Withdrawn;
            DateTimeOffset? completed = finished ? (accepted ?? received).AddHours(faker.Random.Double(0.5, 24 * 25)) : null;
            if (completed > Now) completed = Now.AddHours(-1);
            var file = CaseFile.Read("{}");
            if (accepted is { } a && faker.Random.Bool(0.25f))
            {
                file.StartPause(faker.PickRandom<PauseKind>(), "补正", null, a.AddDays(1));
                if (completed is { } c && c > a.AddDays(3)) file.EndPause(a.AddDays(2));
            }
            if (faker.Random.Bool(0.2f))
                file.Set(CaseParts.Corrections, Enumerable.Range(0, faker.Random.Int(1, 2)).Select(_ => new CorrectionNotice { Materials = [faker.Commerce.ProductName()], NotifiedAt = received.AddHours(2) }));
            if (finished && faker.Random.Bool(0.4f)) file.Set(CaseParts.Waybill, new WaybillRecord { Item = faker.Random.Bool() ? "result" : null, Status = faker.PickRandom("delivered", "inTransit", "returned", "failed") });
            if (status is CaseStatus.Completed or CaseStatus.CompletedWithTolerance && faker.Random.Bool(0.6f))
            {
                var level = faker.Random.Int(1, 5);
                file.Set(CaseParts.Rating, new RatingRecord
                {
                    Level = level,
                    Rectification = level >= 4 ? new Rectification { AssignedAt = completed!.Value, DueAt = completed.Value.AddDays(5), ClosedAt = faker.Random.Bool() ? completed.Value.AddDays(3) : null } : null
                });
            }
            var record = new CaseRecord
            {
                Id = $"rollup-{i:D5}", CaseNumber = $"R{i:D6}", MatterCode = matter.Code, MatterName = matter.Name, Department = matter.Department,
                ApplicantName = faker.Name.FullName(), ApplicantIdNumber = "440305194501010011", Channel = faker.PickRandom("window", "selfService", "pc", "mobile", "proactive"),
                ReceivedAt = received, AcceptedAt = accepted, PromisedDue = promised, CompletedAt = completed, Status = status, InstanceId = $"rollup-{i:D5}",
                CaseFileJson = file.Data.ToJsonString(), Stamp = "s"
            };
            if (withFacts) MetricRollups.SetFacts(record, file, matter, calendar, Now);
            return record;
        }).ToList();
    }
}
