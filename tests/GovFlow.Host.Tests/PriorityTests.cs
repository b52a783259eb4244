using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Priority;
using GovFlow.Host.Security;
using GovFlow.Host.Simulators;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>
/// 绿色通道: the priority register kept by policy staff, the flag and PriorityApplied record a registered applicant's
/// case gets at submission, the matter's shorter promised limit, and priority-first ordering of the inbox and case list.
/// </summary>
[TestFixture]
public class PriorityTests : DataDirFixture
{
    private const string Elderly = "44030505001";

    private WebApplicationFactory<Program> _host = null!;
    private TestClock _clock = null!;

    [SetUp]
    public void Start()
    {
        _clock = new TestClock(TestHost.Now);
        _host = TestHost.Create(DataDir, _clock);
    }

    [TearDown]
    public void Stop() => _host.Dispose();

    private Task<HttpClient> As(string user) => CalendarYearTests.SignInAsync(_host, user);

    private List<SimPerson> Elders => [.. _host.Services.GetRequiredService<SimulatedWorld>().People.Where(p => p.BirthDate.Year < 1946).Take(6)];

    private static object Entry(SimPerson p, string endsOn = "2026-03-31", string? reason = "区重点项目负责人（南府办〔2026〕3号）", string kind = "green") =>
        new { idType = "111", idNumber = p.IdNumber, name = p.Name, kind, reason, endsOn };

