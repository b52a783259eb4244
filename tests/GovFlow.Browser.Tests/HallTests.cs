using System.Net.Http.Json;
using System.Text.RegularExpressions;
using GovFlow.Activities.Tasks;
using GovFlow.Host.Persistence;
using GovFlow.Host.Scheduling;
using GovFlow.Host.Simulators;
using GovFlow.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GovFlow.Browser.Tests;

/// <summary>
/// Each role's main path in a real browser against the real host: the window accepts a parallel matter with a
/// certificate-satisfied material, the departments decide in parallel, the lead department approves, the result
/// is posted, the applicant rates it, and the auditor replays the case and sees its hash chain verify.
/// </summary>
[TestFixture, NonParallelizable]
public class HallTests
{
    private BrowserHost _host = null!;

    [OneTimeSetUp]
    public async Task Start() => _host = await BrowserHost.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    [Test]
    public async Task A_case_goes_from_the_window_through_parallel_approval_to_the_rating_and_the_auditors_replay()
    {
        var company = _host.Factory.Services.GetRequiredService<SimulatedWorld>().Enterprises[3];

        // 一窗受理: the window clerk picks the matter, enters the applicant, looks up certificates, ticks the paper.
        var window = await _host.SignInAsync("window01");
        await Expect(window).ToHaveURLAsync(new Regex("/inbox$"));
        await BrowserHost.ShotAsync(window, "01-window-inbox");
        await window.GotoAsync("/accept");
        await BrowserHost.PickAsync(window, "matter", "娱乐场所");
        await window.GetByTestId("name").FillAsync(company.Name);
        await window.Locator(".ant-form-item").Filter(new() { HasText = "证件类型" }).Locator(".ant-select").ClickAsync();
        await window.Locator(".ant-select-item-option").Filter(new() { HasText = "统一社会信用代码" }).ClickAsync();
        await window.GetByTestId("idNumber").FillAsync(company.Uscc);
        await window.GetByTestId("phone").FillAsync("13912345678");
        await window.GetByTestId("address").FillAsync(company.Address);
        await window.GetByTestId("lookup").ClickAsync();
        await Expect(window.GetByTestId("cert-营业执照")).ToBeVisibleAsync();
        foreach (var material in new[] { "娱乐场所设立申请书", "法定代表人及主要负责人身份证明", "房产权属证明或租赁合同", "消防安全检查合格证明", "环境影响评价文件", "场所内部结构平面示意图" })
            await window.GetByTestId($"tick-{material}").CheckAsync();
        await BrowserHost.ShotAsync(window, "02-window-acceptance");
        await window.GetByTestId("accept").ClickAsync();
        var caseNumber = (await window.GetByTestId("receipt-number").TextContentAsync())!.Trim();
        Assert.That(caseNumber, Does.Match(@"^\d{19}$"));
        await BrowserHost.ShotAsync(window, "03-window-receipt");
        await window.GetByRole(AriaRole.Button, new() { Name = "查看办件" }).ClickAsync();
        await Expect(window.GetByTestId("material-certificate")).ToHaveTextAsync("电子证照");
        await Expect(window.GetByTestId("case-status")).ToHaveTextAsync("审查中");
        await BrowserHost.ShotAsync(window, "04-case-page");

        // 并联审批: each member department answers from its own inbox.
        foreach (var reviewer in new[] { "reviewer04", "reviewer05", "reviewer06" })
            await _host.ActAsync(reviewer, caseNumber, "agree", shot: reviewer == "reviewer04" ? "05-reviewer-inbox" : null);
        // The lead department approves, then the result is issued and posted.
        await _host.ActAsync("reviewer03", caseNumber, "approve", shot: "06-lead-approval");

        await window.ReloadAsync();
        await Expect(window.GetByTestId("waybill")).ToContainTextAsync("EMS");
        var waybill = Regex.Match((await window.GetByTestId("waybill").TextContentAsync())!, @"EMS\d+").Value;
        using (var http = new HttpClient { BaseAddress = new Uri(_host.Url) })
            (await http.PostAsJsonAsync($"/sim/mail/waybills/{waybill}/status", new { status = "delivered", detail = "本人签收" })).EnsureSuccessStatusCode();
        Assert.That(await _host.Factory.Services.GetRequiredService<DueBookmarkSweeper>().TrackWaybillsAsync(), Is.GreaterThanOrEqualTo(1));

        // The applicant looks up the progress on the public page and rates the service.
        var applicant = await _host.NewPageAsync(390, 844);
        await applicant.GotoAsync("/progress");
        await applicant.GetByTestId("p-caseNumber").FillAsync(caseNumber);
        await applicant.GetByTestId("p-idNumber").FillAsync(company.Uscc);
        await applicant.GetByTestId("p-lookup").ClickAsync();
        await Expect(applicant.GetByTestId("p-status")).ToHaveTextAsync("已办结");
        await applicant.GetByTestId("p-comment").FillAsync("办事快，服务好");
        await BrowserHost.ShotAsync(applicant, "07-applicant-progress-phone");
        await applicant.GetByTestId("p-rate").ClickAsync();
        await Expect(applicant.GetByTestId("p-rated")).ToContainTextAsync("非常满意");

        // The auditor finds the case, replays it step by step and sees the chain verify.
        var auditor = await _host.SignInAsync("auditor01");
        await auditor.GotoAsync("/cases");
        await auditor.GetByTestId("case-search").FillAsync(caseNumber);
        await auditor.GetByTestId("case-search").PressAsync("Enter");
        await auditor.GetByRole(AriaRole.Link, new() { Name = "回放" }).First.ClickAsync();
        await Expect(auditor.GetByTestId("chain-badge")).ToContainTextAsync("哈希链校验通过");
        var position = await auditor.GetByTestId("replay-position").TextContentAsync();
        await auditor.GetByTestId("step-back").ClickAsync();
        await Expect(auditor.GetByTestId("replay-position")).Not.ToHaveTextAsync(position!);
        await auditor.GetByTestId("step-forward").ClickAsync();
        await Expect(auditor.GetByTestId("replay-position")).ToHaveTextAsync(position!);
        await Expect(auditor.GetByTestId("replay-step")).ToBeVisibleAsync();
        await Expect(auditor.GetByTestId("flow-diagram")).ToBeVisibleAsync();
        await BrowserHost.ShotAsync(auditor, "08-auditor-replay");
        var download = await auditor.RunAndWaitForDownloadAsync(() => auditor.GetByTestId("export-csv").ClickAsync());
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.That(csv, Does.StartWith("\ufeffsequence,timestamp,activityId"));
        Assert.That(csv, Does.Contain("reviewer04"));
    }

