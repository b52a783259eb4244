using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Scheduling;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>One failing timer never stops the others, and <c>/health</c> says when the sweep has stalled.</summary>
[TestFixture]
public class SweepIsolationTests : DataDirFixture
{
    private static async Task<string> InstanceOf(WebApplicationFactory<Program> host, string caseId) => (await TimerTests.Case(host, caseId)).InstanceId;

    private static async Task<BookmarkRecord> DeadlineOf(WebApplicationFactory<Program> host, string instanceId)
    {
        using var scope = host.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<GovFlowDb>().Bookmarks.AsNoTracking()
            .SingleAsync(b => b.InstanceId == instanceId && b.Name == Activities.Steps.ToleranceGap.DeadlineBookmark);
    }

    private static async Task<JsonObject> SweepHealthAsync(HttpClient http)
    {
        var health = (await http.GetFromJsonAsync<JsonObject>("/health"))!;
        return health["checks"]!["sweep"]!.AsObject();
    }

    [Test]
    public async Task A_sweep_of_a_stopping_host_ends_quietly_and_leaves_what_is_due_for_the_next_one()
    {
        var clock = new TestClock(TestHost.Now);
        using var host = TestHost.Create(DataDir, clock);
        await TimerTests.SubmitFoodCaseWithTolerance(host);
        await TimerTests.SubmitFoodCaseWithTolerance(host);
        clock.Now = TestHost.Now.AddDays(5);
        var sweeper = host.Services.GetRequiredService<DueBookmarkSweeper>();
        using var stopped = new CancellationTokenSource();
        stopped.Cancel();

        await new DueBookmarksJob(sweeper).Execute(null!, stopped.Token);
        Assert.That(await DueCountAsync(host, clock.Now), Is.EqualTo(2), "both reminders still due");

        await new DueBookmarksJob(sweeper).Execute(null!, CancellationToken.None);
        Assert.That(await DueCountAsync(host, clock.Now), Is.EqualTo(0), "the next sweep fires them");
    }

    private static async Task<int> DueCountAsync(WebApplicationFactory<Program> host, DateTimeOffset now)
    {
        using var scope = host.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<GovFlowDb>().Bookmarks.CountAsync(b => b.DueAt != null && b.DueAt <= now);
    }


