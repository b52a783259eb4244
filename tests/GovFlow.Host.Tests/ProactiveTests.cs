using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovFlow.Activities.Cases;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Proactive;
using GovFlow.Host.Security;
using GovFlow.Host.Simulators;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>
/// 免申即享 and 秒批 on trusted data through the host: the sweep over the simulated population database, the SMS
/// invitations, the residents' replies through the gateway's endpoint, and instant matters deciding on the population
/// database rather than the form.
/// </summary>
[TestFixture]
public class ProactiveTests : DataDirFixture
{
    private const string Elderly = "44030505001";
    private const string GatewayKey = "test-sms-gateway-key";

    private WebApplicationFactory<Program> _factory = null!;
    private TestClock _clock = null!;

    [SetUp]
    public void Start()
    {
        _clock = new TestClock(TestHost.Now);
        _factory = TestHost.Create(DataDir, _clock, settings: new Dictionary<string, string> { ["GovFlow:Proactive:SmsReplyKey"] = GatewayKey });
    }

    [TearDown]
    public void Stop() => _factory.Dispose();

    private SimulatedWorld World => _factory.Services.GetRequiredService<SimulatedWorld>();

    // Whom 高龄津贴's declaration should invite on the clock's day: reaching 70 within 30 days, alive, hukou in 南山 (440305), not opted out.
    private HashSet<string> Qualifying()
    {
        var today = ChinaTime.Date(_clock.Now);
        return [.. World.Residents.Values.Where(r => r.BirthDate.AddYears(70) > today && r.BirthDate.AddYears(70) <= today.AddDays(30)
            && r.Alive && r.HukouDistrict == "440305" && !r.OptedOut).Select(r => r.IdNumber)];
    }

    private async Task<List<ProactiveInvitation>> InvitationsAsync()
    {
        using var scope = _factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<GovFlowDb>().ProactiveInvitations.AsNoTracking().OrderBy(i => i.InvitedAt).ToListAsync();
    }

    private Task<int> SweepAsync() => _factory.Services.GetRequiredService<ProactiveSweeper>().SweepAsync();

    private async Task<HttpResponseMessage> ReplyAsync(string phone, string text, string? key = GatewayKey)
    {
        using var client = _factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sms/replies") { Content = JsonContent.Create(new { phone, text }) };
        if (key is not null) request.Headers.Add(ProactiveEndpoints.KeyHeader, key);
        return await client.SendAsync(request);
    }

