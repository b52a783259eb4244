using GovFlow.Activities.Calendar;
using GovFlow.Activities.Cases;
using GovFlow.Host.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Cases;

/// <summary>
/// Keeps the node's working calendar in step with the holiday notices stored in the database: at start-up and on every
/// poll it publishes each notice row that is new or changed since it last looked.
/// </summary>
public sealed class CalendarNotices(WorkingCalendar calendar, ILogger<CalendarNotices> logger)
{
    private readonly Dictionary<int, string> _seen = [];
    private readonly SemaphoreSlim _sync = new(1, 1);

    /// <summary>Publishes the notices changed since the last sync; returns how many.</summary>
    public async Task<int> SyncAsync(GovFlowDb db, CancellationToken cancellationToken = default)
    {
        await _sync.WaitAsync(cancellationToken);
        try
        {
            var stamps = await db.CalendarYears.AsNoTracking().Select(y => new { y.Year, y.Stamp }).ToListAsync(cancellationToken);
            var changed = stamps.Where(s => _seen.GetValueOrDefault(s.Year) != s.Stamp).Select(s => s.Year).ToList();
            if (changed.Count == 0) return 0;
            foreach (var row in await db.CalendarYears.AsNoTracking().Where(y => changed.Contains(y.Year)).ToListAsync(cancellationToken))
            {
                try
                {
                    using var json = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(row.Json));
                    calendar.Publish(WorkingCalendar.Parse(json, $"calendar_years/{row.Year}"));
                }
                catch (Exception ex) when (ex is FormatException or ArgumentException)
                {
                    // A row this node cannot read stays out of force here rather than stopping the node; it is logged.
                    logger.LogError(ex, "The stored holiday notice for {Year} cannot be loaded", row.Year);
                }
                _seen[row.Year] = row.Stamp;
            }
            return changed.Count;
        }
        finally
        {
            _sync.Release();
        }
    }
}

/// <summary>Polls the stored holiday notices for changes made on any node (every two seconds unless configured).</summary>
public sealed class CalendarFollower(IServiceScopeFactory scopes, CalendarNotices notices, IConfiguration configuration, ILogger<CalendarFollower> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(configuration.GetValue("GovFlow:Calendar:PollMilliseconds", 2000)));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                using var scope = scopes.CreateScope();
                var changed = await notices.SyncAsync(scope.ServiceProvider.GetRequiredService<GovFlowDb>(), stoppingToken);
                if (changed > 0) logger.LogInformation("Followed {Count} changed holiday notice(s)", changed);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may be away for a moment; the next poll tries again.
                logger.LogWarning(ex, "Could not follow holiday notices");
            }
        }
    }
}

/// <summary>What loading a notice did.</summary>
/// <param name="Year">The year.</param>
/// <param name="Source">The notice.</param>
/// <param name="Redated">The case numbers whose dates moved (each journaled).</param>
/// <param name="Conflicted">The case numbers someone was acting on meanwhile; loading the notice again recounts them.</param>
public sealed record NoticeLoaded(int Year, string Source, IReadOnlyList<string> Redated, IReadOnlyList<string> Conflicted);

/// <summary>
/// Loads a year's State Council holiday notice: validates it, stores it (every node follows), puts it in force here,
/// and counts again the dates of every open case that the year touches, each case in its own journaled commit.
/// </summary>
public sealed class NoticeLoading(GovFlowDb db, WorkingCalendar calendar, CalendarNotices notices, CaseService cases, TimeProvider clock)
{
    private static readonly string[] Decided = [CaseStatus.Completed, CaseStatus.CompletedWithTolerance, CaseStatus.Refused, CaseStatus.NotAccepted, CaseStatus.Withdrawn];

    /// <summary>Loads <paramref name="notice"/> as <paramref name="actor"/>; a notice with problems is refused with all of them (in Chinese).</summary>
    public async Task<NoticeLoaded> LoadAsync(HolidayYear notice, string actor, CancellationToken cancellationToken = default)
    {
        if (NoticeRules.Problems(notice) is { Count: > 0 } problems) throw new InputException("notice", string.Join("；", problems));
        var before = calendar.Snapshot();
        var row = await db.CalendarYears.FindAsync([notice.Year], cancellationToken);
        if (row is null) db.CalendarYears.Add(row = new CalendarYearRecord { Year = notice.Year });
        row.Json = WorkingCalendar.Write(notice);
        row.Source = notice.Source;
        row.LoadedBy = actor;
        row.LoadedAt = clock.GetUtcNow();
        row.Stamp = Guid.NewGuid().ToString("N");
        await db.CommitAsync(cancellationToken);
        await notices.SyncAsync(db, cancellationToken);

        var reason = $"载入{notice.Year}年放假安排（{notice.Source}），期限按通知重新计算";
        var redated = new List<string>();
        var conflicted = new List<string>();
        foreach (var (id, number) in await TouchedAsync(notice.Year, cancellationToken))
        {
            try
            {
                if ((await cases.RedateAsync(id, before, calendar, reason, actor, cancellationToken)).Count > 0) redated.Add(number);
            }
            catch (ConflictException)
            {
                conflicted.Add(number);
            }
            db.ChangeTracker.Clear();
        }
        return new NoticeLoaded(notice.Year, notice.Source, redated, conflicted);
    }

    // Open cases received before the year ends with a date or a timer in the year or after it (or without a date):
    // only a count that reaches into the year can move.
    private async Task<IReadOnlyList<(string Id, string Number)>> TouchedAsync(int year, CancellationToken cancellationToken)
    {
        var from = ChinaTime.ToMoment(new DateTime(year, 1, 1));
        var until = ChinaTime.ToMoment(new DateTime(year + 1, 1, 1));
        var open = db.Cases.AsNoTracking().Where(c => !Decided.Contains(c.Status) && c.ReceivedAt < until);
        var byDate = await open.Where(c => c.PromisedDue == null || c.StatutoryDue == null || c.PromisedDue >= from || c.StatutoryDue >= from)
            .Select(c => new { c.Id, c.CaseNumber }).ToListAsync(cancellationToken);
        var byTimer = await open.Where(c => db.Instances.Any(i => i.CaseId == c.Id && db.Bookmarks.Any(b => b.InstanceId == i.Id && b.DueAt >= from)))
            .Select(c => new { c.Id, c.CaseNumber }).ToListAsync(cancellationToken);
        return [.. byDate.Concat(byTimer).DistinctBy(c => c.Id).OrderBy(c => c.CaseNumber, StringComparer.Ordinal).Select(c => (c.Id, c.CaseNumber))];
    }
}
