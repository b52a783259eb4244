using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using GovFlow.Activities.Calendar;
using GovFlow.Activities.Services;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Scheduling;
using Microsoft.EntityFrameworkCore;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace GovFlow.Host.Operations;

/// <summary>
/// Metrics and traces through OpenTelemetry: GovFlow's own meter and span per step, ASP.NET Core, HTTP client and
/// runtime instrumentation, a Prometheus scrape endpoint, and OTLP export when an endpoint is configured.
/// </summary>
/// <remarks>
/// Settings: <c>GovFlow:Metrics:Enabled</c> (default true), <c>GovFlow:Metrics:Path</c> (default <c>/metrics</c>),
/// <c>GovFlow:Metrics:AllowedNetworks</c> (CIDR list, default loopback only), <c>GovFlow:Metrics:Token</c> (a bearer
/// token that admits a scraper from anywhere), <c>GovFlow:Metrics:GaugeSeconds</c> (how long counted gauges are
/// reused, default 5), <c>GovFlow:Telemetry:OtlpEndpoint</c> (or the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>).
/// </remarks>
public static class Telemetry
{
    /// <summary>The name of GovFlow's meter and activity source.</summary>
    public const string Name = "GovFlow";

    /// <summary>The source of the span each step runs in.</summary>
    public static readonly ActivitySource Steps = new(Name);

    /// <summary>The scrape path: <c>GovFlow:Metrics:Path</c>, <c>/metrics</c> unless configured.</summary>
    public static string ScrapePath(IConfiguration configuration) => configuration["GovFlow:Metrics:Path"] is { Length: > 1 } path ? path : "/metrics";

    /// <summary>Registers the meter, the gauges' counts and the OpenTelemetry pipeline.</summary>
    public static IServiceCollection AddGovFlowTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<StepMetrics>();
        services.AddSingleton(sp => new OperationsGauges(sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<SweepStatus>(), sp.GetRequiredService<WorkingCalendar>(), sp.GetRequiredService<IMeterFactory>(),
            TimeSpan.FromSeconds(Math.Max(0, configuration.GetValue("GovFlow:Metrics:GaugeSeconds", 5.0))),
            configuration.GetValue("GovFlow:Scheduler:Enabled", true)));
        if (!configuration.GetValue("GovFlow:Metrics:Enabled", true)) return services;
        var otlp = configuration["GovFlow:Telemetry:OtlpEndpoint"] ?? configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("govflow"))
            .WithMetrics(m =>
            {
                m.AddMeter(Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation()
                    .AddPrometheusExporter(o => o.ScrapeEndpointPath = ScrapePath(configuration));
                if (otlp is { Length: > 0 }) m.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
            });
        // Spans are only worth recording when something receives them.
        if (otlp is { Length: > 0 })
            telemetry.WithTracing(t => t.AddSource(Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddOtlpExporter(o => o.Endpoint = new Uri(otlp)));
        return services;
    }

    /// <summary>
    /// Maps the Prometheus scrape endpoint, open to the allowed networks (loopback unless configured) and to a
    /// scraper that presents the configured bearer token; anyone else gets 403.
    /// </summary>
    public static WebApplication MapGovFlowMetrics(this WebApplication app)
    {
        if (!app.Configuration.GetValue("GovFlow:Metrics:Enabled", true)) return app;
        var access = ScrapeAccess.From(app.Configuration);
        // Created now rather than at the first scrape, so the gauges are there from the first scrape on.
        app.Services.GetRequiredService<OperationsGauges>();
        app.MapPrometheusScrapingEndpoint(ScrapePath(app.Configuration), meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (http, next) =>
        {
            if (!access.Admits(http))
            {
                await Results.Problem("只允许监控系统从允许的网络或持令牌访问指标", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden").ExecuteAsync(http);
                return;
            }
            await next(http);
        }), optionsName: null);
        return app;
    }
}

/// <summary>Who may scrape the metrics: an address in an allowed network, or a request with the bearer token.</summary>
public sealed class ScrapeAccess(IReadOnlyList<IPNetwork> networks, string? token)
{
    /// <summary>Reads <c>GovFlow:Metrics:AllowedNetworks</c> (default 127.0.0.0/8 and ::1/128) and <c>GovFlow:Metrics:Token</c>.</summary>
    public static ScrapeAccess From(IConfiguration configuration)
    {
        var configured = configuration.GetSection("GovFlow:Metrics:AllowedNetworks").Get<string[]>() ?? ["127.0.0.0/8", "::1/128"];
        return new ScrapeAccess([.. configured.Select(IPNetwork.Parse)], configuration["GovFlow:Metrics:Token"] is { Length: > 0 } t ? t : null);
    }

    /// <summary>Whether the request may read the metrics.</summary>
    public bool Admits(HttpContext http)
    {
        if (http.Connection.RemoteIpAddress is { } address)
        {
            if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
            if (networks.Any(n => n.Contains(address))) return true;
        }
        if (token is null) return false;
        var header = http.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[7..].Trim()), Encoding.UTF8.GetBytes(token));
    }
}

/// <summary>The steps counter and their duration, by kind (submit, resume) and outcome.</summary>
public sealed class StepMetrics
{
    private readonly Counter<long> _steps;
    private readonly Histogram<double> _duration;

