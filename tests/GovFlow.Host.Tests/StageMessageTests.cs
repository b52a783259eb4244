using System.Text.Json.Nodes;
using GovFlow.Activities.Steps;
using GovFlow.Host.Cases;
using GovFlow.Host.Documents;
using GovFlow.Host.Persistence;
using GovFlow.Host.Scheduling;
using GovFlow.Host.Simulators;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>
/// The applicant's SMS at the moments without a notice, on real flows with the clock set by hand: the reminder before a
/// tolerance deadline (fired by the sweep, not after the materials came in), the rating invitation and the feedback on
/// a poor rating's rectification. Each is said once, in the words of its template.
/// </summary>
[TestFixture]
public class StageMessageTests : DataDirFixture
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    // Accepted on Monday 2 March 2026 with five working days to supply: the deadline is the end of Monday 9 March, and
    // the reminder two working days before it is Thursday 5 March at the start of the working day.
    private static readonly DateTimeOffset Reminder = new(2026, 3, 5, 9, 0, 0, China);

    [Test]
    public async Task The_tolerance_reminder_tells_what_is_still_owed_two_working_days_before_the_deadline_once()
    {
        var clock = new TestClock(TestHost.Now);
        using var host = TestHost.Create(DataDir, clock);
        var caseId = await TimerTests.SubmitFoodCaseWithTolerance(host);
        await SupplyAsync(host, caseId, "食品安全管理人员健康证明");
        var record = await TimerTests.Case(host, caseId);
        var sweeper = host.Services.GetRequiredService<DueBookmarkSweeper>();

        clock.Now = Reminder.AddMinutes(-1);
        Assert.That(await sweeper.SweepAsync(), Is.Zero, "not before its morning");
        Assert.That(Reminders(host, record.CaseNumber), Is.Empty);

        clock.Now = Reminder;
        Assert.That(await sweeper.SweepAsync(), Is.EqualTo(1));
        var deadline = NoticeWriter.Day(new DateTimeOffset(2026, 3, 9, 18, 0, 0, China));
        Assert.That(Reminders(host, record.CaseNumber), Is.EqualTo(new[]
        {
            $"【政务服务】您申请的{record.MatterName}（办件编号{record.CaseNumber}）容缺受理时承诺后补的材料尚未补齐：经营场所平面图。请于{deadline}前补齐，逾期将按告知承诺处理。"
        }), "only what is still owed");
        Assert.That(host.Services.GetRequiredService<SimulatedWorld>().Messages.Single(m => m.Message.Contains("尚未补齐", StringComparison.Ordinal)).Phone, Is.EqualTo("13912345678"));

        clock.Now = Reminder.AddDays(1);
        Assert.That(await sweeper.SweepAsync(), Is.Zero);
        Assert.That(Reminders(host, record.CaseNumber), Has.Count.EqualTo(1), "told once");
        Assert.That((await TimerTests.Case(host, caseId)).Status, Is.EqualTo("Accepted"), "a reminder leaves the case waiting");
    }

    [Test]
    public async Task No_tolerance_reminder_once_the_materials_came_in_first()
    {
        var clock = new TestClock(TestHost.Now);
        using var host = TestHost.Create(DataDir, clock);
        var caseId = await TimerTests.SubmitFoodCaseWithTolerance(host);
        clock.Now = Reminder.AddHours(-1);
        await SupplyAsync(host, caseId, "食品安全管理人员健康证明", "经营场所平面图");
        var record = await TimerTests.Case(host, caseId);
        using (var scope = host.Services.CreateScope())
            Assert.That(await scope.ServiceProvider.GetRequiredService<GovFlowDb>().Bookmarks.AnyAsync(b => b.InstanceId == record.InstanceId && b.Name == ToleranceGap.ReminderBookmark),
                Is.False, "the reminder went with the supplied step");

        clock.Now = Reminder.AddDays(6);
        await host.Services.GetRequiredService<DueBookmarkSweeper>().SweepAsync();
        Assert.That(Reminders(host, record.CaseNumber), Is.Empty);
    }

    [Test]
    public async Task The_rating_invitation_says_where_to_rate_and_the_rectification_feedback_what_was_done()
    {
        var clock = new TestClock(TestHost.Now);
        using var host = TestHost.Create(DataDir, clock);
        var (caseId, rating) = await OutboxTests.ElderlyCaseAwaitingRating(host);
        var record = await TimerTests.Case(host, caseId);
        var link = $"{host.Services.GetRequiredService<DocumentOptions>().PublicUrl}/progress?caseNumber={record.CaseNumber}";
        Assert.That(MessagesOf(host, record.CaseNumber).Where(m => m.Contains("评价", StringComparison.Ordinal)), Is.EqualTo(new[]
        {
            $"【政务服务】您申请的{record.MatterName}（办件编号{record.CaseNumber}）已办结，请对本次服务作出评价（非常满意至非常不满意），评价网址：{link}"
        }));

        using (var scope = host.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<CaseService>().ResumeAsync(rating, new Dictionary<string, object?> { ["level"] = 5, ["comment"] = "排队太久" }, "applicant");
        await RectifyAsync(host, caseId, "done", "已电话回访核实");
        await RectifyAsync(host, caseId, "rectify", "增设老年人绿色通道");
        Assert.That(MessagesOf(host, record.CaseNumber).Where(m => m.Contains("评价已处理", StringComparison.Ordinal)), Is.Empty, "not before the feedback");
        await RectifyAsync(host, caseId, "done", "已增设老年人绿色通道，并对窗口人员进行培训。");

        var sent = MessagesOf(host, record.CaseNumber);
        Assert.That(sent.Where(m => m.Contains("评价已处理", StringComparison.Ordinal)), Is.EqualTo(new[]
        {
            $"【政务服务】您对{record.MatterName}（办件编号{record.CaseNumber}）的评价已处理（整改）：已增设老年人绿色通道，并对窗口人员进行培训。欢迎再次评价：{link}"
        }));
        Assert.That(sent.Count(m => m.Contains("请对本次服务作出评价", StringComparison.Ordinal)), Is.EqualTo(1), "the invitation is not repeated: " + string.Join("\n", sent));
    }

    private static List<string> MessagesOf(WebApplicationFactory<Program> host, string caseNumber) =>
        host.Services.GetRequiredService<SimulatedWorld>().Messages.Where(m => m.Message.Contains(caseNumber, StringComparison.Ordinal)).Select(m => m.Message).ToList();

    private static List<string> Reminders(WebApplicationFactory<Program> host, string caseNumber) =>
        MessagesOf(host, caseNumber).Where(m => m.Contains("尚未补齐", StringComparison.Ordinal)).ToList();

    private static async Task<string> OpenBookmarkAsync(WebApplicationFactory<Program> host, string caseId, string name)
    {
        using var scope = host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        var instance = await db.Cases.Where(c => c.Id == caseId).Select(c => c.InstanceId).SingleAsync();
        return await db.Bookmarks.Where(b => b.InstanceId == instance && b.Name == name).Select(b => b.Id).SingleAsync();
    }

    private static async Task SupplyAsync(WebApplicationFactory<Program> host, string caseId, params string[] materials)
    {
        var task = await OpenBookmarkAsync(host, caseId, ToleranceGap.SupplementBookmark);
        using var scope = host.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<CaseService>().CompleteAsync(task, new TaskAction { Action = "supply", Materials = [.. materials] }, "window01");
    }

    private static async Task RectifyAsync(WebApplicationFactory<Program> host, string caseId, string action, string note)
    {
        var task = await OpenBookmarkAsync(host, caseId, RequestRating.RectificationBookmark);
        using var scope = host.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<CaseService>().CompleteAsync(task, new TaskAction { Action = action, Opinion = note }, "reviewer01");
    }
}
