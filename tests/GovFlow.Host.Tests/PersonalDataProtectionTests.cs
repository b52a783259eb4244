using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using GovFlow.Host.Simulators;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GovFlow.Host.Tests;

/// <summary>
/// Applicants' ID numbers, phones and addresses at rest: SM4-encrypted in every table that holds them, found by a
/// keyed SM3 blind index, rewritten under a new key on rotation, and never written to a log.
/// </summary>
[TestFixture]
public class PersonalDataProtectionTests : DataDirFixture
{
    private const string V2 = "FEDCBA98765432100123456789ABCDEF";

    [Test]
    public void A_value_is_sealed_under_its_key_version_with_a_fresh_nonce_and_a_changed_byte_is_refused()
    {
        var protector = PersonalDataProtector.From(Configuration([]));
        var first = protector.Protect("44030519491231123X")!;
        var second = protector.Protect("44030519491231123X")!;
        Assert.Multiple(() =>
        {
            Assert.That(first, Does.StartWith("sm4:v1:"));
            Assert.That(second, Is.Not.EqualTo(first), "a fresh nonce each time: equal values do not look equal");
            Assert.That((protector.Unprotect(first), protector.Unprotect(second)), Is.EqualTo(("44030519491231123X", "44030519491231123X")));
            Assert.That(protector.Unprotect("广东省深圳市南山区"), Is.EqualTo("广东省深圳市南山区"), "legacy clear text is read as it is");
            Assert.That(protector.IdIndex(" 44030519491231123x "), Is.EqualTo(protector.IdIndex("44030519491231123X")));
            Assert.That(protector.PhoneIndex("138-0013-8000"), Is.EqualTo(protector.PhoneIndex("13800138000")));
            Assert.That(protector.PhoneIndex("44030519491231123"), Is.Not.EqualTo(protector.IdIndex("44030519491231123")), "kinds do not share indexes");
        });
        var sealedBytes = Convert.FromBase64String(first["sm4:v1:".Length..]);
        sealedBytes[^1] ^= 1;
        var tampered = "sm4:v1:" + Convert.ToBase64String(sealedBytes);
        Assert.That(() => protector.Unprotect(tampered), Throws.InstanceOf<PersonalDataKeyException>().With.Message.Contains("密钥不对或数据已被改动"));
        Assert.That(() => protector.Unprotect("sm4:v9:AAAA"), Throws.InstanceOf<PersonalDataKeyException>().With.Message.Contains("v9"));
    }

