using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovFlow.Activities.Cases;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using GovFlow.Host.Simulators;
using GovFlow.Workflows.Activities;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>
/// 一件事一次办: 企业开办 is one application at the window that becomes three member cases (企业设立登记, 发票申领,
/// 公章刻制备案), each its own case in its own department, whose results are released together by the bundle.
/// </summary>
[TestFixture]
public class BundleTests : DataDirFixture
{
    private const string BusinessStart = "44030501012";
    private static readonly Dictionary<string, (string Department, string Reviewer)> Members = new()
    {
        ["44030501017"] = ("深圳市南山区市场监督管理局", "reviewer07"),
        ["44030501018"] = ("国家税务总局深圳市南山区税务局", ""),
        ["44030501019"] = ("深圳市公安局南山分局", "reviewer04")
    };
    private static readonly string[] Materials = ["企业开办一表通申请表", "公司章程", "股东、法定代表人身份证明", "住所使用证明", "经办人身份证明", "发票票种核定申请表", "印章刻制备案申请表"];

    private WebApplicationFactory<Program> _factory = null!;

    [SetUp]
    public void Start() => _factory = TestHost.Create(DataDir);

    [TearDown]
    public void Stop() => _factory.Dispose();

    [Test]
    public async Task One_application_becomes_three_member_cases_with_their_own_numbers_departments_and_limits()
    {
        var bundleId = await SubmitAsync();
        var bundle = await CaseAsync(bundleId);
        var members = await MembersAsync(bundleId);
        Assert.Multiple(() =>
        {
            Assert.That(members.Select(m => m.MatterCode), Is.EqualTo(Members.Keys));
            Assert.That(members.Select(m => m.Department), Is.EqualTo(Members.Values.Select(v => v.Department)));
            Assert.That(members.Select(m => m.CaseNumber).Append(bundle.CaseNumber).Distinct().Count(), Is.EqualTo(4), "each member has a number of its own");
            Assert.That(members.Select(m => m.CaseNumber[8..13]), Is.EqualTo(new[] { "01017", "01018", "01019" }), "numbered by its own matter");
            Assert.That(members.Select(m => m.MatterName), Is.EqualTo(new[] { "企业设立登记", "发票申领", "公章刻制备案" }));
            Assert.That(members.Select(m => m.Status), Is.All.EqualTo(CaseStatus.InReview));
            Assert.That(members.Select(m => m.PromisedDue), Is.All.Not.Null);
            Assert.That(members.Select(m => m.StatutoryDue), Is.All.Not.Null);
            Assert.That(members.Select(m => m.StatutoryDue).Distinct().Count(), Is.GreaterThan(1), "statutory limits are each matter's own (3, 5 and 1 working days)");
            Assert.That(members.Select(m => (m.ApplicantName, m.ApplicantIdNumber)).Distinct().Single(), Is.EqualTo((bundle.ApplicantName, bundle.ApplicantIdNumber)));
            Assert.That(bundle.ParentCaseId, Is.Null);
        });
        var tasks = await OpenTasksAsync();
        Assert.Multiple(() =>
        {
            Assert.That(tasks.Where(t => t.CaseId == bundleId), Is.Empty, "the bundle itself waits for its members, not for a person");
            foreach (var m in members)
                Assert.That(tasks.Where(t => t.CaseId == m.Id).Select(t => t.Department).Single(), Is.EqualTo(m.Department), $"{m.MatterName} is reviewed in its own department");
        });
    }

    [Test]
    public async Task Shared_materials_are_asked_once_and_each_member_gets_the_ones_its_matter_lists()
    {
        var bundleId = await SubmitAsync();
        var bundle = CaseFile.Read((await CaseAsync(bundleId)).CaseFileJson);
        var members = await MembersAsync(bundleId);
        var checklists = members.ToDictionary(m => m.MatterCode, m => CaseFile.Read(m.CaseFileJson).Checklist.Select(l => l.Name).ToList());
        Assert.Multiple(() =>
        {
            Assert.That(bundle.Checklist.Count(l => l.Name == "企业开办一表通申请表"), Is.EqualTo(1), "the one form is asked once");
            Assert.That(checklists.Values, Has.All.Contains("企业开办一表通申请表"), "and handed to every member");
            Assert.That(checklists["44030501017"], Has.Member("公司章程").And.No.Member("发票票种核定申请表"));
            Assert.That(checklists["44030501018"], Has.Member("发票票种核定申请表").And.No.Member("公司章程"));
            Assert.That(checklists["44030501019"], Has.Member("印章刻制备案申请表").And.No.Member("发票票种核定申请表"));
            Assert.That(members.Select(m => CaseFile.Read(m.CaseFileJson).Checklist.All(l => !l.Applies || l.SatisfiedBy != null)), Is.All.True, "accepted on the bundle's materials");
        });
    }