    [Test]
    public async Task A_bookmark_that_throws_backs_off_becomes_an_incident_and_the_others_still_fire()
    {
        var clock = new TestClock(TestHost.Now);
        using var host = TestHost.Create(DataDir, clock);
        var broken = await TimerTests.SubmitFoodCaseWithTolerance(host);
        clock.Now = TestHost.Now.AddDays(1);
        var healthy = await TimerTests.SubmitFoodCaseWithTolerance(host);
        var sweeper = host.Services.GetRequiredService<DueBookmarkSweeper>();
        // Both cases' reminders before their deadlines fire first, so each case has one timer left.
        clock.Now = TestHost.Now.AddDays(5);
        Assert.That(await sweeper.SweepAsync(), Is.EqualTo(2));
        // The injected failure: the first case's stored state no longer reads, so its timer throws (not a workflow fault).
        var brokenInstance = await InstanceOf(host, broken);
        string goodState;
        using (var scope = host.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
            goodState = await db.Instances.Where(i => i.Id == brokenInstance).Select(i => i.StateJson).SingleAsync();
            await db.Instances.Where(i => i.Id == brokenInstance).ExecuteUpdateAsync(s => s.SetProperty(i => i.StateJson, "{\"broken\": "));
        }
        var firstDue = (await DeadlineOf(host, brokenInstance)).DueAt!.Value;
        Assert.That(firstDue, Is.LessThan((await DeadlineOf(host, await InstanceOf(host, healthy))).DueAt!.Value), "the failing timer is first in the sweep");

        var options = host.Services.GetRequiredService<SweepOptions>();
        clock.Now = TestHost.Now.AddDays(12);
        Assert.That(await sweeper.SweepAsync(), Is.EqualTo(1), "the second timer fires although the first throws");
        Assert.That((await TimerTests.Case(host, healthy)).BrokenCommitment, Is.True);

        var bookmark = await DeadlineOf(host, brokenInstance);
        Assert.Multiple(() =>
        {
            Assert.That(bookmark.SweepFailures, Is.EqualTo(1));
            Assert.That(bookmark.DueAt, Is.EqualTo(clock.Now + TimeSpan.FromSeconds(30)), "backs off 30 s after the first failure");
            Assert.That(bookmark.LastError, Does.StartWith("JsonException"));
        });
        Assert.That(await sweeper.SweepAsync(), Is.EqualTo(0));
        Assert.That((await DeadlineOf(host, brokenInstance)).SweepFailures, Is.EqualTo(1), "not tried again before its time");

        for (var attempt = 2; attempt <= options.MaxAttempts; attempt++)
        {
            clock.Now = (await DeadlineOf(host, brokenInstance)).DueAt!.Value;
            await sweeper.SweepAsync();
            bookmark = await DeadlineOf(host, brokenInstance);
            Assert.That(bookmark.SweepFailures, Is.EqualTo(attempt));
            if (attempt < options.MaxAttempts)
                Assert.That(bookmark.DueAt, Is.EqualTo(clock.Now + TimeSpan.FromSeconds(30 << (attempt - 1))), $"the wait doubles (attempt {attempt})");
        }

        using (var scope = host.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
            var incident = await db.Incidents.AsNoTracking().SingleAsync();
            Assert.Multiple(() =>
            {
                Assert.That(incident.CaseId, Is.EqualTo(broken));
                Assert.That(incident.BookmarkId, Is.EqualTo(bookmark.Id));
                Assert.That(incident.Attempts, Is.EqualTo(5));
                Assert.That(incident.Message, Does.StartWith("定时处理连续失败 5 次，已停止自动重试"));
                Assert.That(incident.HeldDueAt, Is.Not.Null);
                Assert.That(bookmark.DueAt, Is.Null, "held from the scheduler while the incident is open");
            });
        }
        clock.Now = clock.Now.AddDays(1);
        Assert.That(await sweeper.SweepAsync(), Is.EqualTo(0), "a held bookmark is not swept again");
        Assert.That((await DeadlineOf(host, brokenInstance)).SweepFailures, Is.EqualTo(5));

        // The cause is repaired and an auditor retries: the timer fires as the sweep would have fired it.
        using (var scope = host.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
            await db.Instances.Where(i => i.Id == brokenInstance).ExecuteUpdateAsync(s => s.SetProperty(i => i.StateJson, goodState));
            var incidentId = await db.Incidents.Select(i => i.Id).SingleAsync();
            await scope.ServiceProvider.GetRequiredService<CaseService>().RetryAsync(incidentId, "auditor01");
        }
        Assert.That((await TimerTests.Case(host, broken)).BrokenCommitment, Is.True, "the deadline fired on retry");
        using (var scope = host.Services.CreateScope())
            Assert.That(await scope.ServiceProvider.GetRequiredService<GovFlowDb>().Incidents.AsNoTracking().Select(i => i.Status).SingleAsync(), Is.EqualTo(IncidentStatuses.Resolved));
    }

    [Test]
    public async Task A_service_call_whose_delivery_throws_becomes_an_incident_and_its_retry_delivers_it()
    {
        var clock = new TestClock(TestHost.Now);
        using var host = TestHost.Create(DataDir, clock, deliverInline: false);
        var caseId = await TimerTests.SubmitFoodCaseWithTolerance(host);
        var instanceId = await InstanceOf(host, caseId);
        string callId, payload;
        using (var scope = host.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
            var call = await db.Bookmarks.AsNoTracking().SingleAsync(b => b.InstanceId == instanceId && b.Name == Activities.Services.ServiceCalls.BookmarkName);
            (callId, payload) = (call.Id, call.PayloadJson!);
            // The injected failure: the stored request no longer reads, so delivering it throws.
            await db.Bookmarks.Where(b => b.Id == callId).ExecuteUpdateAsync(s => s.SetProperty(b => b.PayloadJson, "{"));
        }
        var sweeper = host.Services.GetRequiredService<DueBookmarkSweeper>();
        var options = host.Services.GetRequiredService<SweepOptions>();
        for (var attempt = 1; attempt <= options.MaxAttempts; attempt++)
        {
            var due = (await CallOf(host, callId)).DueAt!.Value;
            if (due > clock.Now) clock.Now = due;
            await sweeper.SweepAsync();
            Assert.That((await CallOf(host, callId)).SweepFailures, Is.EqualTo(attempt));
        }
        using (var scope = host.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
            var incident = await db.Incidents.AsNoTracking().SingleAsync();
            Assert.Multiple(async () =>
            {
                Assert.That(incident.BookmarkId, Is.EqualTo(callId));
                Assert.That(incident.CaseId, Is.EqualTo(caseId));
                Assert.That((await CallOf(host, callId)).DueAt, Is.Null, "held");
            });
            await db.Bookmarks.Where(b => b.Id == callId).ExecuteUpdateAsync(s => s.SetProperty(b => b.PayloadJson, payload));
            await scope.ServiceProvider.GetRequiredService<CaseService>().RetryAsync(incident.Id, "auditor01");
        }
        using (var scope = host.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
            Assert.That(await db.Bookmarks.AnyAsync(b => b.Id == callId), Is.False, "the retry delivered the call and its step took the reply");
            Assert.That(await db.Incidents.Select(i => i.Status).SingleAsync(), Is.EqualTo(IncidentStatuses.Resolved));
        }
        Assert.That(JsonNode.Parse((await TimerTests.Case(host, caseId)).CaseFileJson)!["certificateUses"]!.AsArray(), Is.Not.Empty);
    }

