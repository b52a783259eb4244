using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace GovFlow.Host.Scheduling;

/// <summary>
/// Resumes bookmarks whose time has come (delays, timers, tolerance deadlines, rating defaults, parallel time-outs)
/// and delivers the outbox's service calls that are due (left behind by a crash, or waiting for a retry).
/// The bookmarks table is the only record of what is due, so a timer that came due while the host was down fires
/// when it is back; when two nodes race for one bookmark, the instance's concurrency token lets one win.
/// </summary>
/// <remarks>
/// Each bookmark is swept on its own: one that throws is counted and tried again later (<see cref="SweepFailures"/>),
/// and the rest of the sweep goes on, so one broken case cannot stop every timer, outbox retry and waybill of the node.
/// </remarks>
public sealed class DueBookmarkSweeper(IServiceScopeFactory scopes, TimeProvider clock, SweepFailures failures, SweepStatus status, ILogger<DueBookmarkSweeper> logger)
{
    /// <summary>
    /// Asks the mailing service where each posted item is and resumes the waiting step when its status changed
    /// (delivered, returned, failed, or on the way). An unreachable service is asked again next time.
    /// </summary>
    public async Task<int> TrackWaybillsAsync(CancellationToken cancellationToken = default)
    {
        List<(string Id, string Payload)> open;
        using (var scope = scopes.CreateScope())
            open = (await scope.ServiceProvider.GetRequiredService<GovFlowDb>().Bookmarks.AsNoTracking()
                .Where(b => b.Name == Activities.Steps.SendByPost.TrackingBookmark).OrderBy(b => b.CreatedAt).Take(200).Select(b => new { b.Id, b.PayloadJson }).ToListAsync(cancellationToken))
                .Select(b => (b.Id, b.PayloadJson ?? "{}")).ToList();
        var moved = 0;
        foreach (var (id, payload) in open)
        {
            using var scope = scopes.CreateScope();
            string? number = null;
            try
            {
                number = System.Text.Json.Nodes.JsonNode.Parse(payload)?["waybill"]?.GetValue<string>();
                if (number is null) continue;
                var waybill = await scope.ServiceProvider.GetRequiredService<Activities.Services.IMailingService>().TrackAsync(number, cancellationToken);
                var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
                var caseFile = await db.Cases.AsNoTracking().Where(c => c.InstanceId == db.Bookmarks.Where(b => b.Id == id).Select(b => b.InstanceId).First()).Select(c => c.CaseFileJson).FirstOrDefaultAsync(cancellationToken);
                var known = caseFile is null ? null : Activities.Cases.CaseFile.Read(caseFile).Waybill?.Status;
                if (waybill.Status == known) continue;
                await scope.ServiceProvider.GetRequiredService<CaseService>().ResumeAsync(id, new Dictionary<string, object?> { ["status"] = waybill.Status, ["detail"] = waybill.Detail }, "ems", cancellationToken);
                moved++;
            }
            catch (Exception ex) when (ex is Activities.Services.ServiceUnavailableException or KeyNotFoundException or ConflictException or NotFoundException or InputException)
            {
                logger.LogDebug("Waybill {Number} not followed now: {Reason}", number, ex.Message);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Asked again next sweep; the other waybills are followed meanwhile.
                logger.LogWarning(ex, "Waybill {Number} (bookmark {Bookmark}) could not be followed", number, id);
            }
        }
        return moved;
    }

