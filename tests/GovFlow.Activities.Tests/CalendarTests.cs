using GovFlow.Activities.Calendar;

namespace GovFlow.Activities.Tests;

[TestFixture]
public class CalendarTests
{
    private static readonly WorkingCalendar Calendar = WorkingCalendar.Load();

    // Every day off and every make-up working day of the State Council notices for 2024–2026 (DOMAIN.md §4).
    private static readonly (int Year, string[] Off, string[] Worked)[] Notices =
    [
        (2024, ["01-01", "02-10..02-17", "04-04..04-06", "05-01..05-05", "06-10", "09-15..09-17", "10-01..10-07"], ["02-04", "02-18", "04-07", "04-28", "05-11", "09-14", "09-29", "10-12"]),
        (2025, ["01-01", "01-28..02-04", "04-04..04-06", "05-01..05-05", "05-31..06-02", "10-01..10-08"], ["01-26", "02-08", "04-27", "09-28", "10-11"]),
        (2026, ["01-01..01-03", "02-15..02-23", "04-04..04-06", "05-01..05-05", "06-19..06-21", "09-25..09-27", "10-01..10-07"], ["01-04", "02-14", "02-28", "05-09", "09-20", "10-10"])
    ];

    public static IEnumerable<TestCaseData> DaysOff() =>
        from n in Notices from range in n.Off from day in Expand(n.Year, range) select new TestCaseData(day).SetName($"Off {day:yyyy-MM-dd}");

    public static IEnumerable<TestCaseData> MakeUpDays() =>
        from n in Notices from day in n.Worked select new TestCaseData(DateOnly.Parse($"{n.Year}-{day}")).SetName($"Worked {n.Year}-{day}");

    [TestCaseSource(nameof(DaysOff))]
    public void Every_public_holiday_is_off(DateOnly day) => Assert.That(Calendar.IsWorkingDay(day), Is.False);

    [TestCaseSource(nameof(MakeUpDays))]
    public void Every_make_up_day_is_worked_although_it_is_a_weekend(DateOnly day)
    {
        Assert.That(day.DayOfWeek, Is.AnyOf(DayOfWeek.Saturday, DayOfWeek.Sunday));
        Assert.That(Calendar.IsWorkingDay(day), Is.True);
    }

    [Test]
    public void Each_year_has_the_working_days_the_notices_give()
    {
        // 2024: 366 days, 104 weekend days, 13 holidays on weekdays... counted straight from the data instead:
        foreach (var (year, off, worked) in Notices)
        {
            var holidays = off.SelectMany(r => Expand(year, r)).ToHashSet();
            var expected = Enumerable.Range(0, DateTime.IsLeapYear(year) ? 366 : 365).Select(i => new DateOnly(year, 1, 1).AddDays(i))
                .Count(d => worked.Contains(d.ToString("MM-dd")) || (!holidays.Contains(d) && d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)));
            Assert.That(Calendar.WorkingDaysBetween(new DateOnly(year - 1, 12, 31), new DateOnly(year, 12, 31)), Is.EqualTo(expected), $"{year}");
        }
    }

    [TestCase("2026-02-13", 1, "2026-02-14")] // Friday → the make-up Saturday
    [TestCase("2026-02-14", 1, "2026-02-24")] // over the Spring Festival
    [TestCase("2026-02-12", 5, "2026-02-26")]
    [TestCase("2025-09-30", 1, "2025-10-09")] // National Day and Mid-Autumn 2025
    [TestCase("2025-09-26", 2, "2025-09-29")] // the make-up Sunday 9-28 counts
    [TestCase("2024-04-30", 1, "2024-05-06")]
    [TestCase("2026-03-06", 0, "2026-03-06")]
    [TestCase("2025-12-31", 1, "2026-01-04")] // 2026 New Year: Jan 1–3 off, Sunday Jan 4 worked
    [TestCase("2025-12-31", 2, "2026-01-05")]
    public void Adding_working_days_starts_the_day_after(string from, int days, string expected) =>
        Assert.That(Calendar.AddWorkingDays(DateOnly.Parse(from), days), Is.EqualTo(DateOnly.Parse(expected)));

    [TestCase("2026-02-13", "2026-02-24", 2)]
    [TestCase("2026-02-24", "2026-02-13", -2)]
    [TestCase("2024-09-13", "2024-09-18", 2)] // Sat 9-14 worked, 15–17 off, 18 worked
    [TestCase("2026-03-02", "2026-03-02", 0)]
    public void Counting_working_days_between_two_dates(string from, string to, int expected) =>
        Assert.That(Calendar.WorkingDaysBetween(DateOnly.Parse(from), DateOnly.Parse(to)), Is.EqualTo(expected));

    [Test]
    public void A_year_without_data_is_a_clear_error()
    {
        var ex = Assert.Throws<CalendarYearMissingException>(() => Calendar.AddWorkingDays(new DateOnly(2026, 12, 20), 15));
        Assert.That(ex!.Year, Is.EqualTo(2027));
        Assert.That(ex.Message, Does.Contain("No holiday arrangement is loaded for 2027"));
        Assert.Throws<CalendarYearMissingException>(() => Calendar.IsWorkingDay(new DateOnly(2023, 6, 1)));
    }

    [Test]
    public void Adding_a_year_is_a_data_change()
    {
        var dir = Directory.CreateTempSubdirectory();
        File.WriteAllText(Path.Combine(dir.FullName, "2027.json"), """{"year": 2027, "source": "test", "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-01"}], "workdays": []}""");
        var calendar = WorkingCalendar.Load(dir.FullName);
        Assert.That(calendar.Years, Does.Contain(2027));
        Assert.That(calendar.AddWorkingDays(new DateOnly(2026, 12, 31), 1), Is.EqualTo(new DateOnly(2027, 1, 4)));
        dir.Delete(true);
    }

    [Test]
    public void Bad_data_is_refused_with_the_reason()
    {
        var weekday = new HolidayYear { Year = 2030, Workdays = [new MakeUpDay { Date = new DateOnly(2030, 3, 5), For = "x" }] };
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new WorkingCalendar([weekday]))!.Message, Does.Contain("not a weekend day"));
    }

    [TestCase("2026-03-06 17:00", 2, "2026-03-09 10:00")] // Friday 17:00 + 2 WH → Monday 10:00
    [TestCase("2026-03-02 11:00", 2, "2026-03-02 14:00")] // over lunch
    [TestCase("2026-02-13 17:30", 1, "2026-02-14 09:30")] // into the make-up Saturday
    public void Working_hours_skip_nights_lunch_and_days_off(string from, double hours, string expected)
    {
        var due = Calendar.AddWorkingHours(DateTime.Parse(from), hours);
        Assert.That(due, Is.EqualTo(DateTime.Parse(expected)));
        Assert.That(Calendar.WorkingHoursBetween(DateTime.Parse(from), due), Is.EqualTo(hours).Within(1e-9));
    }

    private static IEnumerable<DateOnly> Expand(int year, string range)
    {
        var parts = range.Split("..");
        var from = DateOnly.Parse($"{year}-{parts[0]}");
        var to = DateOnly.Parse($"{year}-{parts[^1]}");
        for (var d = from; d <= to; d = d.AddDays(1)) yield return d;
    }
}
