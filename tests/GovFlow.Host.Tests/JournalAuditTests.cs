using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore.Infrastructure;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using GovFlow.Host.Simulators;
using GovFlow.Workflows.Runtime;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>The audit trail as the host keeps it: SM3 chains, the chain head, old SHA-256 databases.</summary>
[TestFixture]
public class JournalAuditTests
{
    private WebApplicationFactory<Program> _factory = null!;
    private readonly Dictionary<string, HttpClient> _clients = [];

    [OneTimeSetUp]
    public void Start() => _factory = TestHost.Create();

    [OneTimeTearDown]
    public void Stop()
    {
        foreach (var c in _clients.Values) c.Dispose();
        _factory.Dispose();
    }

    [Test]
    public async Task A_case_journal_is_SM3_and_deleting_its_last_records_is_detected()
    {
        var caseId = await ReviewedCase("同意：材料齐全");
        var auditor = await As("auditor01");
        Assert.That((await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}/journal/verify"))!["valid"]!.GetValue<bool>(), Is.True);

        int total;
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
            var instance = (await db.Cases.FindAsync(caseId))!.InstanceId;
            Assert.That(await db.Journal.Where(j => j.InstanceId == instance).Select(j => j.Algorithm).Distinct().ToListAsync(), Is.EqualTo(new[] { JournalAlgorithms.Sm3 }));
            total = await db.Journal.CountAsync(j => j.InstanceId == instance);
            await db.Journal.Where(j => j.InstanceId == instance && j.Sequence > total - 2).ExecuteDeleteAsync();
        }

        var verify = (await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}/journal/verify"))!;
        Assert.Multiple(() =>
        {
            Assert.That(verify["valid"]!.GetValue<bool>(), Is.False);
            Assert.That(verify["firstBrokenSequence"]!.GetValue<long>(), Is.EqualTo(total - 1));
            Assert.That(verify["problem"]!.GetValue<string>(), Does.Contain("末尾的记录被删除"));
        });
    }

    [Test]
    public async Task The_replay_reads_the_case_from_hashed_records_and_a_decision_carries_its_opinion()
    {
        var caseId = await ReviewedCase("材料齐全");
        var auditor = await As("auditor01");
        var journal = (await auditor.GetFromJsonAsync<JsonArray>($"/api/cases/{caseId}/journal"))!;
        var decision = journal.Single(r => r!["eventName"]!.GetValue<string>() == "Resumed" && r["payload"]?["decision"] is not null)!;
        Assert.That(JsonNode.DeepEquals(decision["payload"]!["decision"], JsonNode.Parse("""{"action":"approve","opinion":"材料齐全"}""")), Is.True, decision.ToJsonString());
        Assert.That(decision["actor"]!.GetValue<string>(), Is.EqualTo("reviewer02"));

        var last = journal[^1]!["sequence"]!.GetValue<long>();
        var replay = (await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}/replay?upTo={last}"))!;
        Assert.Multiple(() =>
        {
            Assert.That(replay["hashed"]!.GetValue<bool>(), Is.True);
            Assert.That(replay["caseFile"]!["steps"]!.AsArray().Any(s => s!["opinion"]?.GetValue<string>() == "材料齐全"), Is.True);
        });

        // The sealed case file is inside the chain: editing it is noticed.
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        var instance = (await db.Cases.FindAsync(caseId))!.InstanceId;
        var seal = await db.Journal.Where(j => j.InstanceId == instance && j.EventName == "CaseFileRecorded").OrderByDescending(j => j.Sequence).FirstAsync();
        var payload = JsonNode.Parse(seal.PayloadJson!)!;
        payload["status"] = "Refused";
        seal.PayloadJson = payload.ToJsonString();
        await db.SaveChangesAsync();
        var verify = (await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}/journal/verify"))!;
        Assert.That(verify["firstBrokenSequence"]!.GetValue<long>(), Is.EqualTo(seal.Sequence));
    }

