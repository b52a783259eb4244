using System.Text.RegularExpressions;
using GovFlow.Host.Simulators;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GovFlow.Browser.Tests;

/// <summary>
/// 通办 in a real browser: 福田's hall accepts 南山分局's residence permit, 南山分局 signs for the hand-over and
/// decides, and the applicant collects the result back at 福田's window.
/// </summary>
[TestFixture, NonParallelizable]
public class AnywhereTests
{
    private BrowserHost _host = null!;

    [OneTimeSetUp]
    public async Task Start() => _host = await BrowserHost.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    [Test]
    public async Task A_case_accepted_in_futian_is_decided_in_nanshan_and_collected_in_futian()
    {
        var person = _host.Factory.Services.GetRequiredService<SimulatedWorld>().People.First(p => p.BirthDate.Year is > 1975 and < 1995);

        var window = await _host.SignInAsync("window02");
        await Expect(window).ToHaveURLAsync(new Regex("/inbox$"));
        await window.GotoAsync("/accept");
        await BrowserHost.PickAsync(window, "matter", "居住证");
        await window.GetByTestId("name").FillAsync(person.Name);
        await window.GetByTestId("idNumber").FillAsync(person.IdNumber);
        await window.GetByTestId("address").FillAsync(person.Address);
        foreach (var material in new[] { "居住登记表", "居民身份证", "住所证明", "近期一寸照片" })
            await window.GetByTestId($"tick-{material}").CheckAsync();
        await window.GetByTestId("delivery").GetByText("窗口领取（本大厅）").ClickAsync();
        await BrowserHost.ShotAsync(window, "anywhere-01-futian-accepts");
        await window.GetByTestId("accept").ClickAsync();
        var caseNumber = (await window.GetByTestId("receipt-number").TextContentAsync())!.Trim();
        await window.GetByRole(AriaRole.Button, new() { Name = "查看办件" }).ClickAsync();
        await Expect(window.GetByTestId("hand-over-hall")).ToContainTextAsync("福田");
        await Expect(window.GetByTestId("hand-over-state")).ToContainTextAsync("待签收");
        await Expect(window.GetByTestId("originals-waybill")).ToContainTextAsync("运单号");
        await BrowserHost.ShotAsync(window, "anywhere-02-handed-over");
        await window.Context.CloseAsync();

        await _host.ActAsync("reviewer04", caseNumber, "receive", "anywhere-03-nanshan-signs");
        await _host.ActAsync("reviewer04", caseNumber, "approve", "anywhere-04-nanshan-decides");
        await _host.ActAsync("window02", caseNumber, "collected", "anywhere-05-futian-hands-out");

        var after = await _host.SignInAsync("window02");
        var caseId = await CaseIdAsync(after, caseNumber);
        await after.GotoAsync($"/cases/{caseId}");
        await Expect(after.GetByTestId("result-collection-state")).ToContainTextAsync("已在受理大厅领取");
        await Expect(after.GetByTestId("hand-over-state")).ToContainTextAsync("已签收");
        await BrowserHost.ShotAsync(after, "anywhere-06-collected");
    }

    // The case's id from the API the page itself uses (the case list's link carries it).
    private static async Task<string> CaseIdAsync(IPage page, string caseNumber)
    {
        var response = await page.APIRequest.GetAsync($"/api/cases?q={caseNumber}");
        var json = System.Text.Json.Nodes.JsonNode.Parse(await response.TextAsync())!;
        return json["items"]!.AsArray().First(c => c!["caseNumber"]!.GetValue<string>() == caseNumber)!["caseId"]!.GetValue<string>();
    }
}
