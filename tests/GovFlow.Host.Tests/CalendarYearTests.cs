using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovFlow.Activities.Calendar;
using GovFlow.Host.Cases;
using GovFlow.Host.Scheduling;
using GovFlow.Host.Security;
using GovFlow.Host.Simulators;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>
/// Time that never runs out (issue 13): in December 2026, with no 2027 notice loaded, cases still get due dates and
/// timers (computed from the statute and marked provisional), and the promised and statutory dates stand apart.
/// </summary>
[TestFixture]
public class CalendarYearTests : DataDirFixture
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset FirstOfDecember = new(2026, 12, 1, 10, 0, 0, China);

    [Test]
    public async Task A_case_accepted_on_1_December_2026_gets_its_dates_and_the_one_crossing_into_2027_is_provisional()
    {
        using var host = TestHost.Create(DataDir, new TestClock(FirstOfDecember));
        var receipt = await SubmitElderlyAllowanceAsync(host);
        var caseId = receipt["caseId"]!.GetValue<string>();

        var record = await TimerTests.Case(host, caseId);
        Assert.Multiple(() =>
        {
            // 22 working days: Dec 2–31 (2026's notice). 30 working days: 8 more after New Year's Day 2027 (the statute's).
            Assert.That(record.PromisedDue, Is.EqualTo(new DateTimeOffset(2026, 12, 31, 18, 0, 0, China)));
            Assert.That(record.StatutoryDue, Is.EqualTo(new DateTimeOffset(2027, 1, 13, 18, 0, 0, China)));
            Assert.That(record.YellowFrom, Is.Not.Null);
            Assert.That(receipt["promisedDueProvisional"]!.GetValue<bool>(), Is.False);
            Assert.That(receipt["statutoryDueProvisional"]!.GetValue<bool>(), Is.True);
        });

        var auditor = await SignInAsync(host, "auditor01");
        var view = (await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}"))!;
        Assert.Multiple(() =>
        {
            Assert.That(view["promisedDueProvisional"]!.GetValue<bool>(), Is.False);
            Assert.That(view["statutoryDueProvisional"]!.GetValue<bool>(), Is.True, "the case view says the statutory date is provisional");
        });
        var list = (await auditor.GetFromJsonAsync<JsonObject>("/api/cases"))!["items"]!.AsArray().Single(c => c!["caseId"]!.GetValue<string>() == caseId)!;
        Assert.That(list["statutoryDueProvisional"]!.GetValue<bool>(), Is.True, "and so does the case list");
    }

    [Test]
    public async Task A_limit_the_calendar_cannot_reach_leaves_only_its_own_date_empty()
    {
        // A calendar that refuses years without a notice: the statutory limit (into 2027) fails, the promised one (in 2026) does not.
        using var host = TestHost.Create(DataDir, new TestClock(FirstOfDecember),
            services: s => s.AddSingleton(WorkingCalendar.Load(provisionalYears: false)));
        var receipt = await SubmitElderlyAllowanceAsync(host);
        var record = await TimerTests.Case(host, receipt["caseId"]!.GetValue<string>());
        Assert.That(record.PromisedDue, Is.EqualTo(new DateTimeOffset(2026, 12, 31, 18, 0, 0, China)));
        Assert.That(record.StatutoryDue, Is.Null);
    }

    [Test]
    public async Task A_timer_due_on_4_January_2027_is_set_and_fires()
    {
        // Accepted with tolerance on Friday 25 December 2026: five working days are Dec 28–31 and Monday Jan 4 (Jan 1 off).
        var clock = new TestClock(new DateTimeOffset(2026, 12, 25, 10, 0, 0, China));
        using var host = TestHost.Create(DataDir, clock);
        var caseId = await TimerTests.SubmitFoodCaseWithTolerance(host);
        var auditor = await SignInAsync(host, "auditor01");
        var view = (await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}"))!;
        Assert.That(view["incidents"]!.AsArray(), Is.Empty, "nothing faulted for lack of 2027");
        var supplement = view["currentSteps"]!.AsArray().Single(s => s!["kind"]!.GetValue<string>() == "GovFlow.ToleranceSupplement")!;
        Assert.That(supplement["dueAt"]!.GetValue<DateTimeOffset>(), Is.EqualTo(new DateTimeOffset(2027, 1, 4, 18, 0, 0, China)));
        Assert.That(supplement["dueProvisional"]!.GetValue<bool>(), Is.True);

        var sweeper = host.Services.GetRequiredService<DueBookmarkSweeper>();
        clock.Now = new DateTimeOffset(2026, 12, 31, 10, 0, 0, China);
        Assert.That(await sweeper.SweepAsync(), Is.EqualTo(1), "the reminder two working days before Jan 4 (Jan 1 off): Dec 30");
        clock.Now = new DateTimeOffset(2027, 1, 4, 17, 59, 0, China);
        Assert.That(await sweeper.SweepAsync(), Is.EqualTo(0), "not due before the end of Jan 4");
        clock.Now = new DateTimeOffset(2027, 1, 4, 18, 1, 0, China);
        Assert.That(await sweeper.SweepAsync(), Is.EqualTo(1));
        var record = await TimerTests.Case(host, caseId);
        Assert.That(record.Status, Is.EqualTo("Suspended"), "the tolerance deadline fired");
    }

    [Test]
    public async Task Loading_the_2027_notice_moves_open_dates_and_timers_and_journals_each_move()
    {
        var clock = new TestClock(FirstOfDecember);
        using var host = TestHost.Create(DataDir, clock);
        var allowance = (await SubmitElderlyAllowanceAsync(host))["caseId"]!.GetValue<string>();
        clock.Now = new DateTimeOffset(2026, 12, 25, 10, 0, 0, China);
        var food = await TimerTests.SubmitFoodCaseWithTolerance(host);
        Assert.That((await TimerTests.Case(host, allowance)).StatutoryDue, Is.EqualTo(new DateTimeOffset(2027, 1, 13, 18, 0, 0, China)), "provisional before the notice");

        // The notice bridges New Year's Day to Monday 4 January: the statutory date and the tolerance deadline move a day.
        var policy = await SignInAsync(host, "policy01");
        var loaded = await policy.PostAsJsonAsync("/api/calendar/years", Notice2027(new DateOnly(2027, 1, 4)));
        Assert.That(loaded.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK), await loaded.Content.ReadAsStringAsync());
        var answer = (await loaded.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(answer["redated"]!.AsArray().Count, Is.EqualTo(2), answer.ToJsonString());

        var record = await TimerTests.Case(host, allowance);
        Assert.Multiple(() =>
        {
            Assert.That(record.PromisedDue, Is.EqualTo(new DateTimeOffset(2026, 12, 31, 18, 0, 0, China)), "the promised date is in 2026 and stays");
            Assert.That(record.StatutoryDue, Is.EqualTo(new DateTimeOffset(2027, 1, 14, 18, 0, 0, China)));
        });
        var auditor = await SignInAsync(host, "auditor01");
        var view = (await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{allowance}"))!;
        Assert.That(view["statutoryDueProvisional"]!.GetValue<bool>(), Is.False, "the notice is loaded: no longer provisional");
        var journal = (await auditor.GetFromJsonAsync<JsonArray>($"/api/cases/{allowance}/journal"))!;
        var move = journal.Single(r => r!["eventName"]!.GetValue<string>() == "DueDatesRecomputed")!;
        Assert.Multiple(() =>
        {
            Assert.That(move["actor"]!.GetValue<string>(), Is.EqualTo("policy01"));
            Assert.That(move["message"]!.GetValue<string>(), Does.Contain("载入2027年放假安排").And.Contain("法定办结时限由 2027-01-13 改为 2027-01-14"));
            var change = move["payload"]!["changes"]!.AsArray().Single()!;
            Assert.That(change["old"]!.GetValue<DateTimeOffset>(), Is.EqualTo(new DateTimeOffset(2027, 1, 13, 18, 0, 0, China)));
            Assert.That(change["new"]!.GetValue<DateTimeOffset>(), Is.EqualTo(new DateTimeOffset(2027, 1, 14, 18, 0, 0, China)));
        });
        var verified = (await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{allowance}/journal/verify"))!;
        Assert.That(verified["valid"]!.GetValue<bool>(), Is.True, "the chain still verifies: " + verified.ToJsonString());
        Assert.That(verified["entries"]!.GetValue<int>(), Is.EqualTo(journal.Count));

        // The tolerance deadline, its task and the case file moved from Jan 4 to Jan 5, and the timer fires then.
        var foodView = (await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{food}"))!;
        var supplement = foodView["currentSteps"]!.AsArray().Single(s => s!["kind"]!.GetValue<string>() == "GovFlow.ToleranceSupplement")!;
        Assert.That(supplement["dueAt"]!.GetValue<DateTimeOffset>(), Is.EqualTo(new DateTimeOffset(2027, 1, 5, 18, 0, 0, China)));
        Assert.That(foodView["tolerance"]!["deadline"]!.GetValue<DateTimeOffset>(), Is.EqualTo(new DateTimeOffset(2027, 1, 5, 18, 0, 0, China)));
        var sweeper = host.Services.GetRequiredService<DueBookmarkSweeper>();
        clock.Now = new DateTimeOffset(2027, 1, 1, 10, 0, 0, China);
        Assert.That(await sweeper.SweepAsync(), Is.EqualTo(1), "the reminder before the deadline, on Dec 30");
        clock.Now = new DateTimeOffset(2027, 1, 4, 18, 1, 0, China);
        Assert.That(await sweeper.SweepAsync(), Is.EqualTo(0), "Jan 4 is a day off now: the deadline is the end of Jan 5");
        clock.Now = new DateTimeOffset(2027, 1, 5, 18, 1, 0, China);
        Assert.That(await sweeper.SweepAsync(), Is.EqualTo(1));
        Assert.That((await TimerTests.Case(host, food)).Status, Is.EqualTo("Suspended"));
    }

    [Test]
    public async Task A_notice_is_validated_loaded_only_by_policy_staff_and_followed_by_every_node()
    {
        using var first = TestHost.Create(DataDir, new TestClock(FirstOfDecember));
        using var second = TestHost.Create(DataDir, new TestClock(FirstOfDecember));
        var reviewer = await SignInAsync(first, "reviewer02");
        Assert.That((await reviewer.PostAsJsonAsync("/api/calendar/years", Notice2027(null))).StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Forbidden));

        var policy = await SignInAsync(first, "policy01");
        var bad = Notice2027(null);
        bad.Holidays.RemoveAll(h => h.Name == "国庆节");
        bad.Workdays.Add(new MakeUpDay { Date = new DateOnly(2027, 2, 6), For = "春节" });
        var refused = await policy.PostAsJsonAsync("/api/calendar/years", bad);
        Assert.That(refused.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.BadRequest));
        var problem = await refused.Content.ReadAsStringAsync();
        Assert.That(problem, Does.Contain("法定节假日 国庆节 2027-10-01 未安排放假").And.Contain("2027-02-06 既是春节放假日又是调休上班日"));
        Assert.That((await second.CreateClient().GetFromJsonAsync<JsonObject>("/api/calendar/years/2027"))!["provisional"]!.GetValue<bool>(), Is.True);

        Assert.That((await policy.PostAsJsonAsync("/api/calendar/years", Notice2027(null))).StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK));
        var deadline = DateTime.UtcNow.AddSeconds(15);
        JsonObject year;
        do
        {
            await Task.Delay(200);
            year = (await second.CreateClient().GetFromJsonAsync<JsonObject>("/api/calendar/years/2027"))!;
        } while (year["provisional"]!.GetValue<bool>() && DateTime.UtcNow < deadline);
        Assert.That(year["provisional"]!.GetValue<bool>(), Is.False, "the other node follows the stored notice without a restart");
        Assert.That(year["source"]!.GetValue<string>(), Does.Contain("测试"));
    }

    // The statute's 2027, with New Year's Day bridged to a given Monday (a notice's typical arrangement).
    internal static HolidayYear Notice2027(DateOnly? newYearUntil)
    {
        var statute = StatutoryHolidays.Provisional(2027);
        var holidays = statute.Holidays.Where(h => h.Name != "元旦").ToList();
        holidays.Insert(0, new HolidayRange { Name = "元旦", From = new DateOnly(2027, 1, 1), To = newYearUntil ?? new DateOnly(2027, 1, 3) });
        return new HolidayYear { Year = 2027, Source = "国务院办公厅关于2027年部分节假日安排的通知（测试）", Holidays = holidays, Workdays = [] };
    }

    internal static async Task<JsonObject> SubmitElderlyAllowanceAsync(WebApplicationFactory<Program> host)
    {
        var person = host.Services.GetRequiredService<SimulatedWorld>().People.First(p => p.BirthDate.Year < 1946);
        using var scope = host.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<CaseService>().SubmitAsync(new CaseSubmission
        {
            MatterCode = "44030505001",
            Applicant = new ApplicantInput { Name = person.Name, IdType = "111", IdNumber = person.IdNumber, Phone = person.Phone, Address = person.Address },
            Materials = new[] { "高龄津贴申请书", "居民身份证", "银行卡", "照片" }.Select(m => new MaterialInput { Name = m, Provided = true }).ToList(),
            Data = new() { ["age"] = JsonSerializer.SerializeToElement(2026 - person.BirthDate.Year) }
        }, null, "window01");
    }

    internal static async Task<HttpClient> SignInAsync(WebApplicationFactory<Program> host, string user)
    {
        var client = host.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        (await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = DemoUsers.Password })).EnsureSuccessStatusCode();
        return client;
    }
}