    [Test]
    public async Task A_waybill_that_cannot_be_followed_does_not_stop_the_others()
    {
        var clock = new TestClock(TestHost.Now);
        using var host = TestHost.Create(DataDir, clock);
        var caseId = await IncidentTestsCase(host);
        foreach (var (user, step) in new[] { ("reviewer02", "初审"), ("reviewer01", "审核"), ("reviewer01", "审批") })
        {
            var reviewer = await SignInAsync(host, user);
            var view = (await reviewer.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}"))!;
            var task = view["currentSteps"]!.AsArray().First(s => s!["stepName"]!.GetValue<string>() == step)!["taskId"]!.GetValue<string>();
            var done = await reviewer.PostAsJsonAsync($"/api/tasks/{task}/complete", new { action = "approve", opinion = "同意" });
            Assert.That(done.StatusCode, Is.EqualTo(HttpStatusCode.OK), await done.Content.ReadAsStringAsync());
        }
        var waybill = JsonNode.Parse((await TimerTests.Case(host, caseId)).CaseFileJson)!["waybill"]!["number"]!.GetValue<string>();
        using (var scope = host.Services.CreateScope())
        {
            // Followed first (the oldest), and broken: its stored payload no longer reads.
            var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
            db.Bookmarks.Add(new BookmarkRecord { Id = "broken-waybill", InstanceId = "gone", Name = Activities.Steps.SendByPost.TrackingBookmark, ActivityId = "post", PayloadJson = "{", CreatedAt = TestHost.Now.AddYears(-1) });
            await db.CommitAsync();
        }
        await host.CreateClient().PostAsJsonAsync($"/sim/mail/waybills/{waybill}/status", new { status = "delivered", detail = "本人签收" });
        Assert.That(await host.Services.GetRequiredService<DueBookmarkSweeper>().TrackWaybillsAsync(), Is.EqualTo(1), "the real waybill moved although the first one throws");
        Assert.That(JsonNode.Parse((await TimerTests.Case(host, caseId)).CaseFileJson)!["waybill"]!["status"]!.GetValue<string>(), Is.EqualTo("delivered"));
    }

    private static async Task<string> IncidentTestsCase(WebApplicationFactory<Program> host)
    {
        var person = host.Services.GetRequiredService<Simulators.SimulatedWorld>().People.First(p => p.BirthDate.Year < 1946);
        using var scope = host.Services.CreateScope();
        var response = await scope.ServiceProvider.GetRequiredService<CaseService>().SubmitAsync(new CaseSubmission
        {
            MatterCode = "44030505001",
            Applicant = new ApplicantInput { Name = person.Name, IdType = "111", IdNumber = person.IdNumber, Phone = person.Phone, Address = person.Address },
            Materials = new[] { "高龄津贴申请书", "居民身份证", "银行卡", "照片" }.Select(m => new MaterialInput { Name = m, Provided = true }).ToList(),
            Data = new() { ["age"] = System.Text.Json.JsonSerializer.SerializeToElement(2026 - person.BirthDate.Year) }
        }, null, "window01");
        return response["caseId"]!.GetValue<string>();
    }

