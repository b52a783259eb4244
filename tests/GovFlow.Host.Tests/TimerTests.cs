using System.Text.Json;
using GovFlow.Activities.Steps;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Scheduling;
using GovFlow.Host.Simulators;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>Timers survive restarts and fire once: tolerance deadlines swept by the scheduler.</summary>
[TestFixture]
public class TimerTests : DataDirFixture
{
    internal static async Task<string> SubmitFoodCaseWithTolerance(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> host)
    {
        var world = host.Services.GetRequiredService<SimulatedWorld>();
        var company = world.Enterprises[0];
        using var scope = host.Services.CreateScope();
        var response = await scope.ServiceProvider.GetRequiredService<CaseService>().SubmitAsync(new CaseSubmission
        {
            MatterCode = "44030501013",
            Applicant = new ApplicantInput { Name = company.Name, IdType = "001", IdNumber = company.Uscc, Phone = "13912345678", Address = company.Address },
            Materials = new[] { "食品经营许可申请书", "法定代表人身份证明", "与食品经营相适应的主要设备设施布局、操作流程文件", "食品安全管理制度" }
                .Select(m => new MaterialInput { Name = m, Provided = true }).ToList(),
            Data = new() { ["toleranceCommitment"] = JsonSerializer.SerializeToElement(new { signedBy = company.LegalRepresentative }) }
        }, null, "window01");
        return response["caseId"]!.GetValue<string>();
    }

    internal static async Task<CaseRecord> Case(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> host, string id)
    {
        using var scope = host.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<GovFlowDb>().Cases.AsNoTracking().SingleAsync(c => c.Id == id);
    }

    [Test]
    public async Task A_deadline_fires_when_due_and_only_once()
    {
        var clock = new TestClock(TestHost.Now);
        using var host = TestHost.Create(DataDir, clock);
        var caseId = await SubmitFoodCaseWithTolerance(host);
        var sweeper = host.Services.GetRequiredService<DueBookmarkSweeper>();
        Assert.That(await sweeper.SweepAsync(), Is.EqualTo(0), "nothing is due yet");
        clock.Now = TestHost.Now.AddDays(3);
        Assert.That(await sweeper.SweepAsync(), Is.EqualTo(1), "the reminder two working days before the deadline");
        clock.Now = TestHost.Now.AddDays(8);
        var both = await Task.WhenAll(sweeper.SweepAsync(), sweeper.SweepAsync());
        Assert.That(both.Sum(), Is.EqualTo(1), "two sweeps racing resume the deadline once");
        var record = await Case(host, caseId);
        Assert.That(record.Status, Is.EqualTo("Suspended"));
        Assert.That(record.BrokenCommitment, Is.True);
    }

    [Test]
    public async Task A_timer_due_while_the_host_was_down_fires_when_it_is_back()
    {
        var clock = new TestClock(TestHost.Now);
        string caseId;
        using (var first = TestHost.Create(DataDir, clock))
        {
            caseId = await SubmitFoodCaseWithTolerance(first);
        }
        clock.Now = TestHost.Now.AddDays(10);
        using var second = TestHost.Create(DataDir, clock, scheduler: true);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        CaseRecord record;
        do
        {
            await Task.Delay(250);
            record = await Case(second, caseId);
        } while (record.Status != "Suspended" && DateTime.UtcNow < deadline);
        Assert.That(record.Status, Is.EqualTo("Suspended"), "Quartz's sweep resumed the tolerance deadline");
        using var scope = second.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        Assert.That(await db.Bookmarks.CountAsync(b => b.InstanceId == record.InstanceId && b.Name == ToleranceGap.DeadlineBookmark), Is.EqualTo(0));
        Assert.That(await db.Journal.CountAsync(j => j.InstanceId == record.InstanceId && j.EventName == "ToleranceExpired"), Is.EqualTo(1));
    }
}
