using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GovFlow.Activities.Calendar;

/// <summary>A year's holiday arrangement as the State Council publishes it (one data file per year).</summary>
public sealed class HolidayYear
{
    /// <summary>The year.</summary>
    public int Year { get; set; }

    /// <summary>The notice it comes from.</summary>
    public string Source { get; set; } = "";

    /// <summary>Days off, as named ranges.</summary>
    public List<HolidayRange> Holidays { get; set; } = [];

    /// <summary>Make-up working days (调休上班) on weekends.</summary>
    public List<MakeUpDay> Workdays { get; set; } = [];

    /// <summary>Whether the days are computed from the statute, not read from a notice (never read from a file).</summary>
    [JsonIgnore]
    public bool Provisional { get; init; }
}

/// <summary>A named range of days off.</summary>
public sealed class HolidayRange
{
    /// <summary>Holiday name.</summary>
    public string Name { get; set; } = "";

    /// <summary>First day off.</summary>
    public DateOnly From { get; set; }

    /// <summary>Last day off.</summary>
    public DateOnly To { get; set; }
}

/// <summary>A weekend day that is worked.</summary>
public sealed class MakeUpDay
{
    /// <summary>The date.</summary>
    public DateOnly Date { get; set; }

    /// <summary>The holiday it makes up for.</summary>
    [JsonPropertyName("for")]
    public string For { get; set; } = "";
}

/// <summary>A year the calendar cannot give: no notice is loaded and the statute cannot be computed for it (outside the lunisolar calendar's range).</summary>
public sealed class CalendarYearMissingException(int year)
    : Exception($"No holiday arrangement is loaded for {year}, and {year} is outside the years whose statutory holidays can be computed.")
{
    /// <summary>The missing year.</summary>
    public int Year { get; } = year;
}

/// <summary>Working hours of a day (local configuration).</summary>
/// <param name="MorningStart">Start of the morning session.</param>
/// <param name="MorningEnd">End of the morning session.</param>
/// <param name="AfternoonStart">Start of the afternoon session.</param>
/// <param name="AfternoonEnd">End of the afternoon session.</param>
public sealed record WorkingHours(TimeOnly MorningStart, TimeOnly MorningEnd, TimeOnly AfternoonStart, TimeOnly AfternoonEnd)
{
    /// <summary>09:00–12:00 and 13:00–18:00: eight hours.</summary>
    public static readonly WorkingHours Default = new(new(9, 0), new(12, 0), new(13, 0), new(18, 0));

    /// <summary>Hours in a working day.</summary>
    public double HoursPerDay => (MorningEnd - MorningStart).TotalHours + (AfternoonEnd - AfternoonStart).TotalHours;
}