    /// <summary>
    /// Resumes every bookmark due now; returns how many this call resumed. A bookmark that fails is counted and put
    /// back (or held as an incident) and the sweep goes on; only a sweep that cannot read what is due fails.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var resumed = await SweepDueAsync(cancellationToken);
            status.Succeeded(clock.GetUtcNow());
            return resumed;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            status.Failed(ex);
            throw;
        }
    }

    private async Task<int> SweepDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        List<(string Id, string Name, string? CaseNumber)> due;
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
            // The case number comes with what is due, so the logs of each step name their case without a read per step.
            due = (await db.Bookmarks.Where(b => b.DueAt != null && b.DueAt <= now).OrderBy(b => b.DueAt)
                    .Select(b => new { b.Id, b.Name, CaseNumber = db.Cases.Where(c => c.Id == db.Instances.Where(i => i.Id == b.InstanceId).Select(i => i.CaseId).FirstOrDefault()).Select(c => c.CaseNumber).FirstOrDefault() })
                    .Take(500).ToListAsync(cancellationToken))
                .Select(b => (b.Id, b.Name, (string?)b.CaseNumber)).ToList();
        }
        var resumed = 0;
        foreach (var (id, name, caseNumber) in due)
        {
            using var forCase = Operations.Logs.ForCase(caseNumber);
            try
            {
                using var scope = scopes.CreateScope();
                var cases = scope.ServiceProvider.GetRequiredService<CaseService>();
                // A due service call is the outbox's work (not delivered by its request, or to be retried), not a timer.
                if (name == Activities.Services.ServiceCalls.BookmarkName) await cases.DeliverCallAsync(id, cancellationToken);
                else await cases.ResumeDueAsync(id, cancellationToken);
                resumed++;
            }
            catch (Exception ex) when (ex is ConflictException or NotFoundException)
            {
                // Another node (or a person) got there first, or the step faulted and is an incident already.
                logger.LogDebug("Due bookmark {Bookmark} skipped: {Reason}", id, ex.Message);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                await failures.RecordAsync(id, ex, cancellationToken);
            }
        }
        if (resumed > 0) logger.LogInformation("Resumed {Count} due bookmark(s)", resumed);
        return resumed;
    }
}

/// <summary>The Quartz job that sweeps due bookmarks; never runs twice at once, in one node or across a cluster.</summary>
[DisallowConcurrentExecution]
public sealed class DueBookmarksJob(DueBookmarkSweeper sweeper) : IJob
{
    /// <summary>The job's key.</summary>
    public static readonly JobKey Key = new("due-bookmarks", "govflow");

    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        await sweeper.SweepAsync(cancellationToken);
        await sweeper.TrackWaybillsAsync(cancellationToken);
    }
}

