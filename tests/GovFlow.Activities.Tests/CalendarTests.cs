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
    public void A_year_without_a_notice_is_computed_from_the_statute_and_marked_provisional()
    {
        // 2026-12-20 + 15 working days crosses New Year 2027: Jan 1 (a Friday) is the statutory day off.
        Assert.That(Calendar.AddWorkingDays(new DateOnly(2026, 12, 20), 15), Is.EqualTo(new DateOnly(2027, 1, 11)), "Dec 21–31 give 9, Jan 4–8 five more, Jan 11 the 15th");
        Assert.That(Calendar.IsProvisional(2027), Is.True);
        Assert.That(Calendar.IsProvisional(2026), Is.False);
        Assert.That(Calendar.IsProvisional(new DateOnly(2026, 12, 20), new DateOnly(2027, 1, 11)), Is.True);
        Assert.That(Calendar.IsProvisional(new DateOnly(2026, 3, 1), new DateOnly(2026, 12, 31)), Is.False);
        Assert.That(Calendar.IsWorkingDay(new DateOnly(2023, 6, 1)), Is.True, "a Thursday with no holiday in 2023");
        Assert.That(Calendar.HolidayName(new DateOnly(2027, 10, 5)), Is.EqualTo("国庆节"), "Oct 2–3 2027 are a weekend: made up on Mon 4 and Tue 5");
    }

    [Test]
    public void Only_years_the_statute_cannot_be_computed_for_are_an_error()
    {
        var ex = Assert.Throws<CalendarYearMissingException>(() => Calendar.IsWorkingDay(new DateOnly(2101, 6, 1)));
        Assert.That(ex!.Year, Is.EqualTo(2101));
        var strict = WorkingCalendar.Load(provisionalYears: false);
        Assert.That(Assert.Throws<CalendarYearMissingException>(() => strict.AddWorkingDays(new DateOnly(2026, 12, 20), 15))!.Year, Is.EqualTo(2027));
    }

    [TestCase(2008, 4)]
    [TestCase(2015, 5)]
    [TestCase(2019, 5)]
    [TestCase(2020, 4)]
    [TestCase(2023, 5)]
    [TestCase(2024, 4)]
    [TestCase(2025, 4)]
    [TestCase(2026, 5)]
    [TestCase(2027, 5)]
    [TestCase(2028, 4)]
    public void Qingming_is_the_day_the_sun_reaches_15_degrees(int year, int aprilDay) =>
        Assert.That(StatutoryHolidays.Qingming(year), Is.EqualTo(new DateOnly(year, 4, aprilDay)));

    [Test]
    public void Qingming_agrees_with_the_century_constant_formula_through_the_21st_century()
    {
        // The almanac's rule for 2001–2099: day = floor(Y × 0.2422 + 4.81) − floor(Y / 4), Y the year's last two digits.
        var disagreements = Enumerable.Range(2001, 99).Where(year =>
        {
            var y = year % 100;
            var day = (int)Math.Floor(y * 0.2422 + 4.81) - y / 4;
            return StatutoryHolidays.Qingming(year) != new DateOnly(year, 4, day);
        }).ToList();
        Assert.That(disagreements, Is.Empty);
    }

    [TestCase(2024, "2024-02-10", "2024-06-10", "2024-09-17")]
    [TestCase(2025, "2025-01-29", "2025-05-31", "2025-10-06")]
    [TestCase(2026, "2026-02-17", "2026-06-19", "2026-09-25")] // 2025's leap 6th month is behind the new year
    [TestCase(2027, "2027-02-06", "2027-06-09", "2027-09-15")]
    [TestCase(2020, "2020-01-25", "2020-06-25", "2020-10-01")] // 2020 has a leap 4th month
    [TestCase(2023, "2023-01-22", "2023-06-22", "2023-09-29")] // 2023 has a leap 2nd month: the 5th and 8th months shift
    public void Lunar_holidays_fall_on_their_lunar_dates(int year, string springFestival, string dragonBoat, string midAutumn)
    {
        Assert.That(StatutoryHolidays.LunarDate(year, 1, 1), Is.EqualTo(DateOnly.Parse(springFestival)));
        Assert.That(StatutoryHolidays.LunarDate(year, 5, 5), Is.EqualTo(DateOnly.Parse(dragonBoat)));
        Assert.That(StatutoryHolidays.LunarDate(year, 8, 15), Is.EqualTo(DateOnly.Parse(midAutumn)));
    }

    [Test]
    public void New_Years_Eve_is_the_day_before_the_first_even_after_a_29_day_month()
    {
        // 2025's lunar New Year is Jan 29; the 12th month of the year before has 29 days, so the eve is its 29th, Jan 28.
        var days = StatutoryHolidays.StatutoryDays(2025).Single(h => h.Name == "春节");
        Assert.That((days.From, days.To), Is.EqualTo((new DateOnly(2025, 1, 28), new DateOnly(2025, 1, 31))));
    }

    public static IEnumerable<TestCaseData> NoticeYears() => Notices.Select(n => new TestCaseData(n.Year).SetName($"Provisional {n.Year} keeps every statutory day of its notice off"));

    [TestCaseSource(nameof(NoticeYears))]
    public void The_provisional_calendar_has_every_statutory_day_off_of_the_official_notices(int year)
    {
        var notice = Notices.Single(n => n.Year == year);
        var officialOff = notice.Off.SelectMany(r => Expand(year, r)).ToHashSet();
        var provisional = new WorkingCalendar([]);
        Assert.That(provisional.IsProvisional(year), Is.True);
        var statutory = StatutoryHolidays.StatutoryDays(year).SelectMany(h => Expand(year, $"{h.From:MM-dd}..{h.To:MM-dd}")).ToList();
        Assert.That(statutory, Has.Count.EqualTo(year >= 2025 ? 13 : 11), "the statute's days off");
        Assert.Multiple(() =>
        {
            foreach (var day in statutory)
            {
                Assert.That(officialOff, Does.Contain(day), $"{day:yyyy-MM-dd} is a statutory day off in the notice");
                Assert.That(provisional.IsWorkingDay(day), Is.False, $"{day:yyyy-MM-dd} is off in the provisional calendar");
            }
            // Weekend make-up (补假) days of the provisional year are off in the notice too: it gives them and more.
            foreach (var h in StatutoryHolidays.Provisional(year).Holidays)
                foreach (var day in Expand(year, $"{h.From:MM-dd}..{h.To:MM-dd}"))
                    Assert.That(officialOff.Contains(day) || day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday, $"{h.Name} {day:yyyy-MM-dd}");
        });
    }

    [Test]
    public void Each_official_notice_passes_the_notice_rules() =>
        Assert.Multiple(() =>
        {
            foreach (var y in WorkingCalendar.ShippedYears()) Assert.That(NoticeRules.Problems(y), Is.Empty, $"{y.Year}");
        });

    [Test]
    public void A_notice_that_drops_a_statutory_day_or_works_a_day_off_is_refused_in_chinese()
    {
        var notice = new HolidayYear
        {
            Year = 2027, Source = "test",
            Holidays = [new HolidayRange { Name = "元旦", From = new DateOnly(2027, 1, 1), To = new DateOnly(2027, 1, 3) }],
            Workdays = [new MakeUpDay { Date = new DateOnly(2027, 1, 2), For = "元旦" }, new MakeUpDay { Date = new DateOnly(2028, 1, 1), For = "元旦" }]
        };
        var problems = NoticeRules.Problems(notice);
        Assert.That(problems, Has.Some.Contains("2027-01-02 既是元旦放假日又是调休上班日"));
        Assert.That(problems, Has.Some.Contains("调休上班日 2028-01-01 不在 2027 年内"));
        Assert.That(problems, Has.Some.Contains("法定节假日 春节 2027-02-05 未安排放假"));
        Assert.That(problems, Has.Some.Contains("法定节假日 国庆节 2027-10-01 未安排放假"));
        var calendar = WorkingCalendar.Load();
        Assert.Throws<ArgumentException>(() => calendar.Publish(notice));
        Assert.That(calendar.IsProvisional(2027), Is.True, "a refused notice changes nothing");
    }

    [Test]
    public void Publishing_a_notice_replaces_the_provisional_year()
    {
        var calendar = WorkingCalendar.Load();
        var provisionalDue = calendar.AddWorkingDays(new DateOnly(2027, 2, 3), 3);
        var published = new List<int>();
        calendar.Published += published.Add;
        var notice = StatutoryHolidays.Provisional(2027);
        // A notice like the usual ones: the Spring Festival bridged to nine days with a make-up Saturday.
        notice = new HolidayYear
        {
            Year = 2027, Source = "国务院办公厅关于2027年部分节假日安排的通知（测试）",
            Holidays = [.. notice.Holidays.Where(h => h.Name != "春节"), new HolidayRange { Name = "春节", From = new DateOnly(2027, 2, 5), To = new DateOnly(2027, 2, 13) }],
            Workdays = [new MakeUpDay { Date = new DateOnly(2027, 2, 20), For = "春节" }]
        };
        calendar.Publish(notice);
        Assert.That(published, Is.EqualTo(new[] { 2027 }));
        Assert.That(calendar.IsProvisional(2027), Is.False);
        Assert.That(calendar.Notice(2027)!.Source, Does.Contain("2027"));
        Assert.That(provisionalDue, Is.EqualTo(new DateOnly(2027, 2, 12)), "Feb 4, then Feb 11 and 12 after the weekend made up on Feb 9 and 10");
        Assert.That(calendar.AddWorkingDays(new DateOnly(2027, 2, 3), 3), Is.EqualTo(new DateOnly(2027, 2, 16)), "Feb 4, then Feb 15 and 16 after the nine days off");
        Assert.That(calendar.IsWorkingDay(new DateOnly(2027, 2, 20)), Is.True);
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
