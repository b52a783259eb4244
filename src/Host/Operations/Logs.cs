using System.Globalization;
using Serilog;
using Serilog.Context;
using Serilog.Events;
using Serilog.Extensions.Hosting;
using Serilog.Formatting.Compact;

namespace GovFlow.Host.Operations;

/// <summary>
/// Structured logs through Serilog: the console and a daily JSON file (compact format, one event a line) under the
/// data folder's <c>logs/</c>, levels from the <c>Serilog</c> section of configuration, and one line per HTTP request
/// carrying the user and, when the request concerns a case, its case number.
/// </summary>
/// <remarks>
/// Settings: <c>GovFlow:Logs:Console</c> (default true), <c>GovFlow:Logs:File</c> (default true),
/// <c>GovFlow:Logs:Directory</c> (default <c>DATA_DIR/logs</c>), <c>GovFlow:Logs:RetainedDays</c> (default 30).
/// Further sinks can be added under <c>Serilog:WriteTo</c>; a sink registered as a service is written to as well.
/// </remarks>
public static class Logs
{
    /// <summary>The property that names the case a log event concerns (办件编号).</summary>
    public const string CaseNumber = "CaseNumber";

    /// <summary>The property that names the signed-in user of a request.</summary>
    public const string UserName = "UserName";

    // The collector of the current request is ambient (an AsyncLocal), so any instance sets properties on it; a
    // static one lets the places that resolve a case mark the request without every caller passing the service in.
    // It binds values through the logger it is given (the static one is silent here and binds nothing), and an
    // empty logger binds them without writing anywhere.
    private static readonly DiagnosticContext Ambient = new(new LoggerConfiguration().CreateLogger());

    /// <summary>Replaces the default logging with Serilog as configured.</summary>
    public static IServiceCollection AddGovFlowLogs(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection("GovFlow:Logs");
        var directory = settings["Directory"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(Persistence.Database.DataDirectory(configuration), "logs");
        var retainedDays = Math.Max(1, settings.GetValue("RetainedDays", 30));
        // Not the static Log.Logger: several hosts share a process in the tests, and each keeps its own sinks.
        services.AddSerilog((provider, logs) =>
        {
            logs.MinimumLevel.Information()
                // The framework's own request lines would log each request twice, with its query string; the
                // service clients' lines carry the full address of every call.
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
                .MinimumLevel.Override("Quartz", LogEventLevel.Warning)
                .ReadFrom.Configuration(configuration)
                .ReadFrom.Services(provider)
                .Enrich.FromLogContext();
            if (settings.GetValue("Console", true)) logs.WriteTo.Console(formatProvider: CultureInfo.InvariantCulture);
            // Buffered and flushed every second: a write per request line showed up as a syscall per request;
            // a crash loses at most the last second of lines, never a step (those are in the database).
            if (settings.GetValue("File", true))
                logs.WriteTo.File(new CompactJsonFormatter(), Path.Combine(directory, "govflow-.json"), rollingInterval: RollingInterval.Day,
                    retainedFileCountLimit: retainedDays, buffered: true, flushToDiskInterval: TimeSpan.FromSeconds(1));
        }, preserveStaticLogger: true);
        return services;
    }

    /// <summary>
    /// Logs every request once, when it ends: method, path (never the query string, which may carry an ID number),
    /// status, time, user and case number. Health checks and scrapes log at debug, server errors at error.
    /// </summary>
    public static WebApplication UseGovFlowRequestLogs(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<Serilog.ILogger>();
        app.UseSerilogRequestLogging(o =>
        {
            o.Logger = logger;
            o.IncludeQueryInRequestPath = false;
            o.GetLevel = (http, _, error) =>
                error is not null || http.Response.StatusCode >= 500 ? LogEventLevel.Error
                : http.Request.Path.StartsWithSegments("/health") || http.Request.Path.StartsWithSegments(Telemetry.ScrapePath(app.Configuration)) ? LogEventLevel.Debug
                : LogEventLevel.Information;
            o.EnrichDiagnosticContext = (diagnostics, http) =>
            {
                if (http.User.Identity is { IsAuthenticated: true, Name: { } name }) diagnostics.Set(UserName, name);
            };
        });
        return app;
    }

    /// <summary>
    /// Marks the current request as concerning a case, so its request log carries the case number; does nothing
    /// outside a request.
    /// </summary>
    public static void Concerns(string? caseNumber)
    {
        if (caseNumber is { Length: > 0 }) Ambient.Set(CaseNumber, caseNumber);
    }

    /// <summary>Adds the case number to every event logged until the result is disposed (steps the scheduler runs).</summary>
    public static IDisposable ForCase(string? caseNumber) =>
        caseNumber is { Length: > 0 } ? LogContext.PushProperty(CaseNumber, caseNumber) : NoScope.Instance;

    private sealed class NoScope : IDisposable
    {
        public static readonly NoScope Instance = new();

        public void Dispose() { }
    }
}
