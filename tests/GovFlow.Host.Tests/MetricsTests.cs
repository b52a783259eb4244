using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Supervision;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>
/// The dashboard's figures over known cases: handling time in working days from acceptance to completion (hours
/// counted, pauses left out), no figure for an empty period, 即办件 and 承诺件 apart, and 最多跑一次.
/// </summary>
[TestFixture]
public class MetricsTests : DataDirFixture
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private WebApplicationFactory<Program> _factory = null!;

    [SetUp]
    public void Start() => _factory = TestHost.Create(DataDir, new TestClock(new DateTimeOffset(2026, 11, 30, 9, 0, 0, China)));

    [TearDown]
    public void Stop() => _factory.Dispose();

    private static DateTimeOffset At(int day, int hour) => new(2026, 11, day, hour, 0, 0, China);

    private static int _number;

    private static CaseRecord Case(string matterCode, string channel, DateTimeOffset accepted, DateTimeOffset? completed, string status = CaseStatus.Completed, Action<CaseFile>? file = null)
    {
        var caseFile = CaseFile.Read("{}");
        file?.Invoke(caseFile);
        var n = Interlocked.Increment(ref _number);
        return new CaseRecord
        {
            Id = $"metrics-{n}", CaseNumber = $"M{n:D6}", MatterCode = matterCode, MatterName = matterCode, Department = "测试部门", ApplicantName = "测试",
            ApplicantIdNumber = "440305194501010011", Channel = channel, ReceivedAt = accepted, AcceptedAt = status == CaseStatus.NotAccepted ? null : accepted,
            PromisedDue = accepted.AddDays(30), CompletedAt = completed, Status = status, InstanceId = $"metrics-{n}", CaseFileJson = caseFile.Data.ToJsonString()
        };
    }

    private async Task<JsonObject> MetricsAsync(params CaseRecord[] cases)
    {
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
            db.Cases.AddRange(cases);
            await db.SaveChangesAsync();
        }
        using var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        var login = await client.PostAsJsonAsync("/api/auth/login", new { userName = "auditor01", password = DemoUsers.Password });
        login.EnsureSuccessStatusCode();
        return (await client.GetFromJsonAsync<JsonObject>("/api/metrics?from=2026-11-01&to=2026-11-30"))!;
    }

    [Test]
    public async Task Handling_time_counts_working_hours_from_acceptance_to_completion_without_the_days_paused()
    {
        var metrics = await MetricsAsync(
            // Monday 09:00 to the next Friday 18:00: ten whole working days.
            Case("44030505001", "pc", At(2, 9), At(13, 18)),
            // Accepted at 17:00, decided at 10:00 the next day: two working hours, a quarter of a day.
            Case("44030505001", "pc", At(2, 17), At(3, 10)),
            // Ten working days of which Wednesday to Friday waited for a correction (补正): seven.
            Case("44030505001", "pc", At(2, 9), At(13, 18), file: f => { f.StartPause(PauseKind.Correction, "补正", null, At(4, 10)); f.EndPause(At(6, 16)); }));
        // (10 + 0.25 + 7) / 3 = 5.75
        Assert.That(metrics["averageHandlingWorkingDays"]!.GetValue<double>(), Is.EqualTo(5.8));
    }

    [Test]
    public async Task An_empty_period_has_no_figures_rather_than_zeros()
    {
        var metrics = await MetricsAsync();
        Assert.Multiple(() =>
        {
            Assert.That(metrics["averageHandlingWorkingDays"], Is.Null);
            Assert.That(metrics["onTimeRate"], Is.Null);
            Assert.That(metrics["satisfactionRate"], Is.Null);
            Assert.That(metrics["atMostOneVisitRate"], Is.Null);
            Assert.That(metrics["volumes"]!["received"]!.GetValue<int>(), Is.Zero);
        });
    }

    [Test]
    public async Task Immediate_and_promised_cases_are_counted_apart_with_their_own_averages()
    {
        var metrics = await MetricsAsync(
            // 敬老优待证 is a 即办件: decided an hour after acceptance.
            Case("44030520007", "window", At(2, 9), At(2, 10)),
            Case("44030520007", "window", At(3, 9), null, CaseStatus.Accepted),
            Case("44030505001", "pc", At(2, 9), At(6, 18)),
            Case("44030505001", "window", At(2, 9), null, CaseStatus.NotAccepted),
            Case("44030505001", "window", At(2, 9), At(2, 11), CaseStatus.Withdrawn));
        var types = metrics["byCaseType"]!.AsArray().ToDictionary(t => t!["caseType"]!.GetValue<string>());
        Assert.Multiple(() =>
        {
            Assert.That(types["immediate"]!["received"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(types["immediate"]!["completed"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(types["immediate"]!["averageHandlingWorkingDays"]!.GetValue<double>(), Is.EqualTo(0.1), "one working hour of eight");
            Assert.That(types["promised"]!["received"]!.GetValue<int>(), Is.EqualTo(3));
            Assert.That(types["promised"]!["averageHandlingWorkingDays"]!.GetValue<double>(), Is.EqualTo(5.0));
            Assert.That(metrics["volumes"]!["notAccepted"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(metrics["volumes"]!["withdrawn"]!.GetValue<int>(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task At_most_one_visit_counts_window_applications_corrections_and_results_collected_in_person()
    {
        var metrics = await MetricsAsync(
            // Applied online, approval posted: no visit.
            Case("44030505001", "pc", At(2, 9), At(6, 18), file: f => f.Set(CaseParts.Waybill, new WaybillRecord { Item = "result", Status = "delivered" })),
            // Applied at the window, approval posted: one visit.
            Case("44030505001", "window", At(2, 9), At(6, 18), file: f => f.Set(CaseParts.Waybill, new WaybillRecord { Item = "result", Status = "delivered" })),
            // Applied at the window and collected the approval there: two.
            Case("44030505001", "window", At(2, 9), At(6, 18)),
            // 即办件 at the window: the card is handed over at once, one visit.
            Case("44030520007", "window", At(2, 9), At(2, 10)));
        Assert.That(metrics["atMostOneVisitRate"]!.GetValue<double>(), Is.EqualTo(75.0));
    }
}