    [Test]
    public async Task Results_released_together_wait_for_the_last_member()
    {
        var bundleId = await SubmitAsync();
        await ApproveAsync(bundleId, "44030501017");
        await ApproveAsync(bundleId, "44030501019");
        var members = await MembersAsync(bundleId);
        var bundle = await CaseAsync(bundleId);
        Assert.Multiple(() =>
        {
            Assert.That(members.Where(m => m.MatterCode != "44030501018").Select(m => m.Status), Is.All.EqualTo(CaseStatus.Completed));
            Assert.That(members.Select(m => CaseFile.Read(m.CaseFileJson).Result?.IssuedAt), Has.All.Null, "a member released together issues nothing on its own");
            Assert.That(bundle.Status, Is.Not.EqualTo(CaseStatus.Completed), "the bundle waits for 发票申领");
            Assert.That(CaseFile.Read(bundle.CaseFileJson).Result?.IssuedAt, Is.Null);
        });

        await ApproveAsync(bundleId, "44030501018");
        bundle = await CaseAsync(bundleId);
        var journal = await With(db => db.Journal.AsNoTracking().Where(r => r.InstanceId == bundle.InstanceId).OrderBy(r => r.Sequence).ToListAsync());
        Assert.Multiple(async () =>
        {
            Assert.That(bundle.Status, Is.EqualTo(CaseStatus.Completed));
            Assert.That(CaseFile.Read(bundle.CaseFileJson).Result?.IssuedAt, Is.Not.Null, "营业执照 released with the others");
            Assert.That((await MembersAsync(bundleId)).Select(m => m.Status), Is.All.EqualTo(CaseStatus.Completed));
            Assert.That(journal.Count(r => r.ActivityType == ExecuteWorkflow.BookmarkName && r.EventName == "Started"), Is.EqualTo(3), "the bundle's journal records each member's start");
            Assert.That(journal.Count(r => r.ActivityType == ExecuteWorkflow.BookmarkName && r.EventName == "Completed"), Is.EqualTo(3), "and each member's end");
            Assert.That(await OpenTasksAsync(), Is.Empty);
        });
        var auditor = await SignInAsync("auditor01");
        foreach (var m in await MembersAsync(bundleId))
        {
            var verified = await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{m.Id}/journal/verify");
            Assert.That(verified!["valid"]!.GetValue<bool>(), Is.True, $"{m.MatterName}'s own journal verifies");
            var own = await With(db => db.Journal.AsNoTracking().Where(r => r.InstanceId == m.InstanceId).CountAsync());
            Assert.That(own, Is.GreaterThan(0));
        }
    }

    [Test]
    public async Task A_refused_member_lets_the_others_finish_and_the_bundle_ends_with_the_refusal_notice()
    {
        var bundleId = await SubmitAsync();
        await ApproveAsync(bundleId, "44030501019", "reject");
        var open = await OpenTasksAsync();
        Assert.That(open.Select(t => t.MatterCode), Is.EquivalentTo(new[] { "44030501017", "44030501018" }), "continueOthers: the other members go on");
        await ApproveAsync(bundleId, "44030501017");
        await ApproveAsync(bundleId, "44030501018");

        var bundle = await CaseAsync(bundleId);
        var members = await MembersAsync(bundleId);
        var instances = members.Select(m => m.InstanceId).Append(bundle.InstanceId).ToList();
        var bookmarks = await With(db => db.Bookmarks.AsNoTracking().Where(b => instances.Contains(b.InstanceId)).ToListAsync());
        Assert.Multiple(async () =>
        {
            Assert.That(members.Single(m => m.MatterCode == "44030501019").Status, Is.EqualTo(CaseStatus.Refused));
            Assert.That(members.Where(m => m.MatterCode != "44030501019").Select(m => m.Status), Is.All.EqualTo(CaseStatus.Completed));
            Assert.That(bundle.Status, Is.EqualTo(CaseStatus.Refused));
            Assert.That(await OpenTasksAsync(), Is.Empty, "no task left open anywhere");
            Assert.That(bookmarks.Where(b => b.InstanceId != bundle.InstanceId), Is.Empty, "every member has ended");
            Assert.That(bookmarks.Select(b => b.Name), Has.None.EqualTo(ExecuteWorkflow.BookmarkName), "the bundle waits for no member");
            Assert.That(await With(db => db.Instances.AsNoTracking().Where(i => instances.Contains(i.Id) && i.Id != bundle.InstanceId).Select(i => i.Status).ToListAsync()),
                Is.All.EqualTo("Finished"));
        });
    }