/// <summary>Quartz set-up: a persistent store on the same database (clustered on PostgreSQL) and the sweep every few seconds.</summary>
public static class SchedulingSetup
{
    /// <summary>Registers Quartz and the sweeper.</summary>
    public static IServiceCollection AddGovFlowScheduling(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<DueBookmarkSweeper>();
        services.AddSingleton(SweepOptions.From(configuration));
        services.AddSingleton<SweepStatus>();
        services.AddSingleton<SweepFailures>();
        services.AddSingleton<Proactive.ProactiveSweeper>();
        services.AddScoped<Proactive.SmsReplies>();
        var retention = Cases.JournalRetentionOptions.From(configuration);
        services.AddSingleton(retention);
        services.AddSingleton<Cases.JournalArchiver>();
        if (!configuration.GetValue("GovFlow:Scheduler:Enabled", true)) return services;
        var seconds = Math.Max(1, configuration.GetValue("GovFlow:Scheduler:SweepSeconds", 5));
        services.AddQuartz(q =>
        {
            var (provider, connection) = Database.Connection(configuration);
            q.UsePersistentStore(s =>
            {
                switch (provider)
                {
                    case "sqlite":
                        s.UseSqlite(Microsoft.Data.Sqlite.SqliteFactory.Instance, connection);
                        break;
                    case "postgres":
                        s.UsePostgres(connection);
                        s.UseClustering();
                        break;
                    default:
                        // Several hosts may share a SQL Server database as they do a PostgreSQL one.
                        s.UseSqlServer(Microsoft.Data.SqlClient.SqlClientFactory.Instance, connection);
                        s.UseClustering();
                        break;
                }
                s.UseSystemTextJsonSerializer();
                s.ProvisionSchema();
            });
            q.AddJob<DueBookmarksJob>(j => j.WithIdentity(DueBookmarksJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(DueBookmarksJob.Key).WithIdentity("due-bookmarks-every", "govflow")
                .StartNow().WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(seconds)).RepeatForever()));
            // 免申即享: residents are searched and invited a few times a day, not every few seconds (GovFlow:Proactive:SweepMinutes;
            // 0 turns the sweep off, as the test hosts do: each would otherwise search and invite the population as it starts).
            var proactiveMinutes = configuration.GetValue("GovFlow:Proactive:SweepMinutes", 360);
            if (proactiveMinutes > 0)
            {
                q.AddJob<Proactive.ProactiveSweepJob>(j => j.WithIdentity(Proactive.ProactiveSweepJob.Key).StoreDurably());
                q.AddTrigger(t => t.ForJob(Proactive.ProactiveSweepJob.Key).WithIdentity("proactive-sweep-every", "govflow")
                    .StartNow().WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMinutes(proactiveMinutes)).RepeatForever()));
            }
            // Journal retention: off unless GovFlow:Retention:ArchiveAfterDays is set.
            if (retention.ArchiveAfter is not null)
            {
                q.AddJob<Cases.JournalArchiveJob>(j => j.WithIdentity(Cases.JournalArchiveJob.Key).StoreDurably());
                q.AddTrigger(t => t.ForJob(Cases.JournalArchiveJob.Key).WithIdentity("journal-archive-every", "govflow")
                    .StartNow().WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMinutes(retention.SweepMinutes)).RepeatForever()));
            }
            Operations.BackupOptions.Schedule(q, services, configuration);
        });
        services.AddSingleton<SchedulerHost>();
        services.AddHostedService(sp => sp.GetRequiredService<SchedulerHost>());
        return services;
    }
}

/// <summary>
/// Runs Quartz with the host. Stopping waits for a running sweep, but only as long as the host's shutdown time:
/// when the database has gone, Quartz retries storing the job's completion until it answers, and Quartz's own
/// hosted service then kept the process alive for good after SIGTERM. Every step a sweep makes is its own
/// transaction, so leaving one unfinished loses nothing.
/// </summary>
public sealed class SchedulerHost(ISchedulerFactory factory, ILogger<SchedulerHost> logger) : IHostedService
{
    private IScheduler? _scheduler;

    /// <summary>
    /// Whether the stop gave up on the scheduler: its foreground threads are still running, and the program exits
    /// explicitly once the host has stopped.
    /// </summary>
    public bool LeftRunning { get; private set; }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _scheduler = await factory.GetScheduler(cancellationToken);
        await _scheduler.Start(cancellationToken);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_scheduler is null) return;
        var stopped = _scheduler.Shutdown(waitForJobsToComplete: true, CancellationToken.None).AsTask();
        if (await Task.WhenAny(stopped, Task.Delay(Timeout.Infinite, cancellationToken)) == stopped) return;
        LeftRunning = true;
        logger.LogWarning("The scheduler did not stop within the host's shutdown time (is the database reachable?); the host stops without it.");
    }
}

/// <summary>Healthy when the scheduler runs (or is switched off by configuration).</summary>
public sealed class SchedulerHealth(IServiceProvider services, IConfiguration configuration) : Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheck
{
    /// <inheritdoc />
    public async Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult> CheckHealthAsync(Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!configuration.GetValue("GovFlow:Scheduler:Enabled", true)) return Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy("switched off");
        var factory = services.GetService<ISchedulerFactory>();
        if (factory is null) return Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy("No scheduler.");
        var scheduler = await factory.GetScheduler(cancellationToken);
        return scheduler.Status == SchedulerStatus.Running
            ? Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy()
            : Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy("The scheduler is not running.");
    }
}
