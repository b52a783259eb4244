using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Persistence;

/// <summary>
/// The one writer of a SQLite database in this process (see <see cref="GroupCommit"/>): every step waiting is written
/// in one transaction, each under its own savepoint, and the log is synced once for the group.
/// </summary>
/// <remarks>
/// SQLite has one writer at a time anyway. Committing each step alone made every step pay a sync of the log, the
/// rewrite of the index pages it shares with the steps around it, and a blocked request thread while it waited for
/// the lock.
/// </remarks>
public sealed class SqliteGroupCommit : GroupCommit
{
    private static readonly ConcurrentDictionary<string, SqliteGroupCommit> Writers = new();

    private readonly string _connectionString;
    private Session? _session;

    private SqliteGroupCommit(string connectionString) => _connectionString = connectionString;

    /// <summary>The writer of one database (by connection string).</summary>
    public static SqliteGroupCommit For(string connectionString) => Writers.GetOrAdd(connectionString, cs => new SqliteGroupCommit(cs));

    /// <inheritdoc />
    protected override ValueTask<IReadOnlyList<(Pending Step, int Rows)>> WriteAsync(IReadOnlyList<Pending> group)
    {
        // SQLite's driver is synchronous underneath: the writer's own thread does the work.
        var written = new List<(Pending Step, int Rows)>(group.Count);
        var session = _session ??= new Session(_connectionString);
        using var transaction = session.Connection.BeginTransaction();
        session.Begin(transaction);
        try
        {
            foreach (var step in group)
            {
                transaction.Save("step");
                try
                {
                    written.Add((step, session.Write(step.Source, transaction)));
                    transaction.Release("step");
                }
                catch (Exception ex)
                {
                    transaction.Rollback("step");
                    transaction.Release("step");
                    step.Done.TrySetException(ex);
                }
            }
            transaction.Commit();
        }
        finally
        {
            session.End();
        }
        return ValueTask.FromResult<IReadOnlyList<(Pending Step, int Rows)>>(written);
    }

    /// <inheritdoc />
    protected override void Reset()
    {
        _session?.Dispose();
        _session = null;
    }

    /// <summary>
    /// The writer's connection, kept open so its page cache stays warm and its insert statements stay prepared, and
    /// the context that writes changes and removals (with their concurrency checks) on it.
    /// </summary>
    private sealed class Session : IDisposable
    {
        private GovFlowDb _writer;
        private readonly Dictionary<Type, PreparedInsert> _inserts = [];

        public Session(string connectionString)
        {
            Connection = new SqliteConnection(connectionString);
            Connection.Open();
            SqliteDurability.Instance.Apply(Connection);
            using (var cache = Connection.CreateCommand())
            {
                // 32 MB of page cache rather than 2: the one writer touches the indexes' right-hand pages again and again.
                cache.CommandText = "PRAGMA cache_size=-32768;";
                cache.ExecuteNonQuery();
            }
            _writer = Writer(null);
        }

        // The writer encrypts as the requests' contexts do: same protector, same model and converters.
        private GovFlowDb Writer(Security.PersonalDataProtector? protector)
        {
            var options = new DbContextOptionsBuilder<SqliteGovFlowDb>().UseSqlite(Connection);
            if (protector is not null) options.UsePersonalDataProtection(protector);
            var writer = new SqliteGovFlowDb(options.Options);
            writer.Database.AutoSavepointsEnabled = false;
            // The source staged the tally deltas of its tasks; the writer replays them, it must not derive them again.
            writer.KeepsTaskTallies = false;
            writer.ChangeTracker.AutoDetectChangesEnabled = false;
            return writer;
        }

        // A host of other keys on the same database (a test's rotation) gets a writer of its keys.
        private void Follow(GovFlowDb source, SqliteTransaction transaction)
        {
            if (ReferenceEquals(source.Protector, _writer.Protector)) return;
            foreach (var insert in _inserts.Values) insert.Dispose();
            _inserts.Clear();
            _writer.Dispose();
            _writer = Writer(source.Protector);
            _writer.Database.UseTransaction(transaction);
        }

        public SqliteConnection Connection { get; }

        public void Begin(SqliteTransaction transaction) => _writer.Database.UseTransaction(transaction);

