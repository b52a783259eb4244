using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>A test host with its own SQLite database, whose service clients call its own simulators in memory.</summary>
internal static class TestHost
{
    /// <summary>The tests' "now": a Monday in a year whose holiday data GovFlow ships.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 30, 0, TimeSpan.FromHours(8));

    /// <summary>The tests' SM4 key v1 for personal data.</summary>
    public const string Sm4Key = "0123456789ABCDEFFEDCBA9876543210";

    /// <summary>The tests' blind-index key.</summary>
    public const string BlindIndexKey = "00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF";

    /// <summary>A started host.</summary>
    public static WebApplicationFactory<Program> Create(string? dataDir = null, TestClock? clock = null, bool scheduler = false, string? postgres = null, bool deliverInline = true,
        IReadOnlyDictionary<string, string>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        dataDir ??= Directory.CreateTempSubdirectory("govflow-test").FullName;
        WebApplicationFactory<Program>? factory = null;
        factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("GovFlow:DataDir", dataDir);
            b.UseSetting("GovFlow:PublicUrl", "http://localhost");
            b.UseSetting("GovFlow:Scheduler:Enabled", scheduler ? "true" : "false");
            b.UseSetting("GovFlow:Scheduler:SweepSeconds", "1");
            b.UseSetting("GovFlow:DemoCases", "0");
            // The proactive sweep runs when a test calls it, not as every host starts.
            b.UseSetting("GovFlow:Proactive:SweepMinutes", "0");
            b.UseSetting("GovFlow:Outbox:DeliverInline", deliverInline ? "true" : "false");
            // One set of personal data keys for every test host, so they share one database model instead of each
            // generating keys (and building a model of its own).
            b.UseSetting("GovFlow:Crypto:Sm4Keys:v1", Sm4Key);
            b.UseSetting("GovFlow:Crypto:BlindIndexKey", BlindIndexKey);
            // Conflict tests provoke failing commands on purpose; their logs would bury real failures.
            b.UseSetting("Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore", "Fatal");
            b.UseSetting("Serilog:MinimumLevel:Override:Microsoft.AspNetCore", "Warning");
            foreach (var (key, value) in settings ?? new Dictionary<string, string>()) b.UseSetting(key, value);
            if (postgres != null)
            {
                b.UseSetting("provider", "postgres");
                b.UseSetting("connection", postgres);
            }
            b.ConfigureServices(s =>
            {
                s.AddHttpClient("govflow-services").ConfigurePrimaryHttpMessageHandler(() => factory!.Server.CreateHandler());
                s.AddSingleton<TimeProvider>(clock ?? new TestClock(Now));
                services?.Invoke(s);
            });
        });
        // Started, so its simulators answer the host's own service calls from the first step on.
        factory.StartServer();
        return factory;
    }
}

/// <summary>Applications the tests submit as a window clerk would.</summary>
internal static class Applications
{
    /// <summary>An elderly allowance (高龄津贴) for the simulated city's first person born before 1946, every material handed in.</summary>
    public static object Elderly(GovFlow.Host.Simulators.SimulatedWorld world)
    {
        var person = world.People.First(p => p.BirthDate.Year < 1946);
        return new
        {
            matterCode = "44030505001", channel = "window", data = new { age = 2026 - person.BirthDate.Year },
            applicant = new { name = person.Name, idType = "111", idNumber = person.IdNumber, phone = person.Phone, address = person.Address },
            materials = new[] { "高龄津贴申请书", "居民身份证", "银行卡", "照片" }.Select(m => new { name = m, provided = true })
        };
    }
}

/// <summary>A fixture whose every test gets its own data directory (its own SQLite database), removed afterwards.</summary>
public abstract class DataDirFixture
{
    /// <summary>This test's data directory.</summary>
    protected string DataDir { get; private set; } = null!;

    [SetUp]
    public void CreateDataDir() => DataDir = Directory.CreateTempSubdirectory("govflow-" + GetType().Name).FullName;

    [TearDown]
    public void RemoveDataDir()
    {
        // Pooled connections keep the database file open.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(DataDir, true);
    }
}

/// <summary>A clock tests set by hand.</summary>
internal sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
