using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovFlow.Activities.Services;
using GovFlow.Activities.Steps;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Scheduling;
using GovFlow.Host.Simulators;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>
/// The waybill sweep follows every open waybill with one database query and one call to the mailing service,
/// however many are open, and only a waybill that moved resumes its case.
/// </summary>
[TestFixture]
public class WaybillTrackingTests : DataDirFixture
{
    [OneTimeSetUp]
    public void Listen() => EfCommands.Listen();

    [Test]
    public async Task One_query_and_one_call_per_sweep_however_many_waybills_are_open_and_only_moved_ones_resume_their_case()
    {
        using var host = TestHost.Create(DataDir);
        var moving = await PostedCaseAsync(host);
        var still = await PostedCaseAsync(host);
        var sweeper = host.Services.GetRequiredService<DueBookmarkSweeper>();
        var stillBookmark = await TrackingBookmarkAsync(host, still);

        await OpenWaybillsAsync(host, 20);
        var (moved, queries) = await EfCommands.CountAsync(sweeper.TrackWaybillsAsync);
        Assert.That((moved, queries), Is.EqualTo((0, 1)), "22 open waybills, none moved");
        await OpenWaybillsAsync(host, 200);
        Assert.That(await EfCommands.CountAsync(sweeper.TrackWaybillsAsync), Is.EqualTo((0, 1)), "222 open waybills: the same one query");

        var number = await WaybillOfAsync(host, moving);
        await host.CreateClient().PostAsJsonAsync($"/sim/mail/waybills/{number}/status", new { status = "inTransit", detail = "运输中" });
        Assert.That(await sweeper.TrackWaybillsAsync(), Is.EqualTo(1));
        Assert.Multiple(async () =>
        {
            Assert.That(await WaybillStatusAsync(host, moving), Is.EqualTo("inTransit"));
            Assert.That(await WaybillStatusAsync(host, still), Is.EqualTo("created"));
            Assert.That(await TrackingBookmarkAsync(host, still), Is.EqualTo(stillBookmark), "the unchanged waybill's case was not resumed");
        });
        Assert.That(await sweeper.TrackWaybillsAsync(), Is.EqualTo(0), "the moved case's bookmark knows its new status");

        await host.CreateClient().PostAsJsonAsync($"/sim/mail/waybills/{number}/status", new { status = "delivered", detail = "本人签收" });
        Assert.That(await sweeper.TrackWaybillsAsync(), Is.EqualTo(1));
        Assert.That(await WaybillStatusAsync(host, moving), Is.EqualTo("delivered"));
    }

    [Test]
    public async Task A_bookmark_from_before_the_known_status_was_kept_reads_it_from_its_case_in_one_more_query()
    {
        using var host = TestHost.Create(DataDir);
        var caseId = await PostedCaseAsync(host);
        var bookmark = await TrackingBookmarkAsync(host, caseId);
        using (var scope = host.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
            var payload = JsonNode.Parse((await db.Bookmarks.SingleAsync(b => b.Id == bookmark)).PayloadJson!)!.AsObject();
            payload.Remove(SendByPost.KnownStatusProperty);
            await db.Bookmarks.Where(b => b.Id == bookmark).ExecuteUpdateAsync(s => s.SetProperty(b => b.PayloadJson, payload.ToJsonString()));
        }
        var sweeper = host.Services.GetRequiredService<DueBookmarkSweeper>();
        Assert.That(await EfCommands.CountAsync(sweeper.TrackWaybillsAsync), Is.EqualTo((0, 2)), "unchanged, known from the case file");
        await host.CreateClient().PostAsJsonAsync($"/sim/mail/waybills/{await WaybillOfAsync(host, caseId)}/status", new { status = "returned", detail = "查无此人" });
        Assert.That(await sweeper.TrackWaybillsAsync(), Is.EqualTo(1));
        Assert.That(await WaybillStatusAsync(host, caseId), Is.EqualTo("returned"));
    }

    [Test]
    public async Task The_mailing_simulator_answers_many_numbers_at_once_and_leaves_out_the_ones_it_does_not_know()
    {
        using var host = TestHost.Create(DataDir);
        var world = host.Services.GetRequiredService<SimulatedWorld>();
        world.Waybills["EMS-A"] = new Waybill("EMS-A", "inTransit", "运输中", DateTimeOffset.UtcNow);
        world.Waybills["EMS-B"] = new Waybill("EMS-B", "delivered", "已签收", DateTimeOffset.UtcNow);
        var mail = host.Services.GetRequiredService<IMailingService>();
        var answers = await mail.TrackManyAsync(["EMS-A", "EMS-B", "EMS-NONE"]);
        Assert.That(answers.Select(a => (a.Number, a.Status)), Is.EquivalentTo(new[] { ("EMS-A", "inTransit"), ("EMS-B", "delivered") }));
    }

