using GovFlow.Host.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GovFlow.Host.Tests;

/// <summary>
/// The PostgreSQL writer: concurrent steps share commits, each step one batch; a stale or clashing step fails alone;
/// personal data is written encrypted as EF writes it. Needs GOVFLOW_TEST_PG (scripts/test.sh starts PostgreSQL).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PostgresGroupCommitTests : DataDirFixture
{
    private string _database = null!;
    private IConfiguration _configuration = null!;
    private ServiceProvider _services = null!;

    [SetUp]
    public async Task Start()
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
        _configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GovFlow:DataDir"] = DataDir,
            ["provider"] = "postgres",
            ["connection"] = new NpgsqlConnectionStringBuilder(server) { Database = _database }.ConnectionString,
        }).Build();
        _services = new ServiceCollection().AddGovFlowDatabase(_configuration).BuildServiceProvider();
        Database.Migrate(_services);
    }

    [TearDown]
    public async Task Stop()
    {
        var server = Environment.GetEnvironmentVariable("GOVFLOW_TEST_PG");
        if (string.IsNullOrEmpty(server) || _database is null) return;
        await _services.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(server);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    private PostgresGroupCommit Writer => PostgresGroupCommit.For(Database.Connection(_configuration).Connection);

    [Test]
    public async Task Concurrent_steps_share_commits_and_all_of_them_land()
    {
        var before = Writer.Counts;
        await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Save(db => db.Idempotency.Add(Record($"step-{i}")))));

        var after = Writer.Counts;
        Assert.Multiple(() =>
        {
            Assert.That(after.Steps - before.Steps, Is.EqualTo(60));
            Assert.That(after.Groups - before.Groups, Is.LessThan(60), "steps waiting together commit together");
            Assert.That(Read(db => db.Idempotency.Count(r => r.Key.StartsWith("step-"))), Is.EqualTo(60));
        });
    }

    [Test]
    public async Task A_stale_step_fails_alone_and_the_others_in_its_group_commit()
    {
        await Save(db => db.Tasks.Add(new TaskRecord { Id = "t1", Status = TaskStatuses.Open, Stamp = "a" }));
        using var scopeA = _services.CreateScope();
        using var scopeB = _services.CreateScope();
        var first = scopeA.ServiceProvider.GetRequiredService<GovFlowDb>();
        var second = scopeB.ServiceProvider.GetRequiredService<GovFlowDb>();
        var mine = await first.Tasks.SingleAsync(t => t.Id == "t1");
        var theirs = await second.Tasks.SingleAsync(t => t.Id == "t1");
        mine.Assignee = "reviewer01";
        mine.Stamp = "b";
        theirs.Assignee = "reviewer02";
        theirs.Stamp = "c";
        second.Idempotency.Add(Record("with-the-loser"));

        var saves = new[] { first.CommitAsync(), second.CommitAsync() }
            .Concat(Enumerable.Range(0, 10).Select(i => Save(db => db.Idempotency.Add(Record($"bystander-{i}")))).Select(async t => { await t; return 0; }))
            .ToArray();
        var outcomes = await Task.WhenAll(saves.Select(async t => { try { await t; return null; } catch (Exception ex) { return ex; } }));

        Assert.Multiple(() =>
        {
            Assert.That(outcomes[0], Is.Null, "the first writer wins");
            Assert.That(outcomes[1], Is.InstanceOf<DbUpdateConcurrencyException>(), "the stale writer is told as EF tells it");
            Assert.That(outcomes.Skip(2), Is.All.Null, "bystanders commit");
            Assert.That(Read(db => db.Tasks.Single(t => t.Id == "t1").Assignee), Is.EqualTo("reviewer01"));
            Assert.That(Read(db => db.Idempotency.Any(r => r.Key == "with-the-loser")), Is.False, "the loser's other rows are rolled back with it");
            Assert.That(Read(db => db.Idempotency.Count(r => r.Key.StartsWith("bystander-"))), Is.EqualTo(10));
            Assert.That(second.Entry(theirs).State, Is.EqualTo(EntityState.Modified), "a failed step's changes stay staged");
            Assert.That(first.Entry(mine).State, Is.EqualTo(EntityState.Unchanged), "a committed step's changes are accepted");
        });
    }

    [Test]
    public async Task A_removal_of_a_row_changed_since_fails_alone()
    {
        await Save(db => db.Tasks.Add(new TaskRecord { Id = "t2", Status = TaskStatuses.Open, Stamp = "a" }));
        using var scope = _services.CreateScope();
        var stale = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        var task = await stale.Tasks.SingleAsync(t => t.Id == "t2");
        await Save(db => { var t = db.Tasks.Single(x => x.Id == "t2"); t.Assignee = "reviewer01"; t.Stamp = "b"; });
        stale.Tasks.Remove(task);

        Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => stale.CommitAsync());
        Assert.That(Read(db => db.Tasks.Any(t => t.Id == "t2")), Is.True);
    }

    [Test]
    public async Task A_taken_key_fails_its_step_with_the_providers_error_and_the_rest_of_the_group_commits()
    {
        await Save(db => db.Idempotency.Add(Record("taken")));
        var saves = Enumerable.Range(0, 20).Select(i => Save(db => db.Idempotency.Add(Record(i == 7 ? "taken" : $"other-{i}")))).ToArray();
        var outcomes = await Task.WhenAll(saves.Select(async t => { try { await t; return null; } catch (Exception ex) { return ex; } }));

        Assert.Multiple(() =>
        {
            Assert.That(outcomes[7], Is.InstanceOf<DbUpdateException>());
            Assert.That(outcomes[7]!.InnerException, Is.InstanceOf<PostgresException>().With.Property("SqlState").EqualTo(PostgresErrorCodes.UniqueViolation));
            Assert.That(GovFlow.Host.Cases.CaseService.IsUniqueViolation((DbUpdateException)outcomes[7]!), Is.True, "the callers' catch paths see a taken key");
            Assert.That(outcomes.Where((_, i) => i != 7), Is.All.Null);
            Assert.That(Read(db => db.Idempotency.Count()), Is.EqualTo(20), "the first \"taken\" and the 19 others");
        });
    }

    [Test]
    public async Task Steps_queued_together_share_a_commit_and_one_failing_in_the_middle_leaves_those_before_and_after_it_written()
    {
        await Save(db =>
        {
            db.Idempotency.Add(Record("taken"));
            db.Tasks.Add(new TaskRecord { Id = "held", Status = TaskStatuses.Open, Stamp = "a" });
            db.Tasks.Add(new TaskRecord { Id = "stale", Status = TaskStatuses.Open, Stamp = "a" });
        });
        using var staleScope = _services.CreateScope();
        var staleDb = staleScope.ServiceProvider.GetRequiredService<GovFlowDb>();
        var stale = await staleDb.Tasks.SingleAsync(t => t.Id == "stale");
        await Save(db => { var t = db.Tasks.Single(x => x.Id == "stale"); t.Assignee = "reviewer01"; t.Stamp = "b"; });
        stale.Assignee = "reviewer02";
        stale.Stamp = "c";
        staleDb.Idempotency.Add(Record("with-the-stale-one"));

        // Another connection holds the row the first step changes, so the writer waits in that step's group while the
        // others queue behind it; released, they go as the next group, in the order they were queued.
        await using var other = new NpgsqlConnection(Database.Connection(_configuration).Connection);
        await other.OpenAsync();
        await using var holding = await other.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM tasks WHERE \"Id\" = 'held' FOR UPDATE", other, holding)) await lockRow.ExecuteNonQueryAsync();
        var first = Save(db => { var t = db.Tasks.Single(x => x.Id == "held"); t.Assignee = "reviewer03"; t.Stamp = "b"; });
        await WaitUntilWaitingForALockAsync();
        var before = Writer.Counts;
        var queued = new List<Task>
        {
            Save(db => db.Idempotency.Add(Record("before-1"))),
            Save(db => db.Idempotency.Add(Record("taken"))),
            Save(db => db.Idempotency.Add(Record("between"))),
            staleDb.CommitAsync(),
            Save(db => db.Idempotency.Add(Record("after-1"))),
            Save(db => db.Idempotency.Add(Record("after-2"))),
        };
        await holding.RollbackAsync();
        await first;
        var outcomes = await Task.WhenAll(queued.Select(async t => { try { await t; return null; } catch (Exception ex) { return ex; } }));

        var after = Writer.Counts;
        Assert.Multiple(() =>
        {
            Assert.That((after.Groups - before.Groups, after.Steps - before.Steps), Is.EqualTo((2, 5)), "the held step's group, then one group of the six queued (the two failed ones not counted)");
            Assert.That(outcomes[1], Is.InstanceOf<DbUpdateException>().And.InnerException.InstanceOf<PostgresException>(), "the taken key, as EF tells it");
            Assert.That(outcomes[3], Is.InstanceOf<DbUpdateConcurrencyException>(), "the stale stamp, as EF tells it");
            Assert.That(outcomes.Where((_, i) => i is not (1 or 3)), Is.All.Null);
            Assert.That(Read(db => db.Idempotency.Select(r => r.Key).Where(k => k != "taken").OrderBy(k => k).ToList()),
                Is.EqualTo(new[] { "after-1", "after-2", "before-1", "between" }), "the steps on either side of the failed ones are written, the stale step's own row is not");
            Assert.That(Read(db => db.Tasks.Single(t => t.Id == "stale").Assignee), Is.EqualTo("reviewer01"));
            Assert.That(Read(db => db.Tasks.Single(t => t.Id == "held").Assignee), Is.EqualTo("reviewer03"));
        });
    }

    // Until the writer's connection waits for the row lock held by the test's other connection.
    private async Task WaitUntilWaitingForALockAsync()
    {
        await using var watch = new NpgsqlConnection(Database.Connection(_configuration).Connection);
        await watch.OpenAsync();
        for (var i = 0; i < 200; i++)
        {
            await using var waiting = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", watch);
            if ((long)(await waiting.ExecuteScalarAsync())! > 0) return;
            await Task.Delay(50);
        }
        Assert.Fail("the writer never waited for the held row");
    }

    [Test]
    public async Task An_encrypted_column_is_written_encrypted_and_reads_back_decrypted_after_an_update()
    {
        await Save(db => db.Instances.Add(new InstanceRecord { Id = "i1", DefinitionId = "d", DefinitionVersionId = "d:1", Status = "Running", SubStatus = "", StateJson = "{\"idNumber\":\"first\"}", UpdatedAt = DateTimeOffset.UnixEpoch, Stamp = "a" }));
        await Save(db =>
        {
            var instance = db.Instances.Single(i => i.Id == "i1");
            instance.StateJson = "{\"idNumber\":\"440305194501011234\"}";
            instance.UpdatedAt = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
            instance.Stamp = "b";
        });

        await using var raw = Database.Unprotected(_configuration);
        var stored = await raw.Instances.AsNoTracking().SingleAsync(i => i.Id == "i1");
        var read = Read(db => db.Instances.AsNoTracking().Single(i => i.Id == "i1"));
        Assert.Multiple(() =>
        {
            Assert.That(read.StateJson, Is.EqualTo("{\"idNumber\":\"440305194501011234\"}"));
            Assert.That(read.UpdatedAt, Is.EqualTo(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero)), "timestamptz as EF maps it");
            Assert.That(stored.StateJson, Does.Not.Contain("440305194501011234"), "stored encrypted");
        });
    }

    private async Task Save(Action<GovFlowDb> change)
    {
        using var scope = _services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        change(db);
        await db.CommitAsync();
    }

    private T Read<T>(Func<GovFlowDb, T> query)
    {
        using var scope = _services.CreateScope();
        return query(scope.ServiceProvider.GetRequiredService<GovFlowDb>());
    }

    private static IdempotencyRecord Record(string key) => new() { Key = key, StatusCode = 201, ResponseJson = "{}", CreatedAt = DateTimeOffset.UnixEpoch };
}
