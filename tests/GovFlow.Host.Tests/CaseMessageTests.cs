using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovFlow.Activities.Calendar;
using GovFlow.Activities.Cases;
using GovFlow.Host.Cases;
using GovFlow.Host.Documents;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using GovFlow.Host.Simulators;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>
/// The applicant's SMS at each stage, through the API on real flows and the simulated SMS platform: what each says,
/// once per moment however often its delivery is tried, and texts policy staff edit within the known placeholders.
/// </summary>
[TestFixture]
public class CaseMessageTests
{
    private const string Elderly = "44030505001";
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
    public async Task Acceptance_tells_the_promised_date_and_the_flow_s_own_decision_message_is_not_doubled()
    {
        var person = Person(0);
        var caseId = await SubmitAsync(ElderlyCase(person));
        var number = await CaseNumberAsync(caseId);
        var sent = MessagesOf(number);
        Assert.That(sent, Has.Count.EqualTo(1), string.Join("\n", sent));
        Assert.That(sent[0], Does.StartWith("【政务服务】您申请的").And.Contain($"（办件编号{number}）已受理，承诺于").And.EndWith("前办结。"));
        Assert.That(sent[0], Does.Not.Contain("{"), "every placeholder filled");

        foreach (var user in new[] { "reviewer02", "reviewer01", "reviewer01" })
            await CompleteAsync(caseId, user, new { action = "approve", opinion = "同意" });
        var after = MessagesOf(number);
        Assert.That(after.Count(m => m.Contains("已受理", StringComparison.Ordinal)), Is.EqualTo(1), "acceptance told once: " + string.Join("\n", after));
        Assert.That(after.Count(m => m.Contains("准予办理", StringComparison.Ordinal)), Is.Zero, "the elderly allowance's flow sends its own 办结通知");
    }

    [Test]
    public async Task A_correction_lists_every_missing_material_and_the_deadline()
    {
        var person = Person(1);
        var caseId = await SubmitAsync(ElderlyCase(person, without: ["高龄津贴申请书"]));
        var number = await CaseNumberAsync(caseId);
        var deadline = NoticeWriter.Day(ChinaTime.EndOfWorkingDays(_factory.Services.GetRequiredService<WorkingCalendar>(), TestHost.Now, 20));
        Assert.That(MessagesOf(number), Is.EqualTo(new[]
        {
            $"【政务服务】您申请的{await MatterNameAsync(caseId)}（办件编号{number}）需补正以下材料：高龄津贴申请书。请于{deadline}前一次补齐，逾期视为撤回申请。"
        }));
    }

    [Test]
    public async Task An_extension_and_a_special_procedure_are_each_told_once()
    {
        var company = _factory.Services.GetRequiredService<SimulatedWorld>().Enterprises[1];
        var caseId = await SubmitAsync(new
        {
            matterCode = "44030501013", channel = "window",
            applicant = new { name = company.Name, idType = "001", idNumber = company.Uscc, phone = "13912345679", address = company.Address },
            materials = new[] { "食品经营许可申请书", "法定代表人身份证明", "与食品经营相适应的主要设备设施布局、操作流程文件", "食品安全管理制度", "食品安全管理人员健康证明", "经营场所平面图" }
                .Select(m => new { name = m, provided = true })
        });
        var number = await CaseNumberAsync(caseId);
        await CompleteAsync(caseId, "reviewer07", new { action = "extend", opinion = "需补充核查", days = "5", approver = "张局长" });
        await CompleteAsync(caseId, "reviewer07", new { action = "startSpecialProcedure", opinion = "请专家评审工艺布局", procedure = "专家评审", days = "3" }, kind: "GovFlow.ReviewTask");
        var sent = MessagesOf(number);
        Assert.That(sent, Has.Count.EqualTo(3), string.Join("\n", sent));
        Assert.That(sent[1], Does.StartWith($"【政务服务】您申请的{await MatterNameAsync(caseId)}（办件编号{number}）办理期限延长：").And.Contain("5个工作日"));
        Assert.That(sent[2], Does.Contain("专家评审"));
    }

