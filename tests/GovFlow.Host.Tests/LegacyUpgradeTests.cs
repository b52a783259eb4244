using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GovFlow.Host.Tests;

/// <summary>
/// A database that GovFlow's main created with its hand-written migrations (at e1670dc, 12 demo cases; fixtures in
/// Fixtures/main-e1670dc*) opens under the generated migrations: it adopts the baseline, loses no case, its journals
/// still verify, a task can still be completed, and its schema is the one a fresh database gets.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class LegacyUpgradeTests
{
    private static readonly DateTimeOffset AfterTheFixture = new(2026, 12, 3, 20, 0, 0, TimeSpan.FromHours(8));
    private static string Fixture(string folder) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", folder);

    [Test]
    public Task A_SQLite_database_from_main_upgrades_in_place_without_losing_a_case() => UpgradeSqlite(later: null);

    [Test]
    public async Task A_SQLite_database_from_a_later_hand_written_migration_adopts_its_generated_twin()
    {
        // What main's hand-written 20261203400002_UserOtherRoles did to the database, with a user holding a role.
        var adopted = await UpgradeSqlite("""
            ALTER TABLE "users" ADD "OtherRoles" TEXT NULL;
            INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion") VALUES ('20261203400002_UserOtherRoles', '10.0.14');
            UPDATE "users" SET "OtherRoles" = 'auditor' WHERE "UserName" = 'reviewer01';
            """);
        Assert.That(adopted, Has.Some.EndsWith("_UserOtherRoles").And.Some.EqualTo("20261203400002_UserOtherRoles"));
    }

    /// <summary>Upgrades a copy of the SQLite fixture (after <paramref name="later"/>, SQL a later main ran) and returns its migration history.</summary>
    private static async Task<List<string>> UpgradeSqlite(string? later)
    {
        var dataDir = Directory.CreateTempSubdirectory("govflow-legacy-sqlite").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(Fixture("main-e1670dc"))) File.Copy(file, Path.Combine(dataDir, Path.GetFileName(file)));
            var database = $"Data Source={Path.Combine(dataDir, "govflow.db")};Pooling=False";
            if (later != null)
                await using (var sqlite = new SqliteConnection(database))
                {
                    await sqlite.OpenAsync();
                    await using var command = sqlite.CreateCommand();
                    command.CommandText = later;
                    await command.ExecuteNonQueryAsync();
                }
            var before = await CaseIds(new SqliteConnection(database));
            Assert.That(before, Has.Count.EqualTo(12));

            using (var host = TestHost.Create(dataDir, new TestClock(AfterTheFixture)))
                await StillWorks(host, before);

            var fresh = Path.Combine(dataDir, "fresh.db");
            await using (var db = new SqliteGovFlowDb(new DbContextOptionsBuilder<SqliteGovFlowDb>().UseSqlite($"Data Source={fresh};Pooling=False").Options))
                await db.Database.MigrateAsync();
            var schema = await SqliteSchema($"Data Source={fresh};Pooling=False");
            Assert.That(schema, Has.Some.Contains("index ix_tasks_department_due unique=0 (Department, DueAt)").And.Some.Contains("table personal_data_reveals"));
            Assert.That(await SqliteSchema(database), Is.EqualTo(schema));
            if (later != null)
                await using (var db = new SqliteGovFlowDb(new DbContextOptionsBuilder<SqliteGovFlowDb>().UseSqlite(database).Options))
                    Assert.That((await db.Users.SingleAsync(u => u.UserName == "reviewer01")).OtherRoles, Is.EqualTo("auditor"));
            await using (var db = new SqliteGovFlowDb(new DbContextOptionsBuilder<SqliteGovFlowDb>().UseSqlite(database).Options))
                return [.. db.Database.GetAppliedMigrations()];
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, true);
        }
    }

    [Test]
    public async Task A_database_the_hand_written_migrations_left_part_way_is_refused_with_the_version_to_upgrade_through()
    {
        var dataDir = Directory.CreateTempSubdirectory("govflow-legacy-partial").FullName;
        try
        {
            var path = Path.Combine(dataDir, "govflow.db");
            File.Copy(Path.Combine(Fixture("main-e1670dc"), "govflow.db"), path);
            var connection = $"Data Source={path};Pooling=False";
            await using (var sqlite = new SqliteConnection(connection))
            {
                await sqlite.OpenAsync();
                await using var forget = sqlite.CreateCommand();
                forget.CommandText = $"DELETE FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" = '{LegacyMigrations.BaselineSchema}'";
                await forget.ExecuteNonQueryAsync();
            }
            await using var db = new SqliteGovFlowDb(new DbContextOptionsBuilder<SqliteGovFlowDb>().UseSqlite(connection).Options);
            Assert.That(() => LegacyMigrations.Adopt(db), Throws.InvalidOperationException
                .With.Message.Contains("20261203200003_PersonalDataReveals").And.Message.Contains(LegacyMigrations.BaselineSchema));
            Assert.That(db.Database.GetAppliedMigrations(), Has.None.EndsWith("_Baseline"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, true);
        }
    }

    [Test]
    public async Task A_PostgreSQL_database_from_main_upgrades_in_place_without_losing_a_case()
    {
        var server = Environment.GetEnvironmentVariable("GOVFLOW_TEST_PG");
        if (string.IsNullOrEmpty(server)) Assert.Ignore("GOVFLOW_TEST_PG is not set: run scripts/test.sh, which starts PostgreSQL.");
        var legacy = "govflow_legacy_" + Guid.NewGuid().ToString("N")[..8];
        var fresh = "govflow_fresh_" + Guid.NewGuid().ToString("N")[..8];
        var dataDir = Directory.CreateTempSubdirectory("govflow-legacy-pg").FullName;
        try
        {
            await Admin(server, $"CREATE DATABASE {legacy}", $"CREATE DATABASE {fresh}");
            string On(string name) => new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
            await Restore(On(legacy), Path.Combine(Fixture("main-e1670dc-postgres"), "govflow.sql"));
            File.Copy(Path.Combine(Fixture("main-e1670dc-postgres"), "journal-sm2.key"), Path.Combine(dataDir, "journal-sm2.key"));
            var before = await CaseIds(new NpgsqlConnection(On(legacy)));
            Assert.That(before, Has.Count.EqualTo(12));

            using (var host = TestHost.Create(dataDir, new TestClock(AfterTheFixture), postgres: On(legacy)))
                await StillWorks(host, before);

            await using (var db = new PostgresGovFlowDb(new DbContextOptionsBuilder<PostgresGovFlowDb>().UseNpgsql(On(fresh)).Options))
                await db.Database.MigrateAsync();
            var schema = await PostgresSchema(On(fresh));
            Assert.That(schema, Has.Some.Contains("tasks.Department character varying(200) nullable=NO").And.Some.Contains("ix_tasks_department_due").And.Some.Contains("PRIMARY KEY pk_journal"));
            Assert.That(await PostgresSchema(On(legacy)), Is.EqualTo(schema));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await Admin(server, $"DROP DATABASE IF EXISTS {legacy} WITH (FORCE)", $"DROP DATABASE IF EXISTS {fresh} WITH (FORCE)");
            Directory.Delete(dataDir, true);
        }
    }

    /// <summary>Every case is there, every journal verifies, an open review task completes, and the baseline was adopted.</summary>
    private static async Task StillWorks(WebApplicationFactory<Program> host, IReadOnlyCollection<string> before)
    {
        (string Task, string Reviewer) open;
        using (var scope = host.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
            Assert.That(await db.Cases.Select(c => c.Id).ToListAsync(), Is.EquivalentTo(before));
            Assert.That(db.Database.GetAppliedMigrations(), Does.Contain(db.Database.GetMigrations().First()).And.Contain(LegacyMigrations.BaselineSchema));
            Assert.That(db.Database.GetPendingMigrations(), Is.Empty);
            var reviewers = await db.Users.Where(u => u.Role == "reviewer" && u.Active).ToListAsync();
            var tasks = await db.Tasks.Where(t => t.Status == TaskStatuses.Open && t.Role == "reviewer" && t.Kind == "GovFlow.ReviewTask").OrderBy(t => t.Id).ToListAsync();
            open = tasks.Select(t => (t.Id, reviewers.FirstOrDefault(u => u.Department == t.Department)?.UserName))
                .Where(x => x.UserName != null).Select(x => (x.Id, x.UserName!)).First();
        }

        using var auditor = await SignIn(host, "auditor01");
        foreach (var caseId in before)
        {
            var verify = (await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}/journal/verify"))!;
            Assert.That(verify["valid"]!.GetValue<bool>(), Is.True, $"{caseId}: {verify.ToJsonString()}");
        }

        using var reviewer = await SignIn(host, open.Reviewer);
        var done = await reviewer.PostAsJsonAsync($"/api/tasks/{open.Task}/complete", new { action = "approve", opinion = "同意：升级后办理" });
        Assert.That(done.StatusCode, Is.EqualTo(HttpStatusCode.OK), await done.Content.ReadAsStringAsync());
        using (var scope = host.Services.CreateScope())
        {
            var task = await scope.ServiceProvider.GetRequiredService<GovFlowDb>().Tasks.SingleAsync(t => t.Id == open.Task);
            Assert.That(task.Status, Is.EqualTo(TaskStatuses.Completed));
            var caseId = task.CaseId;
            var verify = (await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}/journal/verify"))!;
            Assert.That(verify["valid"]!.GetValue<bool>(), Is.True, verify.ToJsonString());
        }
    }

    private static async Task<HttpClient> SignIn(WebApplicationFactory<Program> host, string user)
    {
        var client = host.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = DemoUsers.Password });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return client;
    }

    private static async Task<List<string>> CaseIds(DbConnection connection)
    {
        await using (connection)
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT \"Id\" FROM cases";
            var ids = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
            return ids;
        }
    }

    /// <summary>GovFlow's tables (not Quartz's), their columns and indexes as SQLite describes them, in a stable order.</summary>
    private static async Task<List<string>> SqliteSchema(string connection)
    {
        await using var sqlite = new SqliteConnection(connection);
        await sqlite.OpenAsync();
        var tables = await Rows(sqlite, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'QRTZ%' AND name NOT LIKE 'sqlite%' ORDER BY name");
        var schema = new List<string>();
        foreach (var table in tables)
        {
            schema.Add($"table {table}");
            // Defaults are left out: the hand-written migrations added some columns with one, the baseline names none,
            // and GovFlow always writes every column.
            schema.AddRange((await Rows(sqlite, $"SELECT name || ' ' || type || ' notnull=' || \"notnull\" || ' pk=' || pk FROM pragma_table_info('{table}')")).Order(StringComparer.Ordinal).Select(c => $"  {c}"));
            foreach (var index in await Rows(sqlite, $"SELECT name || ' unique=' || \"unique\" FROM pragma_index_list('{table}') WHERE origin <> 'pk' ORDER BY name"))
            {
                var name = index.Split(' ')[0];
                var columns = await Rows(sqlite, $"SELECT name FROM pragma_index_info('{name}') ORDER BY seqno");
                schema.Add($"  index {index} ({string.Join(", ", columns)})");
            }
        }
        return schema;
    }

    /// <summary>GovFlow's tables (not Quartz's): columns with their types, lengths and nullability, constraints and indexes.</summary>
    private static async Task<List<string>> PostgresSchema(string connection)
    {
        await using var pg = new NpgsqlConnection(connection);
        await pg.OpenAsync();
        const string ours = "table_schema = 'public' AND table_name NOT LIKE 'qrtz%'";
        var schema = new List<string>();
        schema.AddRange(await Rows(pg, $"""
            SELECT table_name || '.' || column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '') || ' nullable=' || is_nullable
            FROM information_schema.columns WHERE {ours} ORDER BY table_name, column_name
            """));
        schema.AddRange(await Rows(pg, $"SELECT table_name || ' ' || constraint_type || ' ' || constraint_name FROM information_schema.table_constraints WHERE {ours} AND constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY') ORDER BY table_name, constraint_name"));
        schema.AddRange(await Rows(pg, "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename NOT LIKE 'qrtz%' ORDER BY indexname"));
        return schema;
    }

    private static async Task<List<string>> Rows(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }

    /// <summary>Runs a plain pg_dump script (its psql meta-commands left out) on its own connection, whose settings it changes.</summary>
    private static async Task Restore(string connection, string dump)
    {
        var sql = string.Join('\n', (await File.ReadAllLinesAsync(dump)).Where(line => !line.StartsWith('\\')));
        await using var pg = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connection) { Pooling = false }.ConnectionString);
        await pg.OpenAsync();
        await using var restore = new NpgsqlCommand(sql, pg);
        await restore.ExecuteNonQueryAsync();
    }

    private static async Task Admin(string server, params string[] statements)
    {
        await using var admin = new NpgsqlConnection(server);
        await admin.OpenAsync();
        foreach (var statement in statements)
        {
            await using var command = new NpgsqlCommand(statement, admin);
            await command.ExecuteNonQueryAsync();
        }
    }
}
