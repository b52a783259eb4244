using System.Text.Json.Nodes;
using GovFlow.Activities.Calendar;
using GovFlow.Activities.Supervision;

namespace GovFlow.Activities.Cases;

/// <summary>China Standard Time, in which working days are counted.</summary>
public static class ChinaTime
{
    private static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>The local date of a moment.</summary>
    public static DateOnly Date(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(Offset).DateTime);

    /// <summary>The local clock time of a moment.</summary>
    public static DateTime Local(DateTimeOffset at) => at.ToOffset(Offset).DateTime;

    /// <summary>A local time as a moment.</summary>
    public static DateTimeOffset ToMoment(DateTime local) => new(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Offset);

    /// <summary>A moment stored as ISO 8601 text in the case file or a bookmark, or null when absent or unreadable.</summary>
    public static DateTimeOffset? ParseMoment(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var text)
        && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var at) ? at : null;

    /// <summary>
    /// Whether a date counted from <paramref name="from"/> to <paramref name="due"/> rests on a provisional year (one
    /// computed from the statute because its notice is not loaded); false without a due date.
    /// </summary>
    public static bool IsProvisional(WorkingCalendar calendar, DateTimeOffset from, DateTimeOffset? due) =>
        due is { } d && calendar.IsProvisional(Date(from), Date(d));

    /// <summary>The end of the working day <paramref name="days"/> working days after <paramref name="from"/> (China time).</summary>
    public static DateTimeOffset EndOfWorkingDays(WorkingCalendar calendar, DateTimeOffset from, int days) =>
        ToMoment(new TimeLimitClock(calendar).Due(Local(from), new TimeLimit(days, TimeUnit.WD)));
}
