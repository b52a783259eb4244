using System.Globalization;

namespace GovFlow.Activities.Calendar;

/// <summary>
/// The public holidays the statute itself gives (《全国年节及纪念日放假办法》), for a year whose State Council notice is
/// not known yet. From 2025 (the 2024 revision): New Year's Day 1 day; Spring Festival 4 days, lunar New Year's Eve
/// and lunar 1st–3rd; Qingming 1 day; Labour Day 1–2 May; Dragon Boat 1 day; Mid-Autumn 1 day; National Day 1–3
/// October. Before 2025 the Spring Festival was lunar 1st–3rd and Labour Day 1 May only. A holiday day that falls on
/// a weekend is made up on the next working day (补假, article 6). Bridge days and make-up working days are what only
/// a notice gives, so a provisional year has none.
/// </summary>
public static class StatutoryHolidays
{
    /// <summary>Where a provisional year's days come from.</summary>
    public const string ProvisionalSource = "暂按《全国年节及纪念日放假办法》计算（国务院当年放假安排通知尚未载入）";

    private static readonly ChineseLunisolarCalendar Lunar = new();

    /// <summary>The first year the statute can be computed for (the lunisolar calendar's range).</summary>
    public static int FirstYear => Lunar.MinSupportedDateTime.Year;

    /// <summary>The last year the statute can be computed for.</summary>
    public static int LastYear => Lunar.MaxSupportedDateTime.Year - 1;

    /// <summary>Whether <paramref name="year"/> can be computed.</summary>
    public static bool Supports(int year) => year >= FirstYear && year <= LastYear;

    /// <summary>The statutory days off of a year, without weekend make-up days (what every notice must give off).</summary>
    public static IReadOnlyList<HolidayRange> StatutoryDays(int year)
    {
        if (!Supports(year)) throw new CalendarYearMissingException(year);
        var revised = year >= 2025;
        var newYear = LunarDate(year, 1, 1);
        return
        [
            Range("元旦", new DateOnly(year, 1, 1), 1),
            revised ? Range("春节", newYear.AddDays(-1), 4) : Range("春节", newYear, 3),
            Range("清明节", Qingming(year), 1),
            Range("劳动节", new DateOnly(year, 5, 1), revised ? 2 : 1),
            Range("端午节", LunarDate(year, 5, 5), 1),
            Range("中秋节", LunarDate(year, 8, 15), 1),
            Range("国庆节", new DateOnly(year, 10, 1), 3)
        ];
    }

    /// <summary>A provisional year: the statutory days off, each holiday extended by its weekend make-up days (补假).</summary>
    public static HolidayYear Provisional(int year)
    {
        var statutory = StatutoryDays(year);
        var off = statutory.SelectMany(Days).ToHashSet();
        var holidays = new List<HolidayRange>();
        foreach (var h in statutory)
        {
            var to = h.To;
            foreach (var _ in Days(h).Where(IsWeekend))
            {
                // The substitute is the first weekday after the holiday that is not already off.
                var substitute = to.AddDays(1);
                while (IsWeekend(substitute) || off.Contains(substitute)) substitute = substitute.AddDays(1);
                off.Add(substitute);
                to = substitute;
            }
            holidays.Add(new HolidayRange { Name = h.Name, From = h.From, To = to });
        }
        return new HolidayYear { Year = year, Source = ProvisionalSource, Holidays = holidays, Provisional = true };
    }

    /// <summary>
    /// The day (China Standard Time) of the Qingming solar term: the day in which the sun's apparent ecliptic
    /// longitude reaches 15°, by the Astronomical Almanac's low-precision solar position (about 0.01°, a quarter of
    /// an hour of the sun's motion).
    /// </summary>
    public static DateOnly Qingming(int year)
    {
        for (var day = new DateOnly(year, 4, 1); ; day = day.AddDays(1))
            if (SunLongitude(MidnightChinaTime(day.AddDays(1))) >= 15) return day;
    }

    /// <summary>The Gregorian date of a lunar date (month as the almanac names it, not counting a leap month).</summary>
    public static DateOnly LunarDate(int lunarYear, int month, int day)
    {
        // GetLeapMonth gives the index of the leap month (the leap of month index-1); months from it on shift by one.
        var leap = Lunar.GetLeapMonth(lunarYear);
        var index = leap > 0 && month >= leap ? month + 1 : month;
        return DateOnly.FromDateTime(Lunar.ToDateTime(lunarYear, index, day, 0, 0, 0, 0));
    }

    private static bool IsWeekend(DateOnly d) => d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    private static HolidayRange Range(string name, DateOnly from, int days) => new() { Name = name, From = from, To = from.AddDays(days - 1) };

    private static IEnumerable<DateOnly> Days(HolidayRange h)
    {
        for (var d = h.From; d <= h.To; d = d.AddDays(1)) yield return d;
    }

    // Julian day of 00:00 China Standard Time (UTC+8) at the start of a day.
    private static double MidnightChinaTime(DateOnly day) => day.DayNumber + 1721425.5 - 8 / 24.0;

    private static double SunLongitude(double julianDay)
    {
        var n = julianDay - 2451545.0;
        var meanLongitude = 280.460 + 0.9856474 * n;
        var meanAnomaly = (357.528 + 0.9856003 * n) * Math.PI / 180;
        var longitude = meanLongitude + 1.915 * Math.Sin(meanAnomaly) + 0.020 * Math.Sin(2 * meanAnomaly);
        return ((longitude % 360) + 360) % 360;
    }
}
