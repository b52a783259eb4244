using GovFlow.Host.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GovFlow.Host.Scheduling;

/// <summary>How the due-bookmark sweep treats a bookmark that fails, and when the sweep itself counts as stalled.</summary>
public sealed record SweepOptions
{
    /// <summary>Failed attempts after which a bookmark becomes an incident on its case (default 5).</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The wait after the first failure; it doubles with each further one (default 30 s).</summary>
    public TimeSpan FirstRetry { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two attempts (default 1 h).</summary>
    public TimeSpan LongestRetry { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long the sweep may go without a success before <c>/health</c> turns unhealthy (default 5 min).</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Reads <c>GovFlow:Scheduler:MaxAttempts</c>, <c>RetrySeconds</c>, <c>LongestRetrySeconds</c> and <c>StaleAfterSeconds</c>.</summary>
    public static SweepOptions From(IConfiguration configuration)
    {
        var d = new SweepOptions();
        return new SweepOptions
        {
            MaxAttempts = Math.Max(1, configuration.GetValue("GovFlow:Scheduler:MaxAttempts", d.MaxAttempts)),
            FirstRetry = TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue("GovFlow:Scheduler:RetrySeconds", d.FirstRetry.TotalSeconds))),
            LongestRetry = TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue("GovFlow:Scheduler:LongestRetrySeconds", d.LongestRetry.TotalSeconds))),
            StaleAfter = TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue("GovFlow:Scheduler:StaleAfterSeconds", d.StaleAfter.TotalSeconds)))
        };
    }

    /// <summary>The wait after the <paramref name="failures"/>-th failure: the first retry, doubled each time, capped.</summary>
    public TimeSpan RetryDelay(int failures) =>
        TimeSpan.FromTicks(Math.Min(LongestRetry.Ticks, FirstRetry.Ticks * (1L << Math.Clamp(failures - 1, 0, 30))));
}

/// <summary>
/// What the sweep last achieved, for <c>/health</c>: a sweep that throws before it has tried every due bookmark
/// does not count as a success, so a node whose timers have stopped says so.
/// </summary>
public sealed class SweepStatus(TimeProvider clock)
{
    private readonly object _gate = new();

    /// <summary>When this node began expecting sweeps.</summary>
    public DateTimeOffset StartedAt { get; } = clock.GetUtcNow();

    /// <summary>When a sweep last went through every due bookmark it found (each one resumed, or its failure recorded).</summary>
    public DateTimeOffset? LastSuccess { get; private set; }

    /// <summary>Why the last sweep that failed as a whole failed (null after a success).</summary>
    public string? LastError { get; private set; }

    internal void Succeeded(DateTimeOffset at)
    {
        lock (_gate) { LastSuccess = at; LastError = null; }
    }

    internal void Failed(Exception error)
    {
        lock (_gate) LastError = $"{error.GetType().Name}: {error.Message}";
    }
}

/// <summary>
/// Records a bookmark whose sweep threw something the step itself did not turn into an incident (a broken state, a
/// bug, a store error): the bookmark waits longer after each failure, and after <see cref="SweepOptions.MaxAttempts"/>
/// it is held from the scheduler as an incident on its case, for an auditor to retry.
/// </summary>
public sealed class SweepFailures(IServiceScopeFactory scopes, TimeProvider clock, SweepOptions options, ILogger<SweepFailures> logger)
{
    /// <summary>Counts a failure of a bookmark; returns whether it became an incident.</summary>
    public async Task<bool> RecordAsync(string bookmarkId, Exception error, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        var bookmark = await db.Bookmarks.FindAsync([bookmarkId], cancellationToken);
        if (bookmark?.DueAt is not { } due) return false;
        var now = clock.GetUtcNow();
        bookmark.SweepFailures++;
        bookmark.LastError = $"{error.GetType().Name}: {error.Message}";
        if (bookmark.SweepFailures < options.MaxAttempts)
        {
            bookmark.DueAt = now + options.RetryDelay(bookmark.SweepFailures);
            logger.LogWarning(error, "Due bookmark {Bookmark} failed (attempt {Attempt} of {Max}); next try at {Due}", bookmarkId, bookmark.SweepFailures, options.MaxAttempts, bookmark.DueAt);
            await db.CommitAsync(cancellationToken);
            return false;
        }
        var instance = await db.Instances.AsNoTracking().Where(i => i.Id == bookmark.InstanceId).Select(i => new { i.CaseId }).FirstOrDefaultAsync(cancellationToken);
        var caseNumber = instance?.CaseId is { } caseId
            ? await db.Cases.AsNoTracking().Where(c => c.Id == caseId).Select(c => c.CaseNumber).FirstOrDefaultAsync(cancellationToken)
            : null;
        db.Incidents.Add(new IncidentRecord
        {
            Id = Guid.CreateVersion7().ToString("N"), CaseId = instance?.CaseId ?? "", CaseNumber = caseNumber ?? "", InstanceId = bookmark.InstanceId,
            BookmarkId = bookmark.Id, BookmarkName = bookmark.Name, ActivityId = bookmark.ActivityId, ActivityType = "",
            Message = $"定时处理连续失败 {bookmark.SweepFailures} 次，已停止自动重试：{error.Message}",
            ExceptionType = error.GetType().Name, Actor = "scheduler", OccurredAt = now, Attempts = bookmark.SweepFailures, HeldDueAt = due
        });
        bookmark.DueAt = null;
        logger.LogError(error, "Due bookmark {Bookmark} failed {Attempts} times; held as an incident on case {Case}", bookmarkId, bookmark.SweepFailures, caseNumber);
        await db.CommitAsync(cancellationToken);
        return true;
    }
}

/// <summary>
/// The sweep's health: its last success and its backlog (bookmarks due and not yet resumed); unhealthy when the
/// scheduler runs but no sweep has succeeded for <see cref="SweepOptions.StaleAfter"/>.
/// </summary>
public sealed class SweepHealth(SweepStatus status, SweepOptions options, IServiceScopeFactory scopes, TimeProvider clock, IConfiguration configuration) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var data = new Dictionary<string, object>
        {
            ["lastSuccess"] = status.LastSuccess?.ToString("O") ?? "",
            ["staleAfterSeconds"] = (int)options.StaleAfter.TotalSeconds
        };
        if (status.LastError is { } lastError) data["lastError"] = lastError;
        try
        {
            using var scope = scopes.CreateScope();
            data["backlog"] = await scope.ServiceProvider.GetRequiredService<GovFlowDb>().Bookmarks.CountAsync(b => b.DueAt != null && b.DueAt <= now, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            data["backlogError"] = ex.Message;
        }
        if (!configuration.GetValue("GovFlow:Scheduler:Enabled", true)) return HealthCheckResult.Healthy("switched off", data);
        var since = status.LastSuccess ?? status.StartedAt;
        return now - since > options.StaleAfter
            ? HealthCheckResult.Unhealthy($"定时扫描自 {since:O} 起没有成功过 (the due-bookmark sweep has not succeeded since {since:O})", data: data)
            : HealthCheckResult.Healthy(status.LastSuccess is null ? "waiting for the first sweep" : "sweeping", data);
    }
}
