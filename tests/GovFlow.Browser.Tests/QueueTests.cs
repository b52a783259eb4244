using System.Text.RegularExpressions;
using GovFlow.Activities.Calendar;
using GovFlow.Activities.Cases;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GovFlow.Browser.Tests;

/// <summary>
/// 预约 → 取号 → 叫号 → 受理 in the browser: applicant01 books a slot on /my at phone width, the hall's kiosk takes a
/// number with the booking code, window01 calls it, the hall's call screen shows it, 开始办理 opens the acceptance
/// filled from the booking, and the accepted case shows its number and the wait.
/// </summary>
[TestFixture]
[NonParallelizable]
public class QueueTests
{
    // The host's clock runs with real time, moved to 09:40 of a working day, so a slot of the day is still bookable
    // and the booking is today's at the kiosk whenever the suite runs.
    private readonly ShiftedClock _clock = new();
    private BrowserHost _host = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await BrowserHost.StartAsync(_clock);
        var calendar = _host.Factory.Services.GetRequiredService<WorkingCalendar>();
        var now = DateTimeOffset.UtcNow;
        var day = ChinaTime.Date(now);
        while (!calendar.IsWorkingDay(day) || ChinaTime.ToMoment(day.ToDateTime(new TimeOnly(9, 40))) <= now) day = day.AddDays(1);
        _clock.Offset = ChinaTime.ToMoment(day.ToDateTime(new TimeOnly(9, 40))) - now;
    }

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    [Test]
    public async Task A_booked_applicant_takes_a_number_is_called_to_a_window_and_the_case_shows_the_number_and_the_wait()
    {
        // 预约办事 on /my at phone width: hall, matter, the first free slot; the booking code is shown.
        var applicant = await _host.SignInAsync("applicant01", 390, 844);
        await applicant.GotoAsync("/my");
        await BrowserHost.PickAsync(applicant, "booking-hall", "综合窗口");
        await BrowserHost.PickAsync(applicant, "booking-matter", "高龄津贴");
        await applicant.GetByTestId("booking-slot").First.ClickAsync();
        await Expect(applicant.GetByTestId("booking-code").First).ToHaveTextAsync(new Regex(@"^\d{6}$"));
        var code = (await applicant.GetByTestId("booking-code").First.TextContentAsync())!.Trim();
        await BrowserHost.ShotAsync(applicant, "q1-my-booking-phone");

        // 取号: the hall's kiosk (signed in as its clerk) takes a number with the code.
        var window = await _host.SignInAsync("window01");
        await window.GotoAsync("/halls");
        await window.GetByTestId("hall-kiosk").ClickAsync();
        var hallId = Regex.Match(window.Url, "/hall/([^/]+)/kiosk").Groups[1].Value;
        await window.GetByTestId("kiosk-code").FillAsync(code);
        await window.GetByTestId("kiosk-take-booked").ClickAsync();
        await Expect(window.GetByTestId("kiosk-number")).ToHaveTextAsync("Y001");
        await BrowserHost.ShotAsync(window, "q2-kiosk-number");

        // 叫号: the window calls the next number; the hall's screen shows the call.
        await window.GotoAsync("/accept");
        await window.GetByTestId("queue-call-next").ClickAsync();
        await Expect(window.GetByTestId("queue-current")).ToContainTextAsync("Y001");
        var screen = await _host.NewPageAsync(1920, 1080);
        var problems = new List<string>();
        screen.Console += (_, m) => { if (m.Type == "error") problems.Add(m.Text); };
        screen.PageError += (_, e) => problems.Add(e);
        await screen.GotoAsync($"/hall/{hallId}/screen");
        try { await Expect(screen.GetByTestId("screen")).ToBeVisibleAsync(); }
        catch (PlaywrightException)
        {
            await BrowserHost.ShotAsync(screen, "q3-call-screen-failed");
            Assert.Fail($"The call screen did not show ({screen.Url}): {string.Join(" | ", problems)} {await screen.Locator("body").InnerTextAsync()}");
        }
        await Expect(screen.GetByTestId("screen-latest")).ToContainTextAsync("请 Y001 号到 1号窗口办理");
        await BrowserHost.ShotAsync(screen, "q3-call-screen-1920");

        // 开始办理: the acceptance is filled from the booking; the clerk ticks the paper and accepts.
        await window.GetByTestId("queue-start").ClickAsync();
        await Expect(window).ToHaveURLAsync(new Regex(@"/accept\?ticket="));
        await Expect(window.GetByTestId("matter")).ToContainTextAsync("高龄津贴");
        await Expect(window.GetByTestId("name")).Not.ToHaveValueAsync("");
        foreach (var material in new[] { "高龄津贴申请书", "居民身份证", "银行卡", "照片" })
            await window.GetByTestId($"tick-{material}").CheckAsync();
        await BrowserHost.ShotAsync(window, "q4-accept-from-number");
        await window.GetByTestId("accept").ClickAsync();
        await Expect(window.GetByTestId("receipt-number")).ToHaveTextAsync(new Regex(@"^\d{19}$"));
        await window.GetByRole(AriaRole.Button, new() { Name = "查看办件" }).ClickAsync();
        await Expect(window.GetByTestId("case-ticket")).ToContainTextAsync("Y001");
        await Expect(window.GetByTestId("case-ticket")).ToContainTextAsync(new Regex("等候 \\d+ 分钟"));
        await BrowserHost.ShotAsync(window, "q5-case-ticket");
    }

    /// <summary>Real time moved by an offset.</summary>
    private sealed class ShiftedClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow + Offset;
    }
}