    [Test]
    public async Task With_stopAll_a_refused_member_ends_the_others_at_once_and_the_bundle_ends_refused()
    {
        await PublishStopAllAsync();
        var bundleId = await SubmitAsync();
        await ApproveAsync(bundleId, "44030501019", "reject");

        var bundle = await CaseAsync(bundleId);
        var members = await MembersAsync(bundleId);
        var ended = members.Where(m => m.MatterCode != "44030501019").ToList();
        var instances = members.Select(m => m.InstanceId).Append(bundle.InstanceId).ToList();
        var bookmarks = await With(db => db.Bookmarks.AsNoTracking().Where(b => instances.Contains(b.InstanceId)).ToListAsync());
        var tasks = await With(db => db.Tasks.AsNoTracking().Where(t => ended.Select(m => m.InstanceId).Contains(t.InstanceId)).ToListAsync());
        Assert.Multiple(async () =>
        {
            Assert.That(members.Single(m => m.MatterCode == "44030501019").Status, Is.EqualTo(CaseStatus.Refused));
            Assert.That(ended.Select(m => m.Status), Is.All.EqualTo(CaseStatus.Withdrawn), "stopAll: the other members are ended at once");
            Assert.That(bundle.Status, Is.EqualTo(CaseStatus.Refused), "the bundle goes on to its refusal end");
            Assert.That(await OpenTasksAsync(), Is.Empty, "no task left open anywhere");
            Assert.That(tasks.Select(t => (t.Status, t.CompletedBy)), Is.All.EqualTo((TaskStatuses.Cancelled, "reviewer04")), "the ended members' reviews are withdrawn, not done");
            Assert.That(bookmarks.Where(b => b.InstanceId != bundle.InstanceId), Is.Empty, "no member waits for anything (task, timer or call)");
            Assert.That(bookmarks.Select(b => b.Name), Has.None.EqualTo(ExecuteWorkflow.BookmarkName), "the bundle waits for no member");
            Assert.That(await With(db => db.Instances.AsNoTracking().Where(i => instances.Contains(i.Id) && i.Id != bundle.InstanceId).Select(i => i.Status).ToListAsync()),
                Is.All.EqualTo("Finished"));
        });

        var auditor = await SignInAsync("auditor01");
        foreach (var m in ended)
        {
            var entry = await With(db => db.Journal.AsNoTracking().SingleAsync(r => r.InstanceId == m.InstanceId && r.EventName == BundleStops.EventName));
            Assert.That(entry.Message, Is.EqualTo("因一件事中「公章刻制备案」不予许可，本事项终止办理"), $"{m.MatterName}'s own journal says why");
            Assert.That(entry.Actor, Is.EqualTo("reviewer04"), "and who decided the refusal that ended it");
            Assert.That(CaseFile.Read(m.CaseFileJson).Steps.Select(s => s.Step), Has.Member("终止办理"));
        }
        foreach (var id in members.Select(m => m.Id).Append(bundleId))
        {
            var verified = await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{id}/journal/verify");
            Assert.That(verified!["valid"]!.GetValue<bool>(), Is.True, $"case {id}'s journal verifies");
        }
    }

