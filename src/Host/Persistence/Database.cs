using GovFlow.Activities.Services;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Persistence;

/// <summary>
/// Chooses the provider (SQLite embedded by default, PostgreSQL or SQL Server for production and scale-out) and
/// migrates at start-up.
/// </summary>
public static class Database
{
    /// <summary>The provider (sqlite, postgres or sqlserver) and connection string from configuration.</summary>
    public static (string Provider, string Connection) Connection(IConfiguration configuration)
    {
        var provider = (configuration["provider"] ?? configuration["GovFlow:Provider"] ?? "sqlite").ToLowerInvariant();
        var connection = configuration["connection"] ?? configuration.GetConnectionString("GovFlow");
        switch (provider)
        {
            case "sqlite":
                var dataDir = DataDirectory(configuration);
                Directory.CreateDirectory(dataDir);
                return ("sqlite", connection ?? $"Data Source={Path.Combine(dataDir, "govflow.db")};Pooling=True;Default Timeout=30");
            case "postgres" or "postgresql":
                if (string.IsNullOrWhiteSpace(connection)) throw new InvalidOperationException("--provider postgres needs --connection (or ConnectionStrings:GovFlow).");
                // A step sends the same dozen INSERTs every time: unless the operator chose otherwise, let Npgsql
                // prepare statements it sees repeatedly so the server stops parsing and planning each one anew.
                var postgres = new Npgsql.NpgsqlConnectionStringBuilder(connection);
                if (postgres.MaxAutoPrepare == 0) postgres.MaxAutoPrepare = 64;
                // A pooled connection handed back is reset by seven statements the server runs before the next
                // query (RESET ALL, DISCARD TEMP, unlocking advisory locks…) — every EF query pays them. GovFlow keeps
                // no session state (no SET, temporary tables, cursors or advisory locks), so there is nothing to reset.
                if (!connection.Contains("Reset", StringComparison.OrdinalIgnoreCase)) postgres.NoResetOnClose = true;
                return ("postgres", postgres.ConnectionString);
            case "sqlserver" or "mssql":
                if (string.IsNullOrWhiteSpace(connection)) throw new InvalidOperationException("--provider sqlserver needs --connection (or ConnectionStrings:GovFlow).");
                return ("sqlserver", connection);
            default:
                throw new InvalidOperationException($"Unknown provider '{provider}': use sqlite, postgres or sqlserver.");
        }
    }

    /// <summary>The data folder: <c>GovFlow:DataDir</c>, else <c>GOVFLOW_DATA_DIR</c>, else <c>data</c> in the working directory.</summary>
    public static string DataDirectory(IConfiguration configuration) =>
        Path.GetFullPath(configuration["GovFlow:DataDir"] ?? Environment.GetEnvironmentVariable("GOVFLOW_DATA_DIR") ?? "data");

