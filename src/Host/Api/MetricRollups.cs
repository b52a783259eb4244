using GovFlow.Activities.Calendar;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Matters;
using GovFlow.Host.Api.Contracts;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Api;

/// <summary>
/// The metrics from SQL: each case carries its facts as columns (set whenever it moves), <c>metric_days</c> holds
/// their sums per China day, matter, department and case type, and <c>/api/metrics</c> adds up the days the refresher
/// has summed and sums the days whose cases moved since from the cases themselves, so the answer is exact at read
/// time without loading the period's cases. <see cref="Metrics.Compute"/> is the in-memory reference of the same
/// definitions, used while some case in the period has no facts yet.
/// </summary>
public static class MetricRollups
{
    /// <summary>
    /// How far behind the clock the watermark stays: a step's moment is taken before it commits, so a case that moved
    /// just before a refresh may become visible only after it; its day stays summed live until the watermark passes it.
    /// </summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMinutes(2);

    private const string Done = CaseStatus.Completed;
    private const string DoneWithTolerance = CaseStatus.CompletedWithTolerance;

    /// <summary>The China date of <paramref name="moment"/> as days since 1970-01-01 (the migration computes the same from the stored milliseconds).</summary>
    public static int DayOf(DateTimeOffset moment) => ChinaTime.Date(moment).DayNumber - Epoch;

    /// <summary>The China date of a day number.</summary>
    public static DateOnly DateOf(int day) => DateOnly.FromDayNumber(Epoch + day);

    private static readonly int Epoch = new DateOnly(1970, 1, 1).DayNumber;

    /// <summary>
    /// Sets the case's metric facts from its case file and matter, by the definitions of <see cref="Metrics"/>, and
    /// marks it moved at <paramref name="now"/> so the rollups of its day are summed again.
    /// </summary>
    public static void SetFacts(CaseRecord c, CaseFile file, ServiceMatter? matter, WorkingCalendar calendar, DateTimeOffset now)
    {
        c.ReceivedDay = DayOf(c.ReceivedAt);
        c.CaseType = matter?.CaseType ?? "2";
        // Handling time and visits are figures of completed cases; computing them once the case is complete keeps the
        // calendar arithmetic out of the steps before.
        c.HandlingWorkingDays = c.CompletedAt is null ? null : Metrics.HandlingWorkingDays(c, file, calendar);
        c.Visits = c.CompletedAt is null ? null : Metrics.VisitsOf(c, file, matter);
        c.CompletedEarly = c.CompletedAt is { } done && c.PromisedDue is { } due && ChinaTime.Date(done) < ChinaTime.Date(due);
        c.RatingLevel = file.Rating?.Level;
        c.BadRatingRectified = file.Rating is { Level: >= 4, Rectification.ClosedAt: not null };
        c.UpdatedAt = now;
    }

    /// <summary>The sums per China day, matter, department and case type of <paramref name="cases"/>, in one GROUP BY.</summary>
    public static IQueryable<MetricDayRecord> Sums(IQueryable<CaseRecord> cases) =>
        cases.GroupBy(c => new { c.ReceivedDay, c.MatterCode, c.MatterName, c.Department, c.CaseType })
            .Select(g => new MetricDayRecord
            {
                Day = g.Key.ReceivedDay, MatterCode = g.Key.MatterCode, MatterName = g.Key.MatterName, Department = g.Key.Department, CaseType = g.Key.CaseType ?? "2",
                Received = g.Count(),
                Accepted = g.Count(c => c.AcceptedAt != null),
                Completed = g.Count(c => (c.Status == Done || c.Status == DoneWithTolerance) && c.CompletedAt != null),
                Finished = g.Count(c => c.Status == Done || c.Status == DoneWithTolerance),
                Refused = g.Count(c => c.Status == CaseStatus.Refused),
                NotAccepted = g.Count(c => c.Status == CaseStatus.NotAccepted),
                Withdrawn = g.Count(c => c.Status == CaseStatus.Withdrawn),
                InProgress = g.Count(c => c.CompletedAt == null && c.Status != CaseStatus.NotAccepted && c.Status != CaseStatus.Withdrawn && c.Status != CaseStatus.Refused),
                Timed = g.Count(c => (c.Status == Done || c.Status == DoneWithTolerance) && c.CompletedAt != null && c.PromisedDue != null),
                OnTime = g.Count(c => (c.Status == Done || c.Status == DoneWithTolerance) && c.CompletedAt != null && c.PromisedDue != null && c.CompletedAt <= c.PromisedDue),
                Early = g.Count(c => (c.Status == Done || c.Status == DoneWithTolerance) && c.CompletedAt != null && c.PromisedDue != null && c.CompletedEarly),
                Overdue = g.Count(c => (c.Status == Done || c.Status == DoneWithTolerance) && c.CompletedAt != null && c.PromisedDue != null && c.CompletedAt > c.PromisedDue),
                HandlingDays = g.Sum(c => (c.Status == Done || c.Status == DoneWithTolerance) && c.CompletedAt != null && c.HandlingWorkingDays != null ? c.HandlingWorkingDays.Value : 0.0),
                Handled = g.Count(c => (c.Status == Done || c.Status == DoneWithTolerance) && c.CompletedAt != null && c.HandlingWorkingDays != null),
                Rated1 = g.Count(c => c.RatingLevel == 1),
                Rated2 = g.Count(c => c.RatingLevel == 2),
                Rated3 = g.Count(c => c.RatingLevel == 3),
                Rated4 = g.Count(c => c.RatingLevel == 4),
                Rated5 = g.Count(c => c.RatingLevel == 5),
                BadRectified = g.Count(c => c.RatingLevel >= 4 && c.BadRatingRectified),
                AtMostOneVisit = g.Count(c => (c.Status == Done || c.Status == DoneWithTolerance) && c.CompletedAt != null && c.Visits != null && c.Visits <= 1),
            });

