using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Persistence;

/// <summary>
/// The one writer of a SQLite database in this process. Requests hand it their staged changes; it writes every step
/// that is waiting into one transaction, each step under its own savepoint, and syncs the log once for the group.
/// </summary>
/// <remarks>
/// SQLite has one writer at a time anyway. Committing each step alone made every step pay a sync of the log, the
/// rewrite of the index pages it shares with the steps around it, and a blocked request thread while it waited for
/// the lock. A step that fails (a concurrency token that no longer matches, a unique key taken) is rolled back to
/// its savepoint and reported to its own request only; the others in the group commit. A step is acknowledged only
/// after the group's commit has synced, so an acknowledged step is as durable as before.
/// </remarks>
public sealed class SqliteGroupCommit
{
    private static readonly ConcurrentDictionary<string, SqliteGroupCommit> Writers = new();

    /// <summary>At most this many steps share one commit, so one group never keeps the others waiting long.</summary>
    public const int MaxGroup = 64;

    private readonly string _connectionString;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly DbContextOptions<GovFlowDb> _writerOptions;
    private long _groups;
    private long _steps;

    private SqliteGroupCommit(string connectionString)
    {
        _connectionString = connectionString;
        _writerOptions = new DbContextOptionsBuilder<GovFlowDb>().UseSqlite(connectionString)
            .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.PendingModelChangesWarning)).Options;
        _ = Task.Run(RunAsync);
    }

    /// <summary>The writer of one database (by connection string).</summary>
    public static SqliteGroupCommit For(string connectionString) => Writers.GetOrAdd(connectionString, cs => new SqliteGroupCommit(cs));

    /// <summary>Commits so far and the steps they carried (for the load figures and tests).</summary>
    public (long Groups, long Steps) Counts => (Interlocked.Read(ref _groups), Interlocked.Read(ref _steps));

    /// <summary>
    /// Writes the changes staged in <paramref name="source"/> in the next group and returns once that group has
    /// committed. The source's changes are not accepted here; the caller accepts them after a success.
    /// </summary>
    public Task<int> CommitAsync(GovFlowDb source, CancellationToken cancellationToken)
    {
        var pending = new Pending(source, cancellationToken);
        if (!_queue.Writer.TryWrite(pending)) throw new InvalidOperationException("The SQLite writer has stopped.");
        return pending.Done.Task;
    }

    private async Task RunAsync()
    {
        var group = new List<Pending>(MaxGroup);
        while (await _queue.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var next))
                if (next.CancellationToken.IsCancellationRequested) next.Done.TrySetCanceled(next.CancellationToken);
                else group.Add(next);
            if (group.Count > 0) Write(group);
        }
    }

    private void Write(List<Pending> group)
    {
        var written = new List<(Pending Step, int Rows)>(group.Count);
        try
        {
            using var connection = new SqliteConnection(_connectionString);
            connection.Open();
            SqliteDurability.Instance.Apply(connection);
            using var transaction = connection.BeginTransaction();
            using var writer = new GovFlowDb(_writerOptions, isGroupWriter: true);
            writer.Database.SetDbConnection(connection);
            writer.Database.UseTransaction(transaction);
            writer.Database.AutoSavepointsEnabled = false;
            writer.ChangeTracker.AutoDetectChangesEnabled = false;
            foreach (var step in group)
            {
                transaction.Save("step");
                try
                {
                    Stage(step.Source, writer);
                    written.Add((step, writer.SaveChanges(acceptAllChangesOnSuccess: false)));
                    transaction.Release("step");
                }
                catch (Exception ex)
                {
                    transaction.Rollback("step");
                    transaction.Release("step");
                    step.Done.TrySetException(ex);
                }
                finally
                {
                    writer.ChangeTracker.Clear();
                }
            }
            transaction.Commit();
        }
        catch (Exception ex)
        {
            // The group did not commit: none of its steps happened.
            foreach (var step in group) step.Done.TrySetException(ex);
            return;
        }
        Interlocked.Increment(ref _groups);
        Interlocked.Add(ref _steps, written.Count);
        foreach (var (step, rows) in written) step.Done.TrySetResult(rows);
    }

    /// <summary>Tracks the source's added, changed and removed rows in the writer, with their original values (the concurrency tokens).</summary>
    private static void Stage(GovFlowDb source, GovFlowDb writer)
    {
        foreach (var entry in source.ChangeTracker.Entries())
        {
            switch (entry.State)
            {
                case EntityState.Added:
                    writer.Entry(entry.Entity).State = EntityState.Added;
                    break;
                case EntityState.Deleted:
                    var deleted = writer.Entry(entry.Entity);
                    deleted.State = EntityState.Unchanged;
                    CopyOriginals(entry, deleted);
                    deleted.State = EntityState.Deleted;
                    break;
                case EntityState.Modified:
                    var modified = writer.Entry(entry.Entity);
                    modified.State = EntityState.Unchanged;
                    CopyOriginals(entry, modified);
                    foreach (var property in entry.Properties)
                        if (property.IsModified) modified.Property(property.Metadata.Name).IsModified = true;
                    break;
            }
        }
    }

    // By name: the writer's model is its own instance of the same model, and EF refuses metadata of another instance.
    private static void CopyOriginals(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry from, Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry to)
    {
        foreach (var property in from.Properties) to.Property(property.Metadata.Name).OriginalValue = property.OriginalValue;
    }

    private sealed record Pending(GovFlowDb Source, CancellationToken CancellationToken)
    {
        public TaskCompletionSource<int> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