    [Test]
    public async Task A_second_clerk_acting_on_a_task_already_done_is_told_plainly()
    {
        var caseNumber = await AcceptElderlyAllowanceAsync();

        var first = await _host.SignInAsync("reviewer02");
        var second = await _host.SignInAsync("reviewer02");
        await first.GotoAsync("/inbox");
        await first.GetByTestId("task-link").Filter(new() { HasText = caseNumber }).ClickAsync();
        var url = first.Url;
        await second.GotoAsync(url);
        // Both have the open task on screen before the first acts (the page loads the task after the document).
        await Expect(second.GetByTestId("submit-action")).ToBeVisibleAsync();
        await first.GetByTestId("submit-action").ClickAsync();
        await Expect(first.Locator(".ant-message")).ToContainTextAsync("已办理");
        await second.GetByTestId("submit-action").ClickAsync();
        await Expect(second.GetByTestId("task-error")).ToContainTextAsync("其他人已先办理");
        await BrowserHost.ShotAsync(second, "09-conflict");
    }

    [Test]
    public async Task A_clerk_gives_a_task_back_a_head_hands_it_on_and_an_auditor_retries_a_faulted_step()
    {
        var caseNumber = await AcceptElderlyAllowanceAsync();

        // The holder gives a claimed task back to the department's inbox.
        var reviewer = await _host.SignInAsync("reviewer02");
        var row = reviewer.Locator("tr").Filter(new() { HasText = caseNumber });
        await row.GetByTestId("claim").ClickAsync();
        await row.GetByTestId("unclaim").ClickAsync();
        await Expect(reviewer.Locator(".ant-message")).ToContainTextAsync("已退回签收");
        await Expect(row.GetByTestId("claim")).ToBeVisibleAsync();
        await row.GetByTestId("claim").ClickAsync();
        await Expect(row.GetByTestId("unclaim")).ToBeVisibleAsync();

        // The department head hands reviewer02's task to another handler of the department and role.
        var head = await _host.SignInAsync("head02");
        await head.GetByTestId("task-link").Filter(new() { HasText = caseNumber }).ClickAsync();
        await Expect(head.GetByTestId("release")).ToBeVisibleAsync();
        await head.GetByTestId("reassign-select").ClickAsync();
        await head.Locator(".ant-select-item-option").Filter(new() { HasText = "reviewer08" }).ClickAsync();
        await head.GetByTestId("reassign").ClickAsync();
        await Expect(head.Locator(".ant-message")).ToContainTextAsync("已改派给 reviewer08");
        await Expect(head.GetByTestId("task-panel")).ToContainTextAsync("何复核"); // reviewer08, by the name the hall knows
        await BrowserHost.ShotAsync(head, "13-head-reassigned");

        // The step faulted when reviewer08 approved it (the host records it so, with what was asked): the auditor
        // finds it among the exceptions and runs it again.
        string stepName;
        using (var scope = _host.Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
            var task = await db.Tasks.SingleAsync(t => t.CaseNumber == caseNumber && t.Status == "Claimed");
            stepName = task.StepName;
            var bookmark = await db.Bookmarks.SingleAsync(b => b.Id == task.Id);
            db.Incidents.Add(new IncidentRecord
            {
                Id = Guid.CreateVersion7().ToString("N"), CaseId = task.CaseId, CaseNumber = caseNumber, InstanceId = task.InstanceId,
                BookmarkId = task.Id, BookmarkName = task.Kind, Actor = "reviewer08", ActivityId = bookmark.ActivityId, ActivityType = "GovFlow.ReviewTask",
                InputJson = Values.ToJson(new TaskCommand("approve", "材料齐全，同意").ToInput())?.ToJsonString(),
                Message = "电子证照服务暂时不可用", OccurredAt = DateTimeOffset.UtcNow, Attempts = 1
            });
            await db.SaveChangesAsync();
        }
        var auditor = await _host.SignInAsync("auditor01");
        await auditor.GetByTestId("menu-incidents").ClickAsync();
        var incident = auditor.GetByTestId("incidents-table").Locator("tr").Filter(new() { HasText = caseNumber });
        await Expect(incident).ToContainTextAsync("电子证照服务暂时不可用");
        await Expect(incident).ToContainTextAsync("待重试");
        await Expect(incident).ToContainTextAsync(stepName);
        await BrowserHost.ShotAsync(auditor, "14-incidents");
        await incident.GetByTestId("incident-retry").ClickAsync();
        await Expect(auditor.Locator(".ant-message")).ToContainTextAsync("已重试");
        await Expect(incident).ToHaveCountAsync(0);
        await auditor.GetByTestId("incident-status-filter").GetByText("已解决").ClickAsync();
        await Expect(incident).ToContainTextAsync("孙监察"); // auditor01 resolved it
        await incident.GetByTestId("incident-case-link").ClickAsync();
        await Expect(auditor.GetByText("何复核").First).ToBeVisibleAsync();
        await BrowserHost.ShotAsync(auditor, "15-incident-resolved-case");
    }