    /// <summary>
    /// The metrics of the cases received in [<paramref name="from"/>, <paramref name="to"/>), both China midnights: the
    /// refreshed days from <c>metric_days</c>, the days whose cases moved since from the cases, open and overdue now by
    /// an indexed count. While some case has no facts yet (before the backfill reached it), computed in memory.
    /// </summary>
    public static async Task<MetricsView> ReadAsync(GovFlowDb db, WorkingCalendar calendar, MatterCatalog catalog, DateTimeOffset now, DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken = default)
    {
        // Any case at all, not just the period's: a period's bounds beside UpdatedAt let SQLite walk the period's index.
        if (await db.Cases.AnyAsync(c => c.UpdatedAt == null, cancellationToken))
        {
            var cases = await db.Cases.AsNoTracking().Where(c => c.ReceivedAt >= from && c.ReceivedAt < to).ToListAsync(cancellationToken);
            return Metrics.Compute(cases, calendar, now, from, to, catalog);
        }
        int first = DayOf(from), last = DayOf(to) - 1;
        List<MetricDayRecord> rows;
        for (var attempt = 0; ; attempt++)
        {
            var mark = await WatermarkAsync(db, cancellationToken);
            var dirty = (await MovedDaysAsync(db, mark, cancellationToken)).Where(d => d >= first && d <= last).ToList();
            rows = await db.MetricDays.AsNoTracking().Where(d => d.Day >= first && d.Day <= last && !dirty.Contains(d.Day)).ToListAsync(cancellationToken);
            if (dirty.Count > 0) rows.AddRange(await Sums(db.Cases.Where(c => dirty.Contains(c.ReceivedDay))).ToListAsync(cancellationToken));
            // A refresh that committed between the reads above would have moved the watermark: rows of two states
            // might have been mixed, so read again (a refresh is rare next to reads, and three tries settle it).
            if (await WatermarkAsync(db, cancellationToken) == mark || attempt == 2) break;
        }
        var overdueOpen = await db.Cases.CountAsync(c => c.CompletedAt == null && c.PromisedDue < now && c.ReceivedDay >= first && c.ReceivedDay <= last, cancellationToken);
        return View(rows, from, to, overdueOpen);
    }

    // The days of the cases that moved after the watermark, from the index on (UpdatedAt, ReceivedDay) alone: a DISTINCT
    // or a range of days in the query let SQLite walk the days' index over every case instead (a second per read at
    // a million cases), so the few moved rows' days are told apart here.
    private static async Task<HashSet<int>> MovedDaysAsync(GovFlowDb db, DateTimeOffset since, CancellationToken cancellationToken) =>
        [.. await db.Cases.Where(c => c.UpdatedAt > since).Select(c => c.ReceivedDay).ToListAsync(cancellationToken)];