    private static async Task<JsonObject> OutcomeAsync(HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    [Test]
    public async Task The_sweep_invites_each_newly_qualifying_resident_once_and_skips_the_opted_out_the_dead_and_other_districts()
    {
        var expected = Qualifying();
        Assert.That(expected, Is.Not.Empty, "the simulated city has residents turning 70 within 30 days of any day");
        Assert.That(await SweepAsync(), Is.EqualTo(expected.Count));
        var first = await InvitationsAsync();
        Assert.That(first.Select(i => i.ResidentIdNumber), Is.EquivalentTo(expected));
        Assert.That(first.Select(i => i.Status), Is.All.EqualTo(InvitationStatuses.Invited));
        var skipped = World.Residents.Values.Where(r => r.BirthDate.AddYears(70) > ChinaTime.Date(_clock.Now) && r.BirthDate.AddYears(70) <= ChinaTime.Date(_clock.Now).AddDays(30) && !expected.Contains(r.IdNumber)).ToList();
        Assert.That(skipped.Any(r => r.OptedOut) && skipped.Any(r => !r.Alive) && skipped.Any(r => r.HukouDistrict != "440305"), Is.True, "the window holds each kind of resident who is not invited");

        // Each invited resident got one SMS with the day they turn 70 and how to answer.
        var sms = World.Messages.ToList();
        foreach (var invitation in first)
        {
            var theirs = sms.Where(m => m.Phone == invitation.Phone).Select(m => m.Message).ToList();
            Assert.That(theirs, Has.Count.EqualTo(1));
            Assert.That(theirs[0], Does.StartWith($"【深圳市南山区民政局】{invitation.ResidentName}您好：您将于{invitation.QualifiesOn:yyyy年M月d日}年满70周岁").And.Contain("回复“同意”").And.Not.Contain("{"));
        }

        Assert.That(await SweepAsync(), Is.Zero, "a second sweep on the same day invites nobody again");
        Assert.That(World.Messages.Count, Is.EqualTo(sms.Count));

        _clock.Now = _clock.Now.AddDays(10);
        var later = Qualifying();
        var newcomers = later.Except(expected).ToList();
        Assert.That(newcomers, Is.Not.Empty);
        Assert.That(await SweepAsync(), Is.EqualTo(newcomers.Count), "ten days on, only those newly in the window are invited");
        var all = await InvitationsAsync();
        Assert.That(all.Select(i => i.ResidentIdNumber), Is.Unique);
        Assert.That(all.Select(i => i.ResidentIdNumber), Is.EquivalentTo(expected.Union(newcomers)));
    }

    [Test]
    public async Task Agreeing_by_SMS_creates_one_prefilled_application_pending_pre_review_with_the_consent_journaled()
    {
        await SweepAsync();
        var invitation = (await InvitationsAsync()).First();
        var resident = World.Residents[invitation.ResidentIdNumber];

        var agreed = await OutcomeAsync(await ReplyAsync(invitation.Phone, " 同意 "));
        Assert.That(agreed["action"]!.GetValue<string>(), Is.EqualTo("applied"));
        var caseNumber = agreed["caseNumber"]!.GetValue<string>();

        var again = await OutcomeAsync(await ReplyAsync(invitation.Phone, "同意"));
        Assert.That(again["action"]!.GetValue<string>(), Is.EqualTo("alreadyApplied"));
        Assert.That(again["caseNumber"]!.GetValue<string>(), Is.EqualTo(caseNumber), "a second 同意 finds the same application");

        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        var cases = await db.Cases.AsNoTracking().Where(c => c.MatterCode == Elderly).ToListAsync();
        var record = cases.Single();
        Assert.That(record.CaseNumber, Is.EqualTo(caseNumber));
        Assert.That(record.Channel, Is.EqualTo(SmsReplies.Channel));
        Assert.That((record.ApplicantName, record.ApplicantIdNumber, record.ApplicantPhone, record.ApplicantAddress), Is.EqualTo((resident.Name, resident.IdNumber, resident.Phone, resident.Address)));
        Assert.That(record.AcceptedAt, Is.Null, "the window pre-reviews it before it is accepted");
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.CaseId == record.Id && t.Status == TaskStatuses.Open).Select(t => t.StepName).ToListAsync();
        Assert.That(tasks, Is.Not.Empty, "a window task waits for the pre-review");

        var consent = await db.Journal.AsNoTracking().Where(j => j.InstanceId == record.InstanceId && j.EventName == "ConsentRecorded").ToListAsync();
        var payload = JsonNode.Parse(consent.Single().PayloadJson!)!;
        Assert.That(payload["reply"]!.GetValue<string>(), Is.EqualTo("同意"));
        Assert.That(payload["by"]!.GetValue<string>(), Is.EqualTo(resident.Name));
        Assert.That(payload["invitationId"]!.GetValue<string>(), Is.EqualTo(invitation.Id));
        Assert.That(payload["at"]!.GetValue<string>(), Is.Not.Empty);

        var stored = await db.ProactiveInvitations.AsNoTracking().SingleAsync(i => i.Id == invitation.Id);
        Assert.That((stored.Status, stored.CaseNumber, stored.Reply), Is.EqualTo((InvitationStatuses.Agreed, caseNumber, "同意")));
    }

    [Test]
    public async Task Unsubscribing_opts_the_resident_out_and_a_later_agreement_creates_nothing()
    {
        await SweepAsync();
        var invitation = (await InvitationsAsync()).First();
        var outcome = await OutcomeAsync(await ReplyAsync(invitation.Phone, "退订"));
        Assert.That(outcome["action"]!.GetValue<string>(), Is.EqualTo("optedOut"));
        var late = await OutcomeAsync(await ReplyAsync(invitation.Phone, "同意"));
        Assert.That(late["action"]!.GetValue<string>(), Is.EqualTo(InvitationStatuses.OptedOut));

        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        Assert.That(await db.Cases.CountAsync(c => c.MatterCode == Elderly), Is.Zero);
        Assert.That((await db.ProactiveInvitations.AsNoTracking().SingleAsync(i => i.Id == invitation.Id)).Status, Is.EqualTo(InvitationStatuses.OptedOut));
        Assert.That(await db.ProactiveOptOuts.AsNoTracking().Select(o => o.ResidentKey).ToListAsync(), Is.EqualTo(new[] { invitation.ResidentKey }));

        // Their invitation gone (say, purged), a later sweep still leaves them alone: the opt-out list decides.
        db.ProactiveInvitations.Remove(await db.ProactiveInvitations.SingleAsync(i => i.Id == invitation.Id));
        await db.SaveChangesAsync();
        await SweepAsync();
        Assert.That((await InvitationsAsync()).Select(i => i.ResidentKey), Does.Not.Contain(invitation.ResidentKey));
    }

