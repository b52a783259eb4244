using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using GovFlow.Activities.Calendar;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Matters;
using GovFlow.Host.Documents;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using GovFlow.Host.Simulators;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdfSharp.Pdf.IO;

namespace GovFlow.Host.Tests;

/// <summary>
/// Official notices (文书) through the API on real flows: each event issues its notice once, in the step's commit,
/// with its hash in the journal; the stored copy is what a reprint serves; only those who may read the case read them.
/// </summary>
[TestFixture]
public class CaseDocumentTests
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
    public async Task An_approved_case_gets_its_acceptance_its_decision_and_the_proof_of_delivery_each_once_with_the_hash_in_the_journal()
    {
        var caseId = await SubmitAsync(ElderlyCase());
        Assert.That((await DocumentsAsync(caseId)).Select(d => d.Title), Is.EqualTo(new[] { "受理通知书" }), "accepted at the window at once");
        foreach (var user in new[] { "reviewer02", "reviewer01", "reviewer01" })
            await CompleteAsync(caseId, user, new { action = "approve", opinion = "同意" });
        var view = await (await As("auditor01")).GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}");
        await _factory.CreateClient().PostAsJsonAsync($"/sim/mail/waybills/{view!["waybill"]!["number"]!.GetValue<string>()}/status", new { status = "delivered", detail = "本人签收" });
        await _factory.Services.GetRequiredService<Scheduling.DueBookmarkSweeper>().TrackWaybillsAsync();

        var documents = await DocumentsAsync(caseId);
        Assert.That(documents.Select(d => (d.Kind, d.Title)), Is.EqualTo(new[]
        {
            (NoticeKinds.Acceptance, "受理通知书"), (NoticeKinds.Approval, "准予给付决定书"), (NoticeKinds.Delivery, "送达回证")
        }), "高龄津贴 is a benefit (给付), decided once and delivered once");

        var auditor = await As("auditor01");
        var journal = await With(db => db.Journal.AsNoTracking().Where(j => j.InstanceId == db.Cases.Single(c => c.Id == caseId).InstanceId && j.EventName == CaseNotices.EventName)
            .OrderBy(j => j.Sequence).ToListAsync());
        Assert.That(journal, Has.Count.EqualTo(3), "one journal record per notice");
        foreach (var document in documents)
        {
            var pdf = await auditor.GetByteArrayAsync(document.Links.Pdf);
            var again = await auditor.GetByteArrayAsync(document.Links.Pdf);
            var record = journal.Single(j => j.Sequence == document.JournalSequence);
            var payload = JsonNode.Parse(record.PayloadJson!)!;
            using var parsed = PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import);
            Assert.Multiple(() =>
            {
                Assert.That(pdf.AsSpan(0, 5).ToArray(), Is.EqualTo("%PDF-"u8.ToArray()));
                Assert.That(parsed.PageCount, Is.GreaterThanOrEqualTo(1));
                Assert.That(parsed.Info.Title, Does.StartWith(document.Title));
                Assert.That(again, Is.EqualTo(pdf), "a reprint is the stored copy, byte for byte");
                Assert.That(CaseNotices.Hash(pdf), Is.EqualTo(document.Hash), "the PDF hashes to what the list says");
                Assert.That(payload["pdfHash"]!.GetValue<string>(), Is.EqualTo(document.Hash), "and to what the journal recorded");
                Assert.That(payload["algorithm"]!.GetValue<string>(), Is.EqualTo("SM3"));
            });
        }
        var verified = await auditor.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}/journal/verify");
        Assert.That(verified!["valid"]!.GetValue<bool>(), Is.True, verified.ToJsonString());

        var html = await auditor.GetAsync(documents[0].Links.Html);
        var page = await html.Content.ReadAsStringAsync();
        var person = Person();
        Assert.Multiple(() =>
        {
            Assert.That(html.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
            Assert.That(CaseNotices.Hash(Encoding.UTF8.GetBytes(page)), Is.EqualTo(JsonNode.Parse(journal[0].PayloadJson!)!["htmlHash"]!.GetValue<string>()));
            Assert.That(page, Does.Contain(view["caseNumber"]!.GetValue<string>()).And.Contain(person.Name).And.Contain("高龄津贴申请书"));
            Assert.That(page, Does.Contain(PersonalData.MaskIdNumber("111", person.IdNumber)).And.Not.Contain(person.IdNumber), "the ID number is masked on the notice");
            Assert.That(page, Does.Contain("/progress?caseNumber=").And.Contain("<svg"), "the QR code to the progress page");
            Assert.That(page, Does.Contain("承诺于"), "the promised date");
        });
    }

    [Test]
    public async Task A_correction_lists_everything_missing_with_the_deadline_and_the_supply_ends_on_the_acceptance()
    {
        var caseId = await SubmitAsync(ElderlyCase(without: "高龄津贴申请书"));
        var documents = await DocumentsAsync(caseId);
        Assert.That(documents.Select(d => d.Title), Is.EqualTo(new[] { "补正材料通知书" }));
        var calendar = _factory.Services.GetRequiredService<WorkingCalendar>();
        var deadline = NoticeWriter.Day(ChinaTime.EndOfWorkingDays(calendar, TestHost.Now, 20));
        var page = await (await As("window01")).GetStringAsync(documents[0].Links.Html);
        Assert.That(page, Does.Contain("<li>高龄津贴申请书").And.Contain($"请于{deadline}前").And.Contain("一次性告知"));

        await CompleteAsync(caseId, "window01", new { action = "supply", materials = new[] { "高龄津贴申请书" } });
        Assert.That((await DocumentsAsync(caseId)).Select(d => d.Title), Is.EqualTo(new[] { "补正材料通知书", "受理通知书" }), "the correction is not issued again");
    }

    [Test]
    public async Task Not_accepted_at_the_window_gives_the_decision_with_its_reasons_and_the_right_to_review_and_no_acceptance()
    {
        var caseId = await SubmitAsync(ElderlyCase(data: new { age = 90, acceptance = "notAccepted", notAcceptedReasons = "申请人户籍不在本区，不属于本机关职权范围" }));
        var documents = await DocumentsAsync(caseId);
        Assert.That(documents.Select(d => d.Title), Is.EqualTo(new[] { "不予受理决定书" }));
        var page = await (await As("window01")).GetStringAsync(documents[0].Links.Html);
        Assert.That(page, Does.Contain("申请人户籍不在本区，不属于本机关职权范围").And.Contain("六十日内").And.Contain("行政复议").And.Contain("六个月内").And.Contain("行政诉讼")
            .And.Contain("第三十二条"));
    }

    [Test]
    public async Task A_refusal_gives_the_decision_with_the_reviewers_reasons()
    {
        var caseId = await SubmitAsync(ElderlyCase());
        await CompleteAsync(caseId, "reviewer02", new { action = "reject", opinion = "申请人已在外区领取高龄津贴" });
        var documents = await DocumentsAsync(caseId);
        Assert.That(documents.Select(d => d.Title), Is.EqualTo(new[] { "受理通知书", "不予给付决定书" }));
        var page = await (await As("auditor01")).GetStringAsync(documents[1].Links.Html);
        Assert.That(page, Does.Contain("理由：申请人已在外区领取高龄津贴").And.Contain("行政复议"));
    }

    [Test]
    public async Task An_extension_and_a_special_procedure_each_tell_the_applicant_in_a_notice()
    {
        // A food business licence, whose review offers both (《行政许可法》第四十二条、第四十五条).
        var company = _factory.Services.GetRequiredService<SimulatedWorld>().Enterprises[0];
        var caseId = await SubmitAsync(new
        {
            matterCode = "44030501013", channel = "window",
            applicant = new { name = company.Name, idType = "001", idNumber = company.Uscc, phone = "13912345678", address = company.Address },
            materials = new[] { "食品经营许可申请书", "法定代表人身份证明", "与食品经营相适应的主要设备设施布局、操作流程文件", "食品安全管理制度", "食品安全管理人员健康证明", "经营场所平面图" }
                .Select(m => new { name = m, provided = true })
        });
        await CompleteAsync(caseId, "reviewer07", new { action = "extend", opinion = "需补充核查", days = "5", approver = "张局长" });
        await CompleteAsync(caseId, "reviewer07", new { action = "startSpecialProcedure", opinion = "请专家评审工艺布局", procedure = "专家评审", days = "3" }, kind: "GovFlow.ReviewTask");
        var documents = await DocumentsAsync(caseId);
        Assert.That(documents.Select(d => d.Title), Is.EqualTo(new[] { "受理通知书", "延期告知书", "特别程序告知书" }));
        var extension = await (await As("auditor01")).GetStringAsync(documents[1].Links.Html);
        Assert.That(extension, Does.Contain("经张局长批准，本件办理期限延长5个工作日").And.Contain("需补充核查").And.Contain("统一社会信用代码"));
    }

    [Test]
    public async Task An_application_the_window_decides_later_gets_a_receipt_first()
    {
        var caseId = await SubmitAsync(ElderlyCase(data: new { age = 90, acceptance = "pending" }));
        Assert.That((await DocumentsAsync(caseId)).Select(d => d.Title), Is.EqualTo(new[] { "收件回执" }));
    }

    [Test]
    public async Task Tolerance_acceptance_gives_the_commitment_with_what_is_owed_and_by_when()
    {
        var caseId = await SubmitAsync(ElderlyCase(without: "银行卡", data: new { age = 90, toleranceCommitment = true }));
        var documents = await DocumentsAsync(caseId);
        Assert.That(documents.Select(d => d.Title), Does.Contain("容缺受理告知承诺书").And.Not.Contain("受理通知书"));
        var page = await (await As("window01")).GetStringAsync(documents.Single(d => d.Kind == NoticeKinds.Tolerance).Links.Html);
        Assert.That(page, Does.Contain("<li>银行卡</li>").And.Contain("前补齐"));
    }

    [Test]
    public async Task The_applicant_reads_their_own_notices_and_nobody_elses()
    {
        var own = await SubmitAsync(ElderlyCase());
        var other = await SubmitAsync(ElderlyCase(person: _factory.Services.GetRequiredService<SimulatedWorld>().People.Where(p => p.BirthDate.Year < 1946).Skip(1).First()));
        var applicant = await As("applicant01");
        var mine = (await applicant.GetFromJsonAsync<List<CaseDocument>>($"/api/cases/{own}/documents"))!;
        Assert.That(mine.Select(d => d.Title), Is.EqualTo(new[] { "受理通知书" }));
        Assert.That((await applicant.GetAsync(mine[0].Links.Pdf)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var theirs = (await DocumentsAsync(other))[0];
        Assert.Multiple(async () =>
        {
            Assert.That((await applicant.GetAsync($"/api/cases/{other}/documents")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await applicant.GetAsync(theirs.Links.Pdf)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await applicant.GetAsync(theirs.Links.Html)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            // Another case's document id under one's own case is not found either.
            Assert.That((await applicant.GetAsync($"/api/cases/{own}/documents/{theirs.Id}.pdf")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await (await As("policy01")).GetAsync($"/api/cases/{own}/documents")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await _factory.CreateClient().GetAsync($"/api/cases/{own}/documents")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        });
    }

    [Test]
    public void A_proof_is_refused_by_a_not_issued_notice_and_a_licence_by_a_not_licensed_decision()
    {
        var catalog = _factory.Services.GetRequiredService<MatterCatalog>();
        Assert.Multiple(() =>
        {
            Assert.That(NoticeKinds.Title(NoticeKinds.Refusal, catalog.Find("44030007009")!.Matter), Is.EqualTo("不予出具无犯罪记录证明通知书"), "无犯罪记录证明: a notice, not a decision");
            Assert.That(NoticeKinds.Title(NoticeKinds.Refusal, catalog.Find("44030501002")?.Matter), Is.EqualTo("不予许可决定书"), "公共场所卫生许可证");
            Assert.That(NoticeKinds.Title(NoticeKinds.Approval, catalog.Find("44030501002")?.Matter), Is.EqualTo("准予许可决定书"));
        });
    }

    [Test]
    public async Task Stored_notices_are_encrypted_at_rest_like_the_case_file()
    {
        await SubmitAsync(ElderlyCase());
        var stored = await With(async db =>
        {
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT Html, Pdf FROM case_documents";
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync()) rows.AddRange([reader.GetString(0), reader.GetString(1)]);
            return rows;
        });
        Assert.That(stored, Is.Not.Empty.And.All.StartWith(PersonalDataProtector.Prefix), "both printed forms name the applicant");
    }

    [Test]
    public void Proof_of_delivery_is_due_for_the_result_not_for_materials_forwarded_before_the_decision()
    {
        var forwarded = CaseFile.Read(new JsonObject { ["status"] = CaseStatus.InReview, ["waybill"] = new JsonObject { ["status"] = "delivered" } });
        var decided = CaseFile.Read(new JsonObject { ["status"] = CaseStatus.Completed, ["waybill"] = new JsonObject { ["status"] = "delivered" } });
        Assert.Multiple(() =>
        {
            Assert.That(NoticeKinds.Due(forwarded, awaitingDecision: false).Select(d => d.Kind), Has.None.EqualTo(NoticeKinds.Delivery));
            Assert.That(NoticeKinds.Due(decided, awaitingDecision: false).Select(d => d.Kind), Has.One.EqualTo(NoticeKinds.Delivery));
        });
    }

    [Test]
    public async Task Without_its_font_a_host_refuses_the_step_in_words_and_accepts_nothing_without_its_notice()
    {
        using var host = TestHost.Create(settings: new Dictionary<string, string> { ["GovFlow:Documents:FontFile"] = "/nonexistent/wqy-zenhei.ttc" });
        using var window = host.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        (await window.PostAsJsonAsync("/api/auth/login", new { userName = "window01", password = DemoUsers.Password })).EnsureSuccessStatusCode();
        var response = await window.PostAsJsonAsync("/api/cases", ElderlyCase());
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        using var scope = host.Services.CreateScope();
        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(problem!["detail"]!.GetValue<string>(), Does.Contain("/nonexistent/wqy-zenhei.ttc").And.Contain("fonts-wqy-zenhei").And.Contain("GovFlow:Documents:FontFile"));
            // The application is kept as received (its acceptance waits in the outbox for a retry), but not accepted without its notice.
            var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
            Assert.That(await db.Cases.Select(c => c.Status).ToListAsync(), Is.All.EqualTo(CaseStatus.Received));
            Assert.That(await db.CaseDocuments.CountAsync(), Is.Zero);
        });
    }

    private sealed record CaseDocument(string Id, string Kind, string Title, DateTimeOffset CreatedAt, string Hash, string Algorithm, long JournalSequence, CaseDocumentLinks Links);

    private sealed record CaseDocumentLinks(string Pdf, string Html);

    private SimPerson Person() => _factory.Services.GetRequiredService<SimulatedWorld>().People.First(p => p.BirthDate.Year < 1946);

    private object ElderlyCase(string? without = null, object? data = null, SimPerson? person = null)
    {
        var p = person ?? Person();
        return new
        {
            matterCode = Elderly, channel = "window", data = data ?? new { age = 2026 - p.BirthDate.Year },
            applicant = new { name = p.Name, idType = "111", idNumber = p.IdNumber, phone = p.Phone, address = p.Address },
            materials = new[] { "高龄津贴申请书", "居民身份证", "银行卡", "照片" }.Where(m => m != without).Select(m => new { name = m, provided = true })
        };
    }

    private async Task<string> SubmitAsync(object application)
    {
        var response = await (await As("window01")).PostAsJsonAsync("/api/cases", application);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["caseId"]!.GetValue<string>();
    }

    private async Task CompleteAsync(string caseId, string user, object action, string? kind = null)
    {
        var client = await As(user);
        var inbox = await client.GetFromJsonAsync<JsonObject>("/api/tasks?scope=department&pageSize=100");
        var task = inbox!["items"]!.AsArray().Single(t => t!["caseId"]!.GetValue<string>() == caseId && (kind is null || t["kind"]!.GetValue<string>() == kind))!["taskId"]!.GetValue<string>();
        var done = await client.PostAsJsonAsync($"/api/tasks/{task}/complete", action);
        Assert.That(done.StatusCode, Is.EqualTo(HttpStatusCode.OK), await done.Content.ReadAsStringAsync());
    }

    private async Task<List<CaseDocument>> DocumentsAsync(string caseId) =>
        (await (await As("auditor01")).GetFromJsonAsync<List<CaseDocument>>($"/api/cases/{caseId}/documents"))!;

    private async Task<HttpClient> As(string user)
    {
        if (_clients.TryGetValue(user, out var existing)) return existing;
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = DemoUsers.Password });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return _clients[user] = client;
    }

    private async Task<T> With<T>(Func<GovFlowDb, Task<T>> work)
    {
        using var scope = _factory.Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<GovFlowDb>());
    }
}
