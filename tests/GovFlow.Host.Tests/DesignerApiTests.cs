using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using GovFlow.Host.Security;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GovFlow.Host.Tests;

/// <summary>The designer's validate and lookups endpoints through the real host.</summary>
[TestFixture]
public class DesignerApiTests
{
    private const string ElderlyAllowance = "44030505001";
    private WebApplicationFactory<Program> _factory = null!;

    [OneTimeSetUp]
    public void Start() => _factory = TestHost.Create();

    [OneTimeTearDown]
    public void Stop() => _factory.Dispose();

    private async Task<HttpClient> As(string user)
    {
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        (await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = DemoUsers.Password })).EnsureSuccessStatusCode();
        return client;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Test]
    public async Task A_published_matter_validates_clean()
    {
        var policy = await As("policy01");
        var definition = await policy.GetStringAsync($"/api/definitions/{ElderlyAllowance}/export");
        var response = await policy.PostAsync("/api/definitions/validate", Json(definition));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That((await response.Content.ReadFromJsonAsync<JsonObject>())!["problems"]!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task Each_problem_comes_with_its_field_or_node_in_chinese()
    {
        var policy = await As("policy01");
        var definition = JsonNode.Parse(await policy.GetStringAsync($"/api/definitions/{ElderlyAllowance}/export"))!;
        var matter = definition["customProperties"]!["govflow:matter"]!;
        ((JsonObject)matter["materials"]![4]!).Remove("condition");
        var step2 = definition["root"]!["activities"]!.AsArray().Single(a => a!["id"]!.GetValue<string>() == "step2")!.AsObject();
        step2.Remove("department");
        var problems = (await (await policy.PostAsync("/api/definitions/validate", Json(definition.ToJsonString()))).Content.ReadFromJsonAsync<JsonObject>())!["problems"]!.AsArray();
        var condition = problems.Single(p => p!["field"]?.GetValue<string>() == "materials[4].condition")!;
        Assert.Multiple(() =>
        {
            Assert.That(condition["message"]!.GetValue<string>(), Is.EqualTo("“低保证”是有条件材料，但没有写明条件"));
            Assert.That(condition["path"]!.GetValue<string>(), Is.EqualTo("$.customProperties['govflow:matter'].materials[4].condition"));
            Assert.That(condition["activityId"], Is.Null);
            var department = problems.Single(p => p!["activityId"]?.GetValue<string>() == "step2" && p["message"]!.GetValue<string>().Contains("没有指定", StringComparison.Ordinal))!;
            Assert.That(department["message"]!.GetValue<string>(), Is.EqualTo("人工环节“审核”没有指定办理部门"));
            Assert.That(department["field"], Is.Null);
        });
        Assert.That((await policy.GetFromJsonAsync<JsonArray>($"/api/definitions/{ElderlyAllowance}/versions"))!, Has.Count.EqualTo(1), "validating saves nothing");
    }

    [Test]
    public async Task A_definition_without_a_matter_is_told_so()
    {
        var policy = await As("policy01");
        var definition = JsonNode.Parse(await policy.GetStringAsync($"/api/definitions/{ElderlyAllowance}/export"))!;
        ((JsonObject)definition["customProperties"]!).Remove("govflow:matter");
        var problems = (await (await policy.PostAsync("/api/definitions/validate", Json(definition.ToJsonString()))).Content.ReadFromJsonAsync<JsonObject>())!["problems"]!.AsArray();
        Assert.That(problems.Select(p => p!["message"]!.GetValue<string>()), Has.Some.StartsWith("流程定义里还没有事项信息"));
    }

    [Test]
    public async Task A_code_another_matter_has_is_a_problem_at_the_code()
    {
        var policy = await As("policy01");
        var definition = JsonNode.Parse(await policy.GetStringAsync($"/api/definitions/{ElderlyAllowance}/export"))!;
        definition["definitionId"] = "a-new-matter";
        var problems = (await (await policy.PostAsync("/api/definitions/validate", Json(definition.ToJsonString()))).Content.ReadFromJsonAsync<JsonObject>())!["problems"]!.AsArray();
        var code = problems.Single(p => p!["field"]?.GetValue<string>() == "code")!;
        Assert.That(code["message"]!.GetValue<string>(), Is.EqualTo("事项编码 44030505001 已由事项“高龄津贴申请”使用，请换一个编码"));
    }

    [Test]
    public async Task Bad_bodies_are_refused_as_an_import_refuses_them()
    {
        var policy = await As("policy01");
        var notJson = await policy.PostAsync("/api/definitions/validate", Json("这不是 JSON"));
        Assert.That(notJson.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await notJson.Content.ReadAsStringAsync());
        var notUtf8 = await policy.PostAsync("/api/definitions/validate", new ByteArrayContent([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) { Headers = { ContentType = new("application/json") } });
        Assert.That((notUtf8.StatusCode, await notUtf8.Content.ReadAsStringAsync()), Is.EqualTo((HttpStatusCode.BadRequest, "")).Using<(HttpStatusCode, string)>((a, b) => a.Item1 == b.Item1 && a.Item2.Contains("UTF-8")));
        var original = JsonNode.Parse(await policy.GetStringAsync($"/api/definitions/{ElderlyAllowance}/export"))!;
        original["description"] = new string('说', 1024 * 1024);
        var tooLarge = await policy.PostAsync("/api/definitions/validate", Json(original.ToJsonString()));
        Assert.That(tooLarge.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That((await tooLarge.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["GovFlow:Definitions:MaxBytes"], Is.Not.Null);
    }

    [Test]
    public async Task Only_policy_staff_validate_and_look_up()
    {
        var window = await As("window01");
        Assert.That((await window.PostAsync("/api/definitions/validate", Json("{}"))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await window.GetAsync("/api/designer/lookups")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await _factory.CreateClient().GetAsync("/api/designer/lookups")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Lookups_offer_departments_certificate_types_case_fields_and_a_blank_matter()
    {
        var lookups = (await (await As("policy01")).GetFromJsonAsync<JsonObject>("/api/designer/lookups"))!;
        Assert.Multiple(() =>
        {
            var departments = lookups["departments"]!.AsArray().Select(d => d!["name"]!.GetValue<string>()).ToList();
            Assert.That(departments, Does.Contain("深圳市南山区民政局"));
            Assert.That(departments, Does.Contain("深圳市南山区消防救援大队"), "a joint department a matter names");
            Assert.That(departments, Is.Unique);
            Assert.That(lookups["certificateTypes"]!.AsArray().Select(c => (c!["code"]!.GetValue<string>(), c["name"]!.GetValue<string>())), Does.Contain(("111", "居民身份证")));
            var fields = lookups["caseFields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ToList();
            Assert.That(fields, Is.SupersetOf(new[] { "age", "today", "applicant.name", "onMinimumAllowance", "married", "certificates.t111" }));
            Assert.That(lookups["codes"]!["types"]!["01"]!.GetValue<string>(), Is.EqualTo("行政许可"));
            Assert.That(lookups["codes"]!["caseTypes"]!["2"]!.GetValue<string>(), Is.EqualTo("承诺件"));
            Assert.That(lookups["timeUnits"]!.AsArray().Select(u => u!["code"]!.GetValue<string>()), Is.EqualTo(new[] { "WD", "ND", "WH" }));
            Assert.That(lookups["roles"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "窗口人员", "审批人员" }));
            Assert.That(lookups["blankMatter"]!["promisedLimit"]!["unit"]!.GetValue<string>(), Is.EqualTo("WD"));
            Assert.That(lookups["blankMatter"]!["materials"]!.AsArray(), Is.Empty);
        });
    }
}
