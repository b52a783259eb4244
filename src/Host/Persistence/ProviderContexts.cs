using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace GovFlow.Host.Persistence;

/// <summary>GovFlow's database on SQLite; its migrations are in <c>Persistence/Migrations/Sqlite</c>.</summary>
public sealed class SqliteGovFlowDb(DbContextOptions<SqliteGovFlowDb> options) : GovFlowDb(options);

/// <summary>GovFlow's database on PostgreSQL; its migrations are in <c>Persistence/Migrations/Postgres</c>.</summary>
public sealed class PostgresGovFlowDb(DbContextOptions<PostgresGovFlowDb> options) : GovFlowDb(options);

/// <summary>GovFlow's database on SQL Server; its migrations are in <c>Persistence/Migrations/SqlServer</c>.</summary>
public sealed class SqlServerGovFlowDb(DbContextOptions<SqlServerGovFlowDb> options) : GovFlowDb(options);

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the SQLite model without starting the host; the connection string only
/// names the provider, nothing is opened.
/// </summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteGovFlowDb>
{
    /// <inheritdoc />
    public SqliteGovFlowDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteGovFlowDb>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the PostgreSQL model without a server.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresGovFlowDb>
{
    /// <inheritdoc />
    public PostgresGovFlowDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresGovFlowDb>().UseNpgsql("Host=localhost;Database=govflow").Options);
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the SQL Server model without a server.</summary>
public sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerGovFlowDb>
{
    /// <inheritdoc />
    public SqlServerGovFlowDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerGovFlowDb>().UseSqlServer("Server=localhost;Database=govflow;Integrated Security=true;TrustServerCertificate=true").Options);
}
