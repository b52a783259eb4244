using System.Text.Json.Serialization;
using GovFlow.Activities.Calendar;

namespace GovFlow.Activities.Supervision;

/// <summary>Unit of a time limit.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TimeUnit>))]
public enum TimeUnit
{
    /// <summary>Working days (the norm).</summary>
    WD,
    /// <summary>Natural days.</summary>
    ND,
    /// <summary>Working hours.</summary>
    WH
}

/// <summary>A time limit such as 20 working days.</summary>
/// <param name="Value">How many units.</param>
/// <param name="Unit">The unit.</param>
public sealed record TimeLimit(int Value, TimeUnit Unit)
{
    /// <summary>The limit in working days, for comparing limits of different units (natural days count 5 in 7, working hours 8 a day, rounded up).</summary>
    public double InWorkingDays(double hoursPerDay = 8) => Unit switch
    {
        TimeUnit.WD => Value,
        TimeUnit.ND => Math.Ceiling(Value * 5 / 7.0),
        _ => Value / hoursPerDay
    };

    /// <summary>Chinese wording, e.g. 20个工作日.</summary>
    public override string ToString() => Unit switch
    {
        TimeUnit.WD => $"{Value}个工作日",
        TimeUnit.ND => $"{Value}个自然日",
        _ => $"{Value}个工作小时"
    };
}

/// <summary>Why the clock stopped.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PauseKind>))]
public enum PauseKind
{
    /// <summary>补正: waiting for materials to be corrected or supplied.</summary>
    Correction,
    /// <summary>听证: hearing.</summary>
    Hearing,
    /// <summary>现场勘查: site inspection.</summary>
    SiteInspection,
    /// <summary>专家评审: expert review.</summary>
    ExpertReview,
    /// <summary>检测: testing.</summary>
    Testing,
    /// <summary>Another special procedure.</summary>
    Other,
    /// <summary>招标: tendering.</summary>
    Tendering,
    /// <summary>拍卖: auction.</summary>
    Auction,
    /// <summary>检验: inspection.</summary>
    Inspection,
    /// <summary>检疫: quarantine.</summary>
    Quarantine,
    /// <summary>鉴定: appraisal.</summary>
    Appraisal
}

/// <summary>The special procedures of 《行政许可法》第四十五条, whose time does not count toward the limit.</summary>
public static class SpecialProcedures
{
    /// <summary>Their names as a clerk picks them, and the kind of pause each is.</summary>
    public static readonly IReadOnlyDictionary<string, PauseKind> ByName = new Dictionary<string, PauseKind>
    {
        ["听证"] = PauseKind.Hearing, ["招标"] = PauseKind.Tendering, ["拍卖"] = PauseKind.Auction, ["检验"] = PauseKind.Inspection,
        ["检测"] = PauseKind.Testing, ["检疫"] = PauseKind.Quarantine, ["鉴定"] = PauseKind.Appraisal, ["专家评审"] = PauseKind.ExpertReview
    };

    /// <summary>The legal basis recorded with the pause.</summary>
    public const string LegalBasis = "《中华人民共和国行政许可法》第四十五条";
}

/// <summary>A stop of the clock (暂停计时), kept with its reason and legal basis.</summary>
public sealed class Pause
{
    /// <summary>Kind of pause.</summary>
    public PauseKind Kind { get; set; }

    /// <summary>First day stopped.</summary>
    public DateOnly Start { get; set; }

    /// <summary>Day the supplement or procedure ended (the clock restarts the next day); null while stopped.</summary>
    public DateOnly? End { get; set; }

    /// <summary>Why.</summary>
    public string Reason { get; set; } = "";

    /// <summary>Legal basis (e.g. 《行政许可法》第四十五条).</summary>
    public string? LegalBasis { get; set; }

    /// <summary>The working days a special procedure is expected to take, as the clerk said when starting it.</summary>
    public int? ExpectedWorkingDays { get; set; }
}

/// <summary>Warning light.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WarningLevel>))]
public enum WarningLevel
{
    /// <summary>In time.</summary>
    Green,
    /// <summary>Close to the limit.</summary>
    Yellow,
    /// <summary>Overdue.</summary>
    Red
}

/// <summary>When lights turn yellow (local configuration).</summary>
/// <param name="YellowWorkingDays">Yellow when at most this many working days (or natural days for ND limits) remain.</param>
/// <param name="YellowWorkingHours">Yellow when at most this many working hours remain (WH limits).</param>
public sealed record WarningThresholds(int YellowWorkingDays = 2, double YellowWorkingHours = 16)
{
    /// <summary>The defaults: two working days, sixteen working hours.</summary>
    public static readonly WarningThresholds Default = new();
}

/// <summary>Where a clock stands on a day.</summary>
/// <param name="Used">Units used, pauses excluded.</param>
/// <param name="Remaining">Units left (negative when overdue).</param>
/// <param name="PausedWorkingDays">Working days the clock stood still.</param>
/// <param name="Due">The due date (moved by finished pauses); null while the clock is stopped.</param>
/// <param name="IsPaused">Whether the clock is stopped now.</param>
/// <param name="Level">The light.</param>
public sealed record ClockReading(double Used, double Remaining, int PausedWorkingDays, DateTime? Due, bool IsPaused, WarningLevel Level);

