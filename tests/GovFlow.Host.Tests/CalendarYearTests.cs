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
        clock.Now = new DateTimeOffset(2027, 1, 4, 17, 59, 0, China);
        Assert.That(await sweeper.SweepAsync(), Is.EqualTo(0), "not due before the end of Jan 4");
        clock.Now = new DateTimeOffset(2027, 1, 4, 18, 1, 0, China);
        Assert.That(await sweeper.SweepAsync(), Is.EqualTo(1));
        var record = await TimerTests.Case(host, caseId);
        Assert.That(record.Status, Is.EqualTo("Suspended"), "the tolerance deadline fired");
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
