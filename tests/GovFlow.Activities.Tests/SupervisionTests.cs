using GovFlow.Activities.Calendar;
using GovFlow.Activities.Supervision;

namespace GovFlow.Activities.Tests;

[TestFixture]
public class SupervisionTests
{
    private static readonly WorkingCalendar Calendar = WorkingCalendar.Load();
    private static readonly TimeLimitClock Clock = new(Calendar);
    private static readonly DateTime Received = new(2026, 3, 2, 10, 0, 0); // Monday
    private static readonly TimeLimit Ten = new(10, TimeUnit.WD);

    [Test]
    public void The_clock_starts_the_day_after_receipt()
    {
        var reading = Clock.Read(Received, Ten, [], Received);
        Assert.That((reading.Used, reading.Remaining, reading.Level), Is.EqualTo((0.0, 10.0, WarningLevel.Green)));
        Assert.That(reading.Due, Is.EqualTo(new DateTime(2026, 3, 16, 18, 0, 0)));
    }

    [TestCase("2026-03-10", 6, WarningLevel.Green)]
    [TestCase("2026-03-12", 8, WarningLevel.Yellow)]
    [TestCase("2026-03-16", 10, WarningLevel.Yellow)]
    [TestCase("2026-03-17", 11, WarningLevel.Red)]
    public void Lights_turn_yellow_two_working_days_before_and_red_when_overdue(string asOf, int used, WarningLevel level)
    {
        var reading = Clock.Read(Received, Ten, [], DateTime.Parse(asOf + " 12:00"));
        Assert.That((reading.Used, reading.Level), Is.EqualTo(((double)used, level)));
    }

    [Test]
    public void A_configurable_threshold_changes_when_yellow_starts()
    {
        var strict = new TimeLimitClock(Calendar, new WarningThresholds(YellowWorkingDays: 4));
        Assert.That(strict.Read(Received, Ten, [], new DateTime(2026, 3, 10, 12, 0, 0)).Level, Is.EqualTo(WarningLevel.Yellow));
    }

    [Test]
    public void A_pause_stops_the_clock_and_it_restarts_the_day_after_the_supplement()
    {
        // Correction from Wed 3-4 to Mon 3-9: 4 working days (4, 5, 6, 9) do not count.
        var pause = new Pause { Kind = PauseKind.Correction, Start = new DateOnly(2026, 3, 4), End = new DateOnly(2026, 3, 9), Reason = "补正身份证复印件", LegalBasis = "《行政许可法》第三十二条" };
        var during = Clock.Read(Received, Ten, [new Pause { Kind = pause.Kind, Start = pause.Start, Reason = pause.Reason }], new DateTime(2026, 3, 6, 12, 0, 0));
        Assert.That((during.IsPaused, during.Used, during.Due), Is.EqualTo((true, 1.0, (DateTime?)null)));

        var after = Clock.Read(Received, Ten, [pause], new DateTime(2026, 3, 10, 12, 0, 0));
        Assert.Multiple(() =>
        {
            Assert.That(after.PausedWorkingDays, Is.EqualTo(4));
            Assert.That(after.Used, Is.EqualTo(2), "3-3 and 3-10 count; 3-4 to 3-9 do not");
            Assert.That(after.Due, Is.EqualTo(new DateTime(2026, 3, 20, 18, 0, 0)), "the due date moves by the four paused working days");
            Assert.That(after.IsPaused, Is.False);
        });
    }

    [Test]
    public void A_step_overrunning_its_own_limit_is_flagged_while_the_case_is_in_time()
    {
        var supervisor = new CaseSupervisor(Clock);
        var report = supervisor.Read(Received, new TimeLimit(22, TimeUnit.WD), new TimeLimit(30, TimeUnit.WD), [],
            [new StepTiming("受理", Received, Received.AddHours(1), new TimeLimit(1, TimeUnit.WD)), new StepTiming("初审", Received, null, new TimeLimit(5, TimeUnit.WD))],
            new DateTime(2026, 3, 11, 9, 0, 0));
        Assert.Multiple(() =>
        {
            Assert.That(report.Level, Is.EqualTo(WarningLevel.Green));
            Assert.That(report.Statutory!.Level, Is.EqualTo(WarningLevel.Green));
            Assert.That(report.Steps.Single(s => s.Name == "受理").Overrun, Is.False);
            Assert.That(report.Steps.Single(s => s.Name == "初审").Overrun, Is.True);
            Assert.That(report.AnyStepOverrun, Is.True);
        });
    }

    [Test]
    public void Natural_day_and_working_hour_limits()
    {
        var nd = Clock.Read(Received, new TimeLimit(7, TimeUnit.ND), [], new DateTime(2026, 3, 9, 9, 0, 0));
        Assert.That((nd.Used, nd.Due), Is.EqualTo((7.0, (DateTime?)new DateTime(2026, 3, 9, 18, 0, 0))));
        var wh = Clock.Read(new DateTime(2026, 3, 6, 16, 0, 0), new TimeLimit(8, TimeUnit.WH), [], new DateTime(2026, 3, 9, 12, 0, 0));
        Assert.That((wh.Used, wh.Remaining, wh.Level), Is.EqualTo((5.0, 3.0, WarningLevel.Yellow)));
    }
}
