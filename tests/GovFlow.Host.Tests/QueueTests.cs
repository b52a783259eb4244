using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovFlow.Host.Security;
using GovFlow.Host.Simulators;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>
/// 预约, 取号, 叫号: slots follow the hall's hours and capacity, the last place goes to one of two applicants, a
/// booking is cancelled before its slot, booked visitors are called first within their slot, the window's calls
/// record the wait, the accepted case is linked to its number, and the figures count it all.
/// </summary>
[TestFixture]
public class QueueTests
{
    private const string Elderly = "44030505001";
    private const string NoCriminalRecord = "44030007009";
    private static readonly DateTimeOffset Monday = TestHost.Now.AddMinutes(-TestHost.Now.Minute).AddHours(-TestHost.Now.Hour + 9); // 09:00
    private readonly TestClock _clock = new(TestHost.Now);
    private WebApplicationFactory<Program> _factory = null!;
    private readonly Dictionary<string, HttpClient> _clients = [];

    [OneTimeSetUp]
    public void Start() => _factory = TestHost.Create(clock: _clock);

    [OneTimeTearDown]
    public void Stop()
    {
        foreach (var c in _clients.Values) c.Dispose();
        _factory.Dispose();
    }

    [Test]
    public async Task Free_slots_follow_the_opening_hours_on_working_days_and_a_matter_without_booking_is_refused_in_chinese()
    {
        _clock.Now = TestHost.Now; // Monday 09:30
        var hall = await HallIdAsync("综合窗口");
        var applicant = await As("applicant01");

        var slots = (await applicant.GetFromJsonAsync<JsonArray>($"/api/my/bookings/slots?hall={hall}&matter={Elderly}&days=5"))!
            .Select(s => (Start: s!["start"]!.GetValue<DateTimeOffset>().ToOffset(TimeSpan.FromHours(8)), Left: s["left"]!.GetValue<int>())).ToList();
        var refused = await applicant.GetAsync($"/api/my/bookings/slots?hall={hall}&matter={NoCriminalRecord}");
        Assert.Multiple(async () =>
        {
            // Today from 10:00 (09:30's slot has begun): 10:00–11:30 and 14:00–17:30; then four more working days of 14.
            Assert.That(slots.Where(s => s.Start.Date == Monday.Date).Select(s => s.Start.ToString("HH:mm")),
                Is.EqualTo(new[] { "10:00", "10:30", "11:00", "11:30", "14:00", "14:30", "15:00", "15:30", "16:00", "16:30", "17:00", "17:30" }));
            Assert.That(slots.Select(s => s.Start.Date).Distinct().Count(), Is.EqualTo(5));
            Assert.That(slots, Has.Count.EqualTo(12 + 4 * 14));
            Assert.That(slots.Select(s => s.Start.DayOfWeek), Has.None.EqualTo(DayOfWeek.Saturday).And.None.EqualTo(DayOfWeek.Sunday));
            Assert.That(slots.Where(s => s.Start.Date > Monday.Date.AddDays(3)).Select(s => s.Left), Is.All.EqualTo(2));
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await Detail(refused), Does.Contain("不支持预约"));
        });
    }

    [Test]
    public async Task Two_applicants_booking_the_last_place_at_once_one_wins_and_the_other_hears_it_is_full()
    {
        _clock.Now = TestHost.Now;
        var hall = await HallIdAsync("深圳市福田区沙头街道办事处");
        var policy = await As("policy01");
        var set = await policy.PutAsJsonAsync($"/api/halls/{hall}/booking", new { periods = "09:00-12:00,14:00-18:00", slotMinutes = 30, capacity = 1 });
        Assert.That(set.StatusCode, Is.EqualTo(HttpStatusCode.OK), await set.Content.ReadAsStringAsync());
        var start = Monday.AddDays(1).AddHours(1); // Tuesday 10:00

        var answers = await Task.WhenAll(new[] { "applicant01", "agent01" }.Select(async user =>
            await (await As(user)).PostAsJsonAsync("/api/my/bookings", new { hallId = hall, matterCode = Elderly, start })));

        Assert.Multiple(async () =>
        {
            Assert.That(answers.Select(a => a.StatusCode), Is.EquivalentTo(new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
            Assert.That(await Detail(answers.Single(a => a.StatusCode == HttpStatusCode.Conflict)), Does.Contain("已约满"));
            var slot = (await (await As("applicant01")).GetFromJsonAsync<JsonArray>($"/api/my/bookings/slots?hall={hall}&matter={Elderly}&days=2"))!
                .Single(s => s!["start"]!.GetValue<DateTimeOffset>() == start)!;
            Assert.That(slot["left"]!.GetValue<int>(), Is.Zero);
            var badRule = await policy.PutAsJsonAsync($"/api/halls/{hall}/booking", new { periods = "9点到12点", slotMinutes = 30, capacity = 1 });
            Assert.That(badRule.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await Detail(badRule), Does.Contain("格式应为"));
            Assert.That((await (await As("applicant01")).PutAsJsonAsync($"/api/halls/{hall}/booking", new { periods = "09:00-12:00", slotMinutes = 30, capacity = 1 })).StatusCode,
                Is.EqualTo(HttpStatusCode.Forbidden));
        });
    }

    [Test]
    public async Task A_booking_is_one_per_matter_and_day_and_cancelled_before_its_slot_frees_its_place()
    {
        _clock.Now = TestHost.Now;
        var hall = await HallIdAsync("综合窗口");
        var applicant = await As("applicant01");
        var start = Monday.AddDays(3).AddHours(5); // Thursday 14:00

        var booked = await applicant.PostAsJsonAsync("/api/my/bookings", new { hallId = hall, matterCode = Elderly, start });
        Assert.That(booked.StatusCode, Is.EqualTo(HttpStatusCode.Created), await booked.Content.ReadAsStringAsync());
        var booking = (await booked.Content.ReadFromJsonAsync<JsonObject>())!;
        var again = await applicant.PostAsJsonAsync("/api/my/bookings", new { hallId = hall, matterCode = Elderly, start = start.AddHours(1) });
        var left = await LeftAsync(applicant, hall, start);
        var cancelled = await applicant.PostAsync($"/api/my/bookings/{booking["id"]}/cancel", null);
        var leftAfter = await LeftAsync(applicant, hall, start);
        var twice = await applicant.PostAsync($"/api/my/bookings/{booking["id"]}/cancel", null);
        var otherOne = (await (await applicant.PostAsJsonAsync("/api/my/bookings", new { hallId = hall, matterCode = Elderly, start }))
            .Content.ReadFromJsonAsync<JsonObject>())!;
        _clock.Now = start.AddMinutes(1);
        var late = await applicant.PostAsync($"/api/my/bookings/{otherOne["id"]}/cancel", null);
        var mine = (await applicant.GetFromJsonAsync<JsonArray>("/api/my/bookings"))!;

        Assert.Multiple(async () =>
        {
            Assert.That(booking["code"]!.GetValue<string>(), Does.Match("^[0-9]{6}$"));
            Assert.That(booking["statusName"]!.GetValue<string>(), Is.EqualTo("已预约"));
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(await Detail(again), Does.Contain("已预约当天办理该事项"));
            Assert.That((left, leftAfter), Is.EqualTo((1, 2)));
            Assert.That(cancelled.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(twice.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(late.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(await Detail(late), Does.Contain("不能取消"));
            Assert.That(mine.Select(b => b!["statusName"]!.GetValue<string>()), Does.Contain("已取消"));
        });
    }

    [Test]
    public async Task Booked_visitors_are_called_first_within_their_slot_the_wait_is_recorded_and_the_accepted_case_is_linked()
    {
        _clock.Now = Monday.AddDays(7).AddMinutes(20); // next Monday 09:20
        var hall = await HallIdAsync("综合窗口");
        var applicant = await As("applicant01");
        var window = await As("window01");
        var slot = Monday.AddDays(7).AddHours(1); // 10:00
        var booking = (await (await applicant.PostAsJsonAsync("/api/my/bookings", new { hallId = hall, matterCode = Elderly, start = slot }))
            .Content.ReadFromJsonAsync<JsonObject>())!;
        var windowId = (await window.GetFromJsonAsync<JsonObject>($"/api/halls/{hall}/queue"))!["windows"]!.AsArray()
            .Single(w => w!["name"]!.GetValue<string>() == "3号窗口")!["id"]!.GetValue<string>();

        _clock.Now = Monday.AddDays(7).AddMinutes(40);
        var a1 = await TakeAsync(window, hall, new { matterCode = Elderly });
        _clock.Now = Monday.AddDays(7).AddMinutes(45);
        var a2 = await TakeAsync(window, hall, new { matterCode = Elderly });
        _clock.Now = Monday.AddDays(7).AddMinutes(50);
        var y1 = await TakeAsync(window, hall, new { bookingCode = booking["code"]!.GetValue<string>() });
        var reused = await window.PostAsJsonAsync($"/api/halls/{hall}/tickets", new { bookingCode = booking["code"]!.GetValue<string>() });

        // 09:52: the slot has not begun, so the booked visitor waits their turn: the first walk-in.
        _clock.Now = Monday.AddDays(7).AddMinutes(52);
        var first = await CallAsync(window, hall, windowId);
        _clock.Now = Monday.AddDays(7).AddMinutes(54);
        var skipped = await window.PostAsync($"/api/tickets/{first["id"]}/skip", null);
        // 10:05: the slot has begun: the booked visitor before the walk-in who came earlier.
        _clock.Now = Monday.AddDays(7).AddMinutes(65);
        var second = await CallAsync(window, hall, windowId);
        _clock.Now = Monday.AddDays(7).AddMinutes(66);
        var recalled = (await (await window.PostAsync($"/api/tickets/{second["id"]}/recall", null)).Content.ReadFromJsonAsync<JsonObject>())!;
        var screen = (await _factory.CreateClient().GetFromJsonAsync<JsonObject>($"/api/halls/{hall}/screen"))!;
        var started = await window.PostAsync($"/api/tickets/{second["id"]}/start", null);
        var prefill = (await window.GetFromJsonAsync<JsonObject>($"/api/tickets/{second["id"]}/acceptance"))!;

        var application = JsonSerializer.SerializeToNode(Applications.Elderly(_factory.Services.GetRequiredService<SimulatedWorld>()))!.AsObject();
        application["ticketId"] = second["id"]!.GetValue<string>();
        var accepted = await window.PostAsJsonAsync("/api/cases", application);
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Created), await accepted.Content.ReadAsStringAsync());
        var caseId = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["caseId"]!.GetValue<string>();
        var linked = (await window.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}/ticket"))!;
        application["ticketId"] = second["id"]!.GetValue<string>();
        var twice = await window.PostAsJsonAsync("/api/cases", application);
        var figures = (await (await As("policy01")).GetFromJsonAsync<JsonObject>("/api/queue/figures"))!;

        Assert.Multiple(async () =>
        {
            Assert.That((a1["number"]!.GetValue<string>(), a2["number"]!.GetValue<string>(), y1["number"]!.GetValue<string>()), Is.EqualTo(("A001", "A002", "Y001")));
            Assert.That(reused.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(await Detail(reused), Does.Contain("已取过号"));
            Assert.That(first["number"]!.GetValue<string>(), Is.EqualTo("A001"));
            Assert.That(first["waitMinutes"]!.GetValue<int>(), Is.EqualTo(12));
            Assert.That(skipped.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(second["number"]!.GetValue<string>(), Is.EqualTo("Y001"));
            Assert.That(second["windowName"]!.GetValue<string>(), Is.EqualTo("3号窗口"));
            Assert.That(recalled["waitMinutes"]!.GetValue<int>(), Is.EqualTo(15), "a recall does not move the end of the wait");
            Assert.That(screen["calls"]!.AsArray().Select(c => (c!["number"]!.GetValue<string>(), c["windowName"]!.GetValue<string>())), Does.Contain(("Y001", "3号窗口")));
            Assert.That(screen["waiting"]!.GetValue<int>(), Is.EqualTo(1), "A002 still waits");
            Assert.That(screen.ToJsonString(), Does.Not.Contain(prefill["applicantName"]!.GetValue<string>()), "no names on the public screen");
            Assert.That(started.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(prefill["matterCode"]!.GetValue<string>(), Is.EqualTo(Elderly));
            Assert.That(prefill["bookingCode"]!.GetValue<string>(), Is.EqualTo(booking["code"]!.GetValue<string>()));
            Assert.That(prefill["applicantIdNumber"]!.GetValue<string>(), Has.Length.EqualTo(18));
            Assert.That(linked["number"]!.GetValue<string>(), Is.EqualTo("Y001"));
            Assert.That(linked["waitMinutes"]!.GetValue<int>(), Is.EqualTo(15));
            Assert.That(linked["bookingCode"]!.GetValue<string>(), Is.EqualTo(booking["code"]!.GetValue<string>()));
            Assert.That(twice.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await Detail(twice), Does.Contain("已受理过"));
            var byHall = figures["halls"]!.AsArray().Single(h => h!["name"]!.GetValue<string>() == "综合窗口")!;
            Assert.That(byHall["served"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(byHall["averageWaitMinutes"]!.GetValue<double>(), Is.EqualTo(13.5));
            Assert.That(byHall["maxWaitMinutes"]!.GetValue<double>(), Is.EqualTo(15));
            Assert.That(byHall["skipped"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(figures["matters"]!.AsArray().Select(m => m!["name"]!.GetValue<string>()), Has.Some.Contains("高龄津贴"));
        });
    }

    [Test]
    public async Task Another_halls_clerk_cannot_call_its_numbers_and_an_empty_queue_says_so_in_chinese()
    {
        _clock.Now = Monday.AddDays(1).AddMinutes(30);
        var hall = await HallIdAsync("深圳市福田区沙头街道办事处");
        var own = await As("window02");
        var windowId = (await own.GetFromJsonAsync<JsonObject>($"/api/halls/{hall}/queue"))!["windows"]!.AsArray()[0]!["id"]!.GetValue<string>();

        var stranger = await (await As("window01")).PostAsJsonAsync($"/api/halls/{hall}/calls", new { windowId });
        var empty = await own.PostAsJsonAsync($"/api/halls/{hall}/calls", new { windowId });

        Assert.Multiple(async () =>
        {
            Assert.That(stranger.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(empty.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(await Detail(empty), Does.Contain("没有等候的号码"));
        });
    }

    [Test]
    public async Task Policy_staff_add_a_window_for_one_matter_and_a_closed_window_calls_no_one()
    {
        _clock.Now = Monday.AddDays(2).AddMinutes(30); // Wednesday 09:30
        var hall = await HallIdAsync("深圳市福田区沙头街道办事处");
        var policy = await As("policy01");
        var clerk = await As("window02");

        var added = await policy.PostAsJsonAsync($"/api/halls/{hall}/windows", new { name = "9号窗口", matters = new[] { NoCriminalRecord }, open = true });
        Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.OK), await added.Content.ReadAsStringAsync());
        var window = (await added.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var unknown = await policy.PostAsJsonAsync($"/api/halls/{hall}/windows", new { name = "10号窗口", matters = new[] { "00000000000" }, open = true });
        var byClerk = await clerk.PostAsJsonAsync($"/api/halls/{hall}/windows", new { name = "11号窗口", open = true });
        await TakeAsync(clerk, hall, new { matterCode = Elderly });
        var notServed = await clerk.PostAsJsonAsync($"/api/halls/{hall}/calls", new { windowId = window });
        await TakeAsync(clerk, hall, new { matterCode = NoCriminalRecord });
        var served = await CallAsync(clerk, hall, window);
        await policy.PutAsJsonAsync($"/api/halls/{hall}/windows/{window}", new { name = "9号窗口", matters = new[] { NoCriminalRecord }, open = false });
        var closed = await clerk.PostAsJsonAsync($"/api/halls/{hall}/calls", new { windowId = window });

        Assert.Multiple(async () =>
        {
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await Detail(unknown), Does.Contain("没有编码为"));
            Assert.That(byClerk.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(notServed.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "the elderly allowance is not this window's");
            Assert.That(served["number"]!.GetValue<string>(), Is.EqualTo("A002"));
            Assert.That(closed.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(await Detail(closed), Does.Contain("已暂停服务"));
        });
    }

    private static async Task<string> Detail(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())?["detail"]?.GetValue<string>() ?? "";

    private static async Task<int> LeftAsync(HttpClient applicant, string hall, DateTimeOffset start) =>
        (await applicant.GetFromJsonAsync<JsonArray>($"/api/my/bookings/slots?hall={hall}&matter={Elderly}&days=10"))!
            .Single(s => s!["start"]!.GetValue<DateTimeOffset>() == start)!["left"]!.GetValue<int>();

    private static async Task<JsonObject> TakeAsync(HttpClient kiosk, string hall, object body)
    {
        var response = await kiosk.PostAsJsonAsync($"/api/halls/{hall}/tickets", body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static async Task<JsonObject> CallAsync(HttpClient window, string hall, string windowId)
    {
        var response = await window.PostAsJsonAsync($"/api/halls/{hall}/calls", new { windowId });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private async Task<string> HallIdAsync(string name) =>
        (await (await As("policy01")).GetFromJsonAsync<JsonArray>("/api/halls"))!.Single(h => h!["name"]!.GetValue<string>() == name)!["id"]!.GetValue<string>();

    private async Task<HttpClient> As(string user)
    {
        if (_clients.TryGetValue(user, out var existing)) return existing;
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = DemoUsers.Password });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return _clients[user] = client;
    }
}