    // Publishes v2 of 企业开办 whose only change is the refusal rule stopAll, as policy staff would.
    private async Task PublishStopAllAsync()
    {
        var policy = await SignInAsync("policy01");
        var v2 = JsonNode.Parse(await policy.GetStringAsync($"/api/definitions/{BusinessStart}/export"))!;
        v2["customProperties"]!["govflow:matter"]!["bundle"]!["refusal"] = "stopAll";
        var imported = await policy.PostAsync("/api/definitions/import", new StringContent(v2.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        Assert.That(imported.IsSuccessStatusCode, Is.True, await imported.Content.ReadAsStringAsync());
        var published = await policy.PostAsync($"/api/definitions/{BusinessStart}/publish?version=2", null);
        Assert.That(published.IsSuccessStatusCode, Is.True, await published.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task The_bundle_case_shows_its_members_progress_together()
    {
        var bundleId = await SubmitAsync();
        await ApproveAsync(bundleId, "44030501017");
        var window = await SignInAsync("window01");
        var view = (await window.GetFromJsonAsync<JsonObject>($"/api/cases/{bundleId}/bundle"))!;
        var members = view["members"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(members.Select(m => m!["matterName"]!.GetValue<string>()), Is.EqualTo(new[] { "企业设立登记", "发票申领", "公章刻制备案" }));
            Assert.That(members.Select(m => m!["status"]!.GetValue<string>()), Is.EqualTo(new[] { CaseStatus.Completed, CaseStatus.InReview, CaseStatus.InReview }));
            Assert.That(members.Select(m => m!["department"]!.GetValue<string>()), Is.EqualTo(Members.Values.Select(v => v.Department)));
            Assert.That(members.Select(m => m!["promisedDue"]), Has.All.Not.Null);
            Assert.That(view["release"]!.GetValue<string>(), Is.EqualTo("together"));
            Assert.That(view["sharedMaterials"]!.AsArray().Select(m => m!.GetValue<string>()), Does.Contain("企业开办一表通申请表"));
        });
        var member = (await MembersAsync(bundleId))[0];
        var up = (await SignInAsync("reviewer07").Result.GetFromJsonAsync<JsonObject>($"/api/cases/{member.Id}/bundle"))!;
        Assert.That(up["bundle"]!["caseId"]!.GetValue<string>(), Is.EqualTo(bundleId), "a member links to its bundle");
    }

    [Test]
    public async Task A_bundle_resumes_after_a_restart_when_its_last_member_finishes()
    {
        var bundleId = await SubmitAsync();
        await ApproveAsync(bundleId, "44030501017");
        _factory.Dispose();
        _factory = TestHost.Create(DataDir);
        await ApproveAsync(bundleId, "44030501018");
        _factory.Dispose();
        _factory = TestHost.Create(DataDir);
        await ApproveAsync(bundleId, "44030501019");
        var bundle = await CaseAsync(bundleId);
        Assert.Multiple(async () =>
        {
            Assert.That(bundle.Status, Is.EqualTo(CaseStatus.Completed));
            Assert.That(CaseFile.Read(bundle.CaseFileJson).Result?.IssuedAt, Is.Not.Null);
            Assert.That(await OpenTasksAsync(), Is.Empty);
        });
    }

    private async Task<string> SubmitAsync()
    {
        var company = _factory.Services.GetRequiredService<SimulatedWorld>().Enterprises[5];
        var response = await WithService(s => s.SubmitAsync(new CaseSubmission
        {
            MatterCode = BusinessStart, Channel = "window",
            Applicant = new ApplicantInput { Name = company.Name, IdType = "001", IdNumber = company.Uscc, Phone = "13912345678", Address = company.Address },
            Materials = Materials.Select(m => new MaterialInput { Name = m, Provided = true }).ToList()
        }, null, "window01"));
        return response["caseId"]!.GetValue<string>();
    }

    // The member's own department's reviewer acts on its only task.
    private async Task ApproveAsync(string bundleId, string matterCode, string action = "approve")
    {
        var member = (await MembersAsync(bundleId)).Single(m => m.MatterCode == matterCode);
        var task = (await OpenTasksAsync()).Single(t => t.CaseId == member.Id);
        var reviewer = Members[matterCode].Reviewer is { Length: > 0 } named ? named
            : await With(db => db.Users.AsNoTracking().Where(u => u.Department == task.Department && u.Role == task.Role).Select(u => u.UserName).FirstAsync());
        await WithService(s => s.CompleteAsync(task.Id, new TaskAction { Action = action, Opinion = action == "approve" ? "同意" : "经营范围涉及前置许可，材料不符" }, reviewer));
    }

    private Task<CaseRecord> CaseAsync(string id) => With(db => db.Cases.AsNoTracking().SingleAsync(c => c.Id == id));

    private Task<List<CaseRecord>> MembersAsync(string bundleId) =>
        With(db => db.Cases.AsNoTracking().Where(c => c.ParentCaseId == bundleId).OrderBy(c => c.MatterCode).ToListAsync());

    private Task<List<TaskRecord>> OpenTasksAsync() =>
        With(db => db.Tasks.AsNoTracking().Where(t => t.Status == TaskStatuses.Open || t.Status == TaskStatuses.Claimed).OrderBy(t => t.CreatedAt).ToListAsync());

    private async Task<HttpClient> SignInAsync(string user)
    {
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        (await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = DemoUsers.Password })).EnsureSuccessStatusCode();
        return client;
    }

    private async Task<T> With<T>(Func<GovFlowDb, Task<T>> work)
    {
        using var scope = _factory.Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<GovFlowDb>());
    }

    private async Task<T> WithService<T>(Func<CaseService, Task<T>> work)
    {
        using var scope = _factory.Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<CaseService>());
    }
}
