using GovFlow.Activities.Calendar;
using GovFlow.Activities.Matters;
using GovFlow.Activities.Supervision;

namespace GovFlow.Activities.Cases;

/// <summary>
/// A case's promised and statutory due moments: its matter's limits counted from receipt, moved by every pause of the
/// clock (补正, special procedures) and lengthened by every approved extension (延期). The host's projection and the
/// activities that tell the applicant a new date both count here, so they cannot disagree.
/// </summary>
public static class CaseClock
{
    /// <summary>
    /// The due moments on <paramref name="calendar"/>, with the promised clock's light. Each date stands on its own:
    /// a limit the calendar cannot reach leaves that date empty, never the other. A <paramref name="priority"/> case
    /// (绿色通道) counts the matter's shorter priority limit when it has one.
    /// </summary>
    public static (DateTimeOffset? Promised, DateTimeOffset? Statutory, WarningLevel? Level) DueDates(
        WorkingCalendar calendar, DateTimeOffset received, DateTimeOffset? completed, ServiceMatter matter, IReadOnlyList<Pause> pauses, IReadOnlyList<Extension> extensions, DateTimeOffset now,
        bool priority = false)
    {
        var from = ChinaTime.Local(received);
        var at = ChinaTime.Local(completed ?? now);
        var clock = new TimeLimitClock(calendar);
        var extra = extensions.Sum(e => e.Days);
        var promised = Reading(clock, from, Extended(matter.PromisedLimitFor(priority), extra), pauses, at);
        var statutory = Reading(clock, from, Extended(matter.StatutoryLimit, extra), pauses, at);
        return (promised?.Due, statutory?.Due, promised?.Level);
    }

    /// <summary>The longest extension the law allows a matter: 10 working days, 15 for joint handling (并联, 《行政许可法》第四十二条).</summary>
    public static int ExtensionCap(ServiceMatter? matter) => matter?.Parallel is null ? 10 : 15;

    // An extension is in working days; a limit in working hours gets a working day's hours for each.
    private static TimeLimit Extended(TimeLimit limit, int days) =>
        days == 0 ? limit : limit with { Value = limit.Value + (limit.Unit == TimeUnit.WH ? days * 8 : days) };

    private static (DateTimeOffset Due, WarningLevel Level)? Reading(TimeLimitClock clock, DateTime received, TimeLimit limit, IReadOnlyList<Pause> pauses, DateTime at)
    {
        try
        {
            var reading = clock.Read(received, limit, pauses, at);
            return (ChinaTime.ToMoment(reading.Due ?? clock.Due(received, limit, reading.PausedWorkingDays)), reading.Level);
        }
        catch (CalendarYearMissingException)
        {
            return null;
        }
    }
}
