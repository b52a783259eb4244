using System.Text.RegularExpressions;
using GovFlow.Activities.Matters;
using GovFlow.Host.Simulators;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GovFlow.Browser.Tests;

/// <summary>
/// Policy staff in GovFlow's own designer: a new matter drawn from an empty canvas, linted, dry-run and published, then
/// handled by a window clerk and a reviewer; and a published matter changed, compared and published as v2 while a v1
/// case is open, with both cases finished.
/// </summary>
[TestFixture, NonParallelizable]
public class DesignerTests
{
    private BrowserHost _host = null!;

    [OneTimeSetUp]
    public async Task Start() => _host = await BrowserHost.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    [Test]
    public async Task A_new_matter_is_drawn_from_an_empty_canvas_linted_dry_run_published_and_a_case_on_it_finished()
    {
        const string code = "44030599901", name = "社区文化活动场地使用登记";
        string[] materials = ["场地使用申请表", "申请人身份证明", "活动方案"];

        var policy = await _host.SignInAsync("policy01");
        await policy.GotoAsync("/matters");
        await policy.GetByTestId("new-matter").ClickAsync();
        await policy.GetByTestId("matter-code").FillAsync(code);
        await policy.GetByTestId("matter-name").FillAsync(name);
        await BrowserHost.PickAsync(policy, "matter-department", "深圳市南山区民政局");
        for (var i = 0; i < materials.Length; i++)
        {
            await policy.GetByTestId("matter-add-material").ClickAsync();
            await policy.GetByTestId($"matter-materials-{i}-name").FillAsync(materials[i]);
        }
        await BrowserHost.ShotAsync(policy, "designer-01-matter");

        // The flow, from an empty canvas: 开始 → 一窗受理 → 初审 → 决定 → 办结.
        await policy.GetByTestId("tab-flow").ClickAsync();
        await Expect(policy.GetByTestId("flow-problems")).ToContainTextAsync("流程图还是空的");
        foreach (var type in new[] { "Elsa.Start", "GovFlow.Acceptance", "GovFlow.ReviewTask", "GovFlow.ReviewTask", "GovFlow.Conclude" })
            await policy.GetByTestId($"palette-{type}").ClickAsync();
        await Connect(policy, "start1", "Done", "acceptance1");
        await Connect(policy, "acceptance1", "Accepted", "reviewTask1");
        await Connect(policy, "reviewTask1", "Approved", "reviewTask2");
        await Connect(policy, "reviewTask2", "Approved", "conclude1");
        await Select(policy, "acceptance1");
        await policy.GetByTestId("prop-department").FillAsync("综合窗口");
        await Select(policy, "reviewTask1");
        await policy.GetByTestId("activity-name").FillAsync("初审");
        await policy.GetByTestId("prop-stepName").FillAsync("初审");
        await Select(policy, "reviewTask2");
        await policy.GetByTestId("activity-name").FillAsync("决定");
        await policy.GetByTestId("prop-stepName").FillAsync("决定");
        await policy.GetByTestId("prop-department").FillAsync("深圳市南山区民政局");
        await policy.GetByTestId("flow-layout").ClickAsync();

        // The lint marks the step that names no department, and the problem goes when it is given one.
        await Expect(policy.GetByTestId("node-reviewTask1")).ToHaveClassAsync(new Regex("has-problem"));
        await Expect(policy.GetByTestId("flow-problems")).ToContainTextAsync("“初审”");
        await Expect(policy.GetByTestId("flow-problems")).ToContainTextAsync("办理部门");
        await BrowserHost.ShotAsync(policy, "designer-02-lint");
        await Select(policy, "reviewTask1");
        await policy.GetByTestId("prop-department").FillAsync("深圳市南山区民政局");
        await Expect(policy.GetByTestId("problem-count")).ToHaveTextAsync("校验通过");
        await Expect(policy.GetByTestId("node-reviewTask1")).Not.ToHaveClassAsync(new Regex("has-problem"));

        // A dry run goes through both steps to the end without making a case.
        await policy.GetByTestId("tab-dryrun").ClickAsync();
        await policy.GetByTestId("dryrun-run").ClickAsync();
        await Expect(policy.GetByTestId("dryrun-path")).ToContainTextAsync("办结");
        await Expect(policy.GetByTestId("dryrun-tasks")).ToContainTextAsync("初审");
        await Expect(policy.GetByTestId("dryrun-tasks")).ToContainTextAsync("决定");
        await Expect(policy.GetByTestId("dryrun-journal")).ToBeVisibleAsync();
        await BrowserHost.ShotAsync(policy, "designer-03-dry-run");

        await policy.GetByTestId("save-draft").ClickAsync();
        await Expect(policy).ToHaveURLAsync(new Regex($"/designer/{code}$"));
        // The saved matter opens on its own route; its tabs are clicked once that page has loaded it (save is then
        // disabled), not on the new-matter page still on screen for a moment after the URL changed.
        await Expect(policy.GetByTestId("save-draft")).ToBeDisabledAsync();
        await policy.GetByTestId("tab-versions").ClickAsync();
        await policy.GetByTestId("publish-1").ClickAsync();
        await Expect(policy.GetByTestId("impact-new-cases")).ToBeVisibleAsync();
        await BrowserHost.ShotAsync(policy, "designer-04-publish");
        await policy.GetByTestId("publish-confirm").Locator(".ant-btn-primary").ClickAsync();
        await Expect(policy.GetByTestId("version-1")).ToContainTextAsync("已发布");

        // The window accepts a case on it, and the reviewer decides both steps.
        var caseNumber = await AcceptAsync(name, materials);
        await _host.ActAsync("reviewer01", caseNumber, "approve");
        await _host.ActAsync("reviewer01", caseNumber, "approve");
        await ExpectStatusAsync(caseNumber, "已办结");
    }