    /// <summary>Registers the database from configuration: <c>provider</c> (sqlite|postgres|sqlserver), <c>connection</c>, <c>GovFlow:DataDir</c>.</summary>
    public static IServiceCollection AddGovFlowDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var (provider, connection) = Connection(configuration);
        services.AddSingleton(_ => Security.PersonalDataProtector.From(configuration));
        services.AddSingleton<PersonalDataProtection>();
        // Pooled: a request reuses a context (its services and options) instead of building one, which showed up as
        // several percent of a submission's CPU under load.
        // The code injects GovFlowDb; the provider's subclass carries that provider's migrations. Every context encrypts
        // personal data with the configured keys.
        _ = provider switch
        {
            "sqlite" => services.AddDbContextPool<GovFlowDb, SqliteGovFlowDb>((sp, o) => Quiet(o.UseSqlite(connection).AddInterceptors(SqliteDurability.Instance).UsePersonalDataProtection(Protector(sp)))),
            "postgres" => services.AddDbContextPool<GovFlowDb, PostgresGovFlowDb>((sp, o) => Quiet(o.UseNpgsql(connection).UsePersonalDataProtection(Protector(sp)))),
            _ => services.AddDbContextPool<GovFlowDb, SqlServerGovFlowDb>((sp, o) => Quiet(o.UseSqlServer(connection).UsePersonalDataProtection(Protector(sp)))),
        };
        services.AddScoped<ICreditRecords, DatabaseCreditRecords>();
        return services;
    }

    // A failed save is how the loser of a race learns it lost (a stale stamp, a case number or journal sequence taken):
    // the callers turn it into a 409 or a retry, and whatever they do not expect reaches the request's error log or
    // the sweep's failure count with its exception. EF's own error line for each one buried real errors under expected ones.
    private static DbContextOptionsBuilder Quiet(DbContextOptionsBuilder options) => options.ConfigureWarnings(w => w
        .Log((Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.SaveChangesFailed, LogLevel.Information),
            (Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.OptimisticConcurrencyException, LogLevel.Information),
            (Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.CommandError, LogLevel.Information)));

    private static Security.PersonalDataProtector Protector(IServiceProvider services) => services.GetRequiredService<Security.PersonalDataProtector>();

    /// <summary>
    /// A context on the configured database that reads and writes the stored text as it is (no decryption), for
    /// rewriting rows under the current key. Never for anything else: it would write personal data in clear.
    /// </summary>
    public static GovFlowDb Unprotected(IConfiguration configuration)
    {
        var (provider, connection) = Connection(configuration);
        return provider switch
        {
            "sqlite" => new SqliteGovFlowDb(new DbContextOptionsBuilder<SqliteGovFlowDb>().UseSqlite(connection).AddInterceptors(SqliteDurability.Instance).Options),
            "postgres" => new PostgresGovFlowDb(new DbContextOptionsBuilder<PostgresGovFlowDb>().UseNpgsql(connection).Options),
            _ => new SqlServerGovFlowDb(new DbContextOptionsBuilder<SqlServerGovFlowDb>().UseSqlServer(connection).Options),
        };
    }

    /// <summary>
    /// Encrypts what is not yet under the current SM4 key (rows from before encryption, rows under an older key)
    /// and fills the blind indexes; a key that does not open the stored data stops here.
    /// </summary>
    public static async Task<int> ProtectPersonalDataAsync(IServiceProvider services, IConfiguration configuration, bool always = true, CancellationToken cancellationToken = default)
    {
        await using var raw = Unprotected(configuration);
        return await services.GetRequiredService<PersonalDataProtection>().RunAsync(raw, always, cancellationToken);
    }

    /// <summary>
    /// Applies the migrations (a database made by the hand-written ones first adopts the generated baseline, see
    /// <see cref="LegacyMigrations"/>); SQLite switches to write-ahead logging so readers do not block the writer.
    /// </summary>
    public static void Migrate(IServiceProvider services)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        LegacyMigrations.Adopt(db);
        db.Database.Migrate();
        if (db.Database.IsSqlite()) db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
    }
}

/// <summary>
/// Makes every SQLite connection sync the write-ahead log on each commit (synchronous=FULL): an acknowledged step
/// survives a power cut, not only a crash of the process. The setting belongs to the physical connection, which the
/// driver's pool keeps across opens, so it is set once per physical connection rather than on every open (a
/// statement per query showed in the profile of a loaded host).
/// </summary>
public sealed class SqliteDurability : Microsoft.EntityFrameworkCore.Diagnostics.DbConnectionInterceptor
{
    /// <summary>The one instance.</summary>
    public static readonly SqliteDurability Instance = new();

    /// <inheritdoc />
    public override void ConnectionOpened(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData) => Apply(connection);

    /// <inheritdoc />
    public override Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> _synced = new();

    /// <summary>Sets synchronous=FULL on a connection, unless its physical connection has it already.</summary>
    public void Apply(System.Data.Common.DbConnection connection)
    {
        if (connection is Microsoft.Data.Sqlite.SqliteConnection { Handle: { } handle })
        {
            if (_synced.TryGetValue(handle, out _)) return;
            _synced.AddOrUpdate(handle, handle);
        }
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous=FULL;";
        command.ExecuteNonQuery();
    }
}

/// <summary>The credit record of broken tolerance commitments, read from the cases by the ID number's blind index.</summary>
public sealed class DatabaseCreditRecords(GovFlowDb db, Security.PersonalDataProtector protector) : ICreditRecords
{
    /// <inheritdoc />
    public Task<bool> HasBrokenCommitmentAsync(string idNumber, CancellationToken cancellationToken = default)
    {
        var index = protector.IdIndex(idNumber);
        return db.Cases.AnyAsync(c => c.ApplicantIdIndex == index && c.BrokenCommitment, cancellationToken);
    }
}

/// <summary>Healthy when the database answers.</summary>
public sealed class DatabaseHealth(GovFlowDb db) : Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheck
{
    /// <inheritdoc />
    public async Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult> CheckHealthAsync(Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await db.Database.CanConnectAsync(cancellationToken)
            ? Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy()
            : Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy("The database does not answer.");
}
