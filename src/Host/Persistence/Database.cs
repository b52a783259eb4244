using GovFlow.Activities.Services;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Persistence;

/// <summary>Chooses the provider (SQLite embedded by default, PostgreSQL for production and scale-out) and migrates at start-up.</summary>
public static class Database
{
    /// <summary>The provider (sqlite or postgres) and connection string from configuration.</summary>
    public static (string Provider, string Connection) Connection(IConfiguration configuration)
    {
        var provider = (configuration["provider"] ?? configuration["GovFlow:Provider"] ?? "sqlite").ToLowerInvariant();
        var connection = configuration["connection"] ?? configuration.GetConnectionString("GovFlow");
        switch (provider)
        {
            case "sqlite":
                var dataDir = Path.GetFullPath(configuration["GovFlow:DataDir"] ?? Environment.GetEnvironmentVariable("GOVFLOW_DATA_DIR") ?? "data");
                Directory.CreateDirectory(dataDir);
                return ("sqlite", connection ?? $"Data Source={Path.Combine(dataDir, "govflow.db")};Pooling=True;Default Timeout=30");
            case "postgres" or "postgresql":
                if (string.IsNullOrWhiteSpace(connection)) throw new InvalidOperationException("--provider postgres needs --connection (or ConnectionStrings:GovFlow).");
                return ("postgres", connection);
            default:
                throw new InvalidOperationException($"Unknown provider '{provider}': use sqlite or postgres.");
        }
    }

    /// <summary>Registers the database from configuration: <c>provider</c> (sqlite|postgres), <c>connection</c>, <c>GovFlow:DataDir</c>.</summary>
    public static IServiceCollection AddGovFlowDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var (provider, connection) = Connection(configuration);
        services.AddDbContext<GovFlowDb>(o => (provider == "sqlite" ? o.UseSqlite(connection).AddInterceptors(SqliteDurability.Instance, SqliteSingleWriter.For(connection)) : o.UseNpgsql(connection))
            .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.PendingModelChangesWarning)));
        services.AddScoped<ICreditRecords, DatabaseCreditRecords>();
        return services;
    }

    /// <summary>Applies the migrations; SQLite switches to write-ahead logging so readers do not block the writer.</summary>
    public static void Migrate(IServiceProvider services)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        db.Database.Migrate();
        if (db.Database.IsSqlite()) db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
    }
}

/// <summary>
/// Makes every SQLite connection sync the write-ahead log on each commit (synchronous=FULL): an acknowledged step
/// survives a power cut, not only a crash of the process. The setting is per connection, so it is set on each open.
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

    private static void Apply(System.Data.Common.DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous=FULL;";
        command.ExecuteNonQuery();
    }
}

/// <summary>
/// Lets one step at a time of this process write to a SQLite database. SQLite has one writer anyway; without the
/// gate, concurrent commits find the database busy and the driver sleeps between retries, which costs far more than
/// waiting in line. Readers are not gated (write-ahead logging lets them read while the writer writes).
/// </summary>
public sealed class SqliteSingleWriter : Microsoft.EntityFrameworkCore.Diagnostics.SaveChangesInterceptor
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SqliteSingleWriter> Gates = new();
    private readonly SemaphoreSlim _gate = new(1, 1);

    // Who holds the gate: EF reports a save as failed or cancelled also when it never got the gate (cancelled
    // while waiting), and only the holder may open it again.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<DbContext, byte> _holders = new();

    /// <summary>The gate of one database (by connection string).</summary>
    public static SqliteSingleWriter For(string connection) => Gates.GetOrAdd(connection, _ => new SqliteSingleWriter());

    /// <inheritdoc />
    public override async ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int>> SavingChangesAsync(
        Microsoft.EntityFrameworkCore.Diagnostics.DbContextEventData eventData, Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        _holders[eventData.Context!] = 0;
        return result;
    }

    /// <inheritdoc />
    public override Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int> SavingChanges(
        Microsoft.EntityFrameworkCore.Diagnostics.DbContextEventData eventData, Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int> result)
    {
        _gate.Wait();
        _holders[eventData.Context!] = 0;
        return result;
    }

    /// <inheritdoc />
    public override ValueTask<int> SavedChangesAsync(Microsoft.EntityFrameworkCore.Diagnostics.SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Open(eventData);
        return ValueTask.FromResult(result);
    }

    /// <inheritdoc />
    public override int SavedChanges(Microsoft.EntityFrameworkCore.Diagnostics.SaveChangesCompletedEventData eventData, int result)
    {
        Open(eventData);
        return result;
    }

    /// <inheritdoc />
    public override Task SaveChangesFailedAsync(Microsoft.EntityFrameworkCore.Diagnostics.DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Open(eventData);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override void SaveChangesFailed(Microsoft.EntityFrameworkCore.Diagnostics.DbContextErrorEventData eventData) => Open(eventData);

    /// <inheritdoc />
    public override Task SaveChangesCanceledAsync(Microsoft.EntityFrameworkCore.Diagnostics.DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Open(eventData);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override void SaveChangesCanceled(Microsoft.EntityFrameworkCore.Diagnostics.DbContextEventData eventData) => Open(eventData);

    private void Open(Microsoft.EntityFrameworkCore.Diagnostics.DbContextEventData eventData)
    {
        if (eventData.Context is { } context && _holders.TryRemove(context, out _)) _gate.Release();
    }
}

/// <summary>The credit record of broken tolerance commitments, read from the cases.</summary>
public sealed class DatabaseCreditRecords(GovFlowDb db) : ICreditRecords
{
    /// <inheritdoc />
    public Task<bool> HasBrokenCommitmentAsync(string idNumber, CancellationToken cancellationToken = default) =>
        db.Cases.AnyAsync(c => c.ApplicantIdNumber == idNumber && c.BrokenCommitment, cancellationToken);

    /// <inheritdoc />
    public Task RecordBrokenCommitmentAsync(string idNumber, string caseNumber, string reason, CancellationToken cancellationToken = default) =>
        // The case's own projection stores the flag in the same transaction as the step.
        Task.CompletedTask;
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