    [Test]
    public async Task The_database_file_holds_no_clear_ID_number_phone_or_address_after_a_case_is_submitted_and_handled()
    {
        SimPerson person;
        using (var host = TestHost.Create(DataDir))
        {
            person = Person(host);
            var caseId = await Walk(host, person);
            using var window = await As(host, "window01");
            Assert.That((await window.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}"))!["applicant"]!["phone"]!.GetValue<string>(), Does.Contain("****"));
        }
        SqliteConnection.ClearAllPools();
        var bytes = DatabaseBytes();
        Assert.Multiple(() =>
        {
            foreach (var clear in Forms(person.IdNumber).Concat(Forms(person.Phone)).Concat(Forms(person.Address)))
                Assert.That(Contains(bytes, clear), Is.False, $"the database holds '{clear}'");
        });
    }

    [Test]
    public async Task A_lookup_by_full_ID_number_or_phone_finds_the_case_through_the_blind_index()
    {
        using var host = TestHost.Create(DataDir);
        var person = Person(host);
        var caseId = await Walk(host, person);
        var number = await CaseNumber(host, caseId);

        using var anonymous = host.CreateClient();
        var progress = await anonymous.PostAsJsonAsync("/api/progress", new { caseNumber = number, idNumber = person.IdNumber.ToLowerInvariant() });
        Assert.That(progress.StatusCode, Is.EqualTo(HttpStatusCode.OK), await progress.Content.ReadAsStringAsync());
        using var window = await As(host, "window01");
        var byId = (await window.GetFromJsonAsync<JsonObject>($"/api/cases?q={person.IdNumber}"))!["items"]!.AsArray();
        var byPhone = (await window.GetFromJsonAsync<JsonObject>($"/api/cases?q={person.Phone}"))!["items"]!.AsArray();
        Assert.That(byId.Select(c => c!["caseId"]!.GetValue<string>()), Does.Contain(caseId));
        Assert.That(byPhone.Select(c => c!["caseId"]!.GetValue<string>()), Does.Contain(caseId));

        using var scope = host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        var index = db.Protector!.IdIndex(person.IdNumber);
        var query = db.Cases.Where(c => c.ApplicantIdIndex == index);
        Assert.That(query.ToQueryString(), Does.Contain("\"ApplicantIdIndex\" = "));
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN SELECT * FROM cases WHERE ApplicantIdIndex = $index";
        explain.Parameters.AddWithValue("$index", index);
        var plan = new StringBuilder();
        await using (var reader = await explain.ExecuteReaderAsync())
            while (await reader.ReadAsync()) plan.AppendLine(reader.GetString(3));
        Assert.That(plan.ToString(), Does.Contain("USING INDEX ix_cases_applicant_id_index"));
        Assert.That(await scope.ServiceProvider.GetRequiredService<Activities.Services.ICreditRecords>().HasBrokenCommitmentAsync(person.IdNumber), Is.False);
        Assert.That((await db.Cases.SingleAsync(c => c.ApplicantIdIndex == index)).ApplicantIdNumber, Is.EqualTo(person.IdNumber), "read back in clear");
    }

    [Test]
    public async Task After_rotation_values_under_v1_are_read_and_the_rewrite_puts_them_under_v2()
    {
        SimPerson person;
        string caseId;
        using (var host = TestHost.Create(DataDir))
        {
            person = Person(host);
            caseId = await Walk(host, person);
        }
        SqliteConnection.ClearAllPools();
        Assert.That(await Stored(caseId), Does.StartWith("sm4:v1:"));

        var rotated = Configuration(new() { ["GovFlow:Crypto:Sm4Keys:v2"] = V2, ["GovFlow:Crypto:Sm4CurrentKey"] = "v2" });
        var protector = PersonalDataProtector.From(rotated);
        await using (var db = new SqliteGovFlowDb((DbContextOptions<SqliteGovFlowDb>)new DbContextOptionsBuilder<SqliteGovFlowDb>().UseSqlite(Connection()).UsePersonalDataProtection(protector).Options))
            Assert.That((await db.Cases.FindAsync(caseId))!.ApplicantIdNumber, Is.EqualTo(person.IdNumber), "v1 values are read once v2 is current");

        int rewritten;
        await using (var raw = Database.Unprotected(rotated))
            rewritten = await new PersonalDataProtection(protector, Microsoft.Extensions.Logging.Abstractions.NullLogger<PersonalDataProtection>.Instance, TimeProvider.System).RunAsync(raw);
        Assert.That(rewritten, Is.GreaterThan(0));
        SqliteConnection.ClearAllPools();
        await using (var raw = Database.Unprotected(rotated))
        {
            var stored = await raw.Cases.Select(c => new { c.ApplicantIdNumber, c.ApplicantPhone, c.ApplicantAddress, c.CaseFileJson }).ToListAsync();
            var journal = await raw.Journal.Where(j => j.PayloadJson != null).Select(j => j.PayloadJson!).ToListAsync();
            var states = await raw.Instances.Select(i => i.StateJson).ToListAsync();
            Assert.That(stored.SelectMany(c => new[] { c.ApplicantIdNumber, c.ApplicantPhone, c.ApplicantAddress, c.CaseFileJson }).Concat(journal).Concat(states),
                Is.All.StartsWith("sm4:v2:"));
        }
        SqliteConnection.ClearAllPools();

        // v1 retired: everything opens with v2 alone, and the journal still verifies.
        using var after = TestHost.Create(DataDir, settings: new Dictionary<string, string> { ["GovFlow:Crypto:Sm4Keys:v1"] = "", ["GovFlow:Crypto:Sm4Keys:v2"] = V2, ["GovFlow:Crypto:Sm4CurrentKey"] = "v2" });
        using var anonymous = after.CreateClient();
        Assert.That((await anonymous.PostAsJsonAsync("/api/progress", new { caseNumber = await CaseNumber(after, caseId), idNumber = person.IdNumber })).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var auditor = await As(after, "auditor01");
        Assert.That((await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}/journal/verify"))!["valid"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task Legacy_clear_text_rows_are_read_as_they_are_and_protected_by_the_rewrite()
    {
        SimPerson person;
        string caseId;
        using (var host = TestHost.Create(DataDir))
        {
            person = Person(host);
            caseId = await Walk(host, person);
        }
        SqliteConnection.ClearAllPools();
        var configuration = Configuration([]);
        var protector = PersonalDataProtector.From(configuration);
        // The rows as a GovFlow before encryption wrote them: clear text, no blind index.
        await using (var raw = Database.Unprotected(configuration))
        {
            var row = (await raw.Cases.FindAsync(caseId))!;
            row.ApplicantIdNumber = protector.Unprotect(row.ApplicantIdNumber)!;
            row.ApplicantPhone = protector.Unprotect(row.ApplicantPhone);
            row.ApplicantAddress = protector.Unprotect(row.ApplicantAddress);
            row.CaseFileJson = protector.Unprotect(row.CaseFileJson)!;
            row.ApplicantIdIndex = row.ApplicantPhoneIndex = null;
            foreach (var instance in await raw.Instances.ToListAsync()) instance.StateJson = protector.Unprotect(instance.StateJson)!;
            foreach (var entry in await raw.Journal.ToListAsync()) entry.PayloadJson = protector.Unprotect(entry.PayloadJson);
            // …which recorded no pass under any key.
            raw.PersonalDataPasses.RemoveRange(await raw.PersonalDataPasses.ToListAsync());
            await raw.SaveChangesAsync();
        }
        await using (var db = new SqliteGovFlowDb((DbContextOptions<SqliteGovFlowDb>)new DbContextOptionsBuilder<SqliteGovFlowDb>().UseSqlite(Connection()).UsePersonalDataProtection(protector).Options))
            Assert.That((await db.Cases.FindAsync(caseId))!.ApplicantIdNumber, Is.EqualTo(person.IdNumber), "legacy text is read as it is");
        SqliteConnection.ClearAllPools();
        Assert.That(Contains(DatabaseBytes(), person.IdNumber), Is.True, "the legacy rows are in clear");

        // The start-up (as the command) rewrites them and fills the blind index: the lookup by ID number works again.
        using (var host = TestHost.Create(DataDir))
        {
            using var anonymous = host.CreateClient();
            Assert.That((await anonymous.PostAsJsonAsync("/api/progress", new { caseNumber = await CaseNumber(host, caseId), idNumber = person.IdNumber })).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            using var auditor = await As(host, "auditor01");
            Assert.That((await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}/journal/verify"))!["valid"]!.GetValue<bool>(), Is.True, "hashes are over the clear payload");
        }
        SqliteConnection.ClearAllPools();
        Assert.That(await Stored(caseId), Does.StartWith("sm4:v1:"));
        await using (var raw = Database.Unprotected(configuration))
            Assert.That(await raw.Journal.Where(j => j.PayloadJson != null).Select(j => j.PayloadJson!).ToListAsync(), Is.All.StartsWith("sm4:v1:"));
    }

    [Test]
    public async Task A_start_after_a_finished_pass_only_checks_the_keys_and_the_command_passes_again()
    {
        SimPerson person;
        string caseId;
        using (var host = TestHost.Create(DataDir))
        {
            person = Person(host);
            caseId = await Walk(host, person);
        }
        SqliteConnection.ClearAllPools();
        var configuration = Configuration([]);
        var protection = new PersonalDataProtection(PersonalDataProtector.From(configuration), Microsoft.Extensions.Logging.Abstractions.NullLogger<PersonalDataProtection>.Instance, TimeProvider.System);
        await using (var raw = Database.Unprotected(configuration))
        {
            Assert.That(await raw.PersonalDataPasses.Select(p => p.KeyVersion).ToListAsync(), Is.EqualTo(new[] { "v1" }), "the first start's pass is recorded");
            // A clear value no GovFlow since that pass could have written: a start does not read every row looking for one.
            (await raw.Cases.FindAsync(caseId))!.ApplicantAddress = person.Address;
            await raw.SaveChangesAsync();
        }
        await using (var raw = Database.Unprotected(configuration))
            Assert.That(await protection.RunAsync(raw, always: false), Is.EqualTo(0));
        await using (var raw = Database.Unprotected(configuration))
            Assert.That(await protection.RunAsync(raw, always: true), Is.EqualTo(1), "protect-personal-data passes again");
        await using (var raw = Database.Unprotected(configuration))
            Assert.That((await raw.Cases.FindAsync(caseId))!.ApplicantAddress, Does.StartWith("sm4:v1:"));
    }

    [Test]
    public void A_start_without_keys_outside_demo_mode_or_with_a_wrong_key_stops_with_a_clear_message()
    {
        var missing = Assert.Catch(() => PersonalDataProtector.From(Configuration(new() { ["GovFlow:Demo"] = "false", ["GovFlow:Crypto:Sm4Keys:v1"] = null, ["GovFlow:Crypto:BlindIndexKey"] = null })))!;
        Assert.That(missing.Message, Does.Contain("没有个人信息加密密钥").And.Contain("No SM4 key"));
        var malformed = Assert.Catch(() => PersonalDataProtector.From(Configuration(new() { ["GovFlow:Crypto:Sm4Keys:v1"] = "0123" })))!;
        Assert.That(malformed.Message, Does.Contain("16 字节"));

        using (var host = TestHost.Create(DataDir)) Walk(host, Person(host)).GetAwaiter().GetResult();
        SqliteConnection.ClearAllPools();
        var wrong = Assert.Catch(() =>
        {
            using var host = TestHost.Create(DataDir, settings: new Dictionary<string, string> { ["GovFlow:Crypto:Sm4Keys:v1"] = V2 });
        })!;
        Assert.That(Messages(wrong), Does.Contain("无法用密钥 v1 解密").And.Contain("cannot be decrypted with key v1"));
    }

    [Test]
    public async Task No_log_message_carries_an_ID_number_or_phone()
    {
        // Every event at every level reaches the sinks the host writes to (console and file alike).
        var logs = new CapturedLogs();
        var trace = new Dictionary<string, string>
        {
            ["Serilog:MinimumLevel:Default"] = "Verbose", ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Verbose",
            ["Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore"] = "Verbose", ["Serilog:MinimumLevel:Override:System.Net.Http.HttpClient"] = "Verbose",
            ["Serilog:MinimumLevel:Override:Quartz"] = "Verbose", ["GovFlow:Logs:File"] = "false"
        };
        SimPerson person;
        using (var host = TestHost.Create(DataDir, settings: trace, services: s => s.AddSingleton<Serilog.Core.ILogEventSink>(logs)))
        {
            person = Person(host);
            var caseId = await Walk(host, person);
            using var anonymous = host.CreateClient();
            Assert.That((await anonymous.PostAsJsonAsync("/api/progress", new { caseNumber = await CaseNumber(host, caseId), idNumber = person.IdNumber })).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await anonymous.PostAsJsonAsync("/api/progress", new { caseNumber = "2026030200000001", idNumber = person.IdNumber })).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }
        var lines = logs.Events.Select(e => $"{e.RenderMessage()} {string.Join(" ", e.Properties.Values)} {e.Exception}").ToList();
        Assert.That(lines, Has.Count.GreaterThan(100), "trace logging was on");
        Assert.Multiple(() =>
        {
            foreach (var line in lines)
            {
                Assert.That(line, Does.Not.Contain(person.IdNumber));
                Assert.That(line, Does.Not.Contain(person.Phone));
            }
        });
    }

    // Submits an elderly allowance for the person and has the reviewer approve it.
    private static async Task<string> Walk(WebApplicationFactory<Program> host, SimPerson person)
    {
        using var window = await As(host, "window01");
        var response = await window.PostAsJsonAsync("/api/cases", new
        {
            matterCode = "44030505001",
            applicant = new { name = person.Name, idType = "111", idNumber = person.IdNumber, phone = person.Phone, address = person.Address },
            materials = new[] { "高龄津贴申请书", "居民身份证", "银行卡", "照片" }.Select(m => new { name = m, provided = true }),
            data = new { age = 2026 - person.BirthDate.Year },
            channel = "window"
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var caseId = (await response.Content.ReadFromJsonAsync<JsonObject>())!["caseId"]!.GetValue<string>();
        using var reviewer = await As(host, "reviewer02");
        var inbox = await reviewer.GetFromJsonAsync<JsonObject>("/api/tasks?scope=department&pageSize=100");
        var task = inbox!["items"]!.AsArray().Single(t => t!["caseId"]!.GetValue<string>() == caseId)!["taskId"]!.GetValue<string>();
        var done = await reviewer.PostAsJsonAsync($"/api/tasks/{task}/complete", new { action = "approve", opinion = "同意：材料齐全" });
        Assert.That(done.StatusCode, Is.EqualTo(HttpStatusCode.OK), await done.Content.ReadAsStringAsync());
        return caseId;
    }

    private static SimPerson Person(WebApplicationFactory<Program> host) => host.Services.GetRequiredService<SimulatedWorld>().People.First(x => x.BirthDate.Year < 1946);

    private static async Task<string> CaseNumber(WebApplicationFactory<Program> host, string caseId)
    {
        using var scope = host.Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<GovFlowDb>().Cases.FindAsync(caseId))!.CaseNumber;
    }

    private static async Task<HttpClient> As(WebApplicationFactory<Program> host, string user)
    {
        var client = host.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = DemoUsers.Password });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return client;
    }

    private string Connection() => $"Data Source={Path.Combine(DataDir, "govflow.db")}";

    // The host's configuration of this data folder with the tests' keys, changed as given (null removes a key).
    private IConfiguration Configuration(Dictionary<string, string?> changes)
    {
        var settings = new Dictionary<string, string?>
        {
            ["GovFlow:DataDir"] = DataDir, ["GovFlow:Crypto:Sm4Keys:v1"] = TestHost.Sm4Key, ["GovFlow:Crypto:BlindIndexKey"] = TestHost.BlindIndexKey
        };
        foreach (var (key, value) in changes)
            if (value is null) settings.Remove(key);
            else settings[key] = value;
        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }

    private async Task<string> Stored(string caseId)
    {
        await using var raw = Database.Unprotected(Configuration([]));
        return (await raw.Cases.FindAsync(caseId))!.ApplicantIdNumber;
    }

    private byte[] DatabaseBytes() =>
        [.. new[] { "govflow.db", "govflow.db-wal" }.Select(f => Path.Combine(DataDir, f)).Where(File.Exists).SelectMany(File.ReadAllBytes)];

    // The text as UTF-8, as JSON writes it by default (non-ASCII as \uXXXX, either case) and as UTF-16.
    private static IEnumerable<string> Forms(string value)
    {
        yield return value;
        var escaped = JsonSerializer.Serialize(value).Trim('"');
        yield return escaped;
        yield return System.Text.RegularExpressions.Regex.Replace(escaped, @"\\u([0-9A-F]{4})", m => "\\u" + m.Groups[1].Value.ToLowerInvariant());
    }

    private static bool Contains(byte[] haystack, string text) =>
        haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0 || haystack.AsSpan().IndexOf(Encoding.Unicode.GetBytes(text)) >= 0;

    private static string Messages(Exception? ex)
    {
        var all = new StringBuilder();
        for (; ex != null; ex = ex.InnerException) all.AppendLine(ex.Message);
        return all.ToString();
    }
}