    /// <summary>Creates the instruments on the host's meter.</summary>
    public StepMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(Telemetry.Name);
        _steps = meter.CreateCounter<long>("govflow.steps", "{step}", "Workflow steps run, by kind (submit, resume) and outcome (committed, conflict, faulted, rejected, error).");
        _duration = meter.CreateHistogram<double>("govflow.step.duration", "s", "Time from the start of a step to its commit (or failure).");
    }

    /// <summary>Runs a step inside its span, counting it and its duration under the outcome it had.</summary>
    public async Task<T> RunAsync<T>(string kind, Func<StepTrace, Task<T>> step)
    {
        using var activity = Telemetry.Steps.StartActivity("govflow.step " + kind);
        activity?.SetTag("govflow.step.kind", kind);
        var trace = new StepTrace(activity);
        var started = Stopwatch.GetTimestamp();
        var outcome = "error";
        try
        {
            var result = await step(trace);
            outcome = "committed";
            return result;
        }
        catch (ConflictException)
        {
            outcome = trace.Faulted ? "faulted" : "conflict";
            throw;
        }
        catch (Exception ex) when (ex is InputException or NotFoundException or Api.ForbiddenException)
        {
            outcome = "rejected";
            throw;
        }
        finally
        {
            var tags = new TagList { { "kind", kind }, { "outcome", outcome } };
            _steps.Add(1, tags);
            _duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
            activity?.SetTag("govflow.step.outcome", outcome);
            if (outcome is "error" or "faulted") activity?.SetStatus(ActivityStatusCode.Error);
        }
    }
}

/// <summary>What a step tells its span and its count as it runs.</summary>
public sealed class StepTrace(Activity? activity)
{
    /// <summary>The step faulted and was recorded as an incident (its refusal is counted as faulted, not as a conflict).</summary>
    public bool Faulted { get; set; }

    /// <summary>Names the case on the span and on the request's log.</summary>
    public void Case(string? caseNumber)
    {
        if (caseNumber is not { Length: > 0 }) return;
        activity?.SetTag("govflow.case_number", caseNumber);
        Logs.Concerns(caseNumber);
    }
}

/// <summary>
/// The gauges: open tasks, overdue cases, outbox backlog, due bookmarks and sweep lag. The counts come from the
/// database at most once every few seconds, whoever scrapes and however often, so a scrape never costs a query per gauge.
/// </summary>
public sealed class OperationsGauges
{
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _clock;
    private readonly WorkingCalendar _calendar;
    private readonly TimeSpan _reuse;
    private readonly Lock _gate = new();
    private Counts _counts = new(0, 0, 0, 0);
    private long _countedAt = long.MinValue;

    /// <summary>Creates the gauges on the host's meter.</summary>
    public OperationsGauges(IServiceScopeFactory scopes, TimeProvider clock, SweepStatus sweep, WorkingCalendar calendar, IMeterFactory meters, TimeSpan reuse, bool scheduler)
    {
        _scopes = scopes;
        _clock = clock;
        _calendar = calendar;
        _reuse = reuse;
        var meter = meters.Create(Telemetry.Name);
        meter.CreateObservableGauge("govflow.tasks.open", () => Current().OpenTasks, "{task}", "Tasks open or claimed, waiting for a person.");
        meter.CreateObservableGauge("govflow.cases.overdue", () => Current().OverdueCases, "{case}", "Cases undecided past their promised date.");
        meter.CreateObservableGauge("govflow.outbox.backlog", () => Current().OutboxBacklog, "{call}", "Service calls stored and not yet delivered.");
        meter.CreateObservableGauge("govflow.sweep.backlog", () => Current().DueBookmarks, "{bookmark}", "Bookmarks due and not yet resumed by the sweep.");
        // Seconds since the sweep last went through everything due (since start-up before the first success).
        if (scheduler)
            meter.CreateObservableGauge("govflow.sweep.lag", () => (clock.GetUtcNow() - (sweep.LastSuccess ?? sweep.StartedAt)).TotalSeconds, "s",
                "Seconds since the due-bookmark sweep last succeeded.");
    }

    /// <summary>The counts behind the gauges.</summary>
    public readonly record struct Counts(long OpenTasks, long OverdueCases, long OutboxBacklog, long DueBookmarks);

    /// <summary>The counts, read again when older than the reuse time.</summary>
    public Counts Current()
    {
        lock (_gate)
        {
            if (_countedAt != long.MinValue && Stopwatch.GetElapsedTime(_countedAt) < _reuse) return _counts;
            try
            {
                _counts = Count();
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException)
            {
                // A database that does not answer keeps the last counts; readiness reports the database itself.
            }
            _countedAt = Stopwatch.GetTimestamp();
            return _counts;
        }
    }

    private Counts Count()
    {
        using var scope = _scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        var now = _clock.GetUtcNow();
        return new Counts(
            db.Tasks.LongCount(t => t.Status == TaskStatuses.Open || t.Status == TaskStatuses.Claimed),
            WarningLights.At(_calendar, now).Overdue(db.Cases.AsNoTracking()).LongCount(),
            db.Bookmarks.LongCount(b => b.Name == ServiceCalls.BookmarkName),
            db.Bookmarks.LongCount(b => b.DueAt != null && b.DueAt <= now));
    }
}
