using System.Text.RegularExpressions;
using GovFlow.Host.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace GovFlow.Browser.Tests;

/// <summary>
/// The UI speaks the hall's language: every route of the app (as main.tsx declares them), for every demo role,
/// plus a case, its replay and the public progress page with real data, shows no Latin-only words and no internal
/// codes in Chinese mode; in English mode the labels of a few pages hold no Chinese.
/// </summary>
[TestFixture, NonParallelizable]
public partial class LanguageTests
{
    private BrowserHost _host = null!;

    [OneTimeSetUp]
    public async Task Start() => _host = await BrowserHost.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    private static readonly string[] Roles = ["window01", "reviewer01", "auditor01", "policy01", "admin01", "applicant01", "agent01"];

    /// <summary>
    /// Latin words a Chinese hall reads as they are: the product, file formats and standards printed on forms,
    /// the post's EMS, the commercial ciphers, and abbreviations of ID and QR codes.
    /// </summary>
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "GovFlow", "PDF", "EMS", "SM2", "SM3", "SM4", "ID", "QR", "CSV", "JSON", "USCC", "Elsa", "URL", "API", "HTTP", "JPG", "PNG", "KB", "MB",
    };

    /// <summary>The app's routes, read from main.tsx (the one list), parameters filled in with real data.</summary>
    private static List<string> Routes()
    {
        var main = File.ReadAllText(Path.Combine(Repository(), "src/Host/ClientApp/src/main.tsx"));
        return [.. RoutePath().Matches(main).Select(m => m.Groups[1].Value).Where(p => p is not ("*" or "/login")).Distinct()];
    }

    private static string Repository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GovFlow.sln"))) return dir.FullName;
        throw new InvalidOperationException("GovFlow.sln not found above the test's directory");
    }

    [GeneratedRegex("<Route path=\"([^\"]+)\"")]
    private static partial Regex RoutePath();

    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9_]*")]
    private static partial Regex LatinWord();

    [GeneratedRegex(@"\b[0-9a-fA-F]{32}\b|\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b")]
    private static partial Regex InternalId();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();

    /// <summary>What in a page's visible text a Chinese clerk should not meet: Latin-only words and codes.</summary>
    private static IEnumerable<string> Offences(string text)
    {
        foreach (Match m in InternalId().Matches(text)) yield return m.Value;
        // The auditor's journal names the account beside the person (林窗口（window01）): the audit trail's who.
        // An enterprise's 统一社会信用代码 (91440300MNARH2W9TK) is the applicant's own number, shown as registered.
        // A shortened hash may start with digits (415092c4ef3a): take it out whole, or its letters would read as a word.
        var rest = AccountAfterName().Replace(HashToken().Replace(CreditCode().Replace(InternalId().Replace(text, " "), " "), " "), "（）");
        foreach (Match m in LatinWord().Matches(rest))
            if (!Allowed.Contains(m.Value) && m.Value.Length > 1 && !HashPrefix().IsMatch(m.Value) && !WaybillNumber().IsMatch(m.Value)) yield return m.Value;
    }

    [GeneratedRegex(@"\b(?=[0-9a-f]*\d)[0-9a-f]{8,}\b")]
    private static partial Regex HashToken();

    [GeneratedRegex(@"\b[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}\b")]
    private static partial Regex CreditCode();

    /// <summary>A document's or record's hash, shown shortened beside its label (哈希): data to compare, not a word.</summary>
    [GeneratedRegex(@"^(?=.*\d)[0-9a-f]{8,}$")]
    private static partial Regex HashPrefix();

    /// <summary>A courier's waybill number (EMS9800001550, SF1234567890): printed on the parcel as it is.</summary>
    [GeneratedRegex(@"^(EMS|SF)\d{6,}$")]
    private static partial Regex WaybillNumber();

    [GeneratedRegex(@"(?<=\p{IsCJKUnifiedIdeographs})（(window|reviewer|auditor|policy|admin|applicant|agent|head|fire)\d+）")]
    private static partial Regex AccountAfterName();

    private async Task<(string CaseId, string CaseNumber, string IdNumber, string MatterCode)> ACaseAsync()
    {
        using var scope = _host.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        // A case that has gone some way (a journal worth replaying), the applicant's ID number for the progress page.
        var c = await db.Cases.AsNoTracking().OrderByDescending(x => x.CompletedAt).FirstAsync();
        return (c.Id, c.CaseNumber, c.ApplicantIdNumber, c.MatterCode);
    }

    private static async Task<string> VisibleTextAsync(IPage page)
    {
        try { await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new() { Timeout = 20_000 }); }
        catch (TimeoutException) { }
        try { await Microsoft.Playwright.Assertions.Expect(page.Locator(".ant-spin-spinning")).ToHaveCountAsync(0, new() { Timeout = 10_000 }); }
        catch (PlaywrightException) { }
        // Left out: the language switch, which names the other language in its own words ("EN"); the replay's raw
        // record (<pre>), the signed JSON itself for the auditor; the designer's list of what a condition may read
        // (its chips name the values the author types: 'owned', null, yyyy-MM-dd); and message templates'
        // placeholders ({caseNumber}), which staff type into the templates as they are.
        var text = await page.EvaluateAsync<string>("() => { document.querySelectorAll('[data-testid=lang], pre, [data-testid$=\"-fields\"]').forEach(e => e.style.display = 'none'); return document.body.innerText; }");
        return Placeholder().Replace(text, " ");
    }

    [Test]
    public async Task Every_page_for_every_role_speaks_Chinese_without_codes()
    {
        var (caseId, caseNumber, idNumber, matter) = await ACaseAsync();
        var routes = Routes().Select(r => r.Replace(":id", caseId).Replace(":code", matter).Replace(":definitionId", matter)).ToList();
        Assert.That(routes, Has.Count.GreaterThan(15), "the routes were read from main.tsx");
        var found = new List<string>();

        var login = await _host.NewPageAsync();
        await login.GotoAsync("/login");
        // The demo list shows each account's sign-in name: what the user types, not a code.
        var loginText = DemoAccount().Replace(await VisibleTextAsync(login), " ");
        found.AddRange(Offences(loginText).Distinct().Select(o => $"/login (anonymous): {o}"));
        await login.Context.CloseAsync();

        foreach (var user in Roles)
        {
            var page = await _host.SignInAsync(user);
            foreach (var route in routes)
            {
                await page.GotoAsync(route);
                var text = await VisibleTextAsync(page);
                // The administrator manages the accounts themselves: their sign-in names are the data of /admin.
                if (route == "/admin") text = DemoAccount().Replace(text, " ");
                var offences = Offences(text).Distinct().ToList();
                if (offences.Count == 0) continue;
                found.AddRange(offences.Select(o => $"{route} ({user}): {o}"));
                await BrowserHost.ShotAsync(page, $"lang-{user}-{route.Trim('/').Replace('/', '-')}");
            }
            await page.Context.CloseAsync();
        }

        var progress = await _host.NewPageAsync();
        await progress.GotoAsync("/progress");
        await progress.GetByTestId("p-caseNumber").FillAsync(caseNumber);
        await progress.GetByTestId("p-idNumber").FillAsync(idNumber);
        await progress.GetByTestId("p-lookup").ClickAsync();
        await progress.WaitForTimeoutAsync(0);
        found.AddRange(Offences(await VisibleTextAsync(progress)).Distinct().Select(o => $"/progress with {caseNumber}: {o}"));
        await BrowserHost.ShotAsync(progress, "lang-progress");
        await progress.Context.CloseAsync();

        Assert.That(found, Is.Empty, string.Join("\n", found));
    }

    [GeneratedRegex(@"\b(window|reviewer|auditor|policy|admin|applicant|agent|head)\d+\b")]
    private static partial Regex DemoAccount();

    [GeneratedRegex(@"\{[A-Za-z]+\}|https?://\S+")]
    private static partial Regex Placeholder();

    [Test]
    public async Task In_English_the_labels_hold_no_Chinese()
    {
        var (caseId, _, _, _) = await ACaseAsync();
        var page = await _host.NewPageAsync();
        await page.GotoAsync("/login");
        await page.GetByTestId("lang").GetByText("EN").ClickAsync();
        await page.GetByTestId("demo-auditor01").ClickAsync();
        await page.GetByTestId("signIn").ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("/login$"));
        var found = new List<string>();
        // Labels, not data: matter, department and applicant names are Chinese in any language.
        const string Labels = "th, .ant-menu-title-content, button, label, .ant-card-head-title, .ant-descriptions-item-label, h4, .ant-tabs-tab, .ant-statistic-title";
        foreach (var route in new[] { "/cases", $"/cases/{caseId}", $"/cases/{caseId}/replay", "/red-cards", "/matters" })
        {
            await page.GotoAsync(route);
            await VisibleTextAsync(page);
            // The catalog's cards are titled by the matter's name (data); its table and buttons are labels.
            foreach (var label in await page.Locator(route == "/matters" ? "th, button, .ant-menu-title-content" : Labels).AllInnerTextsAsync())
                // "中" is the language switch's way back to Chinese.
                if (Chinese().IsMatch(label) && label.Trim() != "中") found.Add($"{route}: {label.Trim()}");
            if (found.Count > 0) await BrowserHost.ShotAsync(page, $"lang-en-{route.Trim('/').Replace('/', '-')}");
        }
        await page.Context.CloseAsync();
        Assert.That(found.Distinct(), Is.Empty, string.Join("\n", found.Distinct()));
    }
}
