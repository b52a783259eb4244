using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using GovFlow.Host.Simulators;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>
/// An enterprise's authorised staff (企业经办人): the demo applicant agent01 acts for the first simulated enterprise,
/// lists and opens its cases as their own, and sees no other enterprise's; an applicant without the authorisation
/// does not see the enterprise's cases.
/// </summary>
[TestFixture]
public class EnterpriseAgentTests
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

    [Test]
    public async Task The_enterprise_s_staff_see_and_open_its_cases_and_not_another_enterprise_s()
    {
        var world = _factory.Services.GetRequiredService<SimulatedWorld>();
        var own = await SubmitAsync(world.Enterprises[0]);
        var other = await SubmitAsync(world.Enterprises[1]);
        var agent = await As("agent01");

        var page = (await agent.GetFromJsonAsync<JsonObject>("/api/my/cases?pageSize=100"))!;
        var ids = page["items"]!.AsArray().Select(i => i!["caseId"]!.GetValue<string>()).ToList();
        Assert.That(ids, Does.Contain(own).And.Not.Contain(other));
        Assert.That((await agent.GetAsync($"/api/my/cases/{own}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await agent.GetAsync($"/api/cases/{own}")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the case view shares the rule");
        Assert.That((await agent.GetAsync($"/api/my/cases/{other}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "another enterprise's case does not exist for them");
        Assert.That((await agent.GetAsync($"/api/cases/{own}/journal")).StatusCode, Is.Not.EqualTo(HttpStatusCode.OK), "the audit trail stays with auditors");

        var applicant = await As("applicant01");
        var theirs = (await applicant.GetFromJsonAsync<JsonObject>("/api/my/cases?pageSize=100"))!["items"]!.AsArray().Select(i => i!["caseId"]!.GetValue<string>());
        Assert.That(theirs, Does.Not.Contain(own), "without the authorisation, an applicant does not see the enterprise's cases");
        Assert.That((await applicant.GetAsync($"/api/my/cases/{own}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task The_authorisation_is_stored_with_the_credit_code_s_blind_index()
    {
        using var scope = _factory.Services.CreateScope();
        var agent = await scope.ServiceProvider.GetRequiredService<GovFlowDb>().Users.AsNoTracking().SingleAsync(u => u.UserName == "agent01");
        var world = _factory.Services.GetRequiredService<SimulatedWorld>();
        Assert.That(agent.EnterpriseUscc, Is.EqualTo(world.Enterprises[0].Uscc));
        Assert.That(agent.EnterpriseIndex, Is.EqualTo(scope.ServiceProvider.GetRequiredService<PersonalDataProtector>().IdIndex(world.Enterprises[0].Uscc)));
        Assert.That(agent.Role, Is.EqualTo(Roles.Applicant));
    }

    private async Task<string> SubmitAsync(SimEnterprise company)
    {
        var response = await (await As("window01")).PostAsJsonAsync("/api/cases", new
        {
            matterCode = "44030501013", channel = "window",
            applicant = new { name = company.Name, idType = "001", idNumber = company.Uscc, phone = "13912345679", address = company.Address },
            materials = new[] { "食品经营许可申请书", "法定代表人身份证明", "与食品经营相适应的主要设备设施布局、操作流程文件", "食品安全管理制度", "食品安全管理人员健康证明", "经营场所平面图" }
                .Select(m => new { name = m, provided = true })
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["caseId"]!.GetValue<string>();
    }

    private async Task<HttpClient> As(string user)
    {
        if (_clients.TryGetValue(user, out var existing)) return existing;
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = DemoUsers.Password });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return _clients[user] = client;
    }
}