    private static async Task<HttpClient> SignInAsync(WebApplicationFactory<Program> host, string user)
    {
        var client = host.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        (await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = Security.DemoUsers.Password })).EnsureSuccessStatusCode();
        return client;
    }

    private static async Task<BookmarkRecord> CallOf(WebApplicationFactory<Program> host, string id)
    {
        using var scope = host.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<GovFlowDb>().Bookmarks.AsNoTracking().SingleAsync(b => b.Id == id);
    }

    [Test]
    public async Task Health_reports_the_sweeps_last_success_and_its_backlog()
    {
        var clock = new TestClock(TestHost.Now);
        using var host = TestHost.Create(DataDir, clock);
        var http = host.CreateClient();
        var sweep = await SweepHealthAsync(http);
        Assert.That(sweep["data"]!["backlog"]!.GetValue<int>(), Is.EqualTo(0));
        Assert.That(sweep["data"]!["lastSuccess"]!.GetValue<string>(), Is.Empty);

        await TimerTests.SubmitFoodCaseWithTolerance(host);
        clock.Now = TestHost.Now.AddDays(8);
        Assert.That((await SweepHealthAsync(http))["data"]!["backlog"]!.GetValue<int>(), Is.EqualTo(2), "a deadline and the reminder before it due and not yet resumed");
        await host.Services.GetRequiredService<DueBookmarkSweeper>().SweepAsync();
        sweep = await SweepHealthAsync(http);
        Assert.That(sweep["data"]!["backlog"]!.GetValue<int>(), Is.EqualTo(0));
        Assert.That(DateTimeOffset.Parse(sweep["data"]!["lastSuccess"]!.GetValue<string>()), Is.EqualTo(clock.Now));
    }

    [Test]
    public async Task Health_turns_unhealthy_when_the_sweep_has_not_succeeded_for_five_minutes()
    {
        var clock = new TestClock(TestHost.Now);
        // The scheduler runs (so a stalled sweep matters) but fires once at start; the test sweeps by hand from there.
        using var host = TestHost.Create(DataDir, clock, scheduler: true, settings: new Dictionary<string, string> { ["GovFlow:Scheduler:SweepSeconds"] = "3600" });
        var http = host.CreateClient();
        var sweeper = host.Services.GetRequiredService<DueBookmarkSweeper>();
        await Until(async () => (await SweepHealthAsync(http))["data"]!["lastSuccess"]!.GetValue<string>() != "", "the first sweep");
        Assert.That((await http.GetAsync("/health")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        // The sweep cannot read what is due (as with a broken table or a lost database): no sweep succeeds from now on.
        using (var scope = host.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<GovFlowDb>().Database.ExecuteSqlRawAsync("ALTER TABLE bookmarks RENAME TO bookmarks_away");
        clock.Now = TestHost.Now.AddMinutes(4);
        Assert.CatchAsync(() => sweeper.SweepAsync());
        Assert.That((await http.GetAsync("/health")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "four minutes without a success are tolerated");
        clock.Now = TestHost.Now.AddMinutes(6);
        Assert.CatchAsync(() => sweeper.SweepAsync());
        var response = await http.GetAsync("/health");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        var health = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var sweep = health["checks"]!["sweep"]!;
        Assert.Multiple(() =>
        {
            Assert.That(health["checks"]!["database"]!["status"]!.GetValue<string>(), Is.EqualTo("Healthy"), "the database answers; only the sweep is stuck");
            Assert.That(sweep["status"]!.GetValue<string>(), Is.EqualTo("Unhealthy"));
            Assert.That(sweep["description"]!.GetValue<string>(), Does.StartWith("定时扫描自 " + TestHost.Now.ToString("O")));
            Assert.That(sweep["data"]!["lastError"]!.GetValue<string>(), Does.Contain("no such table: bookmarks"));
        });

        using (var scope = host.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<GovFlowDb>().Database.ExecuteSqlRawAsync("ALTER TABLE bookmarks_away RENAME TO bookmarks");
        await sweeper.SweepAsync();
        Assert.That((await http.GetAsync("/health")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "healthy again after a successful sweep");
    }

    private static async Task Until(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out waiting for {what}.");
            await Task.Delay(200);
        }
    }
}
