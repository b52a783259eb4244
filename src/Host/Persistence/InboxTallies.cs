using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Persistence;

/// <summary>
/// The inbox's counts kept as the steps commit: every commit that opens, moves or closes a task appends signed
/// <see cref="TaskTally"/> rows for the keys it changed, derived here from the change tracker so no caller has to
/// remember, and <see cref="FoldAsync"/> folds a key's rows into one now and then. The sum of a key's rows is the
/// number of open and claimed tasks with that key.
/// </summary>
public static class InboxTallies
{
    /// <summary>The key a task counts under; equal keys fold into one row.</summary>
    private readonly record struct Key(string Department, string? Assignee, string Status, string MatterCode, string StepName, DateTimeOffset? DueAt, DateTimeOffset? YellowFrom);

    /// <summary>
    /// Adds to <paramref name="db"/> the tally deltas of the tasks it has staged: +1 for a task that starts counting
    /// under a key, -1 for one that stops (it closed, or moved to another key). Called at the commit boundary (the
    /// context's SaveChanges and <see cref="UnitOfWork.CommitAsync"/>), after changes were detected. Deltas staged
    /// by an earlier attempt of the same commit are replaced, so a step retried after a failure counts once.
    /// </summary>
    public static void Stage(GovFlowDb db)
    {
        if (!db.KeepsTaskTallies) return;
        foreach (var earlier in db.StagedTallies)
            if (db.Entry(earlier).State is EntityState.Added or EntityState.Unchanged) db.Entry(earlier).State = EntityState.Detached;
        db.StagedTallies.Clear();
        Dictionary<Key, int>? deltas = null;
        foreach (var entry in db.ChangeTracker.Entries<TaskRecord>())
        {
            var (before, after) = entry.State switch
            {
                EntityState.Added => (null, Counted(entry, original: false)),
                EntityState.Deleted => (Counted(entry, original: true), null),
                EntityState.Modified => (Counted(entry, original: true), Counted(entry, original: false)),
                _ => ((Key?)null, (Key?)null)
            };
            if (before == after) continue;
            deltas ??= [];
            if (before is { } gone) deltas[gone] = deltas.GetValueOrDefault(gone) - 1;
            if (after is { } come) deltas[come] = deltas.GetValueOrDefault(come) + 1;
        }
        if (deltas is null) return;
        foreach (var (key, count) in deltas)
        {
            if (count == 0) continue;
            var tally = Row(key, count);
            db.Add(tally);
            db.StagedTallies.Add(tally);
        }
    }

    // The key a task counts under as loaded (original) or as staged; none once it is closed.
    private static Key? Counted(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry<TaskRecord> entry, bool original)
    {
        T Value<T>(System.Linq.Expressions.Expression<Func<TaskRecord, T>> property) =>
            original ? entry.Property(property).OriginalValue : entry.Property(property).CurrentValue;
        var status = Value(t => t.Status);
        return TaskStatuses.IsOpen(status)
            ? new Key(Value(t => t.Department), Value(t => t.Assignee), status, Value(t => t.MatterCode), Value(t => t.StepName), Value(t => t.DueAt), Value(t => t.YellowFrom))
            : null;
    }

    private static TaskTally Row(Key key, int count) => new()
    {
        Id = Guid.CreateVersion7().ToString("N"), Department = key.Department, Assignee = key.Assignee, Status = key.Status,
        MatterCode = key.MatterCode, StepName = key.StepName, DueAt = key.DueAt, YellowFrom = key.YellowFrom, Count = count
    };