    [Test]
    public async Task An_administrator_opens_a_hall_and_its_new_clerk_sets_a_password_before_working()
    {
        var admin = await _host.SignInAsync("admin01");
        await Expect(admin).ToHaveURLAsync(new Regex("/admin$"));
        await admin.GetByRole(AriaRole.Tab, new() { Name = "部门与大厅" }).ClickAsync();
        await admin.GetByTestId("department-new").ClickAsync();
        await admin.GetByTestId("department-name").FillAsync("南山区政务服务中心前海分中心");
        await admin.GetByTestId("department-hall").CheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "保 存" }).ClickAsync();
        await Expect(admin.GetByTestId("departments-table")).ToContainTextAsync("南山区政务服务中心前海分中心");

        await admin.GetByRole(AriaRole.Tab, new() { Name = "人员" }).ClickAsync();
        await admin.GetByTestId("user-new").ClickAsync();
        await admin.GetByTestId("user-userName").FillAsync("qh_window1");
        await admin.GetByTestId("user-displayName").FillAsync("前海窗口一");
        await BrowserHost.PickAsync(admin, "user-department", "前海分中心");
        await Expect(admin.GetByTestId("user-form")).ToContainTextAsync("前海分中心");
        // The clerk also audits (兼任): the form offers only the roles the host accepts besides a post.
        await BrowserHost.PickAsync(admin, "user-other-roles", "监察审计");
        await admin.Keyboard.PressAsync("Escape");
        await Expect(admin.GetByTestId("user-other-roles")).ToContainTextAsync("监察审计");
        await admin.GetByRole(AriaRole.Button, new() { Name = "保 存" }).ClickAsync();
        // Creating a user hashes its one-time password: give a loaded machine time, and say what the form said if it refused.
        try { await Expect(admin.GetByTestId("one-time-password")).ToBeVisibleAsync(new() { Timeout = 45_000 }); }
        catch (PlaywrightException)
        {
            await BrowserHost.ShotAsync(admin, "16-admin-user-not-created");
            Assert.Fail($"no one-time password; the form shows: {await admin.GetByTestId("user-form").InnerTextAsync()}");
        }
        var oneTime = (await admin.GetByTestId("one-time-password").InnerTextAsync()).Trim();
        Assert.That(oneTime, Has.Length.EqualTo(16));
        await BrowserHost.ShotAsync(admin, "16-admin-one-time-password");
        await admin.GetByRole(AriaRole.Button, new() { Name = "知道了" }).ClickAsync();
        await admin.GetByRole(AriaRole.Tab, new() { Name = "变更记录" }).ClickAsync();
        await Expect(admin.GetByTestId("changes-table")).ToContainTextAsync("qh_window1");
        // A change reads field by field in the hall's words, not as JSON.
        await admin.GetByTestId("changes-table").Locator("tr", new() { HasText = "qh_window1" }).First.Locator(".ant-table-row-expand-icon").ClickAsync();
        await Expect(admin.GetByTestId("change-fields").First).ToContainTextAsync("兼任角色");
        await Expect(admin.GetByTestId("change-fields").First).ToContainTextAsync("监察审计");
        await Expect(admin.GetByTestId("change-fields").First).Not.ToContainTextAsync("{");
        await BrowserHost.ShotAsync(admin, "17-admin-change-log");

        var clerk = await _host.NewPageAsync();
        await clerk.GotoAsync("/login");
        await clerk.GetByTestId("userName").FillAsync("qh_window1");
        await clerk.GetByTestId("password").FillAsync(oneTime);
        await clerk.GetByTestId("signIn").ClickAsync();
        await Expect(clerk).ToHaveURLAsync(new Regex("/password$"));
        await Expect(clerk.GetByTestId("must-change")).ToBeVisibleAsync();
        await clerk.GotoAsync("/inbox");
        await Expect(clerk).ToHaveURLAsync(new Regex("/password$"), new() { Timeout = 10_000 });
        await clerk.GetByTestId("pw-current").FillAsync(oneTime);
        await clerk.GetByTestId("pw-new").FillAsync("short1");
        await clerk.GetByTestId("pw-confirm").FillAsync("short1");
        await clerk.GetByTestId("pw-submit").ClickAsync();
        await Expect(clerk.Locator(".ant-form-item-explain-error").First).ToContainTextAsync("密码至少 10 位");
        await BrowserHost.ShotAsync(clerk, "18-password-policy");
        await clerk.GetByTestId("pw-new").FillAsync("Qianhai-2026-ok");
        await clerk.GetByTestId("pw-confirm").FillAsync("Qianhai-2026-ok");
        await clerk.GetByTestId("pw-submit").ClickAsync();
        await Expect(clerk).ToHaveURLAsync(new Regex("/inbox$"));
        await Expect(clerk.GetByTestId("menu-incidents")).ToBeVisibleAsync();
    }

    /// <summary>The window accepts an elderly allowance: its first review is reviewer02's street office (粤海街道).</summary>
    private async Task<string> AcceptElderlyAllowanceAsync()
    {
        var elder = _host.Factory.Services.GetRequiredService<SimulatedWorld>().People.First(p => p.BirthDate.Year < 1946);
        var window = await _host.SignInAsync("window01");
        var accepted = await window.APIRequest.PostAsync("/api/cases", new()
        {
            DataObject = new
            {
                matterCode = "44030505001", channel = "window", data = new { age = 2026 - elder.BirthDate.Year },
                applicant = new { name = elder.Name, idType = "111", idNumber = elder.IdNumber, phone = elder.Phone, address = elder.Address },
                materials = new[] { "高龄津贴申请书", "居民身份证", "银行卡", "照片" }.Select(m => new { name = m, provided = true })
            }
        });
        Assert.That(accepted.Status, Is.EqualTo(201), await accepted.TextAsync());
        var caseNumber = (await accepted.JsonAsync())!.Value.GetProperty("caseNumber").GetString()!;
        await window.Context.CloseAsync();
        return caseNumber;
    }

    [Test]
    public async Task The_dashboard_and_the_catalog_draw_their_charts_and_diagrams()
    {
        var auditor = await _host.SignInAsync("auditor01");
        await auditor.GotoAsync("/dashboard");
        await Expect(auditor.GetByTestId("metric").First).ToBeVisibleAsync();
        await Expect(auditor.Locator("canvas").First).ToBeVisibleAsync();
        await BrowserHost.ShotAsync(auditor, "10-dashboard");
        await auditor.GetByTestId("menu-red-cards").ClickAsync();
        await Expect(auditor.GetByTestId("red-cards-table")).ToBeVisibleAsync();
        await BrowserHost.ShotAsync(auditor, "10b-red-cards");
        await auditor.GetByRole(AriaRole.Tab, new() { Name = "环节超时" }).ClickAsync();
        await Expect(auditor.GetByTestId("step-overruns-table")).ToBeVisibleAsync();
        var policy = await _host.SignInAsync("policy01");
        await Expect(policy).ToHaveURLAsync(new Regex("/matters$"));
        await policy.GetByTestId("matter-44030501004").ClickAsync();
        await BrowserHost.ShotAsync(policy, "11-matter-catalog");
        await Expect(policy.GetByTestId("flow-diagram").Locator(".react-flow__node").First).ToBeVisibleAsync();
        Assert.That(await policy.GetByTestId("flow-diagram").Locator(".react-flow__node").CountAsync(), Is.GreaterThan(10));
        await policy.GetByTestId("migration-open").ClickAsync();
        await Expect(policy.Locator(".ant-modal")).ToContainTextAsync("新申请已按第 1 版办理");
        await BrowserHost.ShotAsync(policy, "11b-migration-preview");
        await policy.Locator(".ant-modal-close").ClickAsync();
        // Next year's notice is not out yet: the holiday page shows the year computed from the statute, and says so.
        await policy.GetByTestId("menu-calendar").ClickAsync();
        await policy.GetByTestId("calendar-year").FillAsync("2027");
        await policy.GetByTestId("calendar-year").PressAsync("Enter");
        await Expect(policy.GetByTestId("provisional")).ToContainTextAsync("暂按法定节假日计算");
        await BrowserHost.ShotAsync(policy, "11c-calendar-2027-provisional");
        await policy.GotoAsync("/matters");
        await policy.GetByTestId("lang").GetByText("EN").ClickAsync();
        await Expect(policy.GetByText("Matter catalog")).ToBeVisibleAsync();
    }

    [Test]
    public async Task Bad_input_is_shown_in_words_and_phones_get_a_usable_inbox()
    {
        var page = await _host.NewPageAsync();
        await page.GotoAsync("/progress");
        await page.GetByTestId("p-caseNumber").FillAsync("000");
        await page.GetByTestId("p-idNumber").FillAsync("11010519491231002X");
        await page.GetByTestId("p-lookup").ClickAsync();
        await Expect(page.GetByTestId("p-error")).ToContainTextAsync("未查到办件");
        var phone = await _host.SignInAsync("reviewer01", 390, 844);
        await Expect(phone.GetByTestId("count-red")).ToBeVisibleAsync();
        await BrowserHost.ShotAsync(phone, "12-inbox-phone");
    }
}