        public void End() => _writer.Database.UseTransaction(null);

        /// <summary>Writes one step's rows: new rows through prepared inserts, changes and removals through EF.</summary>
        public int Write(GovFlowDb source, SqliteTransaction transaction)
        {
            Follow(source, transaction);
            // The request detected its changes before queueing; detecting them again here would cost the one writer.
            source.ChangeTracker.AutoDetectChangesEnabled = false;
            try
            {
                // Changes and removals first: a stale concurrency token fails the step before anything is inserted.
                var added = new List<object>();
                foreach (var entry in source.ChangeTracker.Entries())
                    if (entry.State == EntityState.Added) added.Add(entry.Entity);
                    else Stage(entry, _writer);
                var rows = _writer.SaveChanges(acceptAllChangesOnSuccess: false);
                foreach (var entity in added) rows += Insert(entity, transaction);
                return rows;
            }
            finally
            {
                source.ChangeTracker.AutoDetectChangesEnabled = true;
                _writer.ChangeTracker.Clear();
            }
        }

        private int Insert(object entity, SqliteTransaction transaction)
        {
            if (!_inserts.TryGetValue(entity.GetType(), out var insert))
                _inserts[entity.GetType()] = insert = new PreparedInsert(Connection, _writer.Model.FindEntityType(entity.GetType())
                    ?? throw new InvalidOperationException($"{entity.GetType().Name} is not in the model."));
            try { return insert.Execute(entity, transaction); }
            catch (SqliteException ex) { throw new DbUpdateException($"Inserting a {entity.GetType().Name} failed: {ex.Message}", ex); }
        }

        public void Dispose()
        {
            foreach (var insert in _inserts.Values) insert.Dispose();
            _writer.Dispose();
            Connection.Dispose();
        }
    }

    /// <summary>An INSERT of every mapped column of one entity type, prepared once on the writer's connection.</summary>
    private sealed class PreparedInsert : IDisposable
    {
        private readonly SqliteCommand _command;
        private readonly (Microsoft.EntityFrameworkCore.Metadata.IProperty Property, Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? Converter, SqliteParameter Parameter)[] _columns;

        public PreparedInsert(SqliteConnection connection, Microsoft.EntityFrameworkCore.Metadata.IEntityType type)
        {
            var properties = type.GetProperties().ToArray();
            _command = connection.CreateCommand();
            _command.CommandText = $"INSERT INTO \"{type.GetTableName()}\" ({string.Join(", ", properties.Select(p => $"\"{p.GetColumnName()}\""))}) " +
                                   $"VALUES ({string.Join(", ", properties.Select((_, i) => $"$p{i}"))})";
            _columns = properties.Select((p, i) => (p, p.GetValueConverter() ?? p.GetTypeMapping().Converter, _command.Parameters.Add(new SqliteParameter($"$p{i}", null)))).ToArray();
        }

        public int Execute(object entity, SqliteTransaction transaction)
        {
            _command.Transaction = transaction;
            foreach (var (property, converter, parameter) in _columns)
            {
                var value = property.GetGetter().GetClrValueUsingContainingEntity(entity);
                if (value != null && converter != null) value = converter.ConvertToProvider(value);
                parameter.Value = value ?? DBNull.Value;
            }
            return _command.ExecuteNonQuery();
        }

        public void Dispose() => _command.Dispose();
    }

    /// <summary>Tracks one changed or removed row of the source in the writer, with its original values (the concurrency tokens).</summary>
    private static void Stage(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry entry, GovFlowDb writer)
    {
        if (entry.State is not (EntityState.Modified or EntityState.Deleted)) return;
        var staged = writer.Entry(entry.Entity);
        staged.State = EntityState.Unchanged;
        // By name: the writer's model is its own instance of the same model, and EF refuses metadata of another instance.
        foreach (var property in entry.Properties)
        {
            var target = staged.Property(property.Metadata.Name);
            target.OriginalValue = property.OriginalValue;
            if (entry.State == EntityState.Modified && property.IsModified) target.IsModified = true;
        }
        if (entry.State == EntityState.Deleted) staged.State = EntityState.Deleted;
    }
}
