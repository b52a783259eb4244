using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Mvc.Testing;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GovFlow.Browser.Tests;

/// <summary>
/// The real host on a free loopback port (Kestrel, its own SQLite database, demo users, its simulators called over
/// HTTP) and Debian's chromium driven by Playwright, as the people in the hall would use it.
/// </summary>
internal sealed class BrowserHost : IAsyncDisposable
{
    private BrowserHost(WebApplicationFactory<Program> factory, IPlaywright playwright, IBrowser browser, string url, string dataDir)
    {
        Factory = factory;
        Playwright = playwright;
        Browser = browser;
        Url = url;
        _dataDir = dataDir;
    }

    private readonly string _dataDir;

    public WebApplicationFactory<Program> Factory { get; }
    public IPlaywright Playwright { get; }
    public IBrowser Browser { get; }
    public string Url { get; }

    /// <summary>Where screenshots go (kept as test artifacts).</summary>
    public static string Screenshots { get; } = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");

    /// <summary>Starts the host and the browser; <paramref name="clock"/> stands in for the host's clock when given.</summary>
    public static async Task<BrowserHost> StartAsync(TimeProvider? clock = null)
    {
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var dataDir = Directory.CreateTempSubdirectory("govflow-browser").FullName;
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("urls", url);
            b.UseSetting("GovFlow:DataDir", dataDir);
            b.UseSetting("GovFlow:PublicUrl", url);
            b.UseSetting("GovFlow:Scheduler:Enabled", "false");
            b.UseSetting("GovFlow:DemoCases", "12");
            b.UseSetting("Serilog:MinimumLevel:Default", "Warning");
            if (clock != null) b.ConfigureServices(services => services.AddSingleton(clock));
        });
        // An expectation waits up to 15 s (Playwright's 5 s default is too short beside the host suite on two cores).
        Assertions.SetDefaultExpectTimeout(15_000);
        factory.UseKestrel(port);
        factory.StartServer();
        // The demo cases are seeded after start-up; a walk that began meanwhile raced the seeding for the database.
        await factory.Services.GetRequiredService<GovFlow.Host.Demo.DemoData>().Seeded.WaitAsync(TimeSpan.FromMinutes(3));
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
        });
        Directory.CreateDirectory(Screenshots);
        return new BrowserHost(factory, playwright, browser, url, dataDir);
    }

    /// <summary>A fresh browser context (its own cookies) at a viewport size.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 800)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Url, ViewportSize = new ViewportSize { Width = width, Height = height }, Locale = "zh-CN" });
        // Generous: CI runs this suite beside the host suite on two cores; a timeout only costs time when something is wrong.
        context.SetDefaultTimeout(45_000);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the login page by picking the demo user from the list it offers.</summary>
    public async Task<IPage> SignInAsync(string userName, int width = 1280, int height = 800)
    {
        var page = await NewPageAsync(width, height);
        await page.GotoAsync("/login");
        await page.GetByTestId($"demo-{userName}").ClickAsync();
        await page.GetByTestId("signIn").ClickAsync();
        // The app changes its route in the page (no new document), so the URL is the signal, not a load event.
        // Polled rather than awaited as a navigation event: under load the event was missed once while the inbox was already shown.
        try { await Expect(page).Not.ToHaveURLAsync(new Regex("/login$"), new() { Timeout = 45_000 }); }
        catch (PlaywrightException)
        {
            // Say what the login page said instead of only that it stayed.
            await ShotAsync(page, $"sign-in-stuck-{userName}");
            Assert.Fail($"{userName} stayed on the login page: {await page.Locator("body").InnerTextAsync()}");
        }
        return page;
    }

    /// <summary>Signs in as a clerk or reviewer, opens the case's task from the inbox and completes it with an action.</summary>
    public async Task ActAsync(string user, string caseNumber, string action, string? shot = null)
    {
        var page = await SignInAsync(user);
        await Expect(page).ToHaveURLAsync(new Regex("/inbox$"));
        await page.GetByTestId("task-link").Filter(new() { HasText = caseNumber }).ClickAsync();
        var choice = page.GetByTestId($"action-{action}").Locator("xpath=ancestor::label");
        // The shot shows the case with its task, not the page still loading.
        await Expect(choice).ToBeVisibleAsync();
        if (shot != null) await ShotAsync(page, shot);
        await choice.ClickAsync();
        await page.GetByTestId("submit-action").ClickAsync();
        await Expect(page.Locator(".ant-message")).ToContainTextAsync("已办理");
        await page.Context.CloseAsync();
    }

    /// <summary>Picks an option of an Ant Design select by typing part of its text.</summary>
    public static async Task PickAsync(IPage page, string testId, string text)
    {
        // Only the open dropdown's options: a select closed a moment ago keeps its list in the page while it fades.
        // On a loaded machine a pick has been seen not to take (the select stayed empty), so it is checked and tried again.
        var select = page.GetByTestId(testId);
        for (var attempt = 1; ; attempt++)
        {
            await select.ClickAsync();
            await page.Keyboard.TypeAsync(text);
            await page.Locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option").Filter(new() { HasText = text }).First.ClickAsync();
            try
            {
                await Assertions.Expect(select).ToContainTextAsync(text, new() { Timeout = 5_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
                await page.Keyboard.PressAsync("Escape");
            }
        }
    }

    public static async Task ShotAsync(IPage page, string name)
    {
        var file = Path.Combine(Screenshots, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        TestContext.AddTestAttachment(file, name);
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        await Factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dataDir, true); } catch (IOException) { }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