/// <summary>
/// The working-day calendar: weekends and public holidays are off, make-up days are worked. A year with its State
/// Council notice loaded (a data file, or one loaded at run time with <see cref="Publish"/>) is official; any other
/// year is computed from the statute (<see cref="StatutoryHolidays"/>) and marked provisional, so no date computation
/// stops because a notice is late. Counting starts the day after.
/// </summary>
public sealed class WorkingCalendar
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    // Swapped whole when a notice is published, so a reader never sees half a year.
    private volatile IReadOnlyDictionary<int, YearDays> _official;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, YearDays> _provisional = new();
    private readonly bool _provisionalYears;
    private readonly object _publishing = new();

    /// <summary>Creates a calendar from year data; <paramref name="provisionalYears"/> false makes a year without data an error.</summary>
    public WorkingCalendar(IEnumerable<HolidayYear> years, WorkingHours? hours = null, bool provisionalYears = true)
    {
        Hours = hours ?? WorkingHours.Default;
        _provisionalYears = provisionalYears;
        var official = new Dictionary<int, YearDays>();
        foreach (var y in years)
            if (!official.TryAdd(y.Year, YearDays.Of(y))) throw new ArgumentException($"Holiday data for {y.Year} is given twice.");
        _official = official;
    }

    /// <summary>Working hours used for WH limits.</summary>
    public WorkingHours Hours { get; }

    /// <summary>Years whose official notice is loaded.</summary>
    public IReadOnlyCollection<int> Years => _official.Keys.ToList();

    /// <summary>The official notice of a year, or null when the year is (or would be) provisional.</summary>
    public HolidayYear? Notice(int year) => _official.TryGetValue(year, out var y) ? y.Source : null;

    /// <summary>Raised after a year's notice is published, with the year.</summary>
    public event Action<int>? Published;

    /// <summary>
    /// Loads (or replaces) a year's official notice; dates computed from now on use it. A notice with problems
    /// (<see cref="NoticeRules.Problems"/>) is refused with them as the message.
    /// </summary>
    public void Publish(HolidayYear year)
    {
        if (NoticeRules.Problems(year) is { Count: > 0 } problems) throw new ArgumentException(string.Join("；", problems), nameof(year));
        var days = YearDays.Of(year);
        lock (_publishing)
        {
            var next = new Dictionary<int, YearDays>(_official) { [year.Year] = days };
            _official = next;
            _provisional.TryRemove(year.Year, out _);
        }
        Published?.Invoke(year.Year);
    }

    /// <summary>A calendar with the notices in force now, which later publications leave as it is (to count before and after one).</summary>
    public WorkingCalendar Snapshot() => new(_official.Values.Select(y => y.Source), Hours, _provisionalYears);

    /// <summary>Whether a year's days are computed from the statute rather than read from its notice.</summary>
    public bool IsProvisional(int year) => !_official.ContainsKey(year);

    /// <summary>Whether counting from <paramref name="from"/> to <paramref name="to"/> (either order) crosses a provisional year.</summary>
    public bool IsProvisional(DateOnly from, DateOnly to)
    {
        var (a, b) = from <= to ? (from.Year, to.Year) : (to.Year, from.Year);
        for (var y = a; y <= b; y++)
            if (IsProvisional(y)) return true;
        return false;
    }

    /// <summary>The calendar built from the data files shipped with GovFlow, plus any <c>*.json</c> in <paramref name="extraDirectory"/>.</summary>
    public static WorkingCalendar Load(string? extraDirectory = null, WorkingHours? hours = null, bool provisionalYears = true) =>
        new(ShippedYears(extraDirectory), hours, provisionalYears);

    /// <summary>The notices shipped with GovFlow, plus any <c>*.json</c> in <paramref name="extraDirectory"/> (a later one replaces its year).</summary>
    public static IReadOnlyCollection<HolidayYear> ShippedYears(string? extraDirectory = null)
    {
        var years = new Dictionary<int, HolidayYear>();
        var assembly = typeof(WorkingCalendar).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.Contains(".Calendar.Data.", StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal)).Order())
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            var year = Parse(stream, name);
            years[year.Year] = year;
        }
        if (extraDirectory != null && Directory.Exists(extraDirectory))
            foreach (var file in Directory.GetFiles(extraDirectory, "*.json").Order())
            {
                using var stream = File.OpenRead(file);
                var year = Parse(stream, file);
                years[year.Year] = year;
            }
        return years.Values;
    }

    /// <summary>Reads one year's data.</summary>
    public static HolidayYear Parse(Stream stream, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<HolidayYear>(stream, Json) is { Year: > 0 } y ? y : throw new FormatException($"{source}: 'year' is missing.");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{source}: {ex.Message}", ex);
        }
    }

    /// <summary>Writes one year's data as its file holds it.</summary>
    public static string Write(HolidayYear year) => JsonSerializer.Serialize(year, Json);

    /// <summary>Whether a day is worked.</summary>
    public bool IsWorkingDay(DateOnly date)
    {
        var year = Year(date.Year);
        if (year.MakeUp.Contains(date)) return true;
        if (year.Off.ContainsKey(date)) return false;
        return date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    }

    /// <summary>The holiday name of a day off, or null.</summary>
    public string? HolidayName(DateOnly date) => Year(date.Year).Off.GetValueOrDefault(date);

    private YearDays Year(int year)
    {
        if (_official.TryGetValue(year, out var days)) return days;
        if (!_provisionalYears || !StatutoryHolidays.Supports(year)) throw new CalendarYearMissingException(year);
        return _provisional.GetOrAdd(year, y => YearDays.Of(StatutoryHolidays.Provisional(y)));
    }

    // One year's days off and make-up days, checked once.
    private sealed record YearDays(HolidayYear Source, Dictionary<DateOnly, string> Off, HashSet<DateOnly> MakeUp)
    {
        public static YearDays Of(HolidayYear y)
        {
            var off = new Dictionary<DateOnly, string>();
            var makeUp = new HashSet<DateOnly>();
            foreach (var h in y.Holidays)
                for (var d = h.From; d <= h.To; d = d.AddDays(1))
                {
                    if (d.Year != y.Year) throw new ArgumentException($"Holiday data for {y.Year}: {h.Name} includes {d:yyyy-MM-dd}, outside the year.");
                    off[d] = h.Name;
                }
            foreach (var w in y.Workdays)
            {
                if (w.Date.Year != y.Year) throw new ArgumentException($"Holiday data for {y.Year}: make-up day {w.Date:yyyy-MM-dd} is outside the year.");
                if (w.Date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                    throw new ArgumentException($"Holiday data for {y.Year}: make-up day {w.Date:yyyy-MM-dd} is a {w.Date.DayOfWeek}, not a weekend day.");
                makeUp.Add(w.Date);
            }
            return new(y, off, makeUp);
        }
    }

    /// <summary>The n-th working day after <paramref name="from"/> (the clock starts the day after); n = 0 is <paramref name="from"/>.</summary>
    public DateOnly AddWorkingDays(DateOnly from, int days)
    {
        if (days < 0) throw new ArgumentOutOfRangeException(nameof(days), days, "Working days to add must not be negative.");
        var d = from;
        for (var left = days; left > 0;)
        {
            d = d.AddDays(1);
            if (IsWorkingDay(d)) left--;
        }
        return d;
    }

    /// <summary>Working days after <paramref name="from"/> up to and including <paramref name="to"/> (negative when <paramref name="to"/> is earlier).</summary>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        if (to < from) return -WorkingDaysBetween(to, from);
        var count = 0;
        for (var d = from.AddDays(1); d <= to; d = d.AddDays(1))
            if (IsWorkingDay(d)) count++;
        return count;
    }

    /// <summary>Adds working hours to a moment, counting only the sessions of working days.</summary>
    public DateTime AddWorkingHours(DateTime from, double hours)
    {
        if (hours < 0) throw new ArgumentOutOfRangeException(nameof(hours), hours, "Working hours to add must not be negative.");
        var left = TimeSpan.FromHours(hours);
        var t = from;
        while (true)
        {
            var day = DateOnly.FromDateTime(t);
            if (IsWorkingDay(day))
                foreach (var (start, end) in new[] { (Hours.MorningStart, Hours.MorningEnd), (Hours.AfternoonStart, Hours.AfternoonEnd) })
                {
                    var s = day.ToDateTime(start);
                    var e = day.ToDateTime(end);
                    if (t > s) s = t;
                    if (s >= e) continue;
                    if (e - s >= left) return s + left;
                    left -= e - s;
                    t = e;
                }
            t = day.AddDays(1).ToDateTime(TimeOnly.MinValue);
        }
    }

    /// <summary>Working hours between two moments.</summary>
    public double WorkingHoursBetween(DateTime from, DateTime to)
    {
        if (to < from) return -WorkingHoursBetween(to, from);
        var total = TimeSpan.Zero;
        for (var day = DateOnly.FromDateTime(from); day <= DateOnly.FromDateTime(to); day = day.AddDays(1))
        {
            if (!IsWorkingDay(day)) continue;
            foreach (var (start, end) in new[] { (Hours.MorningStart, Hours.MorningEnd), (Hours.AfternoonStart, Hours.AfternoonEnd) })
            {
                var s = Max(day.ToDateTime(start), from);
                var e = Min(day.ToDateTime(end), to);
                if (e > s) total += e - s;
            }
        }
        return total.TotalHours;
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    /// <summary>Formats a date as yyyy-MM-dd.</summary>
    public static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
