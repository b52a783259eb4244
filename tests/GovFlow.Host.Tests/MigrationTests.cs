using GovFlow.Host.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>
/// The generated migrations of every provider agree with the model, and SQL Server's (which no server here runs) are
/// checked as far as they can be without one: the script, the tables, the indexes and every column's store type.
/// </summary>
[TestFixture]
public sealed class MigrationTests
{
    private static IEnumerable<TestCaseData> Providers()
    {
        yield return new TestCaseData((Func<GovFlowDb>)(() => new SqliteDesignTimeFactory().CreateDbContext([]))).SetArgDisplayNames("SQLite");
        yield return new TestCaseData((Func<GovFlowDb>)(() => new PostgresDesignTimeFactory().CreateDbContext([]))).SetArgDisplayNames("PostgreSQL");
        yield return new TestCaseData((Func<GovFlowDb>)(() => new SqlServerDesignTimeFactory().CreateDbContext([]))).SetArgDisplayNames("SQL Server");
    }

    [TestCaseSource(nameof(Providers))]
    public void The_model_and_the_provider_s_migrations_agree(Func<GovFlowDb> create)
    {
        using var db = create();
        // Fails when the model changed without `bash scripts/add-migration.sh NAME`.
        Assert.That(db.Database.HasPendingModelChanges(), Is.False, "run scripts/add-migration.sh NAME to add a migration for every provider");
    }

    [TestCaseSource(nameof(Providers))]
    public void Every_provider_starts_from_one_baseline(Func<GovFlowDb> create)
    {
        using var db = create();
        Assert.That(db.Database.GetMigrations().First(), Does.EndWith("_Baseline"));
    }

    [Test]
    public void The_SQL_Server_script_creates_every_table_and_every_index_of_the_model()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        var model = db.GetService<IDesignTimeModel>().Model;
        Assert.Multiple(() =>
        {
            foreach (var entity in model.GetEntityTypes())
            {
                var table = entity.GetTableName()!;
                Assert.That(script, Does.Contain($"CREATE TABLE [{table}] ("), table);
                Assert.That(script, Does.Contain($"CONSTRAINT [{entity.FindPrimaryKey()!.GetName()}] PRIMARY KEY"), table);
                foreach (var index in entity.GetIndexes())
                {
                    var columns = string.Join(", ", index.Properties.Select(p => $"[{p.GetColumnName()}]"));
                    var create = index.IsUnique ? "CREATE UNIQUE INDEX" : "CREATE INDEX";
                    Assert.That(script, Does.Contain($"{create} [{index.GetDatabaseName()}] ON [{table}] ({columns})"), index.GetDatabaseName());
                }
            }
            Assert.That(script, Does.Contain("__EFMigrationsHistory"));
        });
    }

    [Test]
    public void Every_SQL_Server_column_has_a_store_type_and_every_key_and_index_fits_SQL_Server_s_limits()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);
        var model = db.GetService<IDesignTimeModel>().Model;
        Assert.Multiple(() =>
        {
            foreach (var entity in model.GetEntityTypes())
            {
                foreach (var property in entity.GetProperties())
                    Assert.That(property.GetColumnType(), Is.EqualTo(ExpectedSqlServerType(property)), $"{entity.GetTableName()}.{property.Name}");
                // SQL Server refuses to index nvarchar(max), and caps a clustered key at 900 bytes, any other at 1,700.
                var key = entity.FindPrimaryKey()!;
                Assert.That(KeyBytes(key.Properties), Is.LessThanOrEqualTo(900), key.GetName());
                foreach (var index in entity.GetIndexes())
                    Assert.That(KeyBytes(index.Properties), Is.LessThanOrEqualTo(1700), index.GetDatabaseName());
            }
        });
    }

    [Test]
    public void SQL_Server_needs_a_connection_and_registers_its_own_context_behind_GovFlowDb()
    {
        Assert.That(() => Database.Connection(Settings(("provider", "sqlserver"))), Throws.InvalidOperationException.With.Message.Contains("--connection"));
        var services = new ServiceCollection();
        services.AddGovFlowDatabase(Settings(("provider", "sqlserver"), ("connection", "Server=db;Database=govflow;User Id=gov;Password=x;TrustServerCertificate=true")));
        using var provider = services.BuildServiceProvider();
        using var scope = provider.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        Assert.Multiple(() =>
        {
            Assert.That(db, Is.TypeOf<SqlServerGovFlowDb>());
            Assert.That(db.Database.IsSqlServer(), Is.True);
            Assert.That(db.Database.GetMigrations(), Is.Not.Empty);
        });
    }

    /// <summary>The store type each kind of property should get on SQL Server: moments are UTC milliseconds, strings keep their bound.</summary>
    private static string ExpectedSqlServerType(IProperty property)
    {
        var type = property.GetValueConverter()?.ProviderClrType ?? Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
        return type switch
        {
            _ when type == typeof(string) => property.GetMaxLength() is { } length ? $"nvarchar({length})" : "nvarchar(max)",
            _ when type == typeof(long) => "bigint",
            _ when type == typeof(int) => "int",
            _ when type == typeof(bool) => "bit",
            _ when type == typeof(double) => "float",
            _ when type == typeof(byte[]) => "varbinary(max)",
            _ => $"an unexpected CLR type {type.Name}",
        };
    }

    private static int KeyBytes(IEnumerable<IProperty> properties) => properties.Sum(p => p.GetColumnType() switch
    {
        "bigint" => 8,
        "int" => 4,
        "bit" => 1,
        var type when type.StartsWith("nvarchar(", StringComparison.Ordinal) && int.TryParse(type[9..^1], out var length) => 2 * length,
        var type => throw new AssertionException($"{p.DeclaringType.DisplayName()}.{p.Name} is {type}, which cannot be part of a key or an index"),
    });

    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(v => v.Key, v => (string?)v.Value)).Build();
}
