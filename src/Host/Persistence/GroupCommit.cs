using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Persistence;

/// <summary>
/// The one writer of a database in this process: requests hand it their staged changes, and it writes every step
/// that is waiting at that moment in one transaction, each step under its own savepoint, so the group pays one commit
/// (one sync of the log) instead of one per step. The provider's writer says how a step's rows reach its database.
/// </summary>
/// <remarks>
/// A step that fails (a concurrency token that no longer matches, a unique key taken) is rolled back to its savepoint
/// and reported to its own request only; the others in the group commit. A step is acknowledged only after the group's
/// commit has returned, so an acknowledged step is as durable as one committed alone. If the group cannot commit (the
/// connection broke), none of its steps is acknowledged and the next group starts on a new connection.
/// </remarks>
public abstract class GroupCommit
{
    /// <summary>At most this many steps share one commit, so one group never keeps the others waiting long.</summary>
    public const int MaxGroup = 64;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private long _groups;
    private long _steps;

    /// <summary>Starts the writer's loop; the provider's writer opens its connection with its first group.</summary>
    protected GroupCommit() => _ = Task.Run(RunAsync);

    /// <summary>Commits so far and the steps they carried (for tests and diagnostics).</summary>
    public (long Groups, long Steps) Counts => (Interlocked.Read(ref _groups), Interlocked.Read(ref _steps));

    /// <summary>
    /// Writes the changes staged in <paramref name="source"/> in the next group and returns once that group has
    /// committed. The source's changes are not accepted here; the caller accepts them after a success.
    /// </summary>
    public Task<int> CommitAsync(GovFlowDb source, CancellationToken cancellationToken)
    {
        var pending = new Pending(source, cancellationToken);
        if (!_queue.Writer.TryWrite(pending)) throw new InvalidOperationException("The database's writer has stopped.");
        return pending.Done.Task;
    }

    /// <summary>
    /// Writes one group in one transaction and commits it. A step that fails alone is rolled back to its savepoint and
    /// told here (<see cref="Pending.Done"/>); the steps returned are those the commit carried, told by the caller.
    /// Throws when the group as a whole did not commit.
    /// </summary>
    protected abstract ValueTask<IReadOnlyList<(Pending Step, int Rows)>> WriteAsync(IReadOnlyList<Pending> group);

    /// <summary>Drops the connection after a group failed, so the next group opens another.</summary>
    protected abstract void Reset();

    private async Task RunAsync()
    {
        var group = new List<Pending>(MaxGroup);
        while (await _queue.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var next))
                if (next.CancellationToken.IsCancellationRequested) next.Done.TrySetCanceled(next.CancellationToken);
                else group.Add(next);
            if (group.Count == 0) continue;
            IReadOnlyList<(Pending Step, int Rows)> written;
            try
            {
                written = await WriteAsync(group);
            }
            catch (Exception ex)
            {
                // The group did not commit: none of its steps happened.
                foreach (var step in group) step.Done.TrySetException(ex);
                try { Reset(); } catch (Exception) { /* the connection is gone either way */ }
                continue;
            }
            Interlocked.Increment(ref _groups);
            Interlocked.Add(ref _steps, written.Count);
            foreach (var (step, rows) in written) step.Done.TrySetResult(rows);
        }
    }

    /// <summary>One request's step waiting for its group.</summary>
    protected sealed record Pending(GovFlowDb Source, CancellationToken CancellationToken)
    {
        /// <summary>Completed with the rows written once the group committed, or with the step's own failure.</summary>
        public TaskCompletionSource<int> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>How a unit of work's staged rows reach the database.</summary>
public static class UnitOfWork
{
    /// <summary>
    /// Commits what <paramref name="db"/> staged: on SQLite and PostgreSQL through the database's one writer in this
    /// process, which commits concurrent steps together (a step that fails rolls back alone and keeps its changes
    /// staged); on SQL Server with the context's own transaction. Throws what EF throws for a stale stamp or a taken key.
    /// </summary>
    public static async Task<int> CommitAsync(this GovFlowDb db, CancellationToken cancellationToken = default)
    {
        // The inbox's tally deltas are staged rows like the step's own, so every writer below commits them with the step.
        InboxTallies.Stage(db);
        if (db.Database.GetConnectionString() is not { } connection) return await db.SaveChangesAsync(cancellationToken);
        GroupCommit? writer = db.Database.IsSqlite() ? SqliteGroupCommit.For(connection)
            : db.Database.IsNpgsql() ? PostgresGroupCommit.For(connection)
            : null;
        if (writer is null) return await db.SaveChangesAsync(cancellationToken);
        db.IndexPersonalData();
        db.ChangeTracker.DetectChanges();
        var rows = await writer.CommitAsync(db, cancellationToken);
        db.ChangeTracker.AcceptAllChanges();
        return rows;
    }
}