    [Test]
    public async Task A_message_stored_with_its_step_is_delivered_by_the_outbox_once()
    {
        using var factory = TestHost.Create(deliverInline: false);
        var world = factory.Services.GetRequiredService<SimulatedWorld>();
        var person = world.People.First(p => p.BirthDate.Year < 1946);
        string caseId;
        using (var scope = factory.Services.CreateScope())
        {
            var client = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
            await client.PostAsJsonAsync("/api/auth/login", new { userName = "window01", password = DemoUsers.Password });
            var response = await client.PostAsJsonAsync("/api/cases", ElderlyCase(person));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
            caseId = (await response.Content.ReadFromJsonAsync<JsonObject>())!["caseId"]!.GetValue<string>();
        }
        // The flow looks up the applicant's e-certificate first: the case is accepted when the outbox delivers that call,
        // and the acceptance message the resulting step stores is delivered after it.
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
            var instance = await db.Cases.Where(c => c.Id == caseId).Select(c => c.InstanceId).SingleAsync();
            var calls = await db.Bookmarks.Where(b => b.InstanceId == instance && b.Name == Activities.Services.ServiceCalls.BookmarkName).Select(b => b.Id).ToListAsync();
            Assert.That(calls.Any(c => c.StartsWith("sms-", StringComparison.Ordinal)), Is.False, "nothing to tell before the acceptance");
            Assert.That(world.Messages.Where(m => m.Phone == person.Phone), Is.Empty);
            await scope.ServiceProvider.GetRequiredService<CaseService>().DeliverCallAsync(calls.Single());
        }
        var key = $"sms-{caseId}-{NoticeKinds.Acceptance}";
        // A repeat of the delivery (a sweep racing the request, a retried step) finds the message done.
        using (var scope = factory.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<CaseService>().DeliverCallAsync(key);
        Assert.That(world.Messages.Count(m => m.Phone == person.Phone && m.Message.Contains("已受理", StringComparison.Ordinal)), Is.EqualTo(1));
        using (var scope = factory.Services.CreateScope())
            Assert.That(await scope.ServiceProvider.GetRequiredService<GovFlowDb>().Bookmarks.AnyAsync(b => b.Id == key), Is.False, "done once delivered");
    }