    private static async Task<JsonObject> MarkAsync(HttpClient policy, object entry)
    {
        var response = await policy.PostAsJsonAsync("/api/priority-applicants", entry);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static async Task<string> SubmitAsync(HttpClient window, SimPerson p)
    {
        var response = await window.PostAsJsonAsync("/api/cases", new
        {
            matterCode = Elderly, channel = "window", data = new { age = 2026 - p.BirthDate.Year },
            applicant = new { name = p.Name, idType = "111", idNumber = p.IdNumber, phone = p.Phone, address = p.Address },
            materials = new[] { "高龄津贴申请书", "居民身份证", "银行卡", "照片" }.Select(m => new { name = m, provided = true })
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["caseId"]!.GetValue<string>();
    }

    private static async Task<JsonObject> CaseAsync(HttpClient client, string id) => (await client.GetFromJsonAsync<JsonObject>($"/api/cases/{id}"))!;

    [Test]
    public async Task The_register_refuses_incomplete_entries_in_Chinese_and_a_second_entry_for_the_same_applicant()
    {
        var policy = await As("policy01");
        var p = Elders[0];
        async Task<string> Refused(object entry, HttpStatusCode code = HttpStatusCode.BadRequest)
        {
            var response = await policy.PostAsJsonAsync("/api/priority-applicants", entry);
            var body = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(code), body);
            return body;
        }
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await Refused(Entry(p, reason: " ")), Does.Contain("请填写列入名单的理由"));
            Assert.That(await Refused(Entry(p, endsOn: "2026-03-02")), Does.Contain("结束日期须晚于今天"));
            Assert.That(await Refused(new { idType = "111", idNumber = p.IdNumber, name = p.Name, kind = "green", reason = "理由" }), Does.Contain("请填写优先服务的结束日期"));
            Assert.That(await Refused(new { idType = "111", idNumber = "440305199001011234", name = p.Name, kind = "green", reason = "理由", endsOn = "2026-03-31" }), Does.Contain("不是有效的 18 位居民身份证号码"));
            Assert.That(await Refused(Entry(p, kind: "gold")), Does.Contain("绿色通道、重点企业、贵宾服务"));
        });
        await MarkAsync(policy, Entry(p));
        Assert.That(await Refused(Entry(p, kind: "vip"), HttpStatusCode.Conflict), Does.Contain("已在优先服务名单中"));
    }

    [Test]
    public async Task Only_policy_staff_change_the_register_and_auditors_read_it_with_the_number_masked()
    {
        var p = Elders[0];
        var body = Entry(p);
        Assert.That((await (await As("window01")).PostAsJsonAsync("/api/priority-applicants", body)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await (await As("auditor01")).PostAsJsonAsync("/api/priority-applicants", body)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await (await As("reviewer01")).GetAsync("/api/priority-applicants")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var marked = await MarkAsync(await As("policy01"), body);
        Assert.That((await (await As("window01")).PostAsync($"/api/priority-applicants/{marked["id"]}/revoke", null)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var list = (await (await As("auditor01")).GetFromJsonAsync<JsonArray>("/api/priority-applicants"))!;
        Assert.That(list.Select(e => e!["idNumber"]!.GetValue<string>()), Is.EqualTo(new[] { p.IdNumber[..6] + "********" + p.IdNumber[^4..] }));
        Assert.That(list[0]!["state"]!.GetValue<string>(), Is.EqualTo("active"));
    }

    [Test]
    public async Task A_registered_applicants_case_is_flagged_with_a_PriorityApplied_record_in_its_own_verified_journal()
    {
        var (marked, other) = (Elders[0], Elders[1]);
        var entry = await MarkAsync(await As("policy01"), Entry(marked));
        var window = await As("window01");
        var flagged = await SubmitAsync(window, marked);
        var ordinary = await SubmitAsync(window, other);

        var auditor = await As("auditor01");
        Assert.That((await CaseAsync(auditor, flagged))["priority"]!.GetValue<string>(), Is.EqualTo(PriorityKinds.GreenChannel));
        Assert.That((await CaseAsync(auditor, ordinary))["priority"], Is.Null);
        var journal = (await auditor.GetFromJsonAsync<JsonArray>($"/api/cases/{flagged}/journal"))!;
        var applied = journal.Where(r => r!["eventName"]!.GetValue<string>() == PriorityJournal.EventName).ToList();
        Assert.That(applied, Has.Count.EqualTo(1));
        Assert.That(applied[0]!["message"]!.GetValue<string>(), Is.EqualTo("按绿色通道优先办理：区重点项目负责人（南府办〔2026〕3号）"));
        Assert.That((await auditor.GetFromJsonAsync<JsonArray>($"/api/cases/{ordinary}/journal"))!.Select(r => r!["eventName"]!.GetValue<string>()), Has.None.EqualTo(PriorityJournal.EventName));
        var verified = (await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{flagged}/journal/verify"))!;
        Assert.That(verified["valid"]!.GetValue<bool>(), Is.True, verified.ToJsonString());

        // Matched through the blind index: the register's number is encrypted and its index is the case's.
        using var scope = _host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        var row = await db.PriorityApplicants.AsNoTracking().SingleAsync();
        var record = await db.Cases.AsNoTracking().SingleAsync(c => c.Id == flagged);
        Assert.That(row.IdIndex, Is.EqualTo(record.ApplicantIdIndex));
        Assert.That(await db.Database.SqlQueryRaw<string>("SELECT IdNumber AS Value FROM priority_applicants").SingleAsync(), Does.StartWith("sm4:"));
        var changes = (await (await As("admin01")).GetFromJsonAsync<JsonArray>($"/api/admin/changes?key={entry["id"]}"))!;
        Assert.That(changes.Select(c => (c!["entity"]!.GetValue<string>(), c["action"]!.GetValue<string>())), Is.EqualTo(new[] { (PriorityRegister.Entity, "created") }));
    }

    [Test]
    public async Task Ended_and_revoked_entries_flag_nothing_and_an_extended_one_still_does()
    {
        var (ending, revoked, extended) = (Elders[0], Elders[1], Elders[2]);
        var policy = await As("policy01");
        await MarkAsync(policy, Entry(ending, endsOn: "2026-03-10"));
        var revokedEntry = await MarkAsync(policy, Entry(revoked));
        var extendedEntry = await MarkAsync(policy, Entry(extended, endsOn: "2026-03-10"));
        Assert.That((await policy.PostAsync($"/api/priority-applicants/{revokedEntry["id"]}/revoke", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var moved = await policy.PutAsJsonAsync($"/api/priority-applicants/{extendedEntry["id"]}", new { endsOn = "2026-04-30" });
        Assert.That(moved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await moved.Content.ReadAsStringAsync());
        Assert.That((await policy.PutAsJsonAsync($"/api/priority-applicants/{revokedEntry["id"]}", new { endsOn = "2026-04-30" })).StatusCode, Is.EqualTo(HttpStatusCode.Conflict));

        _clock.Now = new DateTimeOffset(2026, 3, 11, 9, 0, 0, TimeSpan.FromHours(8));
        var window = await As("window01");
        var auditor = await As("auditor01");
        await Assert.MultipleAsync(async () =>
        {
            Assert.That((await CaseAsync(auditor, await SubmitAsync(window, ending)))["priority"], Is.Null, "ended on 10 March");
            Assert.That((await CaseAsync(auditor, await SubmitAsync(window, revoked)))["priority"], Is.Null, "revoked");
            Assert.That((await CaseAsync(auditor, await SubmitAsync(window, extended)))["priority"]?.GetValue<string>(), Is.EqualTo("green"), "extended to 30 April");
        });
        var states = (await policy.GetFromJsonAsync<JsonArray>("/api/priority-applicants?all=true"))!.Select(e => e!["state"]!.GetValue<string>());
        Assert.That(states, Is.EquivalentTo(new[] { "expired", "revoked", "active" }));
        var admin = await As("admin01");
        Assert.That((await admin.GetFromJsonAsync<JsonArray>($"/api/admin/changes?key={revokedEntry["id"]}"))!.Select(c => c!["action"]!.GetValue<string>()),
            Is.EqualTo(new[] { "revoked", "created" }));
        var update = (await admin.GetFromJsonAsync<JsonArray>($"/api/admin/changes?key={extendedEntry["id"]}"))![0]!;
        Assert.That(update["before"]!.GetValue<string>(), Does.Contain("2026-03-10"));
        Assert.That(update["after"]!.GetValue<string>(), Does.Contain("2026-04-30"));
    }

    [Test]
    public async Task A_matter_promises_priority_applicants_a_shorter_limit_no_longer_than_its_own()
    {
        var policy = await As("policy01");
        var definition = JsonNode.Parse(await policy.GetStringAsync($"/api/definitions/{Elderly}/export"))!;
        var matter = definition["customProperties"]!["govflow:matter"]!;
        matter["priorityPromisedLimit"] = new JsonObject { ["value"] = 999, ["unit"] = "WD" };
        var refused = await policy.PostAsync("/api/definitions/import", new StringContent(definition.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("绿色通道承诺时限"));
        matter["priorityPromisedLimit"] = new JsonObject { ["value"] = 3, ["unit"] = "WD" };
        var imported = await policy.PostAsync("/api/definitions/import", new StringContent(definition.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        Assert.That(imported.StatusCode, Is.EqualTo(HttpStatusCode.Created), await imported.Content.ReadAsStringAsync());
        var version = (await imported.Content.ReadFromJsonAsync<JsonObject>())!["version"]!.GetValue<int>();
        Assert.That((await policy.PostAsync($"/api/definitions/{Elderly}/publish?version={version}", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await MarkAsync(policy, Entry(Elders[0]));
        var window = await As("window01");
        var auditor = await As("auditor01");
        var flagged = await CaseAsync(auditor, await SubmitAsync(window, Elders[0]));
        var ordinary = await CaseAsync(auditor, await SubmitAsync(window, Elders[1]));
        // Received Monday 2 March 2026: three working days end on Thursday 5 March.
        Assert.That(flagged["promisedDue"]!.GetValue<DateTimeOffset>().ToOffset(TimeSpan.FromHours(8)).Date, Is.EqualTo(new DateTime(2026, 3, 5)));
        Assert.That(ordinary["promisedDue"]!.GetValue<DateTimeOffset>(), Is.GreaterThan(flagged["promisedDue"]!.GetValue<DateTimeOffset>().AddDays(7)));
    }

    [Test]
    public async Task The_inbox_and_the_case_list_put_priority_cases_first_across_pages()
    {
        var people = Elders;
        var policy = await As("policy01");
        await MarkAsync(policy, Entry(people[0]));
        await MarkAsync(policy, Entry(people[1], kind: "vip"));
        var window = await As("window01");
        // The early priority case is the oldest (last in a newest-first list); the late one has the latest due date
        // (last in a by-due inbox): only priority ordering brings both onto the first page of two.
        var early = await SubmitAsync(window, people[0]);
        _clock.Now = _clock.Now.AddDays(1);
        foreach (var p in people.Skip(2).Take(3)) await SubmitAsync(window, p);
        _clock.Now = _clock.Now.AddDays(1);
        var late = await SubmitAsync(window, people[1]);

        var auditor = await As("auditor01");
        var inbox = (await auditor.GetFromJsonAsync<JsonObject>("/api/tasks?scope=all&pageSize=2"))!;
        Assert.That(inbox["items"]!.AsArray().Select(t => t!["caseId"]!.GetValue<string>()), Is.EqualTo(new[] { early, late }));
        Assert.That(inbox["items"]!.AsArray().Select(t => t!["priority"]!.GetValue<string>()), Is.EqualTo(new[] { "green", "vip" }));
        var second = (await auditor.GetFromJsonAsync<JsonObject>("/api/tasks?scope=all&pageSize=2&page=2"))!;
        Assert.That(second["items"]!.AsArray().Select(t => t!["priority"]), Has.All.Null);
        var cases = (await auditor.GetFromJsonAsync<JsonObject>("/api/cases?pageSize=2"))!;
        Assert.That(cases["items"]!.AsArray().Select(c => c!["caseId"]!.GetValue<string>()), Is.EqualTo(new[] { late, early }));
        Assert.That(cases["total"]!.GetValue<int>(), Is.EqualTo(5));
    }

    /// <summary>
    /// A department's inbox page at a million tasks: each of its two reads walks the priority index, the ordinary one in
    /// page order to the page's end; neither scans the department nor sorts its tasks (SQLite chooses without
    /// statistics, so the plan on an empty database is the plan at a million).
    /// </summary>
    [Test]
    public async Task An_inbox_page_walks_the_priority_index_and_sorts_no_department()
    {
        using var scope = _host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        var reviewer = new Caller("reviewer01", Roles.Reviewer, "深圳市南山区民政局", null);
        var inbox = Api.TaskEndpoints.Inbox(db, reviewer, "department", null, null, null, null, new WarningLights(TestHost.Now, TestHost.Now.AddDays(3)));
        var priority = await CaseSearchTests.PlanAsync(Api.TaskEndpoints.PriorityTasks(inbox).Take(21), "EXPLAIN QUERY PLAN ", r => r.GetString(3));
        var ordinary = await CaseSearchTests.PlanAsync(Api.TaskEndpoints.OrdinaryTasks(inbox).Take(21), "EXPLAIN QUERY PLAN ", r => r.GetString(3));
        Assert.Multiple(() =>
        {
            Assert.That(priority, Has.Some.Contains("ix_tasks_department_priority_due (Department=? AND Priority>?)"), string.Join(" | ", priority));
            Assert.That(priority, Has.None.Match("^SCAN"), string.Join(" | ", priority));
            Assert.That(ordinary, Has.Some.Contains("ix_tasks_department_priority_due (Department=? AND Priority=?)"), string.Join(" | ", ordinary));
            Assert.That(ordinary, Has.None.Match("^SCAN").And.None.Contains("TEMP B-TREE"), string.Join(" | ", ordinary));
        });
    }
}
