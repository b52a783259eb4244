using System.Text.RegularExpressions;
using GovFlow.Host.Persistence;
using GovFlow.Host.Simulators;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GovFlow.Browser.Tests;

/// <summary>
/// 企业开办 as one application: the window accepts it once, each department approves its own member case from its
/// own inbox, and the bundle's case page shows the three member cases done and the result released together.
/// </summary>
[TestFixture, NonParallelizable]
public class BundleTests
{
    private BrowserHost _host = null!;

    [SetUp]
    public async Task Start() => _host = await BrowserHost.StartAsync();

    [TearDown]
    public async Task Stop() => await _host.DisposeAsync();

    [Test]
    public async Task The_window_accepts_business_start_once_and_three_departments_finish_it_together()
    {
        var company = _host.Factory.Services.GetRequiredService<SimulatedWorld>().Enterprises[4];
        var window = await _host.SignInAsync("window01");
        await Expect(window).ToHaveURLAsync(new Regex("/inbox$"));
        await window.GotoAsync("/accept");
        await BrowserHost.PickAsync(window, "matter", "企业开办");
        await window.GetByTestId("name").FillAsync(company.Name);
        await window.Locator(".ant-form-item").Filter(new() { HasText = "证件类型" }).Locator(".ant-select").ClickAsync();
        await window.Locator(".ant-select-item-option").Filter(new() { HasText = "统一社会信用代码" }).ClickAsync();
        await window.GetByTestId("idNumber").FillAsync(company.Uscc);
        await window.GetByTestId("phone").FillAsync("13912345678");
        await window.GetByTestId("address").FillAsync(company.Address);
        foreach (var material in new[] { "企业开办一表通申请表", "公司章程", "股东、法定代表人身份证明", "住所使用证明", "经办人身份证明", "发票票种核定申请表", "印章刻制备案申请表" })
            await window.GetByTestId($"tick-{material}").CheckAsync();
        await BrowserHost.ShotAsync(window, "bundle-01-window-acceptance");
        await window.GetByTestId("accept").ClickAsync();
        var bundleNumber = (await window.GetByTestId("receipt-number").TextContentAsync())!.Trim();
        await window.GetByRole(AriaRole.Button, new() { Name = "查看办件" }).ClickAsync();
        await Expect(window.GetByTestId("bundle-member-status")).ToHaveCountAsync(3);
        await BrowserHost.ShotAsync(window, "bundle-02-members-in-review");

        // Each department's reviewer finds its own member case in its own inbox.
        using (var scope = _host.Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
            var bundleId = await db.Cases.Where(c => c.CaseNumber == bundleNumber).Select(c => c.Id).SingleAsync();
            var members = await db.Cases.Where(c => c.ParentCaseId == bundleId).OrderBy(c => c.MatterCode).Select(c => new { c.CaseNumber, c.Department }).ToListAsync();
            var tax = await db.Users.Where(u => u.Department == "国家税务总局深圳市南山区税务局" && u.Role == "reviewer").Select(u => u.UserName).FirstAsync();
            var reviewers = new[] { "reviewer07", tax, "reviewer04" };
            for (var i = 0; i < 3; i++)
                await _host.ActAsync(reviewers[i], members[i].CaseNumber, "approve", shot: i == 1 ? "bundle-03-tax-reviewer" : null);
        }

        await window.ReloadAsync();
        await Expect(window.GetByTestId("case-status")).ToHaveTextAsync("已办结");
        await Expect(window.GetByTestId("bundle-member-status")).ToHaveTextAsync(["已办结", "已办结", "已办结"]);
        await Expect(window.GetByTestId("bundle-members")).ToContainTextAsync("全部办结后统一出件");
        await Expect(window.GetByTestId("result")).ToContainTextAsync("营业执照");
        await BrowserHost.ShotAsync(window, "bundle-04-released-together");
    }
}
