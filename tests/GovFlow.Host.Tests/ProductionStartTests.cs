using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovFlow.Host.Cli;
using GovFlow.Host.Security;
using GovFlow.Host.Simulators;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>
/// A real hall's first day on an empty database (GovFlow:Demo=false): the operator creates the first administrator
/// with the command, who creates the hall, a department and their people, and those people handle a case.
/// </summary>
[TestFixture]
public class ProductionStartTests : DataDirFixture
{
    private static WebApplicationFactory<Program> Production(string dataDir, bool demoKeys = false)
    {
        WebApplicationFactory<Program>? factory = null;
        return factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("GovFlow:DataDir", dataDir);
            b.UseSetting("GovFlow:Demo", "false");
            b.UseSetting("GovFlow:Crypto:Sm2PrivateKeyFile", KeyFile(dataDir));
            b.UseSetting("GovFlow:Crypto:Sm4KeyFile", PersonalDataKeyFile(dataDir));
            if (demoKeys)
            {
                // A database that ran the demo is under the demo's personal data keys: leaving demo mode keeps them.
                b.UseSetting("GovFlow:Crypto:Sm4Keys:v1", TestHost.Sm4Key);
                b.UseSetting("GovFlow:Crypto:BlindIndexKey", TestHost.BlindIndexKey);
            }
            // No real certificate, mail or message service runs here: the simulators stand in for them.
            b.UseSetting("GovFlow:Simulators:Enabled", "true");
            b.UseSetting("GovFlow:PublicUrl", "http://localhost");
            b.UseSetting("GovFlow:Scheduler:Enabled", "false");
            b.UseSetting("Serilog:MinimumLevel:Override:Microsoft.AspNetCore", "Warning");
            b.ConfigureServices(services =>
            {
                services.AddSingleton<TimeProvider>(new TestClock(TestHost.Now));
                services.AddHttpClient("govflow-services").ConfigurePrimaryHttpMessageHandler(() => factory!.Server.CreateHandler());
            });
        });
    }

    // The operator's first step: a journal signing key, made with the command (never over an existing one).
    private static string KeyFile(string dataDir)
    {
        var file = Path.Combine(dataDir, "keys", "journal.key");
        if (!File.Exists(file))
        {
            var output = new StringWriter();
            Assert.That(Commands.CreateJournalKey([file], output, TextWriter.Null), Is.EqualTo(0));
            Assert.That(output.ToString(), Does.Contain("-----BEGIN PUBLIC KEY-----"));
            Assert.That(Commands.CreateJournalKey([file], TextWriter.Null, TextWriter.Null), Is.EqualTo(2), "an existing key is never overwritten");
        }
        return file;
    }

    // And the key file for applicants' personal data, made the same way.
    private static string PersonalDataKeyFile(string dataDir)
    {
        var file = Path.Combine(dataDir, "keys", "personal-data.key");
        if (!File.Exists(file))
        {
            Assert.That(Commands.CreatePersonalDataKey([file], TextWriter.Null, TextWriter.Null), Is.EqualTo(0));
            Assert.That(Commands.CreatePersonalDataKey([file], TextWriter.Null, TextWriter.Null), Is.EqualTo(2), "an existing key is never overwritten");
        }
        return file;
    }

    private static async Task<HttpClient> SignIn(WebApplicationFactory<Program> host, string user, string password, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var client = host.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        var login = await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password });
        Assert.That(login.StatusCode, Is.EqualTo(expected), await login.Content.ReadAsStringAsync());
        return client;
    }

    // First sign-in on a one-time password: nothing works until it is changed, and the one-time password is then dead.
    private static async Task<HttpClient> FirstSignIn(WebApplicationFactory<Program> host, string user, string oneTime, string chosen)
    {
        var client = await SignIn(host, user, oneTime);
        Assert.That((await client.GetFromJsonAsync<JsonObject>("/api/auth/me"))!["mustChangePassword"]!.GetValue<bool>(), Is.True);
        var blocked = await client.GetAsync("/api/matters/44030505001");
        Assert.That(blocked.StatusCode, Is.EqualTo(HttpStatusCode.OK), "reading the public catalog is allowed");
        Assert.That((await client.GetAsync("/api/tasks")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "work waits for the new password");
        var weak = await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = oneTime, newPassword = "short1" });
        Assert.That(weak.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await weak.Content.ReadAsStringAsync(), Does.Contain("密码至少 10 位"));
        var changed = await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = oneTime, newPassword = chosen });
        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await changed.Content.ReadAsStringAsync());
        Assert.That((await changed.Content.ReadFromJsonAsync<JsonObject>())!["mustChangePassword"]!.GetValue<bool>(), Is.False);
        await SignIn(host, user, oneTime, HttpStatusCode.Unauthorized);
        return client;
    }

    [Test]
    public async Task An_empty_database_gets_its_first_admin_by_command_who_sets_up_the_hall_whose_people_handle_a_case()
    {
        using var host = Production(DataDir);
        host.StartServer();
        Assert.That((await host.CreateClient().GetAsync("/api/demo/users")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "no demo users out of demo mode");

        var output = new StringWriter();
        Assert.That(await AdminCommand.RunAsync(host.Services, ["chief"], output, TextWriter.Null), Is.EqualTo(0));
        var oneTime = output.ToString().Trim().Split('\n')[^1].Trim();
        Assert.That(oneTime, Has.Length.EqualTo(16));
        Assert.That(await AdminCommand.RunAsync(host.Services, ["chief"], TextWriter.Null, TextWriter.Null), Is.EqualTo(2), "the name is taken");
        var admin = await FirstSignIn(host, "chief", oneTime, "Nanshan-2026-ok");

        // The hall and the street office that reviews elderly allowances, and one person at each.
        var hall = await admin.PostAsJsonAsync("/api/admin/departments", new { name = "南山区政务服务中心", isHall = true });
        Assert.That(hall.StatusCode, Is.EqualTo(HttpStatusCode.Created), await hall.Content.ReadAsStringAsync());
        var badUscc = await admin.PostAsJsonAsync("/api/admin/departments", new { name = "某局", uscc = "123" });
        Assert.That(await badUscc.Content.ReadAsStringAsync(), Does.Contain("统一社会信用代码不正确"));
        Assert.That((await admin.PostAsJsonAsync("/api/admin/departments", new { name = "深圳市南山区粤海街道办事处" })).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var notAHall = await admin.PostAsJsonAsync("/api/admin/users", new { userName = "clerk1", displayName = "刘窗口", role = "window", department = "深圳市南山区粤海街道办事处" });
        Assert.That(await notAHall.Content.ReadAsStringAsync(), Does.Contain("窗口人员须属于一个大厅"));
        var clerk = (await (await admin.PostAsJsonAsync("/api/admin/users", new { userName = "clerk1", displayName = "刘窗口", role = "window", department = "南山区政务服务中心" }))
            .Content.ReadFromJsonAsync<JsonObject>())!;
        var reviewer = (await (await admin.PostAsJsonAsync("/api/admin/users", new { userName = "review1", displayName = "郭初审", role = "reviewer", department = "深圳市南山区粤海街道办事处" }))
            .Content.ReadFromJsonAsync<JsonObject>())!;
        var changes = await admin.GetFromJsonAsync<JsonArray>("/api/admin/changes");
        Assert.That(changes!.Select(c => $"{c!["actor"]} {c["action"]} {c["entity"]}"), Is.SupersetOf(new[] { "create-admin created user", "chief created department", "chief created user" }));
        Assert.That(changes!.Select(c => c!["after"]?.GetValue<string>() ?? ""), Has.None.Contains("pbkdf2"), "no password hash in the journal");

        var window = await FirstSignIn(host, "clerk1", clerk["password"]!.GetValue<string>(), "Liu-window-2026");
        var review = await FirstSignIn(host, "review1", reviewer["password"]!.GetValue<string>(), "Guo-review-2026");

        var world = host.Services.GetRequiredService<SimulatedWorld>();
        var submitted = await window.PostAsJsonAsync("/api/cases", Applications.Elderly(world));
        Assert.That(submitted.StatusCode, Is.EqualTo(HttpStatusCode.Created), await submitted.Content.ReadAsStringAsync());
        var caseId = (await submitted.Content.ReadFromJsonAsync<JsonObject>())!["caseId"]!.GetValue<string>();
        Assert.That((await window.GetFromJsonAsync<JsonObject>("/api/cases"))!["items"]!.AsArray().Select(c => c!["caseId"]!.GetValue<string>()), Does.Contain(caseId), "the hall lists its case");

        var task = (await review.GetFromJsonAsync<JsonObject>("/api/tasks?scope=department"))!["items"]!.AsArray().Single(t => t!["caseId"]!.GetValue<string>() == caseId)!;
        var taskId = task["taskId"]!.GetValue<string>();
        Assert.That((await review.PostAsync($"/api/tasks/{taskId}/claim", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var done = await review.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { action = "approve", opinion = "材料齐全" });
        Assert.That(done.StatusCode, Is.EqualTo(HttpStatusCode.OK), await done.Content.ReadAsStringAsync());
        var view = await review.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}");
        Assert.That(view!["steps"]!.AsArray().Select(s => s!["handler"]?.GetValue<string>()), Does.Contain("review1"));

        // A leaver is disabled: their session ends and they cannot sign in again.
        Assert.That((await admin.PutAsJsonAsync("/api/admin/users/review1", new { displayName = "郭初审", role = "reviewer", department = "深圳市南山区粤海街道办事处", active = false })).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await review.GetAsync("/api/tasks")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var disabled = await SignIn(host, "review1", "Guo-review-2026", HttpStatusCode.Forbidden);
        disabled.Dispose();
    }

    [Test]
    public async Task A_reviewer_who_also_audits_works_the_department_s_inbox_and_reads_every_case_and_no_one_both_administers_and_audits()
    {
        using var host = Production(DataDir);
        host.StartServer();
        var output = new StringWriter();
        Assert.That(await AdminCommand.RunAsync(host.Services, ["chief"], output, TextWriter.Null), Is.EqualTo(0));
        var admin = await FirstSignIn(host, "chief", output.ToString().Trim().Split('\n')[^1].Trim(), "Nanshan-2026-ok");
        (await admin.PostAsJsonAsync("/api/admin/departments", new { name = "南山区政务服务中心", isHall = true })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/admin/departments", new { name = "深圳市南山区粤海街道办事处" })).EnsureSuccessStatusCode();

        var roles = (await admin.GetFromJsonAsync<JsonArray>("/api/admin/roles"))!;
        Assert.That(roles.Where(r => r!["additional"]!.GetValue<bool>()).Select(r => r!["code"]!.GetValue<string>()), Is.EquivalentTo(new[] { "policy", "auditor", "admin" }));
        var twoInboxes = await admin.PostAsJsonAsync("/api/admin/users", new { userName = "both", displayName = "两岗", role = "reviewer", department = "深圳市南山区粤海街道办事处", otherRoles = new[] { "window" } });
        Assert.That(twoInboxes.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await twoInboxes.Content.ReadAsStringAsync(), Does.Contain("不能兼任").And.Contain("otherRoles"));
        var adminAudits = await admin.PostAsJsonAsync("/api/admin/users", new { userName = "sec", displayName = "安审", role = "auditor", otherRoles = new[] { "admin" } });
        Assert.That(await adminAudits.Content.ReadAsStringAsync(), Does.Contain("三员分立"));

        var clerk = (await (await admin.PostAsJsonAsync("/api/admin/users", new { userName = "clerk1", displayName = "刘窗口", role = "window", department = "南山区政务服务中心" })).Content.ReadFromJsonAsync<JsonObject>())!;
        var created = await admin.PostAsJsonAsync("/api/admin/users", new { userName = "review1", displayName = "郭初审", role = "reviewer", department = "深圳市南山区粤海街道办事处", otherRoles = new[] { "auditor" } });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var reviewer = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(reviewer["user"]!["otherRoles"]!.AsArray().Select(r => r!.GetValue<string>()), Is.EqualTo(new[] { "auditor" }));
        var change = (await admin.GetFromJsonAsync<JsonArray>("/api/admin/changes"))!.First(c => c!["key"]!.GetValue<string>() == "review1")!;
        Assert.That(change["after"]!.GetValue<string>(), Does.Contain("\"otherRoles\":[\"auditor\"]"), "the change log says what the user may do");

        var window = await FirstSignIn(host, "clerk1", clerk["password"]!.GetValue<string>(), "Liu-window-2026");
        var review = await FirstSignIn(host, "review1", reviewer["password"]!.GetValue<string>(), "Guo-review-2026");
        var me = (await review.GetFromJsonAsync<JsonObject>("/api/auth/me"))!;
        Assert.That(me["roles"]!.AsArray().Select(r => r!.GetValue<string>()), Is.EqualTo(new[] { "reviewer", "auditor" }));

        var world = host.Services.GetRequiredService<SimulatedWorld>();
        var submitted = await window.PostAsJsonAsync("/api/cases", Applications.Elderly(world));
        var caseId = (await submitted.Content.ReadFromJsonAsync<JsonObject>())!["caseId"]!.GetValue<string>();
        // The post routes the work: the reviewer's department inbox has the task, and the reviewer decides it.
        var task = (await review.GetFromJsonAsync<JsonObject>("/api/tasks?scope=department"))!["items"]!.AsArray().Single(t => t!["caseId"]!.GetValue<string>() == caseId)!;
        Assert.That((await review.PostAsync($"/api/tasks/{task["taskId"]}/claim", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        // The other role adds what an auditor may do: every task, the incidents list, the reveals of a case.
        Assert.That((await review.GetAsync("/api/tasks?scope=all")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await review.GetAsync("/api/incidents")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await review.GetAsync($"/api/cases/{caseId}/reveals")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await window.GetAsync("/api/incidents")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "a plain clerk is no auditor");
    }

    [Test]
    public async Task Leaving_demo_mode_disables_every_demo_account()
    {
        using (var demo = TestHost.Create(DataDir))
            (await SignIn(demo, "window01", DemoUsers.Password)).Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using var production = Production(DataDir, demoKeys: true);
        production.StartServer();
        foreach (var user in new[] { "window01", "reviewer01", "auditor01", "admin01", "policy01" })
            (await SignIn(production, user, DemoUsers.Password, HttpStatusCode.Forbidden)).Dispose();
    }

    [Test]
    public async Task A_window_clerk_lists_the_hall_s_own_cases_and_others_only_by_their_full_number()
    {
        using var host = TestHost.Create(DataDir);
        var world = host.Services.GetRequiredService<SimulatedWorld>();
        using var window01 = await SignIn(host, "window01", DemoUsers.Password);
        using var window02 = await SignIn(host, "window02", DemoUsers.Password);
        var submitted = await window01.PostAsJsonAsync("/api/cases", Applications.Elderly(world));
        var created = (await submitted.Content.ReadFromJsonAsync<JsonObject>())!;
        var (caseId, number) = (created["caseId"]!.GetValue<string>(), created["caseNumber"]!.GetValue<string>());
        static IEnumerable<string> Ids(JsonObject? page) => page!["items"]!.AsArray().Select(c => c!["caseId"]!.GetValue<string>());
        Assert.That(Ids(await window01.GetFromJsonAsync<JsonObject>("/api/cases")), Does.Contain(caseId));
        Assert.That(Ids(await window02.GetFromJsonAsync<JsonObject>("/api/cases")), Does.Not.Contain(caseId), "another hall's clerk does not list it");
        Assert.That(Ids(await window02.GetFromJsonAsync<JsonObject>($"/api/cases?q={number[..10]}")), Does.Not.Contain(caseId), "nor finds it by part of its number");
        Assert.That(Ids(await window02.GetFromJsonAsync<JsonObject>($"/api/cases?q={number}")), Does.Contain(caseId), "a walk-in enquiry by the full number finds it");
    }
}
