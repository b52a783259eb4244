using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Steps;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using GovFlow.Host.Simulators;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>
/// 网上申办: the applicant's form is prefilled from what GovFlow knows, certificates are looked up only with recorded
/// consent, uploads are checked by content and size, the checks refuse what is missing, the application waits for
/// the window's pre-review at the matter's hall, and owed materials are supplied online for the window to confirm.
/// </summary>
[TestFixture]
public class OnlineApplicationTests
{
    private const string Elderly = "44030505001";
    private const long MaxUpload = 4096;
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52];
    private WebApplicationFactory<Program> _factory = null!;
    private readonly Dictionary<string, HttpClient> _clients = [];

    [OneTimeSetUp]
    public async Task Start()
    {
        _factory = TestHost.Create(settings: new Dictionary<string, string> { ["GovFlow:Uploads:MaxBytes"] = MaxUpload.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        // A second applicant, to show one applicant never reaches another's files.
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        var other = World().People.Where(p => p.BirthDate.Year < 1946).Skip(1).First();
        db.Users.Add(new UserRecord { UserName = "applicant02", Role = Roles.Applicant, DisplayName = other.Name, IdNumber = other.IdNumber, PasswordHash = Passwords.Hash(DemoUsers.Password) });
        await db.SaveChangesAsync();
    }

    [OneTimeTearDown]
    public void Stop()
    {
        foreach (var c in _clients.Values) c.Dispose();
        _factory.Dispose();
    }

    [Test]
    public async Task The_form_is_prefilled_from_the_profile_and_the_latest_earlier_application()
    {
        var me = Applicant();
        // The test clock stands still: a minute on, this case is the latest whatever the other tests submitted before.
        ((TestClock)_factory.Services.GetRequiredService<TimeProvider>()).Now += TimeSpan.FromMinutes(1);
        var earlier = await (await As("window01")).PostAsJsonAsync("/api/cases", new
        {
            matterCode = Elderly, channel = "window", data = new { age = 80, onMinimumAllowance = false },
            applicant = new { name = me.Name, idType = "111", idNumber = me.IdNumber, phone = me.Phone, address = me.Address },
            materials = new[] { "高龄津贴申请书", "居民身份证", "银行卡", "照片" }.Select(m => new { name = m, provided = true })
        });
        Assert.That(earlier.StatusCode, Is.EqualTo(HttpStatusCode.Created), await earlier.Content.ReadAsStringAsync());

        var start = (await (await As("applicant01")).GetFromJsonAsync<JsonObject>($"/api/my/applications/start?matter={Elderly}"))!;
        var prefill = start["prefill"]!;
        Assert.Multiple(() =>
        {
            Assert.That(prefill["name"]!.GetValue<string>(), Is.EqualTo(me.Name));
            Assert.That(prefill["idNumber"]!.GetValue<string>(), Does.StartWith(me.IdNumber[..4]).And.Contain("*"), "the ID number is the profile's, shown masked");
            Assert.That(prefill["phone"]!.GetValue<string>(), Is.EqualTo(me.Phone));
            Assert.That(prefill["address"]!.GetValue<string>(), Is.EqualTo(me.Address));
            Assert.That(prefill["data"]!["onMinimumAllowance"]!.GetValue<bool>(), Is.False, "一次采集，终身通用");
            Assert.That(start["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "onMinimumAllowance" }), "the age is the ID number's, never asked");
            Assert.That(start["hall"]!.GetValue<string>(), Is.EqualTo("综合窗口"));
            Assert.That(start["maxUploadBytes"]!.GetValue<long>(), Is.EqualTo(MaxUpload));
            var id = start["materials"]!.AsArray().Single(m => m!["name"]!.GetValue<string>() == "居民身份证")!;
            Assert.That(id["certificateReplaceable"]!.GetValue<bool>(), Is.True);
            Assert.That(start["guide"]!["matter"]!["name"]!.GetValue<string>(), Does.Contain("高龄津贴"));
        });
    }

    [Test]
    public async Task Certificates_are_looked_up_only_with_consent_which_is_recorded()
    {
        var applicant = await As("applicant01");
        var refused = await applicant.PostAsJsonAsync("/api/my/applications/certificates", new { matter = Elderly, consent = false });
        var before = World().Uses.Count;
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("同意"));

        var lookup = (await (await applicant.PostAsJsonAsync("/api/my/applications/certificates", new { matter = Elderly, consent = true })).Content.ReadFromJsonAsync<JsonObject>())!;
        // The household register has no expiry in the simulated library, so the demo applicant always holds a valid one.
        var id = lookup["materials"]!.AsArray().Single(m => m!["material"]!.GetValue<string>() == "户口簿")!;
        Assert.Multiple(async () =>
        {
            Assert.That(World().Uses.Count, Is.GreaterThan(before), "the lookup reached the certificate library");
            Assert.That(id["found"]!.GetValue<bool>(), Is.True);
            Assert.That(id["number"]!.GetValue<string>(), Does.StartWith("112"));
            using var scope = _factory.Services.CreateScope();
            var consent = await scope.ServiceProvider.GetRequiredService<GovFlowDb>().CertificateConsents.SingleAsync(c => c.Id == lookup["consentId"]!.GetValue<string>());
            Assert.That(consent.UserName, Is.EqualTo("applicant01"));
            Assert.That(consent.MatterCode, Is.EqualTo(Elderly));
            Assert.That(consent.CertificateTypes.Split(','), Does.Contain("111").And.Contain("112"));
            Assert.That(consent.Purpose, Does.Contain("高龄津贴"));
            Assert.That(consent.At, Is.EqualTo(TestHost.Now));
        });

        // A certificate number not found under a consent is not taken on the applicant's word.
        var unconsented = await applicant.PostAsJsonAsync("/api/my/applications", await ApplicationAsync(applicant, consented: false, certificate: id["number"]!.GetValue<string>()));
        var problem = (await unconsented.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(unconsented.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem["errors"]!["materials.户口簿"]![0]!.GetValue<string>(), Does.Contain("同意后调取"));
    }

    [Test]
    public async Task Uploads_are_checked_by_content_and_size_and_refused_in_Chinese()
    {
        var applicant = await As("applicant01");
        var renamed = await UploadRawAsync(applicant, "#!/bin/sh\necho hello\n"u8.ToArray(), "申请书.pdf");
        var large = await UploadRawAsync(applicant, [.. Png, .. new byte[MaxUpload]], "照片.png");
        var good = await UploadRawAsync(applicant, Png, "照片.png");
        var stored = (await good.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Multiple(async () =>
        {
            Assert.That(renamed.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((await renamed.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), Does.Contain("只能上传 PDF、JPG 或 PNG"));
            Assert.That(large.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
            Assert.That((await large.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), Does.Contain("文件过大").And.Contain("4 KB"));
            Assert.That(good.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(stored["sha256"]!.GetValue<string>(), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(Png))));
            Assert.That(stored["size"]!.GetValue<long>(), Is.EqualTo(Png.Length));
            Assert.That(stored["contentType"]!.GetValue<string>(), Is.EqualTo("image/png"));
            Assert.That((await UploadRawAsync(await As("window01"), Png, "照片.png")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "uploads are the applicant's");
        });
    }

    [Test]
    public async Task A_missing_material_or_unanswered_field_is_refused_at_its_field_before_anything_is_submitted()
    {
        var applicant = await As("applicant01");
        var body = await ApplicationAsync(applicant, without: "银行卡", data: new { });
        var count = await CountCasesAsync();
        var response = await applicant.PostAsJsonAsync("/api/my/applications", body);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!;
        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(errors["materials.银行卡"]![0]!.GetValue<string>(), Is.EqualTo("请上传“银行卡”"));
            Assert.That(errors["data.onMinimumAllowance"]![0]!.GetValue<string>(), Does.Contain("最低生活保障"));
            Assert.That(await CountCasesAsync(), Is.EqualTo(count));
        });
    }

    [Test]
    public async Task An_online_application_awaits_the_windows_pre_review_at_the_matters_hall_with_its_uploads()
    {
        var applicant = await As("applicant01");
        var body = await ApplicationAsync(applicant);
        var first = await applicant.SendAsync(Post(body, "online-1"));
        var again = await applicant.SendAsync(Post(body, "online-1"));
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created), await first.Content.ReadAsStringAsync());
        var caseId = (await first.Content.ReadFromJsonAsync<JsonObject>())!["caseId"]!.GetValue<string>();
        Assert.That((await again.Content.ReadFromJsonAsync<JsonObject>())!["caseId"]!.GetValue<string>(), Is.EqualTo(caseId), "Idempotency-Key honoured");

        var window = await As("window01");
        var task = await TaskAsync(window, caseId);
        var view = (await window.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}"))!;
        var uploads = (await window.GetFromJsonAsync<JsonArray>($"/api/cases/{caseId}/uploads"))!;
        var photo = uploads.Single(u => u!["material"]!.GetValue<string>() == "照片")!;
        var download = await window.GetAsync($"/api/cases/{caseId}/uploads/{photo["id"]!.GetValue<string>()}");
        Assert.Multiple(async () =>
        {
            Assert.That(task["kind"]!.GetValue<string>(), Is.EqualTo(Acceptance.DecisionBookmark), "网上预审: the window's acceptance decision");
            Assert.That(task["department"]!.GetValue<string>(), Is.EqualTo("综合窗口"));
            Assert.That(view["channel"]!.GetValue<string>(), Is.EqualTo("mobile"));
            Assert.That(view["status"]!.GetValue<string>(), Is.EqualTo(CaseStatus.Received));
            // The household register is the certificate found; an expired ID card is uploaded instead.
            Assert.That(uploads.Select(u => u!["material"]!.GetValue<string>()), Is.SupersetOf(new[] { "高龄津贴申请书", "银行卡", "照片" }).And.Not.Contain("户口簿"));
            Assert.That(uploads.Select(u => u!["sha256"]!.GetValue<string>()), Is.All.EqualTo(Convert.ToHexStringLower(SHA256.HashData(Png))));
            Assert.That(uploads.Select(u => u!["purpose"]!.GetValue<string>()), Is.All.EqualTo("application"));
            Assert.That(download.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(download.Content.Headers.ContentType!.MediaType, Is.EqualTo("image/png"));
            Assert.That(await download.Content.ReadAsByteArrayAsync(), Is.EqualTo(Png));
            Assert.That((await (await As("applicant02")).GetAsync($"/api/cases/{caseId}/uploads/{photo["id"]!.GetValue<string>()}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await (await As("applicant02")).GetAsync($"/api/cases/{caseId}/uploads")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await (await As("auditor01")).GetAsync($"/api/cases/{caseId}/uploads")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task Owed_materials_are_supplied_online_only_while_owed_and_the_window_confirms_them()
    {
        var applicant = await As("applicant01");
        // On the minimum allowance and under 90: the window's checklist asks for the 低保证 the applicant left out.
        Assume.That(OnlineAge(), Is.LessThan(90), "the demo applicant's age decides whether 低保证 applies");
        var created = await applicant.PostAsJsonAsync("/api/my/applications", await ApplicationAsync(applicant, data: new { onMinimumAllowance = true }));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var caseId = (await created.Content.ReadFromJsonAsync<JsonObject>())!["caseId"]!.GetValue<string>();
        var early = await applicant.PostAsJsonAsync($"/api/my/cases/{caseId}/supply", new { materials = new[] { new { name = "低保证", uploadId = await UploadAsync(applicant) } } });
        Assert.That(early.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "nothing is owed before the window asks");

        var window = await As("window01");
        await CompleteAsync(window, await TaskAsync(window, caseId), new { action = "accept" });
        // The window's checklist tells the uploads (网上已上传) from paper handed in at the counter.
        var checklist = (await window.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}"))!["materials"]!.AsArray();
        Assert.That(checklist.Single(m => m!["name"]!.GetValue<string>() == "银行卡")!["satisfiedBy"]!.GetValue<string>(), Is.EqualTo("upload"));
        Assert.That(checklist.Single(m => m!["name"]!.GetValue<string>() == "低保证")!["satisfiedBy"], Is.Null);
        var owed = (await applicant.GetFromJsonAsync<JsonObject>($"/api/my/cases/{caseId}"))!["owed"]!.AsArray().Single()!;
        Assert.That(owed["materials"]!.AsArray().Select(m => m!.GetValue<string>()), Is.EqualTo(new[] { "低保证" }));

        var notOwed = await applicant.PostAsJsonAsync($"/api/my/cases/{caseId}/supply", new { materials = new[] { new { name = "银行卡", uploadId = await UploadAsync(applicant) } } });
        var supplied = await applicant.PostAsJsonAsync($"/api/my/cases/{caseId}/supply", new { materials = new[] { new { name = "低保证", uploadId = await UploadAsync(applicant) } } });
        Assert.That(notOwed.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await notOwed.Content.ReadAsStringAsync(), Does.Contain("不是需补正的材料"));
        Assert.That(supplied.StatusCode, Is.EqualTo(HttpStatusCode.OK), await supplied.Content.ReadAsStringAsync());
        var progress = (await supplied.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(progress["owed"]![0]!["suppliedOnline"]!.AsArray().Select(m => m!.GetValue<string>()), Is.EqualTo(new[] { "低保证" }), "已在线提交，待窗口确认");
        var correction = await TaskAsync(window, caseId);
        var upload = (await window.GetFromJsonAsync<JsonArray>($"/api/cases/{caseId}/uploads"))!.Single(u => u!["purpose"]!.GetValue<string>() == "supply")!;
        Assert.That(upload["taskId"]!.GetValue<string>(), Is.EqualTo(correction["taskId"]!.GetValue<string>()), "marked on the window's correction task");

        await CompleteAsync(window, correction, new { action = "supply", materials = new[] { "低保证" } });
        var after = (await applicant.GetFromJsonAsync<JsonObject>($"/api/my/cases/{caseId}"))!;
        Assert.That(after["status"]!.GetValue<string>(), Is.Not.EqualTo(CaseStatus.Correction), "accepted and on to review");
        Assert.That(after["steps"]!.AsArray().Select(s => s!["result"]!.GetValue<string>()), Does.Contain("受理"));
        Assert.That(after["owed"]!.AsArray(), Is.Empty);
    }

    private SimulatedWorld World() => _factory.Services.GetRequiredService<SimulatedWorld>();

    private SimPerson Applicant() => World().People.First(p => p.BirthDate.Year < 1946);

    private int OnlineAge() => GovFlow.Activities.Matters.IdentityNumber.Age(Applicant().IdNumber, DateOnly.FromDateTime(TestHost.Now.Date));

    private async Task<int> CountCasesAsync()
    {
        using var scope = _factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<GovFlowDb>().Cases.CountAsync();
    }

    // The elderly allowance with every material handed in: certificates for the two the library holds, uploads for the rest.
    private async Task<object> ApplicationAsync(HttpClient applicant, string? without = null, object? data = null, bool consented = true, string? certificate = null)
    {
        string? consentId = null;
        var numbers = new Dictionary<string, string>();
        if (consented)
        {
            var lookup = (await (await applicant.PostAsJsonAsync("/api/my/applications/certificates", new { matter = Elderly, consent = true })).Content.ReadFromJsonAsync<JsonObject>())!;
            consentId = lookup["consentId"]!.GetValue<string>();
            foreach (var f in lookup["materials"]!.AsArray().Where(f => f!["found"]!.GetValue<bool>())) numbers[f!["material"]!.GetValue<string>()] = f["number"]!.GetValue<string>();
        }
        else if (certificate != null) numbers["户口簿"] = certificate;
        var materials = new List<object>();
        foreach (var name in new[] { "高龄津贴申请书", "居民身份证", "户口簿", "银行卡", "照片" }.Where(n => n != without))
            materials.Add(numbers.TryGetValue(name, out var number) ? new { name, certificate = number } : new { name, uploadId = await UploadAsync(applicant) });
        var me = Applicant();
        return new { matterCode = Elderly, channel = "mobile", phone = me.Phone, address = me.Address, data = data ?? new { onMinimumAllowance = false }, materials, consentId };
    }

    private static HttpRequestMessage Post(object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/my/applications") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private static async Task<string> UploadAsync(HttpClient applicant)
    {
        var response = await UploadRawAsync(applicant, Png, "材料.png");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    private static Task<HttpResponseMessage> UploadRawAsync(HttpClient client, byte[] bytes, string name)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return client.PostAsync("/api/my/uploads", new MultipartFormDataContent { { file, "file", name } });
    }

    private static async Task<JsonObject> TaskAsync(HttpClient client, string caseId)
    {
        var inbox = await client.GetFromJsonAsync<JsonObject>("/api/tasks?scope=department&pageSize=100");
        return inbox!["items"]!.AsArray().Single(t => t!["caseId"]!.GetValue<string>() == caseId)!.AsObject();
    }

    private static async Task CompleteAsync(HttpClient client, JsonObject task, object action)
    {
        var done = await client.PostAsJsonAsync($"/api/tasks/{task["taskId"]!.GetValue<string>()}/complete", action);
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