    [Test]
    public async Task A_published_matter_is_changed_compared_and_published_as_v2_while_a_v1_case_is_open_and_both_cases_finish()
    {
        // 高龄津贴: a v1 case is open before the change.
        const string code = "44030505001", matter = "高龄津贴";
        var v1Case = await AcceptElderlyAllowanceAsync(matter);

        var policy = await _host.SignInAsync("policy01");
        await policy.GotoAsync($"/designer/{code}");
        await FillNumber(policy, "matter-promisedLimit-value", "25");
        await FillNumber(policy, "matter-materials-3-copies", "1");
        await Expect(policy.GetByTestId("problem-count")).ToHaveTextAsync("校验通过");
        await policy.GetByTestId("save-draft").ClickAsync();
        await Expect(policy.GetByTestId("unsaved")).ToHaveCountAsync(0);

        await policy.GetByTestId("tab-versions").ClickAsync();
        await policy.GetByTestId("version-1").Locator(".ant-checkbox-input").CheckAsync();
        await policy.GetByTestId("version-2").Locator(".ant-checkbox-input").CheckAsync();
        await policy.GetByTestId("compare").ClickAsync();
        await Expect(policy.GetByTestId("compare-elements")).ToContainTextAsync("承诺");
        await Expect(policy.GetByTestId("compare-elements")).ToContainTextAsync("25个工作日");
        await Expect(policy.GetByTestId("version-compare")).ToContainTextAsync("银行卡");
        await BrowserHost.ShotAsync(policy, "designer-05-compare");
        await policy.Keyboard.PressAsync("Escape");

        await policy.GetByTestId("publish-2").ClickAsync();
        await Expect(policy.GetByTestId("impact-open-cases")).ToContainTextAsync("1");
        await BrowserHost.ShotAsync(policy, "designer-06-publish-v2");
        await policy.GetByTestId("publish-confirm").Locator(".ant-btn-primary").ClickAsync();
        await Expect(policy.GetByTestId("version-2")).ToContainTextAsync("已发布");

        // A v2 case starts on the new version; both are finished by the departments.
        var v2Case = await AcceptElderlyAllowanceAsync(matter);
        foreach (var caseNumber in new[] { v1Case, v2Case })
        {
            await _host.ActAsync("reviewer02", caseNumber, "approve");
            await _host.ActAsync("reviewer01", caseNumber, "approve");
            await _host.ActAsync("reviewer01", caseNumber, "approve");
        }
        await ExpectStatusAsync(v1Case, "已办结");
        await ExpectStatusAsync(v2Case, "已办结");
    }

