using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using GovFlow.Host.Security;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>
/// Bad requests are the caller's fault and are answered so (400, 404, 409, 413, 415, 422 …), never with a 500: every
/// operation the OpenAPI document lists gets generated bad input as every role, and the known ones by name.
/// </summary>
[TestFixture]
public class FuzzTests
{
    private WebApplicationFactory<Program> _factory = null!;
    private readonly Dictionary<string, HttpClient> _clients = [];

    [OneTimeSetUp]
    public async Task Start()
    {
        _factory = TestHost.Create();
        _clients["anonymous"] = _factory.CreateClient();
        foreach (var user in new[] { "policy01", "window01", "reviewer01", "auditor01", "admin01" })
        {
            var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
            var login = await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = DemoUsers.Password });
            Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            _clients[user] = client;
        }
    }

    [OneTimeTearDown]
    public void Stop()
    {
        foreach (var c in _clients.Values) c.Dispose();
        _factory.Dispose();
    }

    [Test]
    public async Task A_thousand_generated_bad_requests_get_no_server_error()
    {
        var document = JsonNode.Parse(await _clients["anonymous"].GetStringAsync("/openapi/v1.json"))!.AsObject();
        var operations = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => (Path: p.Key, Method: o.Key.ToUpperInvariant(), Operation: o.Value!.AsObject())))
            // Logging out, changing a password, taking a simulated service down or retracting a matter would change
            // what the next request meets, not test it.
            .Where(o => o.Path is not ("/api/auth/logout" or "/api/auth/password") && !o.Path.EndsWith("/outage", StringComparison.Ordinal) && !o.Path.EndsWith("/retract", StringComparison.Ordinal))
            .ToList();
        var random = new Random(20261203);
        var failures = new List<string>();
        var sent = 0;
        while (sent < 1200)
            foreach (var (path, method, operation) in operations)
            {
                var client = _clients.Values.ElementAt(random.Next(_clients.Count));
                using var request = new HttpRequestMessage(new HttpMethod(method), Url(path, operation, random));
                if (method is "POST" or "PUT" or "PATCH") request.Content = Body(random);
                var response = await client.SendAsync(request);
                sent++;
                if ((int)response.StatusCode >= 500)
                    failures.Add($"{method} {request.RequestUri} {Describe(request.Content)} → {(int)response.StatusCode} {Truncate(await response.Content.ReadAsStringAsync())}");
            }
        Assert.That(failures, Is.Empty, $"{failures.Count} of {sent} bad requests answered with a server error");
    }

    [Test]
    public async Task A_thousand_generated_bad_Studio_requests_get_no_server_error()
    {
        // Elsa Studio's API stays out of the OpenAPI document, so its routes are read from the host's endpoints.
        var routes = _factory.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/elsa/api/", StringComparison.Ordinal) == true && !e.RoutePattern.RawText.Contains("**", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Path: e.RoutePattern.RawText!, Method: m)))
            // Retracting or deleting would change what the next request meets (and what other tests of this host see).
            .Where(r => r.Method != "DELETE" && !r.Path.Contains("retract", StringComparison.Ordinal) && !r.Path.Contains("bulk-actions", StringComparison.Ordinal))
            .Distinct().ToList();
        Assert.That(routes, Has.Count.GreaterThan(20), "the Studio API is mapped");
        var studio = new List<HttpClient> { _factory.CreateClient() };
        foreach (var user in new[] { "policy01", "auditor01" })
        {
            var login = await (await _clients["anonymous"].PostAsJsonAsync("/elsa/api/identity/login", new { username = user, password = DemoUsers.Password })).Content.ReadFromJsonAsync<JsonObject>();
            var client = _factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", login!["accessToken"]!.GetValue<string>());
            studio.Add(client);
        }
        var random = new Random(20261204);
        var failures = new List<string>();
        var sent = 0;
        while (sent < 1000)
            foreach (var (path, method) in routes)
            {
                var url = System.Text.RegularExpressions.Regex.Replace(path, @"\{[^}]+\}", _ => Uri.EscapeDataString(Pick(random, BadTexts)));
                if (random.Next(2) == 0) url += $"?versionOptions={Uri.EscapeDataString(Pick(random, BadTexts))}&page={Uri.EscapeDataString(Pick(random, BadTexts))}&pageSize={Uri.EscapeDataString(Pick(random, BadTexts))}";
                using var request = new HttpRequestMessage(new HttpMethod(method), url);
                if (method is "POST" or "PUT") request.Content = random.Next(3) == 0 ? StudioBody(random) : Body(random);
                var response = await studio[random.Next(studio.Count)].SendAsync(request);
                sent++;
                if ((int)response.StatusCode >= 500)
                    failures.Add($"{method} {url} {Describe(request.Content)} → {(int)response.StatusCode} {Truncate(await response.Content.ReadAsStringAsync())}");
            }
        Assert.That(failures, Is.Empty, $"{failures.Count} of {sent} bad Studio requests answered with a server error");
        foreach (var c in studio) c.Dispose();
    }

    // A definition as Studio would send it, broken in some way.
    private static StringContent StudioBody(Random random)
    {
        var root = new JsonObject { ["id"] = Pick(random, BadTexts), ["type"] = random.Next(2) == 0 ? "Elsa.Flowchart" : Pick(random, BadTexts), ["activities"] = new JsonArray(RandomValue(random, 2), RandomObject(random, 2)), ["connections"] = RandomValue(random, 1) };
        var model = new JsonObject { ["name"] = RandomValue(random, 3), ["root"] = random.Next(4) == 0 ? RandomValue(random, 1) : root, ["variables"] = RandomValue(random, 1), ["customProperties"] = RandomValue(random, 1), ["definitionId"] = Pick(random, BadTexts) };
        return Json(new JsonObject { ["model"] = model, ["publish"] = random.Next(2) == 0, ["definitionIds"] = RandomValue(random, 1), ["filter"] = RandomValue(random, 2) }.ToJsonString());
    }

    [TestCase("/api/metrics?from=0001-01-01&to=9999-12-31")]
    [TestCase("/api/metrics?from=0001-01-01")]
    [TestCase("/api/metrics?to=9999-12-31")]
    [TestCase("/api/calendar/add-working-days?from=9999-12-31&days=5")]
    [TestCase("/api/calendar/add-working-days?from=2026-03-02&days=-99999")]
    [TestCase("/api/calendar/add-working-days?from=2026-03-02&days=2147483647")]
    [TestCase("/api/calendar/working-days-between?from=0001-01-01&to=9999-12-31")]
    [TestCase("/api/tasks?pageSize=-1")]
    [TestCase("/api/tasks?pageSize=2147483647")]
    [TestCase("/api/cases?page=-5")]
    public async Task Named_reads_with_absurd_values_are_refused_plainly(string url)
    {
        var response = await _clients["auditor01"].GetAsync(url);
        Assert.That((int)response.StatusCode, Is.LessThan(500), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Named_bad_writes_are_refused_plainly()
    {
        var window = _clients["window01"];
        var policy = _clients["policy01"];
        var cases = new (HttpClient Client, string Url, HttpContent Body)[]
        {
            (window, "/api/cases", Json("""{"matterCode":"44030505001","applicant":{"name":"张三","idType":"111","idNumber":"11010519491231002X"},"materials":[null]}""")),
            (window, "/api/cases", Json("""{"matterCode":"44030505001","applicant":null,"materials":null}""")),
            (window, "/api/cases", Json("""{"matterCode":null}""")),
            (window, "/api/cases", Json("[]")),
            (window, "/api/cases", Json("""{"matterCode":"44030505001","data":""" + new string('[', 62) + new string(']', 62) + "}")),
            (window, "/api/cases", Json("""{"matterCode":"44030505001","data":{"a":1e99999}}""")),
            (policy, "/api/definitions/import", new ByteArrayContent([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D]) { Headers = { ContentType = new("application/json") } }),
            (policy, "/api/definitions/import", Json("""{"id":"x","root":{"type":"Elsa.Flowchart","activities":[null],"connections":[null]},"customProperties":{"govflow:matter":null}}""")),
            (policy, "/api/definitions/import", Json("""{"customProperties":{"govflow:matter":{"code":null,"materials":[null],"steps":[null]}}}""")),
            (policy, "/sim/certificates/certificates", Json("""{"holderCode":"x","typeCode":"111","holderName":"张三","issuer":"测试","validYears":99999}""")),
            (policy, "/sim/certificates/certificates", Json("""{"holderCode":"x","typeCode":"111","holderName":"张三","issuer":"测试","validYears":-99999}""")),
        };
        foreach (var (client, url, body) in cases)
        {
            var response = await client.PostAsync(url, body);
            Assert.That((int)response.StatusCode, Is.InRange(400, 499), $"{url} {await body.ReadAsStringAsync()} → {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Test]
    public async Task An_oversized_body_is_413()
    {
        var big = new string('x', 31 * 1024 * 1024);
        var response = await _clients["window01"].PostAsync("/api/cases", Json("{\"matterCode\":\"" + big + "\"}"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    // Path parameters and documented query parameters filled with values that are wrong in some way.
    private static string Url(string path, JsonObject operation, Random random)
    {
        var url = System.Text.RegularExpressions.Regex.Replace(path, @"\{[^}]+\}", _ => Uri.EscapeDataString(Pick(random, BadTexts)));
        var query = (operation["parameters"]?.AsArray() ?? [])
            .Where(p => p!["in"]?.GetValue<string>() == "query")
            .Where(_ => random.Next(3) > 0)
            .Select(p => $"{p!["name"]!.GetValue<string>()}={Uri.EscapeDataString(Pick(random, BadTexts))}");
        var q = string.Join('&', query);
        return q.Length == 0 ? url : $"{url}?{q}";
    }

    private static readonly string[] BadTexts =
    [
        "", " ", "0", "-1", "2147483648", "-99999999999", "1e309", "NaN", "null", "true", "[]", "{}", "0001-01-01", "9999-12-31",
        "2026-02-30", "not-a-date", "../../etc/passwd", "%00", "' OR 1=1 --", "<script>alert(1)</script>", "中文", "\u202e",
        new string('9', 300), new string('字', 2000), "Open", "Resolved", "green", "red", "department", "mine", "44030505001"
    ];

    private static HttpContent Body(Random random) => random.Next(8) switch
    {
        0 => new StringContent("", Encoding.UTF8, "application/json"),
        1 => new StringContent("{", Encoding.UTF8, "application/json"),
        2 => new StringContent("null", Encoding.UTF8, "application/json"),
        3 => new ByteArrayContent([0xFF, 0xFE, 0x7B, 0x7D]) { Headers = { ContentType = new("application/json") } },
        4 => new StringContent(new string('[', 70) + new string(']', 70), Encoding.UTF8, "application/json"),
        5 => new StringContent(RandomObject(random, 0).ToJsonString(), Encoding.UTF8, "application/json"),
        6 => new StringContent("""{"action":null,"materials":[null,1,{}],"level":99999,"data":{"x":[[[[]]]]},"applicant":{"idNumber":null},"to":-1,"caseIds":[null]}""", Encoding.UTF8, "application/json"),
        _ => new StringContent(Pick(random, BadTexts), Encoding.UTF8, "text/plain")
    };

    private static readonly string[] Fields =
        ["action", "opinion", "assignee", "returnTo", "materials", "matterCode", "applicant", "data", "channel", "level", "comment", "caseNumber", "idNumber",
         "userName", "password", "to", "caseIds", "holderCode", "type", "validYears", "status", "down", "delayMs", "version", "name", "phone", "message"];

    private static JsonNode? RandomValue(Random random, int depth) => random.Next(depth > 3 ? 6 : 9) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(int.MinValue, int.MaxValue)),
        2 => JsonValue.Create(random.NextDouble() * 1e300),
        3 => JsonValue.Create(Pick(random, BadTexts)),
        4 => JsonValue.Create(random.Next(2) == 0),
        5 => JsonValue.Create(""),
        6 => new JsonArray(Enumerable.Range(0, random.Next(4)).Select(_ => RandomValue(random, depth + 1)).ToArray()),
        _ => RandomObject(random, depth + 1)
    };

    private static JsonObject RandomObject(Random random, int depth)
    {
        var o = new JsonObject();
        foreach (var field in Fields.OrderBy(_ => random.Next()).Take(random.Next(1, 6))) o[field] = RandomValue(random, depth);
        return o;
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

    private static string Describe(HttpContent? content) => content is null ? "" : Truncate(content.ReadAsStringAsync().Result);

    private static string Truncate(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
