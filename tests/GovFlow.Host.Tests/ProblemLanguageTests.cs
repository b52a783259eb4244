using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GovFlow.Host.Security;
using GovFlow.Host.Simulators;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>
/// Every kind of problem the API answers speaks the hall's language: Chinese title and detail by default (English
/// when the browser asks for it), no internal ids, no JSON paths, no framework or CLR wording.
/// </summary>
[TestFixture]
public partial class ProblemLanguageTests
{
    private WebApplicationFactory<Program> _factory = null!;
    private readonly Dictionary<string, HttpClient> _clients = [];

    [OneTimeSetUp]
    public void Start() => _factory = TestHost.Create();

    [OneTimeTearDown]
    public void Stop()
    {
        foreach (var c in _clients.Values) c.Dispose();
        _factory.Dispose();
    }

    private async Task<HttpClient> As(string user)
    {
        if (_clients.TryGetValue(user, out var existing)) return existing;
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = DemoUsers.Password });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return _clients[user] = client;
    }

    /// <summary>The problem's title and detail, checked to be Chinese and free of ids, JSON paths and framework words.</summary>
    private static async Task<(string Title, string Detail)> Chinese(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        var problem = JsonNode.Parse(text)!.AsObject();
        var title = problem["title"]!.GetValue<string>();
        var detail = problem["detail"]!.GetValue<string>();
        Assert.Multiple(() =>
        {
            Assert.That(title, Does.Match(@"\p{IsCJKUnifiedIdeographs}"), text);
            Assert.That(detail, Does.Match(@"\p{IsCJKUnifiedIdeographs}"), text);
            foreach (var words in new[] { title, detail })
            {
                Assert.That(InternalId().IsMatch(words), Is.False, $"an internal id in '{words}'");
                Assert.That(words, Does.Not.Contain("$.").And.Not.Contain("Failed").And.Not.Contain("parameter").And.Not.Contain("expected"), words);
            }
            foreach (var message in problem["errors"]?.AsObject().SelectMany(e => e.Value!.AsArray()) ?? [])
                Assert.That(message!.GetValue<string>(), Does.Match(@"\p{IsCJKUnifiedIdeographs}"), text);
        });
        return (title, detail);
    }

    [GeneratedRegex("[0-9a-fA-F]{32}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex InternalId();

    [Test]
    public async Task A_failed_sign_in_says_so_in_Chinese_and_in_English_when_asked()
    {
        using var client = _factory.CreateClient();
        var (title, detail) = await Chinese(await client.PostAsJsonAsync("/api/auth/login", new { userName = "window01", password = "wrong" }), HttpStatusCode.Unauthorized);
        Assert.That((title, detail), Is.EqualTo(("登录失败", "用户名或密码错误")));

        using var english = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { userName = "window02", password = "wrong" }) };
        english.Headers.AcceptLanguage.ParseAdd("en-US,en;q=0.9,zh-CN;q=0.5");
        var problem = await (await client.SendAsync(english)).Content.ReadFromJsonAsync<JsonObject>();
        Assert.That((problem!["title"]!.GetValue<string>(), problem["detail"]!.GetValue<string>()), Is.EqualTo(("Sign-in required", "Wrong user name or password.")));
    }

    [Test]
    public async Task Without_a_session_the_answer_is_401_in_Chinese()
    {
        using var client = _factory.CreateClient();
        var (title, _) = await Chinese(await client.GetAsync("/api/cases"), HttpStatusCode.Unauthorized);
        Assert.That(title, Is.EqualTo("请先登录"));
    }

    [TestCase("policy01", "/api/cases")]
    [TestCase("window01", "/api/designer/lookups")]
    public async Task Outside_the_callers_role_the_answer_is_403_no_right_to_do_this(string user, string url)
    {
        var (title, _) = await Chinese(await (await As(user)).GetAsync(url), HttpStatusCode.Forbidden);
        Assert.That(title, Is.EqualTo("无权办理此操作"));
    }

    [TestCase("/api/cases/0123456789abcdef0123456789abcdef", "没有这件办件")]
    [TestCase("/api/matters/00000000000", "没有编码为 00000000000 的事项")]
    [TestCase("/api/no-such-thing", "没有这个接口")]
    public async Task What_does_not_exist_is_404_in_Chinese(string url, string words)
    {
        var (_, detail) = await Chinese(await (await As("auditor01")).GetAsync(url), HttpStatusCode.NotFound);
        Assert.That(detail, Does.Contain(words));
    }

    [Test]
    public async Task A_task_someone_else_claimed_is_409_saying_so_without_ids()
    {
        var world = _factory.Services.GetRequiredService<SimulatedWorld>();
        var submitted = await (await As("window01")).PostAsJsonAsync("/api/cases", Applications.Elderly(world));
        Assert.That(submitted.StatusCode, Is.EqualTo(HttpStatusCode.Created), await submitted.Content.ReadAsStringAsync());
        var caseId = (await submitted.Content.ReadFromJsonAsync<JsonObject>())!["caseId"]!.GetValue<string>();
        var inbox = await (await As("reviewer02")).GetFromJsonAsync<JsonObject>("/api/tasks?scope=department&pageSize=100");
        var task = inbox!["items"]!.AsArray().First(t => t!["caseId"]!.GetValue<string>() == caseId)!["taskId"]!.GetValue<string>();
        Assert.That((await (await As("reviewer02")).PostAsync($"/api/tasks/{task}/claim", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var (title, detail) = await Chinese(await (await As("reviewer08")).PostAsync($"/api/tasks/{task}/claim", null), HttpStatusCode.Conflict);
        Assert.That((title, detail), Is.EqualTo(("操作冲突", "该待办已由他人签收。")));
        Assert.That(detail, Does.Not.Contain("reviewer02"));
    }

    [Test]
    public async Task A_body_the_binder_cannot_read_is_400_in_Chinese()
    {
        using var client = _factory.CreateClient();
        var (title, detail) = await Chinese(await client.PostAsync("/api/auth/login", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        Assert.That(title, Is.EqualTo("请求格式不正确"));
        Assert.That(detail, Does.Not.Contain("LoginRequest"));
    }

    [Test]
    public async Task A_query_value_of_the_wrong_type_is_400_in_Chinese()
    {
        var (_, detail) = await Chinese(await (await As("auditor01")).GetAsync("/api/cases?page=abc"), HttpStatusCode.BadRequest);
        Assert.That(detail, Does.Not.Contain("Int32").And.Not.Contain("int "));
    }

    [Test]
    public async Task Bad_input_names_no_field_code_in_its_title()
    {
        var (title, detail) = await Chinese(await (await As("auditor01")).GetAsync("/api/cases?pageSize=1000"), HttpStatusCode.BadRequest);
        Assert.That((title, detail), Is.EqualTo(("提交的内容有误", "每页条数为 1 至 100")));
    }

    [Test]
    public async Task An_import_that_is_not_a_definition_says_where_in_words_not_a_JSON_path()
    {
        var policy = await As("policy01");
        var (_, detail) = await Chinese(await policy.PostAsync("/api/definitions/import", new StringContent("{\"root\": 1}", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        Assert.That(detail, Does.StartWith("导入的流程定义无法读取"));

        var original = JsonNode.Parse(await policy.GetStringAsync("/api/definitions/44030505001/export"))!;
        original["root"]!["activities"]![1]!["type"] = 5;
        (_, detail) = await Chinese(await policy.PostAsync("/api/definitions/import", new StringContent(original.ToJsonString(), System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        Assert.That(detail, Does.Contain("第 2 个活动"));

        var broken = JsonNode.Parse(await policy.GetStringAsync("/api/definitions/44030505001/export"))!;
        broken["customProperties"]!["govflow:matter"]!["promisedLimit"]!["value"] = 99;
        (_, detail) = await Chinese(await policy.PostAsync("/api/definitions/import", new StringContent(broken.ToJsonString(), System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        Assert.That(detail, Does.Contain("承诺办结时限"));
    }
}
