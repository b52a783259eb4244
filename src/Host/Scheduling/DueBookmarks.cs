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
    /// <summary>The most open waybills one sweep follows; the next sweep goes on after the last one followed.</summary>
    public const int WaybillsPerSweep = 1000;

    // Where the last sweep stopped among the open waybills (oldest first), so that with more than a sweep's worth
    // open every one is followed in turn instead of the oldest ones over and over. Memory only: after a restart the
    // sweep starts from the oldest again, which costs nothing but a turn.
    private (DateTimeOffset At, string Id)? _lastWaybill;

    /// <summary>
    /// Asks the mailing service where each posted item is and resumes the waiting step when its status changed
    /// (delivered, returned, failed, or on the way); returns how many moved. The open waybills and the status each
    /// case last knew come in one query (the tracking bookmark keeps that status), the mailing service is asked
    /// about all of them in one call, and only a waybill that moved costs its case a step of its own. An unreachable
    /// service is asked again next time.
    /// </summary>
    public async Task<int> TrackWaybillsAsync(CancellationToken cancellationToken = default)
    {
        var open = await OpenWaybillsAsync(cancellationToken);
        if (open.Count == 0) return 0;
        IReadOnlyList<Activities.Services.Waybill> answers;
        using (var scope = scopes.CreateScope())
        {
            try
            {
                answers = await scope.ServiceProvider.GetRequiredService<Activities.Services.IMailingService>()
                    .TrackManyAsync([.. open.Select(w => w.Number).Distinct()], cancellationToken);
            }
            catch (Exception ex) when (ex is Activities.Services.ServiceUnavailableException or HttpRequestException)
            {
                logger.LogDebug("Waybills not followed now: {Reason}", ex.Message);
                return 0;
            }
        }
        var now = answers.GroupBy(a => a.Number).ToDictionary(g => g.Key, g => g.Last());
        var moved = 0;
        foreach (var waybill in open)
        {
            if (!now.TryGetValue(waybill.Number, out var answer) || answer.Status == waybill.Known) continue;
            using var forCase = Operations.Logs.ForCase(waybill.CaseNumber);
            try
            {
                using var scope = scopes.CreateScope();
                await scope.ServiceProvider.GetRequiredService<CaseService>().ResumeAsync(waybill.BookmarkId,
                    new Dictionary<string, object?> { ["status"] = answer.Status, ["detail"] = answer.Detail }, "ems", cancellationToken);
                moved++;
            }
            catch (Exception ex) when (ex is KeyNotFoundException or ConflictException or NotFoundException or InputException)
            {
                logger.LogDebug("Waybill {Number} not followed now: {Reason}", waybill.Number, ex.Message);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Asked again next sweep; the other waybills are followed meanwhile.
                logger.LogWarning(ex, "Waybill {Number} (bookmark {Bookmark}) could not be followed", waybill.Number, waybill.BookmarkId);
            }
        }
        return moved;
    }

    private sealed record OpenWaybill(string BookmarkId, string Number, string? Known, string? CaseNumber);

    // One query for a sweep's worth of tracking bookmarks, through ix_bookmarks_name_created; a bookmark written
    // before the known status was kept in its payload has its case file's status read in one further query.
    private async Task<List<OpenWaybill>> OpenWaybillsAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        var query = db.Bookmarks.AsNoTracking().Where(b => b.Name == Activities.Steps.SendByPost.TrackingBookmark);
        if (_lastWaybill is var (at, id)) query = query.Where(b => b.CreatedAt > at || (b.CreatedAt == at && string.Compare(b.Id, id) > 0));
        var rows = await query.OrderBy(b => b.CreatedAt).ThenBy(b => b.Id).Take(WaybillsPerSweep)
            .Select(b => new { b.Id, b.PayloadJson, b.CreatedAt }).ToListAsync(cancellationToken);
        _lastWaybill = rows.Count == WaybillsPerSweep ? (rows[^1].CreatedAt, rows[^1].Id) : null;
        var open = new List<OpenWaybill>(rows.Count);
        var legacy = new List<string>();
        foreach (var row in rows)
        {
            try
            {
                var payload = System.Text.Json.Nodes.JsonNode.Parse(row.PayloadJson ?? "{}") as System.Text.Json.Nodes.JsonObject;
                if (payload?["waybill"]?.GetValue<string>() is not { } number) continue;
                var known = payload[Activities.Steps.SendByPost.KnownStatusProperty]?.GetValue<string>();
                if (known is null) legacy.Add(row.Id);
                open.Add(new OpenWaybill(row.Id, number, known, payload["caseNumber"]?.GetValue<string>()));
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or FormatException)
            {
                // One broken bookmark must not keep the sweep from the others; the warning names it for someone to look at.
                logger.LogWarning(ex, "Waybill bookmark {Bookmark} has a payload that does not read; it is not followed", row.Id);
            }
        }
        if (legacy.Count == 0) return open;
        var files = await db.Bookmarks.AsNoTracking().Where(b => legacy.Contains(b.Id))
            .Select(b => new { b.Id, File = db.Cases.Where(c => c.Id == db.Instances.Where(i => i.Id == b.InstanceId).Select(i => i.CaseId).FirstOrDefault()).Select(c => c.CaseFileJson).FirstOrDefault() })
            .ToDictionaryAsync(b => b.Id, b => b.File, cancellationToken);
        return [.. open.Select(w => w.Known is null && files.GetValueOrDefault(w.BookmarkId) is { } file ? w with { Known = Activities.Cases.CaseFile.Read(file).Waybill?.Status } : w)];
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
            // Each step is its own transaction: a sweep stopped between two leaves nothing half done.
            cancellationToken.ThrowIfCancellationRequested();
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
        try
        {
            await sweeper.SweepAsync(cancellationToken);
            await sweeper.TrackWaybillsAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Interrupted by the host's stop (SchedulingSetup): the rest is due at the next sweep, here or on another node.
        }
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
            // A stopping host interrupts its running jobs, which stop between steps, instead of waiting for the rest
            // of their batches: a sweep of messages to a service that was down kept a host from stopping for tens of
            // seconds, each call with its retries. Every step is its own transaction; the backup is not interrupted.
            q.ConfigureScheduler(o => o.ShutdownJobInterruption = ShutdownJobInterruption.WhenWaitingForJobs);
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
