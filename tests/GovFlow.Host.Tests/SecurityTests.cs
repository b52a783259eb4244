using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using GovFlow.Host.Security;
using GovFlow.Host.Simulators;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>Sign-in and requests that resist attack: guessing, stolen cookies, other sites, probing, reused keys.</summary>
[TestFixture]
public class SecurityTests : DataDirFixture
{
    private TestClock _clock = null!;
    private WebApplicationFactory<Program> _factory = null!;

    [SetUp]
    public void Start()
    {
        _clock = new TestClock(TestHost.Now);
        _factory = TestHost.Create(DataDir, _clock);
    }

    [TearDown]
    public void Stop() => _factory.Dispose();

    private HttpClient NewClient() => _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });

    private static Task<HttpResponseMessage> LogIn(HttpClient client, string user, string password) =>
        client.PostAsJsonAsync("/api/auth/login", new { userName = user, password });

    [Test]
    public async Task Guessing_a_password_locks_the_name_for_a_while_whether_or_not_it_exists()
    {
        using var client = NewClient();
        foreach (var name in new[] { "window01", "nobody-here" })
        {
            for (var i = 1; i < 5; i++)
            {
                var wrong = await LogIn(client, name, "guess" + i);
                Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), $"{name}: attempt {i}");
                Assert.That(await wrong.Content.ReadAsStringAsync(), Does.Contain("用户名或密码错误"));
            }
            var fifth = await LogIn(client, name, "guess5");
            Assert.That(fifth.StatusCode, Is.EqualTo((HttpStatusCode)423), $"{name}: the fifth wrong password locks it");
            Assert.That(fifth.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromMinutes(15)));
            Assert.That(await fifth.Content.ReadAsStringAsync(), Does.Contain("已临时锁定"));
        }

        var locked = await LogIn(client, "window01", DemoUsers.Password);
        Assert.That(locked.StatusCode, Is.EqualTo((HttpStatusCode)423), "while locked, even the right password is refused");

        _clock.Now += TimeSpan.FromMinutes(16);
        Assert.That((await LogIn(client, "window01", DemoUsers.Password)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the lock ends");
        // A good sign-in clears the count: four more wrong ones do not lock it again.
        for (var i = 0; i < 4; i++) await LogIn(client, "window01", "again" + i);
        Assert.That((await LogIn(client, "window01", DemoUsers.Password)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task An_address_that_fails_too_often_is_told_to_wait()
    {
        using var client = NewClient();
        for (var i = 0; i < 20; i++)
            Assert.That((await LogIn(client, $"user{i}", "x")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), $"attempt {i} (a different name each time)");
        var refused = await LogIn(client, "reviewer01", DemoUsers.Password);
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(refused.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
        Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("登录失败次数过多"));
        _clock.Now += TimeSpan.FromMinutes(11);
        Assert.That((await LogIn(client, "reviewer01", DemoUsers.Password)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Logging_out_ends_the_session_on_the_server()
    {
        using var client = NewClient();
        var login = await LogIn(client, "reviewer01", DemoUsers.Password);
        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("govflow=", StringComparison.Ordinal)).Split(';')[0];
        using var thief = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        thief.DefaultRequestHeaders.Add("Cookie", cookie);
        Assert.That((await thief.GetAsync("/api/auth/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "a copy of the cookie works while signed in");

        Assert.That((await client.PostAsync("/api/auth/logout", null)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await thief.GetAsync("/api/auth/me")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the old cookie is dead after logout");
        Assert.That((await thief.GetAsync("/api/tasks")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Writes_from_another_site_are_refused_and_imports_must_be_json()
    {
        using var policy = NewClient();
        Assert.That((await LogIn(policy, "policy01", DemoUsers.Password)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var definition = await File.ReadAllTextAsync(Path.Combine(HostSetup.MattersDirectory(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(), AppContext.BaseDirectory), "44030505001-elderly-allowance.json"));

        async Task<HttpResponseMessage> Import(string mediaType, params (string Name, string Value)[] headers)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/definitions/import") { Content = new StringContent(definition, Encoding.UTF8, mediaType) };
            foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
            return await policy.SendAsync(request);
        }

        var foreign = await Import("application/json", ("Origin", "http://evil.example"));
        Assert.That(foreign.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await foreign.Content.ReadAsStringAsync(), Does.Contain("拒绝来自其他网站的写操作"));
        Assert.That((await Import("application/json", ("Sec-Fetch-Site", "cross-site"))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await Import("text/plain")).StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType), "a text/plain body is what a foreign form can send");
        var own = await Import("application/json", ("Origin", "http://localhost"), ("Sec-Fetch-Site", "same-origin"));
        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.Created), await own.Content.ReadAsStringAsync());

        // Reads are not writes: a page elsewhere may link to the progress page.
        using var anonymous = _factory.CreateClient();
        using var read = new HttpRequestMessage(HttpMethod.Get, "/api/matters");
        read.Headers.Add("Sec-Fetch-Site", "cross-site");
        Assert.That((await anonymous.SendAsync(read)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Every_answer_carries_the_security_headers()
    {
        using var client = _factory.CreateClient();
        foreach (var path in new[] { "/api/matters", "/api/nope", "/health" })
        {
            var response = await client.GetAsync(path);
            Assert.Multiple(() =>
            {
                Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"), path);
                Assert.That(response.Headers.GetValues("X-Frame-Options").Single(), Is.EqualTo("DENY"), path);
                Assert.That(response.Headers.GetValues("Referrer-Policy").Single(), Is.EqualTo("no-referrer"), path);
                Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("frame-ancestors 'none'").And.Contain("script-src 'self'"), path);
            });
        }
    }

    [Test]
    public async Task Progress_lookups_are_limited_per_address_and_a_case_number_locks_after_wrong_ids()
    {
        var world = _factory.Services.GetRequiredService<SimulatedWorld>();
        var person = world.People.First(p => p.BirthDate.Year < 1946);
        using var window = NewClient();
        await LogIn(window, "window01", DemoUsers.Password);
        var submitted = await window.PostAsJsonAsync("/api/cases", Applications.Elderly(world));
        var caseNumber = (await submitted.Content.ReadFromJsonAsync<JsonObject>())!["caseNumber"]!.GetValue<string>();

        using var applicant = _factory.CreateClient();
        Assert.That((await applicant.PostAsJsonAsync("/api/progress", new { caseNumber = $"{caseNumber}", idNumber = $"{person.IdNumber}" })).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        for (var i = 0; i < 5; i++)
            Assert.That((await applicant.PostAsJsonAsync("/api/progress", new { caseNumber = $"{caseNumber}", idNumber = $"11010519491231{i:000}X" })).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var locked = await applicant.PostAsJsonAsync("/api/progress", new { caseNumber = $"{caseNumber}", idNumber = $"{person.IdNumber}" });
        Assert.That(locked.StatusCode, Is.EqualTo((HttpStatusCode)423), "five wrong ID numbers lock the case number's lookups, even the right one");
        Assert.That(await locked.Content.ReadAsStringAsync(), Does.Contain("查询错误次数过多"));

        // 30 lookups a minute per address (7 made above): the 31st is told to wait.
        HttpResponseMessage last = null!;
        for (var i = 8; i <= 30; i++) last = await applicant.PostAsJsonAsync("/api/progress", new { caseNumber = $"20260302000000{i:00}", idNumber = $"{person.IdNumber}" });
        Assert.That(last.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var limited = await applicant.PostAsJsonAsync("/api/progress", new { caseNumber = $"2026030200000099", idNumber = $"{person.IdNumber}" });
        Assert.That(limited.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(limited.Headers.RetryAfter, Is.Not.Null);
        Assert.That(await limited.Content.ReadAsStringAsync(), Does.Contain("查询过于频繁"));
    }

    [Test]
    public async Task An_idempotency_key_belongs_to_its_caller()
    {
        var world = _factory.Services.GetRequiredService<SimulatedWorld>();

        async Task<string> Submit(HttpClient client)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases") { Content = JsonContent.Create(Applications.Elderly(world)) };
            request.Headers.Add("Idempotency-Key", "form-1");
            var response = await client.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
            return (await response.Content.ReadFromJsonAsync<JsonObject>())!["caseId"]!.GetValue<string>();
        }
        using var first = NewClient();
        using var second = NewClient();
        await LogIn(first, "window01", DemoUsers.Password);
        await LogIn(second, "window02", DemoUsers.Password);
        var mine = await Submit(first);
        Assert.That(await Submit(first), Is.EqualTo(mine), "the same clerk's retry gets the same case");
        Assert.That(await Submit(second), Is.Not.EqualTo(mine), "another clerk's same key is another case, not the first clerk's answer");
    }
}
