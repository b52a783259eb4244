using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovFlow.Activities.Cases;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using GovFlow.Host.Simulators;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>The journal retention policy: finished cases' journals move to one sealed archive row each and read as before.</summary>
[TestFixture]
public class JournalArchiveTests : DataDirFixture
{
    private WebApplicationFactory<Program> _factory = null!;
    private TestClock _clock = null!;
    private readonly Dictionary<string, HttpClient> _clients = [];

    [SetUp]
    public void Start()
    {
        _clock = new TestClock(TestHost.Now);
        _factory = TestHost.Create(DataDir, _clock, settings: new Dictionary<string, string> { ["GovFlow:Retention:ArchiveAfterDays"] = "30" });
    }

    [TearDown]
    public void Stop()
    {
        foreach (var c in _clients.Values) c.Dispose();
        _clients.Clear();
        _factory.Dispose();
    }

    [Test]
    public async Task A_finished_case_is_archived_and_reads_verifies_and_exports_exactly_as_before()
    {
        var finished = await RefusedCase();
        var open = await SubmitAsync();
        await RatingDefaults(finished);
        var auditor = await As("auditor01");
        var journalBefore = await auditor.GetStringAsync($"/api/cases/{finished}/journal");
        var exportBefore = await auditor.GetStringAsync($"/api/cases/{finished}/journal/export");
        var last = JsonNode.Parse(journalBefore)!.AsArray()[^1]!["sequence"]!.GetValue<long>();
        var replayBefore = await auditor.GetStringAsync($"/api/cases/{finished}/replay?upTo={last}");
        var replayMiddleBefore = await auditor.GetStringAsync($"/api/cases/{finished}/replay?upTo={last / 2}");

        Later(31);
        var recent = await RefusedCase();
        await RatingDefaults(recent);
        Assert.That(await Archiver().SweepAsync(), Is.EqualTo(1), "only the case finished more than 30 days ago with nothing open");
        auditor = await As("auditor01");

        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
            var instance = (await db.Cases.FindAsync(finished))!.InstanceId;
            var archive = await db.JournalArchives.SingleAsync();
            Assert.Multiple(async () =>
            {
                Assert.That(archive.CaseId, Is.EqualTo(finished));
                Assert.That(await db.Journal.CountAsync(j => j.InstanceId == instance), Is.Zero, "the records left the journal table");
                Assert.That(archive.LastSequence, Is.EqualTo(last));
                Assert.That(archive.Records, Is.GreaterThanOrEqualTo(last));
                Assert.That(archive.KeyVersion, Is.EqualTo("v1"), "sealed under the personal data key");
                Assert.That(await db.Checkpoints.CountAsync(c => c.InstanceId == instance), Is.GreaterThan(0), "the signed checkpoints stay");
                foreach (var other in new[] { open, recent })
                    Assert.That(await db.Journal.CountAsync(j => j.InstanceId == db.Cases.Single(c => c.Id == other).InstanceId), Is.GreaterThan(0), "not archived: " + other);
            });
        }

        Assert.Multiple(async () =>
        {
            Assert.That(await auditor.GetStringAsync($"/api/cases/{finished}/journal"), Is.EqualTo(journalBefore));
            Assert.That(await auditor.GetStringAsync($"/api/cases/{finished}/replay?upTo={last}"), Is.EqualTo(replayBefore));
            Assert.That(await auditor.GetStringAsync($"/api/cases/{finished}/replay?upTo={last / 2}"), Is.EqualTo(replayMiddleBefore));
        });
        var exportAfter = JsonNode.Parse(await auditor.GetStringAsync($"/api/cases/{finished}/journal/export"))!.AsObject();
        var before = JsonNode.Parse(exportBefore)!.AsObject();
        // Only the moment of the export differs (the clock moved on): the records, head and checkpoints are the same.
        exportAfter["exportedAt"] = before["exportedAt"]!.DeepClone();
        Assert.That(exportAfter.ToJsonString(), Is.EqualTo(before.ToJsonString()));

        var verify = (await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{finished}/journal/verify"))!;
        Assert.That(verify["valid"]!.GetValue<bool>(), Is.True, verify.ToJsonString());
        Assert.That(VerifyOffline(exportAfter.ToJsonString(), (await auditor.GetFromJsonAsync<JsonObject>("/api/journal/public-key"))!["pem"]!.GetValue<string>()), Is.Zero);
    }

