using System.Collections.Concurrent;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace GovFlow.Host.Persistence;

/// <summary>
/// The one writer of a PostgreSQL database in this process (see <see cref="GroupCommit"/>): the steps waiting share
/// one transaction and one commit, and reach the server together as one batch in one round trip.
/// </summary>
/// <remarks>
/// Committed alone through EF, a step cost the server a commit (a flush of its log) and the host three round trips
/// (begin with the writes, the commit, the pool's reset); sent one batch a step, a group of six cost seven. Here a
/// group is one batch and the commit: each step behind its own <c>SAVEPOINT</c>, its updates and removals with their
/// concurrency checks, then its inserts; the statements' text repeats, so the connection prepares them once. A
/// changed or removed row must match its key and its concurrency tokens' original values: a command that touched no
/// row fails the step as EF would (<see cref="DbUpdateConcurrencyException"/>); a server error (a unique key taken)
/// fails it as a <see cref="DbUpdateException"/> around the <see cref="PostgresException"/>. Either way the step is
/// rolled back to its savepoint, which undoes the steps sent after it too; they go again in the next batch.
/// </remarks>
public sealed class PostgresGroupCommit : GroupCommit
{
    private static readonly ConcurrentDictionary<string, PostgresGroupCommit> Writers = new();

    private readonly string _connectionString;
    private NpgsqlConnection? _connection;
    // Parameters are made by EF's type mappings, which want a command to make them with; this one is never run.
    private readonly NpgsqlCommand _parameters = new();
    private readonly Dictionary<IEntityType, string> _inserts = [];

    private PostgresGroupCommit(string connectionString)
    {
        // The writer alone sends every step's statements: room to keep all of their shapes prepared.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Enlist = false };
        if (builder.MaxAutoPrepare < 256) builder.MaxAutoPrepare = 256;
        builder.AutoPrepareMinUsages = 2;
        // Which statement of a group's batch failed tells which step to roll back.
        builder.IncludeFailedBatchedCommand = true;
        _connectionString = builder.ConnectionString;
    }

    /// <summary>The writer of one database (by connection string).</summary>
    public static PostgresGroupCommit For(string connectionString) => Writers.GetOrAdd(connectionString, cs => new PostgresGroupCommit(cs));

    /// <inheritdoc />
    protected override async ValueTask<IReadOnlyList<(Pending Step, int Rows)>> WriteAsync(IReadOnlyList<Pending> group)
    {
        var written = new List<(Pending Step, int Rows)>(group.Count);
        var steps = new List<(Pending Step, StagedStep Staged)>(group.Count);
        foreach (var step in group)
        {
            try
            {
                var staged = Stage(step.Source);
                if (staged.Commands.Count == 0) written.Add((step, 0));
                else steps.Add((step, staged));
            }
            catch (Exception ex)
            {
                // Nothing is sent for this step (a value its converter refused): it fails alone.
                step.Done.TrySetException(ex);
            }
        }
        if (steps.Count == 0) return written;
        if (_connection is null)
        {
            var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync();
            _connection = connection;
        }
        // The BEGIN travels with the first batch.
        await using var transaction = await _connection.BeginTransactionAsync();
        for (var from = 0; from < steps.Count;)
        {
            from = await WriteFromAsync(steps, from, transaction, written);
            // A command belongs to the batch that sent it: the steps after a failed one are staged anew.
            for (var i = from; i < steps.Count; i++) steps[i] = (steps[i].Step, Stage(steps[i].Step.Source));
        }
        await transaction.CommitAsync();
        return written;
    }