    /// <summary>
    /// Folds the rows of up to <paramref name="maxKeys"/> keys that have more than one row (or sum to nothing) into
    /// one row per key, dropping keys that sum to 0; returns the rows removed. Safe with two nodes folding at once:
    /// the rows are immutable, and the fold deletes exactly the rows it read and summed, or, when another fold took
    /// some of them first, rolls back and leaves them to that fold.
    /// </summary>
    public static async Task<int> FoldAsync(GovFlowDb db, int maxKeys, CancellationToken cancellationToken)
    {
        var keys = await db.TaskTallies.AsNoTracking()
            .GroupBy(t => new { t.Department, t.Assignee, t.Status, t.MatterCode, t.StepName, t.DueAt, t.YellowFrom })
            .Where(g => g.Count() > 1 || g.Sum(t => t.Count) == 0)
            .Select(g => g.Key).OrderBy(k => k.Department).ThenBy(k => k.DueAt).Take(maxKeys).ToListAsync(cancellationToken);
        if (keys.Count == 0) return 0;
        var wanted = keys.Select(k => new Key(k.Department, k.Assignee, k.Status, k.MatterCode, k.StepName, k.DueAt, k.YellowFrom)).ToHashSet();
        var departments = wanted.Select(k => k.Department).Distinct().ToList();
        // On SQLite this takes the write lock first (BEGIN IMMEDIATE), so the rows read are the rows deleted.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var rows = (await db.TaskTallies.AsNoTracking().Where(t => departments.Contains(t.Department)).ToListAsync(cancellationToken))
            .Where(r => wanted.Contains(KeyOf(r))).ToList();
        var removed = 0;
        foreach (var chunk in rows.Select(r => r.Id).Chunk(500))
            removed += await db.TaskTallies.Where(t => chunk.Contains(t.Id)).ExecuteDeleteAsync(cancellationToken);
        // Another node folded some of these rows since they were read: its sums hold them, ours would count them twice.
        if (removed != rows.Count) return 0;
        var folded = rows.GroupBy(KeyOf).Select(g => (g.Key, Count: g.Sum(r => r.Count))).Where(g => g.Count != 0).Select(g => Row(g.Key, g.Count)).ToList();
        db.TaskTallies.AddRange(folded);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return removed;
    }

    private static Key KeyOf(TaskTally t) => new(t.Department, t.Assignee, t.Status, t.MatterCode, t.StepName, t.DueAt, t.YellowFrom);

    /// <summary>
    /// The SQL that fills <c>task_tallies</c> from the open and claimed tasks of a database that had none (the
    /// migration that added the table, and the load driver after it seeds tasks past the host), on
    /// <paramref name="provider"/> (EF's provider name).
    /// </summary>
    public static string BackfillSql(string? provider)
    {
        var id = provider switch
        {
            "Npgsql.EntityFrameworkCore.PostgreSQL" => "md5(random()::text || clock_timestamp()::text)",
            "Microsoft.EntityFrameworkCore.SqlServer" => "REPLACE(CONVERT(nvarchar(36), NEWID()), '-', '')",
            _ => "lower(hex(randomblob(16)))"
        };
        const string key = "\"Department\", \"Assignee\", \"Status\", \"MatterCode\", \"StepName\", \"DueAt\", \"YellowFrom\"";
        return $"INSERT INTO \"task_tallies\" (\"Id\", {key}, \"Count\") SELECT {id}, {key}, COUNT(*) FROM \"tasks\" " +
               $"WHERE \"Status\" IN ('{TaskStatuses.Open}', '{TaskStatuses.Claimed}') GROUP BY {key}";
    }
}

/// <summary>Folds the inbox's tally rows every few seconds (on every node; folds on two nodes do not collide).</summary>
public sealed class TaskTallyFolder(IServiceScopeFactory scopes, ILogger<TaskTallyFolder> logger) : BackgroundService
{
    /// <summary>How often the rows appended since the last fold are folded.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                using var scope = scopes.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
                // A busy inbox folds a batch of keys per transaction rather than holding the writer long with one.
                for (var batch = 0; batch < 10 && await InboxTallies.FoldAsync(db, 2_000, stoppingToken) > 0; batch++) { }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not fold the inbox tallies");
            }
        }
    }
}
