using GovFlow.Activities.Calendar;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Supervision;
using GovFlow.Host.Persistence;

namespace GovFlow.Host.Cases;

/// <summary>
/// The warning lights (红黄绿灯) as they are now, not as they were when a case last moved: red past the due moment,
/// yellow within the yellow threshold of it (its matter's: from <see cref="CaseRecord.YellowFrom"/> and <see cref="TaskRecord.YellowFrom"/>),
/// green before. A case that is decided, or whose clock is stopped for a correction, keeps the light its last step
/// gave it. One place for the inbox, the case lists and the dashboard.
/// </summary>
/// <param name="Now">The moment the lights are read at.</param>
/// <param name="YellowUntil">Due moments up to here light yellow.</param>
public sealed record WarningLights(DateTimeOffset Now, DateTimeOffset YellowUntil)
{
    private static readonly string[] Settled = [CaseStatus.Completed, CaseStatus.CompletedWithTolerance, CaseStatus.Refused, CaseStatus.NotAccepted, CaseStatus.Withdrawn, CaseStatus.Correction];

    /// <summary>The lights at <paramref name="now"/>, with the default yellow threshold in working days.</summary>
    public static WarningLights At(WorkingCalendar calendar, DateTimeOffset now)
    {
        var days = WarningThresholds.Default.YellowWorkingDays;
        try { return new(now, ChinaTime.EndOfWorkingDays(calendar, now, days)); }
        catch (CalendarYearMissingException) { return new(now, now.AddDays(days)); }
    }

    /// <summary>The light of a task: yellow from its matter's threshold (<see cref="TaskRecord.YellowFrom"/>), or the default's for older rows.</summary>
    public string Of(TaskRecord t) => OfTask(t.DueAt, t.YellowFrom);

    /// <summary>
    /// The light of a task due at <paramref name="dueAt"/> that turns yellow at <paramref name="yellowFrom"/> (null: the
    /// default threshold's): one rule for a task and for the inbox's tallies of tasks with these moments.
    /// </summary>
    public string OfTask(DateTimeOffset? dueAt, DateTimeOffset? yellowFrom) =>
        dueAt is not { } due ? "green" : due < Now ? "red" : (yellowFrom is { } from ? from <= Now : due <= YellowUntil) ? "yellow" : "green";

    /// <summary>When a task due at <paramref name="due"/> turns yellow: its matter's threshold (the default's without a matter).</summary>
    public static DateTimeOffset? TaskYellowFrom(WorkingCalendar calendar, DateTimeOffset? due, Activities.Matters.ServiceMatter? matter) =>
        YellowFrom(calendar, due, matter?.YellowWorkingDays ?? WarningThresholds.Default.YellowWorkingDays);

    /// <summary>
    /// The start of the working day from which at most <paramref name="days"/> working days remain before
    /// <paramref name="due"/>: the moment a case or a task turns yellow (null without a due date, or past the calendar).
    /// </summary>
    public static DateTimeOffset? YellowFrom(WorkingCalendar calendar, DateTimeOffset? due, int days)
    {
        if (due is null) return null;
        try
        {
            var day = ChinaTime.Date(due.Value);
            for (var left = days; left > 0;)
            {
                day = day.AddDays(-1);
                if (calendar.IsWorkingDay(day)) left--;
            }
            return ChinaTime.ToMoment(day.ToDateTime(TimeOnly.MinValue));
        }
        catch (CalendarYearMissingException)
        {
            return null;
        }
    }

    /// <summary>The light of a case.</summary>
    public string Of(CaseRecord c) =>
        Settled.Contains(c.Status) ? c.WarningLevel.ToLowerInvariant()
        : c.PromisedDue is null ? "green" : c.PromisedDue < Now ? "red" : (c.YellowFrom ?? DateTimeOffset.MaxValue) <= Now ? "yellow" : "green";

    /// <summary>The cases not decided and past their promised date now (the supervision list, the red cards).</summary>
    public IQueryable<CaseRecord> Overdue(IQueryable<CaseRecord> cases)
    {
        var now = Now;
        return cases.Where(c => !Settled.Contains(c.Status) && c.PromisedDue < now);
    }

    /// <summary>The cases showing a light (green, yellow or red), as a query the database answers.</summary>
    public IQueryable<CaseRecord> Showing(IQueryable<CaseRecord> cases, string light)
    {
        var now = Now;
        return light switch
        {
            "red" => cases.Where(c => Settled.Contains(c.Status) ? c.WarningLevel == "Red" : c.PromisedDue < now),
            "yellow" => cases.Where(c => Settled.Contains(c.Status) ? c.WarningLevel == "Yellow" : c.PromisedDue >= now && c.YellowFrom <= now),
            "green" => cases.Where(c => Settled.Contains(c.Status) ? c.WarningLevel == "Green" : c.PromisedDue == null || c.PromisedDue >= now && (c.YellowFrom == null || c.YellowFrom > now)),
            _ => throw new InputException("warning", "预警只能是 green、yellow 或 red")
        };
    }

    /// <summary>The tasks showing a light, as a query the database answers.</summary>
    public IQueryable<TaskRecord> Showing(IQueryable<TaskRecord> tasks, string light)
    {
        var (now, until) = (Now, YellowUntil);
        return light switch
        {
            "red" => tasks.Where(t => t.DueAt < now),
            "yellow" => tasks.Where(t => t.DueAt >= now && (t.YellowFrom != null ? t.YellowFrom <= now : t.DueAt <= until)),
            "green" => tasks.Where(t => t.DueAt == null || t.DueAt >= now && (t.YellowFrom != null ? t.YellowFrom > now : t.DueAt > until)),
            _ => throw new InputException("warning", "预警只能是 green、yellow 或 red")
        };
    }
}
