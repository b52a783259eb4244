using System.Net.Http.Json;
using System.Text.RegularExpressions;
using GovFlow.Host.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GovFlow.Browser.Tests;

/// <summary>
/// The applicant's side at phone width (390×844): apply online with a certificate lookup and uploads, get a
/// correction list from the window's pre-review, supply it online, follow the progress to the decision, download
/// the notice and rate.
/// </summary>
[TestFixture]
[NonParallelizable]
public class ApplicantTests
{
    private const int Width = 390, Height = 844;
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52];
    private BrowserHost _host = null!;

    [OneTimeSetUp]
    public async Task Start() => _host = await BrowserHost.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    [Test]
    public async Task An_applicant_applies_online_supplies_the_correction_and_downloads_the_decision_at_phone_width()
    {
        // 网上申办: the matter from the catalog, the form prefilled, the certificates looked up with consent.
        var applicant = await _host.SignInAsync("applicant01", Width, Height);
        await applicant.GotoAsync("/my");
        await applicant.GetByTestId("my-apply").ClickAsync();
        await applicant.GetByTestId("apply-search").Locator("input").FillAsync("高龄津贴");
        await applicant.GetByTestId("apply-matter").First.ClickAsync();
        await Expect(applicant.GetByTestId("apply-guide")).ToContainTextAsync("高龄津贴");
        // No earlier application in this host to prefill from: the applicant types phone and the address the result is posted to.
        await applicant.GetByTestId("apply-phone").FillAsync("13912345678");
        await applicant.GetByTestId("apply-address").FillAsync("广东省深圳市南山区粤海街道科技园路1号");
        // On the minimum allowance: the 低保证 is left out, for the window's checklist to ask for.
        await applicant.Locator(".ant-form-item").Filter(new() { HasText = "是否享受最低生活保障" }).GetByText("是", new() { Exact = true }).ClickAsync();
        await applicant.GetByTestId("apply-consent").ClickAsync();
        await applicant.GetByTestId("apply-lookup").ClickAsync();
        await Expect(applicant.GetByTestId("apply-certificates")).ToContainTextAsync("免证办");
        foreach (var material in new[] { "高龄津贴申请书", "居民身份证", "户口簿", "银行卡", "照片" })
        {
            var input = applicant.GetByTestId($"apply-material-{material}").Locator("input[type=file]");
            if (await input.CountAsync() == 0) continue;
            await applicant.RunAndWaitForResponseAsync(
                () => input.SetInputFilesAsync(new FilePayload { Name = $"{material}.png", MimeType = "image/png", Buffer = Png }),
                r => r.Url.EndsWith("/api/my/uploads", StringComparison.Ordinal) && r.Status == 201);
        }
        await BrowserHost.ShotAsync(applicant, "a1-apply-form-phone");
        await applicant.GetByTestId("apply-submit").ClickAsync();
        await Expect(applicant.GetByTestId("apply-receipt")).ToContainTextAsync("等待窗口网上预审");
        var caseNumber = Regex.Match((await applicant.GetByTestId("apply-receipt").TextContentAsync())!, @"\d{19}").Value;
        Assert.That(caseNumber, Is.Not.Empty);
        await BrowserHost.ShotAsync(applicant, "a2-apply-receipt-phone");

        // 网上预审: the window accepts; the checklist asks once for the 低保证 (一次性告知).
        await _host.ActAsync("window01", caseNumber, "accept", shot: "a3-window-pre-review");
        await applicant.GotoAsync("/my");
        await applicant.GetByTestId("my-case").Filter(new() { HasText = caseNumber }).ClickAsync();
        await Expect(applicant.GetByTestId("owed")).ToContainTextAsync("低保证");
        await applicant.RunAndWaitForResponseAsync(
            () => applicant.GetByTestId("my-supply").Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "低保证.png", MimeType = "image/png", Buffer = Png }),
            r => r.Url.EndsWith("/api/my/uploads", StringComparison.Ordinal) && r.Status == 201);
        await applicant.GetByTestId("my-supply-submit").ClickAsync();
        await Expect(applicant.GetByTestId("supplied-online")).ToContainTextAsync("已在线提交，待窗口确认");
        await BrowserHost.ShotAsync(applicant, "a4-supplied-online-phone");

        // The window sees the upload on the case and confirms 材料已补齐.
        var window = await _host.SignInAsync("window01");
        await window.GetByTestId("task-link").Filter(new() { HasText = caseNumber }).ClickAsync();
        await Expect(window.GetByTestId("case-uploads")).ToContainTextAsync("在线补正");
        await window.GetByTestId("action-supply").Locator("xpath=ancestor::label").ClickAsync();
        await window.GetByTestId("field-materials").GetByText("低保证").ClickAsync();
        await BrowserHost.ShotAsync(window, "a5-window-confirms-supply");
        await window.GetByTestId("submit-action").ClickAsync();
        await Expect(window.Locator(".ant-message")).ToContainTextAsync("已办理");
        await window.Context.CloseAsync();

        await _host.ActAsync("reviewer02", caseNumber, "approve");
        await _host.ActAsync("reviewer01", caseNumber, "approve");
        await _host.ActAsync("reviewer01", caseNumber, "approve");

        await applicant.ReloadAsync();
        await applicant.GetByTestId("my-case").Filter(new() { HasText = caseNumber }).ClickAsync();
        // The case's progress is on screen (it shows the waybill with the status) before the waybill is looked for.
        await Expect(applicant.GetByTestId("p-status")).ToContainTextAsync("已办结");
        // A result sent by post is delivered before the rating is asked for.
        if (await applicant.GetByTestId("p-waybill").CountAsync() > 0)
        {
            var waybill = Regex.Match((await applicant.GetByTestId("p-waybill").TextContentAsync())!, @"EMS\d+").Value;
            using (var http = new HttpClient { BaseAddress = new Uri(_host.Url) })
                (await http.PostAsJsonAsync($"/sim/mail/waybills/{waybill}/status", new { status = "delivered", detail = "本人签收" })).EnsureSuccessStatusCode();
            await _host.Factory.Services.GetRequiredService<DueBookmarkSweeper>().TrackWaybillsAsync();
            await applicant.ReloadAsync();
            await applicant.GetByTestId("my-case").Filter(new() { HasText = caseNumber }).ClickAsync();
        }
        await Expect(applicant.Locator("body")).ToContainTextAsync("已办结");
        var pdf = applicant.GetByTestId("case-documents").Locator("a[href$='.pdf']").Last;
        var notice = await applicant.APIRequest.GetAsync((await pdf.GetAttributeAsync("href"))!);
        Assert.That(notice.Status, Is.EqualTo(200));
        Assert.That(notice.Headers["content-type"], Is.EqualTo("application/pdf"));
        Assert.That((await notice.BodyAsync())[..5], Is.EqualTo("%PDF-"u8.ToArray()));
        await BrowserHost.ShotAsync(applicant, "a6-decision-phone");
        await applicant.GetByTestId("my-rate").ClickAsync();
        await Expect(applicant.GetByTestId("my-rated")).ToContainTextAsync("感谢评价");
        await BrowserHost.ShotAsync(applicant, "a7-rated-phone");
    }
}
