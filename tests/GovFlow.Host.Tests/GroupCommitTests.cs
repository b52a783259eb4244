using GovFlow.Host.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace GovFlow.Host.Tests;

/// <summary>The SQLite writer: concurrent steps share commits, and a failing step fails alone.</summary>
[TestFixture]
public sealed class GroupCommitTests : DataDirFixture
{
    private ServiceProvider _services = null!;

    [SetUp]
    public void Start()
    {
        _services = new ServiceCollection().AddGovFlowDatabase(Configuration()).BuildServiceProvider();
        Database.Migrate(_services);
    }

    [TearDown]
    public void Stop() => _services.Dispose();

    [Test]
    public async Task Concurrent_steps_share_commits_and_all_of_them_land()
    {
        var writer = SqliteGroupCommit.For(Database.Connection(Configuration()).Connection);
        var before = writer.Counts;
        await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Save(db => db.Idempotency.Add(Record($"step-{i}")))));

        var after = writer.Counts;
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
            Assert.That(outcomes[1], Is.InstanceOf<DbUpdateConcurrencyException>(), "the stale writer is told");
            Assert.That(outcomes.Skip(2), Is.All.Null, "bystanders commit");
            Assert.That(Read(db => db.Tasks.Single(t => t.Id == "t1").Assignee), Is.EqualTo("reviewer01"));
            Assert.That(Read(db => db.Idempotency.Any(r => r.Key == "with-the-loser")), Is.False, "the loser's other rows are rolled back with it");
            Assert.That(Read(db => db.Idempotency.Count(r => r.Key.StartsWith("bystander-"))), Is.EqualTo(10));
            Assert.That(second.Entry(theirs).State, Is.EqualTo(EntityState.Modified), "a failed step's changes stay staged");
            Assert.That(first.Entry(mine).State, Is.EqualTo(EntityState.Unchanged), "a committed step's changes are accepted");
        });
    }

    [Test]
    public async Task A_taken_key_fails_its_step_with_the_providers_error()
    {
        await Save(db => db.Idempotency.Add(Record("taken")));
        var ex = Assert.ThrowsAsync<DbUpdateException>(() => Save(db => db.Idempotency.Add(Record("taken"))));
        Assert.That(ex!.InnerException, Is.InstanceOf<Microsoft.Data.Sqlite.SqliteException>().With.Property("SqliteErrorCode").EqualTo(19));
        await Save(db => db.Idempotency.Add(Record("after")));
        Assert.That(Read(db => db.Idempotency.Count()), Is.EqualTo(2), "the writer goes on after a failed step");
    }

    private IConfiguration Configuration() =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["GovFlow:DataDir"] = DataDir }).Build();

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