    [Test]
    public async Task A_tampered_archive_row_does_not_verify()
    {
        var caseId = await RefusedCase();
        await RatingDefaults(caseId);
        Later(31);
        Assert.That(await Archiver().SweepAsync(), Is.EqualTo(1));
        var auditor = await As("auditor01");

        await Tamper(caseId, a => a.Digest = new string('0', 64));
        var verify = (await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}/journal/verify"))!;
        Assert.Multiple(() =>
        {
            Assert.That(verify["valid"]!.GetValue<bool>(), Is.False);
            Assert.That(verify["problem"]!.GetValue<string>(), Does.Contain("摘要不符"));
        });

        await Tamper(caseId, a =>
        {
            var content = a.Content.ToArray();
            content[content.Length / 2] ^= 1;
            a.Content = content;
        });
        verify = (await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}/journal/verify"))!;
        Assert.Multiple(() =>
        {
            Assert.That(verify["valid"]!.GetValue<bool>(), Is.False);
            Assert.That(verify["problem"]!.GetValue<string>(), Does.Contain("已被改动"));
        });
    }

    [Test]
    public async Task Two_archivers_at_once_archive_each_case_once()
    {
        var cases = new List<string>();
        for (var i = 0; i < 6; i++) cases.Add(await RefusedCase());
        await RatingDefaults([.. cases]);
        Later(31);
        var one = Archiver();
        var two = ActivatorUtilities.CreateInstance<JournalArchiver>(_factory.Services);
        var archived = await Task.WhenAll(one.SweepAsync(), two.SweepAsync());
        Assert.That(archived.Sum(), Is.EqualTo(cases.Count), $"{archived[0]} + {archived[1]}");

        var auditor = await As("auditor01");
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        Assert.That(await db.JournalArchives.Select(a => a.CaseId).ToListAsync(), Is.EquivalentTo(cases));
        foreach (var caseId in cases)
            Assert.That((await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}/journal/verify"))!["valid"]!.GetValue<bool>(), Is.True, caseId);
        Assert.That(await Archiver().SweepAsync(), Is.Zero, "nothing left to archive");
    }

    // Sessions expire as the clock moves on: everyone signs in again.
    private void Later(int days)
    {
        _clock.Now += TimeSpan.FromDays(days);
        foreach (var c in _clients.Values) c.Dispose();
        _clients.Clear();
    }

    // Nobody rates: after the rating period (7 days) the scheduler's sweep gives the default rating and the case's
    // flow ends, with nothing left open.
    private async Task RatingDefaults(params string[] caseIds)
    {
        Later(8);
        await _factory.Services.GetRequiredService<GovFlow.Host.Scheduling.DueBookmarkSweeper>().SweepAsync();
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        foreach (var caseId in caseIds)
        {
            var instance = (await db.Cases.FindAsync(caseId))!.InstanceId;
            Assert.That(await db.Bookmarks.Where(b => b.InstanceId == instance).Select(b => b.Name).ToListAsync(), Is.Empty, "open after the rating period: " + caseId);
        }
    }

    private JournalArchiver Archiver() => _factory.Services.GetRequiredService<JournalArchiver>();

    private async Task Tamper(string caseId, Action<JournalArchiveRecord> change)
    {
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        var archive = await db.JournalArchives.SingleAsync(a => a.CaseId == caseId);
        change(archive);
        await db.SaveChangesAsync();
    }

    private static int VerifyOffline(string export, string pem)
    {
        var dir = Directory.CreateTempSubdirectory("govflow-archive-export").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "journal.json"), export);
            File.WriteAllText(Path.Combine(dir, "key.pem"), pem);
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            return GovFlow.Host.Cli.Commands.VerifyJournal([Path.Combine(dir, "journal.json"), "--public-key", Path.Combine(dir, "key.pem")], stdout, stderr);
        }
        finally { Directory.Delete(dir, true); }
    }

    // Refused at the first review: decided, with nothing left open.
    private async Task<string> RefusedCase()
    {
        var caseId = await SubmitAsync();
        var reviewer = await As("reviewer02");
        var inbox = await reviewer.GetFromJsonAsync<JsonObject>("/api/tasks?scope=department&pageSize=100");
        var task = inbox!["items"]!.AsArray().Single(t => t!["caseId"]!.GetValue<string>() == caseId)!["taskId"]!.GetValue<string>();
        var done = await reviewer.PostAsJsonAsync($"/api/tasks/{task}/complete", new { action = "reject", opinion = "申请人已在外区领取高龄津贴" });
        Assert.That(done.StatusCode, Is.EqualTo(HttpStatusCode.OK), await done.Content.ReadAsStringAsync());
        using var scope = _factory.Services.CreateScope();
        Assert.That((await scope.ServiceProvider.GetRequiredService<GovFlowDb>().Cases.FindAsync(caseId))!.Status, Is.EqualTo(CaseStatus.Refused));
        return caseId;
    }

    private async Task<string> SubmitAsync()
    {
        var response = await (await As("window01")).PostAsJsonAsync("/api/cases", Applications.Elderly(_factory.Services.GetRequiredService<SimulatedWorld>()));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["caseId"]!.GetValue<string>();
    }

    private async Task<HttpClient> As(string user)
    {
        if (_clients.TryGetValue(user, out var existing)) return existing;
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = DemoUsers.Password });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return _clients[user] = client;
    }
}
