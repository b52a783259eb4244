namespace GovFlow.Workflows.Activities;

/// <summary>
/// A cron schedule: 5 fields (minute hour day month weekday) or 6 with seconds first, with
/// <c>*</c>, <c>?</c>, lists, ranges, steps and month/day names. Times are UTC.
/// </summary>
public sealed class CronSchedule
{
    private static readonly string[] Months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] Days = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
    private readonly bool[] _seconds, _minutes, _hours, _days, _months, _weekdays;
    private readonly bool _anyDay, _anyWeekday;

    private CronSchedule(bool[] seconds, bool[] minutes, bool[] hours, bool[] days, bool[] months, bool[] weekdays, bool anyDay, bool anyWeekday)
    {
        (_seconds, _minutes, _hours, _days, _months, _weekdays, _anyDay, _anyWeekday) = (seconds, minutes, hours, days, months, weekdays, anyDay, anyWeekday);
    }

    /// <summary>Parses an expression; on failure <paramref name="error"/> says which field is wrong and why.</summary>
    public static bool TryParse(string expression, out CronSchedule? schedule, out string error)
    {
        schedule = null;
        var parts = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var withSeconds = parts.Length != 5;
        if (parts.Length is not (5 or 6))
        {
            // Like Cronos (seconds first): report the first field that is wrong, else the missing or extra fields.
            string[] labels = ["Seconds", "Minutes", "Hours", "Days of month", "Months", "Days of week"];
            int[][] ranges = [[0, 59], [0, 59], [0, 23], [1, 31], [1, 12], [0, 6]];
            for (var f = 0; f < Math.Min(parts.Length, 6); f++)
            {
                Field(parts[f], ranges[f][0], ranges[f][1], f == 4 ? Months : f == 5 ? Days : null, labels[f], out var fieldProblem);
                if (fieldProblem != null) { error = fieldProblem; return false; }
            }
            error = $"The given cron expression has an invalid format. Expected 5 or 6 fields, found {parts.Length}.";
            return false;
        }
        var i = 0;
        string? problem;
        var seconds = withSeconds ? Field(parts[i++], 0, 59, null, "Seconds", out problem) : Single(0, 59, 0, out problem);
        if (problem != null) { error = problem; return false; }
        var minutes = Field(parts[i++], 0, 59, null, "Minutes", out problem);
        if (problem != null) { error = problem; return false; }
        var hours = Field(parts[i++], 0, 23, null, "Hours", out problem);
        if (problem != null) { error = problem; return false; }
        var dayText = parts[i++];
        var days = Field(dayText, 1, 31, null, "Days of month", out problem);
        if (problem != null) { error = problem; return false; }
        var months = Field(parts[i++], 1, 12, Months, "Months", out problem);
        if (problem != null) { error = problem; return false; }
        var weekdayText = parts[i];
        var weekdays = Field(weekdayText.Replace("7", "0", StringComparison.Ordinal), 0, 6, Days, "Days of week", out problem);
        if (problem != null) { error = problem; return false; }
        schedule = new CronSchedule(seconds, minutes, hours, days, months, weekdays, dayText is "*" or "?", weekdayText is "*" or "?");
        error = "";
        return true;
    }

    /// <summary>The first firing strictly after <paramref name="after"/>, or null within five years.</summary>
    public DateTimeOffset? Next(DateTimeOffset after)
    {
        var t = new DateTime(after.UtcDateTime.Ticks - after.UtcDateTime.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc).AddSeconds(1);
        var limit = t.AddYears(5);
        while (t < limit)
        {
            if (!_months[t.Month]) { t = new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1); continue; }
            if (!DayMatches(t)) { t = t.Date.AddDays(1); continue; }
            if (!_hours[t.Hour]) { t = t.Date.AddHours(t.Hour + 1); continue; }
            if (!_minutes[t.Minute]) { t = t.Date.AddHours(t.Hour).AddMinutes(t.Minute + 1); continue; }
            if (!_seconds[t.Second]) { t = t.AddSeconds(1); continue; }
            return new DateTimeOffset(t);
        }
        return null;
    }

    private bool DayMatches(DateTime t)
    {
        var dom = _days[t.Day];
        var dow = _weekdays[(int)t.DayOfWeek];
        if (_anyDay && _anyWeekday) return true;
        if (_anyDay) return dow;
        if (_anyWeekday) return dom;
        return dom || dow;
    }

    private static bool[] Single(int min, int max, int value, out string? problem)
    {
        problem = null;
        var set = new bool[max + 1];
        set[value] = true;
        return set;
    }

    private static bool[] Field(string text, int min, int max, string[]? names, string label, out string? problem)
    {
        problem = null;
        var set = new bool[max + 1];
        foreach (var item in text.Split(','))
        {
            var step = 1;
            var range = item;
            var slash = item.IndexOf('/');
            if (slash >= 0)
            {
                if (!int.TryParse(item[(slash + 1)..], out step) || step <= 0)
                {
                    problem = $"The given cron expression has an invalid format. {label}: Step must be a positive number.";
                    return set;
                }
                range = item[..slash];
            }
            int from, to;
            if (range is "*" or "?") { from = min; to = max; }
            else
            {
                var dash = range.IndexOf('-');
                if (!Value(dash >= 0 ? range[..dash] : range, names, min, out from) || (dash >= 0 ? !Value(range[(dash + 1)..], names, min, out to) : !(to = from).Equals(from))
                    || from < min || from > max || to < min || to > max)
                {
                    problem = $"The given cron expression has an invalid format. {label}: Value must be a number between {min} and {max} (all inclusive).";
                    return set;
                }
                if (slash >= 0 && dash < 0) to = max;
            }
            for (var v = from; v <= to; v += step) set[v] = true;
        }
        return set;
    }

    private static bool Value(string text, string[]? names, int min, out int value)
    {
        if (int.TryParse(text, out value)) return true;
        if (names != null)
        {
            var i = Array.FindIndex(names, n => n.Equals(text, StringComparison.OrdinalIgnoreCase));
            if (i >= 0) { value = i + (min == 1 ? 1 : 0); return true; }
        }
        return false;
    }
}