    private static async Task<DateTimeOffset> WatermarkAsync(GovFlowDb db, CancellationToken cancellationToken) =>
        await db.MetricRefresh.AsNoTracking().Where(r => r.Id == MetricRefreshRecord.Only).Select(r => (DateTimeOffset?)r.Watermark).FirstOrDefaultAsync(cancellationToken) ?? DateTimeOffset.UnixEpoch;

    private static MetricsView View(IReadOnlyList<MetricDayRecord> rows, DateTimeOffset from, DateTimeOffset to, int overdueOpen)
    {
        // No cases to count is no figure ("—"), as in Metrics.Compute.
        double? Rate(int part, int whole) => whole == 0 ? null : Math.Round(100.0 * part / whole, 1);
        double? Average(IEnumerable<MetricDayRecord> of)
        {
            var list = of.ToList();
            var count = list.Sum(r => r.Handled);
            return count == 0 ? null : Math.Round(list.Sum(r => r.HandlingDays) / count, 1);
        }
        int Sum(Func<MetricDayRecord, int> figure) => rows.Sum(figure);
        var completed = Sum(r => r.Completed);
        var timed = Sum(r => r.Timed);
        int[] rated = [Sum(r => r.Rated1), Sum(r => r.Rated2), Sum(r => r.Rated3), Sum(r => r.Rated4), Sum(r => r.Rated5)];
        var ratings = rated.Sum();
        var volumes = new CaseVolumes(Sum(r => r.Received), Sum(r => r.Accepted), completed, Sum(r => r.Refused), Sum(r => r.NotAccepted), Sum(r => r.Withdrawn), Sum(r => r.InProgress));
        return new MetricsView(
            from, to, volumes,
            OnTimeRate: Rate(Sum(r => r.OnTime), timed),
            EarlyCompletionRate: Rate(Sum(r => r.Early), timed),
            OverdueRate: Rate(Sum(r => r.Overdue), timed),
            OverdueOpen: overdueOpen,
            AverageHandlingWorkingDays: Average(rows),
            Ratings: Enumerable.Range(1, 5).ToDictionary(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture), l => rated[l - 1]),
            SatisfactionRate: Rate(rated[0] + rated[1] + rated[2], ratings),
            RatingCoverage: Rate(ratings, completed),
            BadRatingRectificationRate: Rate(Sum(r => r.BadRectified), rated[3] + rated[4]),
            ByMatter: rows.GroupBy(r => r.MatterName).Select(g => new MatterVolume(g.Key, g.Sum(r => r.Received), g.Sum(r => r.Finished)))
                .OrderByDescending(x => x.Received).ThenBy(x => x.Matter, StringComparer.Ordinal).ToList(),
            ByDepartment: rows.GroupBy(r => r.Department).Select(g => new DepartmentVolume(g.Key, g.Sum(r => r.Received), g.Sum(r => r.Finished)))
                .OrderByDescending(x => x.Received).ThenBy(x => x.Department, StringComparer.Ordinal).ToList(),
            ByWeek: rows.GroupBy(r => Metrics.WeekOf(DateOf(r.Day))).OrderBy(g => g.Key)
                .Select(g => new WeekVolume(g.Key.ToString("yyyy-MM-dd"), g.Sum(r => r.Received), g.Sum(r => r.Finished))).ToList())
        {
            ByCaseType = new[] { "1", "2" }.Select(type => rows.Where(r => r.CaseType == type).ToList()).Select((of, i) => new CaseTypeVolume(
                i == 0 ? CaseTypeVolume.Immediate : CaseTypeVolume.Promised, of.Sum(r => r.Received), of.Sum(r => r.Completed), Average(of))).ToList(),
            AtMostOneVisitRate = Rate(Sum(r => r.AtMostOneVisit), completed),
        };
    }

    /// <summary>
    /// Fills the facts of up to <paramref name="batch"/> cases that have none (rows from before the facts existed, or
    /// written around the case projection); returns how many. A case that moved meanwhile keeps what its step set.
    /// </summary>
    public static async Task<int> BackfillAsync(GovFlowDb db, MatterCatalog catalog, WorkingCalendar calendar, DateTimeOffset now, int batch = 500, CancellationToken cancellationToken = default)
    {
        // Ordered by UpdatedAt (all null here) only to say the order does not matter: ordering by anything else would walk
        // another index past every row that has its facts.
        var cases = await db.Cases.Where(c => c.UpdatedAt == null).OrderBy(c => c.UpdatedAt).Take(batch).ToListAsync(cancellationToken);
        foreach (var c in cases) SetFacts(c, CaseFile.Read(c.CaseFileJson), catalog.Find(c.MatterCode)?.Matter, calendar, now);
        if (cases.Count == 0) return 0;
        try { await db.CommitAsync(cancellationToken); }
        catch (DbUpdateConcurrencyException) { return 0; } // a step moved one of them: its own facts are set, the rest are taken next time
        return cases.Count;
    }

    /// <summary>
    /// Sums again the days of the cases that moved since the watermark, by <see cref="Sums"/> over those days' cases,
    /// and replaces their rows and moves the watermark in one commit; returns how many days. Two nodes refreshing at
    /// once: one commits, the other's stale stamp rolls its refresh back.
    /// </summary>
    public static async Task<int> RefreshAsync(GovFlowDb db, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var state = await db.MetricRefresh.FirstOrDefaultAsync(r => r.Id == MetricRefreshRecord.Only, cancellationToken);
        var since = state?.Watermark ?? DateTimeOffset.UnixEpoch;
        var mark = now - Settle;
        var days = (await MovedDaysAsync(db, since, cancellationToken)).Order().ToList();
        if (days.Count == 0) return 0;
        var rows = new List<MetricDayRecord>();
        // A month of days at a time keeps each GROUP BY and its list of days small on a first refresh of a large database.
        foreach (var chunk in days.Chunk(31))
        {
            var some = chunk.ToList();
            rows.AddRange(await Sums(db.Cases.Where(c => some.Contains(c.ReceivedDay))).ToListAsync(cancellationToken));
            db.MetricDays.RemoveRange(await db.MetricDays.Where(d => some.Contains(d.Day)).ToListAsync(cancellationToken));
        }
        foreach (var row in rows) row.Id = Guid.CreateVersion7(now).ToString("N");
        db.MetricDays.AddRange(rows);
        if (state is null) db.MetricRefresh.Add(state = new MetricRefreshRecord { Id = MetricRefreshRecord.Only });
        // Never back: a clock behind another node's must not reopen days that node has summed.
        state.Watermark = mark > since ? mark : since;
        state.RefreshedAt = now;
        state.Stamp = CaseProjection.NewStamp();
        try { await db.CommitAsync(cancellationToken); }
        catch (DbUpdateException) { return 0; } // another node refreshed first (a stale stamp, or the first row taken)
        return days.Count;
    }
}

