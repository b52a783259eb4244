using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>A test host with its own SQLite database, whose service clients call its own simulators in memory.</summary>
internal static class TestHost
{
    /// <summary>The tests' "now": a Monday in a year whose holiday data GovFlow ships.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 30, 0, TimeSpan.FromHours(8));

    public static WebApplicationFactory<Program> Create(string? dataDir = null)
    {
        dataDir ??= Directory.CreateTempSubdirectory("govflow-test").FullName;
        WebApplicationFactory<Program>? factory = null;
        factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("GovFlow:DataDir", dataDir);
            b.UseSetting("GovFlow:PublicUrl", "http://localhost");
            b.ConfigureServices(services =>
            {
                services.AddHttpClient("govflow-services").ConfigurePrimaryHttpMessageHandler(() => factory!.Server.CreateHandler());
                services.AddSingleton<TimeProvider>(new FixedClock(Now));
            });
        });
        return factory;
    }
}

internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
