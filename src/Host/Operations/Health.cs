using GovFlow.Host.Persistence;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GovFlow.Host.Operations;

/// <summary>
/// Health in three answers: <c>/health/live</c> (the process serves requests; no dependency is asked, so a slow
/// database never gets a live process restarted), <c>/health/ready</c> (the database answers, its migrations are all
/// applied and the scheduler runs: send it work) and <c>/health</c> (every check, with the sweep's backlog, as before).
/// </summary>
public static class Health
{
    /// <summary>The tag of the checks readiness asks.</summary>
    public const string Ready = "ready";

    /// <summary>Registers the checks.</summary>
    public static IServiceCollection AddGovFlowHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealth>("database", tags: [Ready])
            .AddCheck<MigrationsHealth>("migrations", tags: [Ready])
            .AddCheck<Scheduling.SchedulerHealth>("scheduler", tags: [Ready])
            .AddCheck<Scheduling.SweepHealth>("sweep");
        return services;
    }

    /// <summary>Maps <c>/health</c>, <c>/health/live</c> and <c>/health/ready</c>.</summary>
    public static WebApplication MapGovFlowHealth(this WebApplication app)
    {
        // The body says which check failed and carries the sweep's last success and backlog (the status code alone hid a stalled sweep).
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = Api.HealthReportWriter.WriteAsync });
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = Api.HealthReportWriter.WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = Api.HealthReportWriter.WriteAsync });
        return app;
    }
}

/// <summary>Healthy when every migration this build knows is applied to the database.</summary>
public sealed class MigrationsHealth(GovFlowDb db) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        return pending.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"数据库还有 {pending.Count} 个迁移未执行 ({string.Join(", ", pending)})");
    }
}