/// <summary>
/// Keeps the metric rollups: every few seconds (<c>GovFlow:MetricRollups:Seconds</c>, default 5; 0 turns it off) it
/// fills the facts of cases that have none, in batches, then refreshes the days whose cases moved. Safe on every node.
/// </summary>
public sealed class MetricRollupRefresher(IServiceScopeFactory scopes, IConfiguration configuration, MatterCatalog catalog, WorkingCalendar calendar, TimeProvider clock,
    ILogger<MetricRollupRefresher> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = configuration.GetValue("GovFlow:MetricRollups:Seconds", 5.0);
        if (seconds <= 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var filled = 0;
                for (var batches = 1; ; batches++)
                {
                    using var scope = scopes.CreateScope();
                    var n = await MetricRollups.BackfillAsync(scope.ServiceProvider.GetRequiredService<GovFlowDb>(), catalog, calendar, clock.GetUtcNow(), cancellationToken: stoppingToken);
                    filled += n;
                    if (n == 0) break;
                    // A database of a million earlier cases takes minutes: say how far it has come now and then.
                    if (batches % 100 == 0) logger.LogInformation("Filled the metric facts of {Count} earlier case(s) so far", filled);
                }
                if (filled > 0) logger.LogInformation("Filled the metric facts of {Count} earlier case(s)", filled);
                using (var scope = scopes.CreateScope())
                {
                    var started = System.Diagnostics.Stopwatch.GetTimestamp();
                    var days = await MetricRollups.RefreshAsync(scope.ServiceProvider.GetRequiredService<GovFlowDb>(), clock.GetUtcNow(), stoppingToken);
                    var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
                    // Today's day is summed again every few seconds while cases move; only a long refresh is news.
                    if (days > 0) logger.Log(elapsed > TimeSpan.FromSeconds(1) ? LogLevel.Information : LogLevel.Debug,
                        "Refreshed the metric rollups of {Count} day(s) in {Milliseconds:0} ms", days, elapsed.TotalMilliseconds);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not refresh the metric rollups");
            }
        }
    }
}