    private async Task<string> AcceptElderlyAllowanceAsync(string matter)
    {
        var window = await _host.SignInAsync("window01");
        await window.GotoAsync("/accept");
        await BrowserHost.PickAsync(window, "matter", matter);
        // A resident over 80 whose ID card and household register the certificate library holds.
        var person = _host.Factory.Services.GetRequiredService<SimulatedWorld>().People.First(p => p.BirthDate.Year < 1944);
        await window.GetByTestId("name").FillAsync(person.Name);
        await window.GetByTestId("idNumber").FillAsync(person.IdNumber);
        await window.GetByTestId("phone").FillAsync("13912345678");
        await window.GetByTestId("lookup").ClickAsync();
        foreach (var tick in await window.Locator("[data-testid^='tick-']").AllAsync())
            if (!await tick.IsCheckedAsync()) await tick.CheckAsync();
        await window.GetByTestId("accept").ClickAsync();
        var caseNumber = (await window.GetByTestId("receipt-number").TextContentAsync())!.Trim();
        await window.Context.CloseAsync();
        return caseNumber;
    }

    private async Task<string> AcceptAsync(string matter, IEnumerable<string> materials)
    {
        var window = await _host.SignInAsync("window01");
        await window.GotoAsync("/accept");
        await BrowserHost.PickAsync(window, "matter", matter);
        await window.GetByTestId("name").FillAsync("周文华");
        await window.GetByTestId("idNumber").FillAsync(IdentityNumber.Complete("44030519800101123"));
        await window.GetByTestId("phone").FillAsync("13812345678");
        foreach (var material in materials) await window.GetByTestId($"tick-{material}").CheckAsync();
        await window.GetByTestId("accept").ClickAsync();
        var caseNumber = (await window.GetByTestId("receipt-number").TextContentAsync())!.Trim();
        Assert.That(caseNumber, Does.Match(@"^\d{19}$"));
        await BrowserHost.ShotAsync(window, "designer-07-accepted");
        await window.Context.CloseAsync();
        return caseNumber;
    }

    // Through the auditor's case search: the status the hall sees.
    private async Task ExpectStatusAsync(string caseNumber, string status)
    {
        var page = await _host.SignInAsync("auditor01");
        await page.GotoAsync("/cases");
        await page.GetByTestId("case-search").FillAsync(caseNumber);
        await page.Keyboard.PressAsync("Enter");
        await page.GetByTestId("case-link").Filter(new() { HasText = caseNumber }).ClickAsync();
        await Expect(page.GetByTestId("case-status")).ToHaveTextAsync(status);
        await page.Context.CloseAsync();
    }

    // antd puts a number field's test id on its input or on the wrapper, depending on the version.
    private static Task FillNumber(IPage page, string testId, string value) =>
        page.Locator($"input[data-testid='{testId}'], [data-testid='{testId}'] input").First.FillAsync(value);

    // Nodes added later sit below the visible canvas: the view is fitted before one is picked.
    private static async Task Select(IPage page, string activityId)
    {
        await page.GetByTestId("flow-fit").ClickAsync();
        await page.GetByTestId($"node-{activityId}").ClickAsync();
    }

    private static async Task Connect(IPage page, string from, string port, string to)
    {
        await Select(page, from);
        await page.GetByTestId($"connect-{port}").SelectOptionAsync(to);
        await Expect(page.GetByTestId($"outcome-{port}-{to}")).ToBeVisibleAsync();
    }
}