/// <summary>
/// A time-limit clock: starts the day after it starts, counts working days (or natural days, or working hours),
/// skips every pause from its first to its last day, and lights green, yellow or red.
/// </summary>
public sealed class TimeLimitClock(WorkingCalendar calendar, WarningThresholds? thresholds = null)
{
    private readonly WarningThresholds _thresholds = thresholds ?? WarningThresholds.Default;

    /// <summary>The due moment of a limit counted from <paramref name="start"/> with no pauses (end of the due day for day limits).</summary>
    public DateTime Due(DateTime start, TimeLimit limit, int pausedWorkingDays = 0) => limit.Unit switch
    {
        TimeUnit.WD => calendar.AddWorkingDays(DateOnly.FromDateTime(start), limit.Value + pausedWorkingDays).ToDateTime(calendar.Hours.AfternoonEnd),
        TimeUnit.ND => DateOnly.FromDateTime(start).AddDays(limit.Value + pausedWorkingDays).ToDateTime(calendar.Hours.AfternoonEnd),
        _ => calendar.AddWorkingHours(start, limit.Value + pausedWorkingDays * calendar.Hours.HoursPerDay)
    };

    /// <summary>Reads a clock at <paramref name="asOf"/> (use the completion time for finished work).</summary>
    public ClockReading Read(DateTime start, TimeLimit limit, IEnumerable<Pause> pauses, DateTime asOf)
    {
        var startDay = DateOnly.FromDateTime(start);
        var today = DateOnly.FromDateTime(asOf);
        var paused = 0;
        var isPaused = false;
        foreach (var p in pauses)
        {
            if (p.End is null && p.Start <= today) isPaused = true;
            var from = p.Start > startDay ? p.Start : startDay.AddDays(1);
            var to = p.End is { } end && end < today ? end : today;
            for (var d = from; d <= to; d = d.AddDays(1))
                if (calendar.IsWorkingDay(d)) paused++;
        }
        double used = limit.Unit switch
        {
            TimeUnit.WD => calendar.WorkingDaysBetween(startDay, today) - paused,
            TimeUnit.ND => today.DayNumber - startDay.DayNumber - paused,
            _ => calendar.WorkingHoursBetween(start, asOf) - paused * calendar.Hours.HoursPerDay
        };
        var remaining = limit.Value - used;
        DateTime? due = isPaused ? null : Due(start, limit, paused);
        var overdue = due is { } d2 ? asOf > d2 : remaining < 0;
        var yellow = limit.Unit == TimeUnit.WH ? remaining <= _thresholds.YellowWorkingHours : remaining <= _thresholds.YellowWorkingDays;
        var level = overdue ? WarningLevel.Red : yellow ? WarningLevel.Yellow : WarningLevel.Green;
        return new ClockReading(used, remaining, paused, due, isPaused, level);
    }
}

/// <summary>One step of a case with its own limit.</summary>
/// <param name="Name">Step name (受理, 审查, ...).</param>
/// <param name="Started">When the step started.</param>
/// <param name="Completed">When it ended, if it has.</param>
/// <param name="Limit">The step's limit.</param>
public sealed record StepTiming(string Name, DateTime Started, DateTime? Completed, TimeLimit Limit);

/// <summary>A step's reading; <see cref="Overrun"/> flags a step past its own limit even when the case is in time.</summary>
/// <param name="Name">Step name.</param>
/// <param name="Reading">The step's clock.</param>
/// <param name="Overrun">Whether the step exceeded its own limit.</param>
public sealed record StepSupervision(string Name, ClockReading Reading, bool Overrun);

/// <summary>A case's supervision (电子监察): promised and statutory clocks and every step.</summary>
/// <param name="Promised">Against the promised limit; its light is the case's light.</param>
/// <param name="Statutory">Against the statutory limit.</param>
/// <param name="Steps">Each step.</param>
public sealed record CaseSupervision(ClockReading Promised, ClockReading? Statutory, IReadOnlyList<StepSupervision> Steps)
{
    /// <summary>The case's light.</summary>
    public WarningLevel Level => Promised.Level;

    /// <summary>Whether any step overran its own limit.</summary>
    public bool AnyStepOverrun => Steps.Any(s => s.Overrun);
}

/// <summary>Computes supervision readings for cases.</summary>
public sealed class CaseSupervisor(TimeLimitClock clock)
{
    /// <summary>Reads a case: received time, limits, pauses and steps, as of a moment (or its completion).</summary>
    public CaseSupervision Read(DateTime received, TimeLimit promised, TimeLimit? statutory, IReadOnlyList<Pause> pauses, IEnumerable<StepTiming> steps, DateTime asOf, DateTime? completed = null)
    {
        var at = completed ?? asOf;
        var stepReports = steps.Select(s =>
        {
            var reading = clock.Read(s.Started, s.Limit, pauses.Where(p => p.Start >= DateOnly.FromDateTime(s.Started)), s.Completed ?? at);
            return new StepSupervision(s.Name, reading, reading.Level == WarningLevel.Red);
        }).ToList();
        return new CaseSupervision(
            clock.Read(received, promised, pauses, at),
            statutory is null ? null : clock.Read(received, statutory, pauses, at),
            stepReports);
    }
}
