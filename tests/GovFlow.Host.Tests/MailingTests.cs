using GovFlow.Activities.Cases;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovFlow.Activities.Matters;
using GovFlow.Activities.Steps;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using GovFlow.Host.Simulators;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>
/// The result goes the way the applicant chose at acceptance, through the API: a window task to hand it over, or the
/// post; a letter that cannot be delivered is the accepting window's task (重新寄送, 修改地址后寄送, 改为窗口领取).
/// </summary>
[TestFixture]
public class MailingTests : DataDirFixture
{
    private const string Elderly = "44030505001";
    private WebApplicationFactory<Program> _factory = null!;
    private readonly Dictionary<string, HttpClient> _clients = [];

    [SetUp]
    public void Start() => _factory = TestHost.Create(DataDir);

    [TearDown]
    public void Stop()
    {
        foreach (var c in _clients.Values) c.Dispose();
        _clients.Clear();
        _factory.Dispose();
    }

    private async Task<HttpClient> As(string user)
    {
        if (_clients.TryGetValue(user, out var client)) return client;
        client = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        (await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = DemoUsers.Password })).EnsureSuccessStatusCode();
        return _clients[user] = client;
    }

    private async Task<string> SubmitAsync(string address, Dictionary<string, string>? choice = null)
    {
        var person = _factory.Services.GetRequiredService<SimulatedWorld>().People.First(p => p.BirthDate.Year < 1946);
        var data = new Dictionary<string, JsonElement> { ["age"] = JsonSerializer.SerializeToElement(2026 - person.BirthDate.Year), ["onMinimumAllowance"] = JsonSerializer.SerializeToElement(false) };
        foreach (var (k, v) in choice ?? []) data[k] = JsonSerializer.SerializeToElement(v);
        var matter = _factory.Services.GetRequiredService<MatterCatalog>().Find(Elderly)!.Matter;
        using var scope = _factory.Services.CreateScope();
        var response = await scope.ServiceProvider.GetRequiredService<CaseService>().SubmitAsync(new CaseSubmission
        {
            MatterCode = Elderly, Channel = "window", Data = data,
            Materials = matter.Materials.Select(x => new MaterialInput { Name = x.Name, Provided = true }).ToList(),
            Applicant = new ApplicantInput { Name = person.Name, IdType = "111", IdNumber = person.IdNumber, Phone = person.Phone, Address = address }
        }, null, "window01");
        return response["caseId"]!.GetValue<string>();
    }

    // Approves the review steps (each by the demo reviewer of its department) until a task that is not a review is open.
    private async Task<JsonObject> ReviewedAsync(string caseId)
    {
        var staff = DemoUsers.All(_factory.Services.GetRequiredService<MatterCatalog>(), _factory.Services.GetRequiredService<SimulatedWorld>());
        for (var i = 0; i < 10; i++)
        {
            var task = await CurrentAsync(caseId);
            if (task is null || task["kind"]?.GetValue<string>() is { } kind && kind != ReviewTask.TaskBookmark) return task!;
            var user = staff.First(u => u.Department == task["department"]!.GetValue<string>() && u.Role == task["role"]!.GetValue<string>());
            var done = await (await As(user.UserName)).PostAsJsonAsync($"/api/tasks/{task["taskId"]}/complete", new { action = "approve", opinion = "同意" });
            Assert.That(done.StatusCode, Is.EqualTo(HttpStatusCode.OK), await done.Content.ReadAsStringAsync());
        }
        throw new AssertionException("the reviews did not end");
    }

    private async Task<JsonObject?> CurrentAsync(string caseId) =>
        (await (await As("auditor01")).GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}"))!["currentSteps"]!.AsArray().FirstOrDefault()?.AsObject();

    private async Task<JsonObject> CaseAsync(string caseId) => (await (await As("auditor01")).GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}"))!;

    [Test]
    public async Task An_undeliverable_result_is_the_accepting_windows_task_which_can_send_it_to_a_new_address()
    {
        var caseId = await SubmitAsync("查无此地");
        var task = await ReviewedAsync(caseId);
        var actions = task["actions"]!.AsArray().Select(a => a!["label"]!.GetValue<string>()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(task["stepName"]!.GetValue<string>(), Is.EqualTo("邮寄异常处理"));
            Assert.That(task["department"]!.GetValue<string>(), Is.EqualTo("综合窗口"), "the window that took the application");
            Assert.That(actions, Is.EquivalentTo(new[] { "重新寄送", "修改地址后寄送", "改为窗口领取" }));
        });
        var window = await As("window01");
        var vague = await window.PostAsJsonAsync($"/api/tasks/{task["taskId"]}/complete", new { action = "readdress", opinion = "不详" });
        Assert.That(vague.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "a new address must be deliverable");
        var sent = await window.PostAsJsonAsync($"/api/tasks/{task["taskId"]}/complete", new { action = "readdress", opinion = "广东省深圳市南山区粤海街道科技园路1号" });
        Assert.That(sent.StatusCode, Is.EqualTo(HttpStatusCode.OK), await sent.Content.ReadAsStringAsync());
        var view = await CaseAsync(caseId);
        Assert.Multiple(() =>
        {
            Assert.That(view["waybill"]!["address"]!.GetValue<string>(), Is.EqualTo("广东省深圳市南山区粤海街道科技园路1号"));
            Assert.That(view["waybill"]!["number"], Is.Not.Null, "posted again");
            Assert.That(view["currentSteps"]!.AsArray(), Is.Empty, "posted again: nothing left for a clerk while it travels");
        });
    }

    [Test]
    public async Task A_result_the_applicant_collects_is_a_window_task_until_marked_collected()
    {
        var caseId = await SubmitAsync("广东省深圳市南山区粤海街道科技园路1号", new() { [ResultDelivery.ChoiceField] = ResultDelivery.AtWindow });
        var task = await ReviewedAsync(caseId);
        Assert.That(task["stepName"]!.GetValue<string>(), Is.EqualTo("窗口领取"));
        var done = await (await As("window01")).PostAsJsonAsync($"/api/tasks/{task["taskId"]}/complete", new { action = "collected", opinion = "本人领取" });
        Assert.That(done.StatusCode, Is.EqualTo(HttpStatusCode.OK), await done.Content.ReadAsStringAsync());
        var view = await CaseAsync(caseId);
        Assert.That(view["waybill"], Is.Null, "nothing was posted");
        Assert.That(view["positions"]!.AsArray().Select(p => p!["kind"]!.GetValue<string>()), Does.Contain(RequestRating.RatingBookmark));
    }

    [Test]
    public async Task A_choice_other_than_pickup_or_post_is_refused_in_chinese()
    {
        var ex = Assert.ThrowsAsync<InputException>(() => SubmitAsync("广东省深圳市南山区粤海街道科技园路1号", new() { [ResultDelivery.ChoiceField] = "drone" }));
        Assert.That(ex!.Message, Does.Contain("窗口领取或邮寄送达"));
    }
}
