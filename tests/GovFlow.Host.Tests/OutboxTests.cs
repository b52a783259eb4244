using System.Text.Json;
using System.Text.Json.Nodes;
using GovFlow.Activities.Services;
using GovFlow.Activities.Steps;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Scheduling;
using GovFlow.Host.Simulators;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>
/// The outbox: service calls are stored with their step and delivered after the commit, so a crash before the
/// call loses nothing and a crash after it repeats nothing (the repeat carries the same idempotency key).
/// </summary>
[TestFixture]
public class OutboxTests : DataDirFixture
{
    [Test]
    public async Task Calls_stored_with_a_step_that_was_never_followed_by_its_delivery_are_delivered_by_the_sweep()
    {
        // Delivery left to the sweep stands for a node that died right after its commit.
        var clock = new TestClock(TestHost.Now);
        using var host = TestHost.Create(DataDir, clock, deliverInline: false);
        var world = host.Services.GetRequiredService<SimulatedWorld>();
        var caseId = await TimerTests.SubmitFoodCaseWithTolerance(host);
        var pending = await Calls(host, caseId);
        Assert.Multiple(() =>
        {
            Assert.That(pending.Select(c => c.Operation), Is.EqualTo(new[] { "certificate.lookup" }), "the step's call is on disk with the step");
            Assert.That(world.Uses.Any(u => u.CaseNumber == Number(host, caseId)), Is.False, "and nothing was called yet");
        });
        var delivered = await host.Services.GetRequiredService<DueBookmarkSweeper>().SweepAsync();
        var record = await TimerTests.Case(host, caseId);
        Assert.Multiple(() =>
        {
            Assert.That(delivered, Is.GreaterThanOrEqualTo(1));
            var uses = world.Uses.Where(u => u.CaseNumber == record.CaseNumber).GroupBy(u => u.CertificateType).ToList();
            Assert.That(uses.Select(g => g.Count()), Is.All.EqualTo(1), "each certificate looked up once");
            Assert.That(Calls(host, caseId).Result, Is.Empty, "the lookups the first reply led to were delivered too");
            Assert.That(JsonNode.Parse(record.CaseFileJson)!["certificateUses"]!.AsArray(), Has.Count.EqualTo(uses.Count));
        });
    }

    [Test]
    public async Task A_call_repeated_after_a_lost_commit_reaches_the_service_once_and_moves_the_case_once()
    {
        var clock = new TestClock(TestHost.Now);
        using var host = TestHost.Create(DataDir, clock, deliverInline: false);
        var world = host.Services.GetRequiredService<SimulatedWorld>();
        var caseId = await TimerTests.SubmitFoodCaseWithTolerance(host);
        var call = (await Calls(host, caseId)).Single();
        // The first delivery reached the service but its node died before committing the reply ...
        var lost = await host.Services.GetRequiredService<ServiceCallDispatcher>().DeliverAsync(call.Payload, call.Id);
        Assert.That(lost.Reply!.Ok, Is.True);
        var type = call.Payload["request"]!["certificateType"]!.GetValue<string>();
        // ... so the sweep delivers it again, under the same key.
        await host.Services.GetRequiredService<DueBookmarkSweeper>().SweepAsync();
        var record = await TimerTests.Case(host, caseId);
        Assert.Multiple(() =>
        {
            Assert.That(world.Uses.Count(u => u.CaseNumber == record.CaseNumber && u.CertificateType == type), Is.EqualTo(1), "the repeat was answered from the first call");
            Assert.That(JsonNode.Parse(record.CaseFileJson)!["certificateUses"]!.AsArray().Count(u => u!["certificateType"]!.GetValue<string>() == type), Is.EqualTo(1), "the step took the reply once");
        });
    }

