using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovFlow.Host.Cases;
using GovFlow.Host.Simulators;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>
/// The Administrative Licensing Law's clock rules through the API: an extension (Art. 42) lengthens the case's dates by
/// its working days, a special procedure (Art. 45) stops them for the working days it lasts.
/// </summary>
[TestFixture]
public class ClockRuleTests : DataDirFixture
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    [Test]
    public async Task An_extension_and_a_special_procedure_move_the_case_dates_by_their_working_days()
    {
        var clock = new TestClock(TestHost.Now); // Monday 2 March 2026
        using var host = TestHost.Create(DataDir, clock);
        var caseId = await SubmitFoodLicenceAsync(host);
        var before = await TimerTests.Case(host, caseId);
        // Food business licence: promised and statutory both 10 working days (Monday 16 March; the 2023 SAMR measures).
        Assert.That(before.PromisedDue, Is.EqualTo(new DateTimeOffset(2026, 3, 16, 18, 0, 0, China)));

        var reviewer = await CalendarYearTests.SignInAsync(host, "reviewer07");
        var task = await OpenTaskAsync(reviewer, caseId);
        Assert.That((await reviewer.PostAsync($"/api/tasks/{task}/claim", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var bad = await reviewer.PostAsJsonAsync($"/api/tasks/{task}/complete", new { action = "extend", opinion = "需补充核查", days = "12", approver = "张局长" });
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await bad.Content.ReadAsStringAsync(), Does.Contain("延期须为 1 至 10 个工作日"));
        var extended = await reviewer.PostAsJsonAsync($"/api/tasks/{task}/complete", new { action = "extend", opinion = "需补充核查", days = "5", approver = "张局长" });
        Assert.That(extended.StatusCode, Is.EqualTo(HttpStatusCode.OK), await extended.Content.ReadAsStringAsync());
        var record = await TimerTests.Case(host, caseId);
        Assert.Multiple(() =>
        {
            Assert.That(record.PromisedDue, Is.EqualTo(new DateTimeOffset(2026, 3, 23, 18, 0, 0, China)), "five working days later");
            Assert.That(record.StatutoryDue, Is.EqualTo(new DateTimeOffset(2026, 3, 23, 18, 0, 0, China)), "16 March + 5 working days");
        });

        task = await OpenTaskAsync(reviewer, caseId);
        var started = await reviewer.PostAsJsonAsync($"/api/tasks/{task}/complete", new { action = "startSpecialProcedure", opinion = "请专家评审工艺布局", procedure = "专家评审", days = "3" });
        Assert.That(started.StatusCode, Is.EqualTo(HttpStatusCode.OK), await started.Content.ReadAsStringAsync());
        var procedure = await OpenTaskAsync(reviewer, caseId);
        clock.Now = new DateTimeOffset(2026, 3, 5, 10, 0, 0, China); // Thursday: Tuesday to Thursday stopped, three working days
        var ended = await reviewer.PostAsJsonAsync($"/api/tasks/{procedure}/complete", new { action = "endSpecialProcedure", opinion = "专家评审通过" });
        Assert.That(ended.StatusCode, Is.EqualTo(HttpStatusCode.OK), await ended.Content.ReadAsStringAsync());
        record = await TimerTests.Case(host, caseId);
        Assert.That(record.PromisedDue, Is.EqualTo(new DateTimeOffset(2026, 3, 26, 18, 0, 0, China)), "23 March + the three working days stopped");

        var auditor = await CalendarYearTests.SignInAsync(host, "auditor01");
        var view = (await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}"))!;
        Assert.Multiple(() =>
        {
            Assert.That(view["extensions"]![0]!["approver"]!.GetValue<string>(), Is.EqualTo("张局长"));
            Assert.That(view["pauses"]![0]!["legalBasis"]!.GetValue<string>(), Does.Contain("第四十五条"));
            Assert.That(view["applicantNotices"]!.AsArray().Select(n => n!["kind"]!.GetValue<string>()), Is.EqualTo(new[] { "延期", "特别程序开始", "特别程序结束" }));
        });
    }

    [Test]
    public async Task An_application_the_window_leaves_undecided_for_five_working_days_is_accepted_on_receipt()
    {
        var clock = new TestClock(TestHost.Now); // Monday 2 March 2026, 09:30
        using var host = TestHost.Create(DataDir, clock);
        var caseId = await SubmitFoodLicenceAsync(host, pending: true);
        var window = await CalendarYearTests.SignInAsync(host, "window01");
        var inbox = (await window.GetFromJsonAsync<JsonObject>("/api/tasks?scope=department"))!["items"]!.AsArray();
        var decision = inbox.Single(t => t!["caseId"]!.GetValue<string>() == caseId)!;
        Assert.That(decision["kind"]!.GetValue<string>(), Is.EqualTo("GovFlow.AcceptanceDecision"));
        Assert.That(decision["dueAt"]!.GetValue<DateTimeOffset>(), Is.EqualTo(new DateTimeOffset(2026, 3, 9, 18, 0, 0, China)), "five working days");

        var sweeper = host.Services.GetRequiredService<GovFlow.Host.Scheduling.DueBookmarkSweeper>();
        clock.Now = new DateTimeOffset(2026, 3, 9, 18, 1, 0, China);
        Assert.That(await sweeper.SweepAsync(), Is.EqualTo(1));
        var record = await TimerTests.Case(host, caseId);
        Assert.Multiple(() =>
        {
            Assert.That(record.AcceptedAt, Is.EqualTo(record.ReceivedAt), "deemed accepted on receipt (Art. 32)");
            Assert.That(record.Status, Is.EqualTo("InReview"), "and on to review");
        });
    }

    private static async Task<string> OpenTaskAsync(HttpClient reviewer, string caseId) =>
        (await reviewer.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}"))!["currentSteps"]!.AsArray().Single()!["taskId"]!.GetValue<string>();

    private static async Task<string> SubmitFoodLicenceAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> host, bool pending = false)
    {
        var company = host.Services.GetRequiredService<SimulatedWorld>().Enterprises[0];
        using var scope = host.Services.CreateScope();
        var response = await scope.ServiceProvider.GetRequiredService<CaseService>().SubmitAsync(new CaseSubmission
        {
            MatterCode = "44030501013",
            Applicant = new ApplicantInput { Name = company.Name, IdType = "001", IdNumber = company.Uscc, Phone = "13912345678", Address = company.Address },
            Materials = new[] { "食品经营许可申请书", "法定代表人身份证明", "与食品经营相适应的主要设备设施布局、操作流程文件", "食品安全管理制度", "食品安全管理人员健康证明", "经营场所平面图" }
                .Select(m => new MaterialInput { Name = m, Provided = true }).ToList(),
            Data = pending ? new() { ["acceptance"] = System.Text.Json.JsonSerializer.SerializeToElement("pending") } : new()
        }, null, "window01");
        return response["caseId"]!.GetValue<string>();
    }
}