    // Open waybills the mailing service knows, unchanged since their cases last heard (their cases are not real:
    // a sweep that tried to resume one would fail, which the counts above would show).
    private static async Task OpenWaybillsAsync(WebApplicationFactory<Program> host, int count)
    {
        var world = host.Services.GetRequiredService<SimulatedWorld>();
        using var scope = host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        for (var i = 0; i < count; i++)
        {
            var number = world.NextWaybillNumber();
            world.Waybills[number] = new Waybill(number, "collected", "已揽收", DateTimeOffset.UtcNow.AddHours(1));
            db.Bookmarks.Add(new BookmarkRecord
            {
                Id = Guid.CreateVersion7().ToString("N"), InstanceId = "elsewhere", Name = SendByPost.TrackingBookmark, ActivityId = "post", CreatedAt = TestHost.Now,
                PayloadJson = new JsonObject { ["waybill"] = number, ["caseNumber"] = "X" + i, [SendByPost.KnownStatusProperty] = "collected" }.ToJsonString()
            });
        }
        await db.CommitAsync();
    }

    private static async Task<string> PostedCaseAsync(WebApplicationFactory<Program> host)
    {
        var person = host.Services.GetRequiredService<SimulatedWorld>().People.First(p => p.BirthDate.Year < 1946);
        string caseId;
        using (var scope = host.Services.CreateScope())
            caseId = (await scope.ServiceProvider.GetRequiredService<CaseService>().SubmitAsync(new CaseSubmission
            {
                MatterCode = "44030505001",
                Applicant = new ApplicantInput { Name = person.Name, IdType = "111", IdNumber = person.IdNumber, Phone = person.Phone, Address = person.Address },
                Materials = new[] { "高龄津贴申请书", "居民身份证", "银行卡", "照片" }.Select(m => new MaterialInput { Name = m, Provided = true }).ToList(),
                Data = new() { ["age"] = System.Text.Json.JsonSerializer.SerializeToElement(2026 - person.BirthDate.Year) }
            }, null, "window01"))["caseId"]!.GetValue<string>();
        foreach (var (user, step) in new[] { ("reviewer02", "初审"), ("reviewer01", "审核"), ("reviewer01", "审批") })
        {
            using var reviewer = host.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
            (await reviewer.PostAsJsonAsync("/api/auth/login", new { userName = user, password = Security.DemoUsers.Password })).EnsureSuccessStatusCode();
            var view = (await reviewer.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}"))!;
            var task = view["currentSteps"]!.AsArray().First(s => s!["stepName"]!.GetValue<string>() == step)!["taskId"]!.GetValue<string>();
            var done = await reviewer.PostAsJsonAsync($"/api/tasks/{task}/complete", new { action = "approve", opinion = "同意" });
            Assert.That(done.StatusCode, Is.EqualTo(HttpStatusCode.OK), await done.Content.ReadAsStringAsync());
        }
        Assert.That(await WaybillStatusAsync(host, caseId), Is.EqualTo("created"), "posted");
        // The simulator moves mail on by the minute; held still here, however slowly the test runs, until a test moves it.
        var world = host.Services.GetRequiredService<SimulatedWorld>();
        var number = await WaybillOfAsync(host, caseId);
        world.Waybills[number] = world.Waybills[number] with { UpdatedAt = DateTimeOffset.UtcNow.AddHours(1) };
        return caseId;
    }

    private static async Task<string> WaybillOfAsync(WebApplicationFactory<Program> host, string caseId) =>
        JsonNode.Parse((await TimerTests.Case(host, caseId)).CaseFileJson)!["waybill"]!["number"]!.GetValue<string>();

    private static async Task<string?> WaybillStatusAsync(WebApplicationFactory<Program> host, string caseId) =>
        JsonNode.Parse((await TimerTests.Case(host, caseId)).CaseFileJson)!["waybill"]?["status"]?.GetValue<string>();

    private static async Task<string?> TrackingBookmarkAsync(WebApplicationFactory<Program> host, string caseId)
    {
        using var scope = host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        var instance = await db.Cases.Where(c => c.Id == caseId).Select(c => c.InstanceId).SingleAsync();
        return await db.Bookmarks.Where(b => b.InstanceId == instance && b.Name == SendByPost.TrackingBookmark).Select(b => b.Id).SingleOrDefaultAsync();
    }
}
