using System.Collections.Concurrent;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace GovFlow.Host.Persistence;

/// <summary>
/// The one writer of a PostgreSQL database in this process (see <see cref="GroupCommit"/>): the steps waiting share
/// one transaction and one commit, and each step reaches the server as one batch in one round trip.
/// </summary>
/// <remarks>
/// Committed alone through EF, a step cost the server a commit (a flush of its log) and the host three round trips
/// (begin with the writes, the commit, the pool's reset). Here a step's batch is
/// <c>SAVEPOINT</c>, its updates and removals with their concurrency checks, its inserts, and the release of the
/// previous step's savepoint in front; the statements' text repeats, so the connection prepares them once. A changed
/// or removed row must match its key and its concurrency tokens' original values: a command that touched no row
/// fails the step as EF would (<see cref="DbUpdateConcurrencyException"/>); a server error (a unique key taken)
/// fails it as a <see cref="DbUpdateException"/> around the <see cref="PostgresException"/>. Either way the step
/// is rolled back to its savepoint and the group goes on.
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
        _connectionString = builder.ConnectionString;
    }

    /// <summary>The writer of one database (by connection string).</summary>
    public static PostgresGroupCommit For(string connectionString) => Writers.GetOrAdd(connectionString, cs => new PostgresGroupCommit(cs));

    /// <inheritdoc />
    protected override async ValueTask<IReadOnlyList<(Pending Step, int Rows)>> WriteAsync(IReadOnlyList<Pending> group)
    {
        var written = new List<(Pending Step, int Rows)>(group.Count);
        if (_connection is null)
        {
            var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync();
            _connection = connection;
        }
        // The BEGIN travels with the first step's batch.
        await using var transaction = await _connection.BeginTransactionAsync();
        var savepoint = false;
        foreach (var step in group)
        {
            await using var batch = new NpgsqlBatch(_connection, transaction);
            List<(NpgsqlBatchCommand Command, EntityEntry Entry)> checks;
            try
            {
                checks = Stage(step.Source, batch);
            }
            catch (Exception ex)
            {
                // Nothing was sent for this step (a value its converter refused): it fails alone.
                step.Done.TrySetException(ex);
                continue;
            }
            if (batch.BatchCommands.Count == 0)
            {
                written.Add((step, 0));
                continue;
            }
            batch.BatchCommands.Insert(0, new NpgsqlBatchCommand("SAVEPOINT step"));
            // The previous step's savepoint is released here rather than in its own batch: after its batch returned, a
            // stale concurrency check still had to be able to roll it back.
            if (savepoint) batch.BatchCommands.Insert(0, new NpgsqlBatchCommand("RELEASE SAVEPOINT step"));
            var first = savepoint ? 2 : 1;
            savepoint = true;
            try
            {
                await batch.ExecuteNonQueryAsync();
                foreach (var (command, entry) in checks)
                    if (command.RecordsAffected != 1)
                        throw new DbUpdateConcurrencyException(
                            $"The {entry.Metadata.ClrType.Name} to {(entry.State == EntityState.Deleted ? "remove" : "change")} was changed or removed since it was read.");
                var rows = 0;
                for (var i = first; i < batch.BatchCommands.Count; i++) rows += batch.BatchCommands[i].RecordsAffected;
                written.Add((step, rows));
            }
            catch (Exception ex) when (ex is PostgresException or DbUpdateConcurrencyException)
            {
                await using (var rollback = new NpgsqlCommand("ROLLBACK TO SAVEPOINT step", _connection, transaction))
                    await rollback.ExecuteNonQueryAsync();
                step.Done.TrySetException(ex switch
                {
                    // Another node's group holds the rows this step changes in the other order: the server aborted this
                    // step, which lost a race as a stale stamp does, and its request answers as it would to one.
                    PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure } lost =>
                        new DbUpdateConcurrencyException($"Writing the step lost a race with another writer: {lost.MessageText}", lost),
                    PostgresException server => new DbUpdateException($"Writing the step failed: {server.MessageText}", server),
                    _ => ex,
                });
            }
        }
        await transaction.CommitAsync();
        return written;
    }

    /// <inheritdoc />
    protected override void Reset()
    {
        _connection?.Dispose();
        _connection = null;
    }

    /// <summary>
    /// Adds the source's changes and removals, then its new rows, to the batch; returns the commands that must touch
    /// exactly one row. Changes and removals come first so a stale token fails the step before anything is inserted.
    /// </summary>
    private List<(NpgsqlBatchCommand Command, EntityEntry Entry)> Stage(GovFlowDb source, NpgsqlBatch batch)
    {
        var checks = new List<(NpgsqlBatchCommand, EntityEntry)>();
        var added = new List<EntityEntry>();
        // The request detected its changes before queueing; detecting them again here would cost the one writer.
        source.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            foreach (var entry in source.ChangeTracker.Entries())
                switch (entry.State)
                {
                    case EntityState.Added: added.Add(entry); break;
                    case EntityState.Modified when Update(entry) is { } update: batch.BatchCommands.Add(update); checks.Add((update, entry)); break;
                    case EntityState.Deleted: var delete = Delete(entry); batch.BatchCommands.Add(delete); checks.Add((delete, entry)); break;
                }
        }
        finally
        {
            source.ChangeTracker.AutoDetectChangesEnabled = true;
        }
        foreach (var entry in added) batch.BatchCommands.Add(Insert(entry));
        return checks;
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