    [Test]
    public async Task Policy_staff_edit_a_template_within_its_placeholders_and_the_next_case_says_it()
    {
        var policy = await As("policy01");
        var list = await policy.GetFromJsonAsync<List<JsonObject>>("/api/message-templates");
        Assert.That(list!.Select(t => t["moment"]!.GetValue<string>()), Is.SupersetOf(new[] { "acceptance", "correction", "extension", "specialProcedure", "approval", "refusal", "dispatch" }));

        var bad = await policy.PutAsJsonAsync("/api/message-templates/correction", new { text = "请补正{materials}，运单{waybill}" });
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await bad.Content.ReadAsStringAsync(), Does.Contain("{waybill}"));
        Assert.That((await policy.PutAsJsonAsync("/api/message-templates/nothing", new { text = "x" })).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await (await As("window01")).PutAsJsonAsync("/api/message-templates/correction", new { text = "{materials}" })).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        var changed = await policy.PutAsJsonAsync("/api/message-templates/correction", new { text = "{name}您好，{caseNumber}请于{deadline}前补正：{materials}" });
        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await changed.Content.ReadAsStringAsync());
        try
        {
            var person = Person(3);
            var caseId = await SubmitAsync(ElderlyCase(person, without: ["高龄津贴申请书"]));
            var number = await CaseNumberAsync(caseId);
            Assert.That(MessagesOf(number).Single(), Does.StartWith($"{person.Name}您好，{number}请于").And.EndWith("前补正：高龄津贴申请书"));
            var changes = await (await As("admin01")).GetFromJsonAsync<List<JsonObject>>("/api/admin/changes?key=correction");
            Assert.That(changes!.Any(c => c["actor"]!.GetValue<string>() == "policy01" && c["key"]!.GetValue<string>() == "correction"), Is.True, "journaled as an admin change");
        }
        finally
        {
            var restored = await policy.PutAsJsonAsync("/api/message-templates/correction", new { text = MessageTemplates.Defaults["correction"].Text });
            Assert.That(restored.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
    }

    [Test]
    public async Task A_preview_fills_sample_values_and_refuses_what_a_save_would_refuse()
    {
        var policy = await As("policy01");
        var list = await policy.GetFromJsonAsync<List<JsonObject>>("/api/message-templates");
        var reminder = list!.Single(t => t["moment"]!.GetValue<string>() == MessageTemplates.ToleranceReminder);
        Assert.That(reminder["placeholderInfo"]!.AsArray().Select(p => (p!["name"]!.GetValue<string>(), p["description"]!.GetValue<string>())),
            Does.Contain(("deadline", "补交截止日期")), "each placeholder is explained");
        Assert.That(list!.Select(t => t["moment"]!.GetValue<string>()), Is.SupersetOf(new[] { "toleranceReminder", "ratingInvitation", "rectificationFeedback" }));

        var preview = await policy.PostAsJsonAsync("/api/message-templates/ratingInvitation/preview", new { text = "{name}您好，请评价{caseNumber}：{link}" });
        Assert.That(preview.StatusCode, Is.EqualTo(HttpStatusCode.OK), await preview.Content.ReadAsStringAsync());
        var shown = (await preview.Content.ReadFromJsonAsync<JsonObject>())!;
        var expected = $"{MessageTemplates.SampleValues["name"]}您好，请评价{MessageTemplates.SampleValues["caseNumber"]}：{MessageTemplates.SampleValues["link"]}";
        Assert.That(shown["text"]!.GetValue<string>(), Is.EqualTo(expected));
        Assert.That(shown["length"]!.GetValue<int>(), Is.EqualTo(expected.Length));

        var refused = await policy.PostAsJsonAsync("/api/message-templates/ratingInvitation/preview", new { text = "请于{deadline}前评价" });
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = (await refused.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(problem["errors"]!["text"]![0]!.GetValue<string>(), Does.Contain("不能使用占位符{deadline}"), "the error is at the text field");
        Assert.That((await policy.PostAsJsonAsync("/api/message-templates/ratingInvitation/preview", new { text = " " })).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await (await As("window01")).PostAsJsonAsync("/api/message-templates/ratingInvitation/preview", new { text = "{link}" })).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await policy.GetFromJsonAsync<List<JsonObject>>("/api/message-templates"))!
            .Single(t => t["moment"]!.GetValue<string>() == "ratingInvitation")["text"]!.GetValue<string>(), Is.EqualTo(MessageTemplates.Defaults["ratingInvitation"].Text), "a preview saves nothing");
    }

    private List<string> MessagesOf(string caseNumber) =>
        _factory.Services.GetRequiredService<SimulatedWorld>().Messages.Where(m => m.Message.Contains(caseNumber, StringComparison.Ordinal)).Select(m => m.Message).ToList();

    private SimPerson Person(int skip) => _factory.Services.GetRequiredService<SimulatedWorld>().People.Where(p => p.BirthDate.Year < 1946).Skip(skip).First();

    private static object ElderlyCase(SimPerson p, string[]? without = null) => new
    {
        matterCode = Elderly, channel = "window", data = new { age = 2026 - p.BirthDate.Year },
        applicant = new { name = p.Name, idType = "111", idNumber = p.IdNumber, phone = p.Phone, address = p.Address },
        materials = new[] { "高龄津贴申请书", "居民身份证", "银行卡", "照片" }.Where(m => without?.Contains(m) != true).Select(m => new { name = m, provided = true })
    };

    private async Task<string> SubmitAsync(object application)
    {
        var response = await (await As("window01")).PostAsJsonAsync("/api/cases", application);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["caseId"]!.GetValue<string>();
    }

    private async Task<string> CaseNumberAsync(string caseId) =>
        (await (await As("auditor01")).GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}"))!["caseNumber"]!.GetValue<string>();

    private async Task<string> MatterNameAsync(string caseId) =>
        (await (await As("auditor01")).GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}"))!["matterName"]!.GetValue<string>();

    private async Task CompleteAsync(string caseId, string user, object action, string? kind = null)
    {
        var client = await As(user);
        var inbox = await client.GetFromJsonAsync<JsonObject>("/api/tasks?scope=department&pageSize=100");
        var task = inbox!["items"]!.AsArray().Single(t => t!["caseId"]!.GetValue<string>() == caseId && (kind is null || t["kind"]!.GetValue<string>() == kind))!["taskId"]!.GetValue<string>();
        var done = await client.PostAsJsonAsync($"/api/tasks/{task}/complete", action);
        Assert.That(done.StatusCode, Is.EqualTo(HttpStatusCode.OK), await done.Content.ReadAsStringAsync());
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