    /// <summary>
    /// Sends the steps from <paramref name="from"/> on in one batch, each behind a savepoint of its own, and adds those
    /// that held to <paramref name="written"/>. When one failed, it alone is rolled back to its savepoint (the steps
    /// before it stay, the ones after it are undone with it) and is told; returns where the next batch starts.
    /// </summary>
    private async Task<int> WriteFromAsync(List<(Pending Step, StagedStep Staged)> steps, int from, NpgsqlTransaction transaction, List<(Pending Step, int Rows)> written)
    {
        await using var batch = new NpgsqlBatch(_connection, transaction);
        var parts = new List<(int Index, StagedStep Staged)>(steps.Count - from);
        for (var i = from; i < steps.Count; i++)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"SAVEPOINT s{i}"));
            parts.Add((i, steps[i].Staged));
            foreach (var command in steps[i].Staged.Commands) batch.BatchCommands.Add(command);
        }
        var failed = -1;
        Exception? failure = null;
        try
        {
            await batch.ExecuteNonQueryAsync();
        }
        catch (PostgresException ex) when (ex.BatchCommand is { } command && parts.FindIndex(p => p.Staged.Commands.Contains(command)) is >= 0 and var at)
        {
            failed = at;
            failure = ex;
        }
        if (failed < 0)
            for (var p = 0; p < parts.Count && failed < 0; p++)
                if (parts[p].Staged.Checks.FirstOrDefault(c => c.Command.RecordsAffected != 1) is { Command: not null } stale)
                {
                    failed = p;
                    failure = new DbUpdateConcurrencyException(
                        $"The {stale.Entry.Metadata.ClrType.Name} to {(stale.Entry.State == EntityState.Deleted ? "remove" : "change")} was changed or removed since it was read.");
                }
        for (var p = 0; p < (failed < 0 ? parts.Count : failed); p++)
            written.Add((steps[parts[p].Index].Step, parts[p].Staged.Commands.Sum(c => c.RecordsAffected)));
        if (failed < 0) return steps.Count;
        var index = parts[failed].Index;
        await using (var rollback = new NpgsqlCommand($"ROLLBACK TO SAVEPOINT s{index}", _connection, transaction))
            await rollback.ExecuteNonQueryAsync();
        steps[index].Step.Done.TrySetException(failure switch
        {
            // Another node's group holds the rows this step changes in the other order: the server aborted this
            // step, which lost a race as a stale stamp does, and its request answers as it would to one.
            PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure } lost =>
                new DbUpdateConcurrencyException($"Writing the step lost a race with another writer: {lost.MessageText}", lost),
            PostgresException server => new DbUpdateException($"Writing the step failed: {server.MessageText}", server),
            _ => failure!,
        });
        return index + 1;
    }

    /// <inheritdoc />
    protected override void Reset()
    {
        _connection?.Dispose();
        _connection = null;
    }

    // A step's commands in the order they are sent, and those of them that must touch exactly one row.
    private sealed record StagedStep(List<NpgsqlBatchCommand> Commands, List<(NpgsqlBatchCommand Command, EntityEntry Entry)> Checks);

    /// <summary>
    /// The source's changes and removals, then its new rows. Changes and removals come first so a stale token fails
    /// the step before anything is inserted.
    /// </summary>
    private StagedStep Stage(GovFlowDb source)
    {
        var staged = new StagedStep([], []);
        var added = new List<EntityEntry>();
        // The request detected its changes before queueing; detecting them again here would cost the one writer.
        source.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            foreach (var entry in source.ChangeTracker.Entries())
                switch (entry.State)
                {
                    case EntityState.Added: added.Add(entry); break;
                    case EntityState.Modified when Update(entry) is { } update: staged.Commands.Add(update); staged.Checks.Add((update, entry)); break;
                    case EntityState.Deleted: var delete = Delete(entry); staged.Commands.Add(delete); staged.Checks.Add((delete, entry)); break;
                }
        }
        finally
        {
            source.ChangeTracker.AutoDetectChangesEnabled = true;
        }
        foreach (var entry in added) staged.Commands.Add(Insert(entry));
        return staged;
    }

    private NpgsqlBatchCommand Insert(EntityEntry entry)
    {
        var type = entry.Metadata;
        var properties = type.GetProperties();
        if (!_inserts.TryGetValue(type, out var sql))
        {
            var columns = string.Join(", ", properties.Select(p => Quote(p.GetColumnName())));
            var values = string.Join(", ", properties.Select((_, i) => $"${i + 1}"));
            _inserts[type] = sql = $"INSERT INTO {Table(type)} ({columns}) VALUES ({values})";
        }
        var command = new NpgsqlBatchCommand(sql);
        foreach (var property in properties) command.Parameters.Add(Parameter(property, entry.CurrentValues[property]));
        return command;
    }

    private NpgsqlBatchCommand? Update(EntityEntry entry)
    {
        var sql = new StringBuilder("UPDATE ").Append(Table(entry.Metadata)).Append(" SET ");
        var command = new NpgsqlBatchCommand();
        var set = 0;
        foreach (var property in entry.Properties)
        {
            if (!property.IsModified || property.Metadata.IsPrimaryKey()) continue;
            if (set++ > 0) sql.Append(", ");
            sql.Append(Quote(property.Metadata.GetColumnName())).Append(" = $").Append(command.Parameters.Count + 1);
            command.Parameters.Add(Parameter(property.Metadata, property.CurrentValue));
        }
        // EF sends nothing for a row marked changed with no changed column, and checks nothing either.
        if (set == 0) return null;
        Where(entry, sql, command);
        command.CommandText = sql.ToString();
        return command;
    }

    private NpgsqlBatchCommand Delete(EntityEntry entry)
    {
        var sql = new StringBuilder("DELETE FROM ").Append(Table(entry.Metadata));
        var command = new NpgsqlBatchCommand();
        Where(entry, sql, command);
        command.CommandText = sql.ToString();
        return command;
    }

    // The row as the step read it: its key, and its concurrency tokens' original values.
    private void Where(EntityEntry entry, StringBuilder sql, NpgsqlBatchCommand command)
    {
        var clause = 0;
        foreach (var property in entry.Metadata.GetProperties())
        {
            if (!property.IsPrimaryKey() && !property.IsConcurrencyToken) continue;
            sql.Append(clause++ == 0 ? " WHERE " : " AND ").Append(Quote(property.GetColumnName()));
            var original = entry.OriginalValues[property];
            if (original is null) { sql.Append(" IS NULL"); continue; }
            sql.Append(" = $").Append(command.Parameters.Count + 1);
            command.Parameters.Add(Parameter(property, original));
        }
    }

    // EF's own mapping of the column: its converter (personal data encryption included) and its PostgreSQL type.
    private NpgsqlParameter Parameter(IProperty property, object? value) =>
        (NpgsqlParameter)property.GetRelationalTypeMapping().CreateParameter(_parameters, "", value, property.IsNullable);

    private static string Table(IEntityType type) =>
        type.GetSchema() is { } schema ? $"{Quote(schema)}.{Quote(type.GetTableName()!)}" : Quote(type.GetTableName()!);

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";
}