    [Test]
    public async Task An_exported_journal_verifies_offline_with_the_public_key_alone_and_a_rehashed_one_does_not()
    {
        var caseId = await ReviewedCase("同意");
        var auditor = await As("auditor01");
        var verify = (await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}/journal/verify"))!;
        Assert.Multiple(() =>
        {
            Assert.That(verify["valid"]!.GetValue<bool>(), Is.True, verify.ToJsonString());
            Assert.That(verify["signedUpTo"]!.GetValue<long>(), Is.EqualTo(verify["entries"]!.GetValue<long>()), "every step is signed, so the head is");
        });

        var dir = Directory.CreateTempSubdirectory("govflow-journal-export").FullName;
        var key = (await auditor.GetFromJsonAsync<JsonObject>("/api/journal/public-key"))!;
        var keyFile = Path.Combine(dir, "govflow-sm2.pem");
        await File.WriteAllTextAsync(keyFile, key["pem"]!.GetValue<string>());
        var exportFile = Path.Combine(dir, "journal.json");
        var export = (await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}/journal/export"))!;
        await File.WriteAllTextAsync(exportFile, export.ToJsonString());

        var (code, output) = VerifyJournal(exportFile, keyFile);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(0), output.ToJsonString());
            Assert.That(output["signedUpTo"]!.GetValue<long>(), Is.EqualTo(export["head"]!["sequence"]!.GetValue<long>()));
            Assert.That(output["algorithms"]!.AsArray().Select(a => a!.GetValue<string>()), Is.EqualTo(new[] { "SM3" }));
        });

        // Someone rewrites the reviewer's opinion and rehashes every record after it, and the head: the chain holds,
        // the signatures do not.
        var records = export["records"]!.Deserialize<List<JournalRecord>>(JsonSerializerOptions.Web)!;
        var journal = new Journal();
        foreach (var r in records)
        {
            if (r.Payload?["decision"] is JsonObject decision) decision["opinion"] = "不同意";
            journal.Append(r);
        }
        export["records"] = JsonSerializer.SerializeToNode(journal.Records, JsonSerializerOptions.Web);
        export["head"] = new JsonObject { ["sequence"] = journal.LastSequence, ["hash"] = journal.LastHash };
        await File.WriteAllTextAsync(exportFile, export.ToJsonString());
        (code, output) = VerifyJournal(exportFile, keyFile);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(1), output.ToJsonString());
            Assert.That(output["firstBrokenSequence"], Is.Null, "the rehashed chain holds on its own");
            Assert.That(output["problem"]!.GetValue<string>(), Does.Contain("签名后日志被改写"));
        });

        // Another key (someone signing their own rewrite) is not the server's.
        var stranger = Path.Combine(dir, "stranger.pem");
        await File.WriteAllTextAsync(stranger, JournalSigner.Generate().PublicKey.ToPem());
        await File.WriteAllTextAsync(exportFile, (await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}/journal/export"))!.ToJsonString());
        Assert.That(VerifyJournal(exportFile, stranger).Code, Is.EqualTo(1));
        Directory.Delete(dir, true);
    }

    private static (int Code, JsonObject Output) VerifyJournal(string file, string key)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = GovFlow.Host.Cli.Commands.VerifyJournal([file, "--public-key", key], stdout, stderr);
        Assert.That(stderr.ToString(), Is.Empty);
        return (code, JsonNode.Parse(stdout.ToString())!.AsObject());
    }

    [Test]
    public async Task A_SHA256_journal_from_before_SM3_still_verifies()
    {
        var dir = Directory.CreateTempSubdirectory("govflow-old-db").FullName;
        var options = new DbContextOptionsBuilder<SqliteGovFlowDb>().UseSqlite($"Data Source={Path.Combine(dir, "govflow.db")}").Options;
        var fixture = JsonSerializer.Deserialize<List<JournalRecord>>(await File.ReadAllTextAsync(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "sha256-journal.json")), JsonSerializerOptions.Web)!;
        await using (var db = new SqliteGovFlowDb(options))
        {
            // Rows as the version before SM3 wrote them; the migration that added the column named them SHA-256, and a
            // database it upgraded keeps them so (GovFlow.Host.Tests.LegacyUpgradeTests open such a database).
            await db.Database.MigrateAsync();
            foreach (var r in fixture)
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO journal (InstanceId, Sequence, Timestamp, ActivityInstanceId, ParentActivityInstanceId, ActivityId, NodeId, ActivityType, ActivityTypeVersion, ActivityName, EventName, Actor, Message, PayloadJson, PreviousHash, Hash, Algorithm)
                    VALUES ({r.WorkflowInstanceId}, {r.Sequence}, {r.Timestamp.ToUnixTimeMilliseconds()}, {r.ActivityInstanceId}, {r.ParentActivityInstanceId}, {r.ActivityId}, {r.NodeId}, {r.ActivityType}, {r.ActivityTypeVersion}, {r.ActivityName}, {r.EventName}, {r.Actor}, {r.Message}, {r.Payload?.ToJsonString()}, {r.PreviousHash}, {r.Hash}, {JournalAlgorithms.Sha256})
                    """);
        }
        await using (var db = new SqliteGovFlowDb(options))
        {
            var rows = await db.Journal.OrderBy(j => j.Sequence).ToListAsync();
            Assert.Multiple(() =>
            {
                Assert.That(rows.Select(r => r.Algorithm), Is.All.EqualTo(JournalAlgorithms.Sha256));
                Assert.That(Journal.Verify([.. rows.Select(r => r.ToRecord())], new JournalHead(6, fixture[^1].Hash)).Valid, Is.True);
            });
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dir, true);
    }

    private async Task<string> ReviewedCase(string opinion)
    {
        var world = _factory.Services.GetRequiredService<SimulatedWorld>();
        var p = world.People.First(x => x.BirthDate.Year < 1946);
        var response = await (await As("window01")).PostAsJsonAsync("/api/cases", new
        {
            matterCode = "44030505001",
            applicant = new { name = p.Name, idType = "111", idNumber = p.IdNumber, phone = p.Phone, address = p.Address },
            materials = new[] { "高龄津贴申请书", "居民身份证", "银行卡", "照片" }.Select(m => new { name = m, provided = true }),
            data = new { age = 2026 - p.BirthDate.Year },
            channel = "window"
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var caseId = (await response.Content.ReadFromJsonAsync<JsonObject>())!["caseId"]!.GetValue<string>();
        var reviewer = await As("reviewer02");
        var inbox = await reviewer.GetFromJsonAsync<JsonObject>("/api/tasks?scope=department&pageSize=100");
        var task = inbox!["items"]!.AsArray().Single(t => t!["caseId"]!.GetValue<string>() == caseId)!["taskId"]!.GetValue<string>();
        var done = await reviewer.PostAsJsonAsync($"/api/tasks/{task}/complete", new { action = "approve", opinion });
        Assert.That(done.StatusCode, Is.EqualTo(HttpStatusCode.OK), await done.Content.ReadAsStringAsync());
        return caseId;
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