    [Test]
    public async Task A_rating_report_waits_in_the_outbox_while_the_rating_system_is_down_and_is_retried_with_backoff()
    {
        var clock = new TestClock(TestHost.Now);
        using var host = TestHost.Create(DataDir, clock);
        using var http = host.CreateClient();
        var world = host.Services.GetRequiredService<SimulatedWorld>();
        var (caseId, rating) = await ElderlyCaseAwaitingRating(host);
        world.Outages["ratings"] = (true, 0);
        using (var scope = host.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<CaseService>().ResumeAsync(rating, new Dictionary<string, object?> { ["level"] = 2 }, "applicant");
        var waiting = (await Calls(host, caseId)).Single(c => c.Operation == "rating.report");
        Assert.Multiple(() =>
        {
            Assert.That(waiting.Attempts, Is.EqualTo(1));
            Assert.That(waiting.LastError, Does.Contain("好差评系统"));
            Assert.That(waiting.DueAt, Is.EqualTo(clock.Now + CaseService.RetryDelay(1)));
            Assert.That(world.Ratings.Any(r => r.CaseNumber == Number(host, caseId)), Is.False);
        });
        var sweeper = host.Services.GetRequiredService<DueBookmarkSweeper>();
        clock.Now += TimeSpan.FromMinutes(1);
        await sweeper.SweepAsync();
        Assert.That((await Calls(host, caseId)).Single(c => c.Operation == "rating.report").Attempts, Is.EqualTo(2), "still down: counted, and pushed back");
        world.Outages["ratings"] = (false, 0);
        clock.Now += TimeSpan.FromMinutes(2);
        await sweeper.SweepAsync();
        var record = await TimerTests.Case(host, caseId);
        Assert.Multiple(() =>
        {
            Assert.That(world.Ratings.Count(r => r.CaseNumber == record.CaseNumber), Is.EqualTo(1));
            Assert.That(Calls(host, caseId).Result, Is.Empty);
            Assert.That(JsonNode.Parse(record.CaseFileJson)!["rating"]!["reportedAt"], Is.Not.Null);
        });
    }

    /// <summary>An elderly-allowance case approved at every level and delivered, waiting for the applicant's rating.</summary>
    internal static async Task<(string CaseId, string RatingBookmark)> ElderlyCaseAwaitingRating(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> host)
    {
        var person = host.Services.GetRequiredService<SimulatedWorld>().People.First(x => x.BirthDate.Year < 1946);
        string caseId;
        using (var scope = host.Services.CreateScope())
            caseId = (await scope.ServiceProvider.GetRequiredService<CaseService>().SubmitAsync(new CaseSubmission
            {
                MatterCode = "44030505001",
                Applicant = new ApplicantInput { Name = person.Name, IdType = "111", IdNumber = person.IdNumber, Phone = person.Phone, Address = person.Address },
                Materials = new[] { "高龄津贴申请书", "居民身份证", "银行卡", "照片" }.Select(m => new MaterialInput { Name = m, Provided = true }).ToList(),
                Data = new() { ["age"] = JsonSerializer.SerializeToElement(2026 - person.BirthDate.Year) }
            }, null, "window01"))["caseId"]!.GetValue<string>();
        for (var step = 0; step < 10; step++)
        {
            using var scope = host.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
            var instance = await db.Cases.Where(c => c.Id == caseId).Select(c => c.InstanceId).SingleAsync();
            var open = await db.Bookmarks.AsNoTracking().Where(b => b.InstanceId == instance).ToListAsync();
            if (open.FirstOrDefault(b => b.Name == RequestRating.RatingBookmark) is { } rating) return (caseId, rating.Id);
            var cases = scope.ServiceProvider.GetRequiredService<CaseService>();
            var task = open.Single(b => b.Name is ReviewTask.TaskBookmark or SendByPost.TrackingBookmark);
            if (task.Name == ReviewTask.TaskBookmark) await cases.CompleteAsync(task.Id, new TaskAction { Action = "approve", Opinion = "同意" }, "reviewer01");
            else await cases.ResumeAsync(task.Id, new Dictionary<string, object?> { ["status"] = "delivered" }, "ems");
        }
        throw new AssertionException("The case never reached its rating.");
    }

    private static string Number(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> host, string caseId) => TimerTests.Case(host, caseId).Result.CaseNumber;

    private sealed record Call(string Id, string Operation, JsonObject Payload, int Attempts, string? LastError, DateTimeOffset? DueAt);

    private static async Task<List<Call>> Calls(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> host, string caseId)
    {
        using var scope = host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        var instance = await db.Cases.Where(c => c.Id == caseId).Select(c => c.InstanceId).SingleAsync();
        return (await db.Bookmarks.AsNoTracking().Where(b => b.InstanceId == instance && b.Name == ServiceCalls.BookmarkName).ToListAsync())
            .Select(b => (JsonNode.Parse(b.PayloadJson!)!.AsObject(), b))
            .Select(p => new Call(p.b.Id, p.Item1["operation"]!.GetValue<string>(), p.Item1, p.b.Attempts, p.b.LastError, p.b.DueAt)).ToList();
    }
}