    [Test]
    public async Task Replies_need_the_gateway_key_and_the_invitations_are_listed_by_status_for_auditors()
    {
        await SweepAsync();
        var invitations = await InvitationsAsync();
        Assert.That((await ReplyAsync(invitations[0].Phone, "同意", key: null)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await ReplyAsync(invitations[0].Phone, "同意", key: "wrong")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        await OutcomeAsync(await ReplyAsync(invitations[0].Phone, "不同意"));

        using var auditor = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        (await auditor.PostAsJsonAsync("/api/auth/login", new { userName = "auditor01", password = DemoUsers.Password })).EnsureSuccessStatusCode();
        var declined = (await auditor.GetFromJsonAsync<JsonArray>("/api/proactive/invitations?status=declined"))!;
        Assert.That(declined.Select(i => i!["id"]!.GetValue<string>()), Is.EqualTo(new[] { invitations[0].Id }));
        Assert.That(declined[0]!["idNumber"]!.GetValue<string>(), Does.Contain("*"), "ID numbers are masked");
        var invited = (await auditor.GetFromJsonAsync<JsonArray>("/api/proactive/invitations?status=invited"))!;
        Assert.That(invited, Has.Count.EqualTo(invitations.Count - 1));
        Assert.That((await auditor.GetAsync("/api/proactive/invitations?status=whatever")).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));

        using var clerk = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        (await clerk.PostAsJsonAsync("/api/auth/login", new { userName = "window01", password = DemoUsers.Password })).EnsureSuccessStatusCode();
        Assert.That((await clerk.GetAsync("/api/proactive/invitations")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Invitations_not_answered_in_time_expire()
    {
        await SweepAsync();
        var invitation = (await InvitationsAsync()).First();
        _clock.Now = _clock.Now.AddDays(31);
        await SweepAsync();
        Assert.That((await InvitationsAsync()).Single(i => i.Id == invitation.Id).Status, Is.EqualTo(InvitationStatuses.Expired));
        var late = await OutcomeAsync(await ReplyAsync(invitation.Phone, "同意"));
        Assert.That(late["action"]!.GetValue<string>(), Is.EqualTo(InvitationStatuses.Expired));
    }

    [Test]
    public async Task An_instant_matter_approves_on_the_population_record_and_goes_to_a_person_when_the_record_says_otherwise_whatever_the_form_claims()
    {
        var today = ChinaTime.Date(_clock.Now);
        var people = World.People.Where(p => p.BirthDate.Year is > 1980 and < 2000
            && World.Find(p.IdNumber, "111").Any(c => c.Status == "issued" && c.ValidFrom <= today && (c.ValidTo is null || c.ValidTo >= today))).Take(2).ToList();
        World.Residents[people[0].IdNumber] = World.Residents[people[0].IdNumber] with { CriminalRecord = false };
        World.Residents[people[1].IdNumber] = World.Residents[people[1].IdNumber] with { CriminalRecord = true };

        var clean = await RuleCheckAsync(people[0]);
        Assert.That(clean.Failed, Is.Empty);
        Assert.That(clean.Status, Is.Not.EqualTo(CaseStatus.InReview), "approved without a person");

        var recorded = await RuleCheckAsync(people[1]);
        Assert.That(recorded.Failed, Is.EqualTo(new[] { "无违法犯罪记录" }), "the form said no record; the population database says otherwise");
        Assert.That(recorded.Tasks, Is.EqualTo(new[] { "人工审核" }));
    }

    private async Task<(List<string> Failed, string Status, List<string> Tasks)> RuleCheckAsync(SimPerson person)
    {
        using var scope = _factory.Services.CreateScope();
        var response = await scope.ServiceProvider.GetRequiredService<CaseService>().SubmitAsync(new CaseSubmission
        {
            MatterCode = "44030007009", Channel = "pc",
            Data = new Dictionary<string, JsonElement> { ["age"] = JsonSerializer.SerializeToElement(30), ["criminalRecord"] = JsonSerializer.SerializeToElement(false) },
            Materials = [new MaterialInput { Name = "无犯罪记录证明申请表", Provided = true }],
            Applicant = new ApplicantInput { Name = person.Name, IdType = "111", IdNumber = person.IdNumber, Phone = person.Phone, Address = person.Address }
        }, null, "window01");
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        var id = response["caseId"]!.GetValue<string>();
        var record = await db.Cases.AsNoTracking().SingleAsync(c => c.Id == id);
        var file = CaseFile.Read(record.CaseFileJson!);
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.CaseId == id && t.Status == TaskStatuses.Open).Select(t => t.StepName).ToListAsync();
        return ([.. file.Get(CaseParts.RuleCheck)!.Failed], record.Status, tasks);
    }
}
