using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovFlow.Activities.Cases;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using GovFlow.Host.Simulators;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>Ending a case ends all of it: no department is left with a task on a decided case.</summary>
[TestFixture]
public class CaseEndTests : DataDirFixture
{
    private const string TalentHukou = "44030501011";
    private WebApplicationFactory<Program> _factory = null!;

    [SetUp]
    public void Start() => _factory = TestHost.Create(DataDir);

    [TearDown]
    public void Stop() => _factory.Dispose();

    [Test]
    public async Task A_refusal_in_one_branch_cancels_the_other_departments_tasks()
    {
        var caseId = await SubmitAsync();
        var first = await OpenTasksAsync(caseId);
        await WithService(s => s.CompleteAsync(first[0].Id, new TaskAction { Action = "approve", Opinion = "同意" }, "reviewer01"));
        var branches = await OpenTasksAsync(caseId);
        Assert.That(branches, Has.Count.EqualTo(2), "two departments review at once");

        await WithService(s => s.CompleteAsync(branches[0].Id, new TaskAction { Action = "reject", Opinion = "学历与申报不符" }, "reviewer01"));

        var tasks = await With(db => db.Tasks.AsNoTracking().Where(t => t.CaseId == caseId).ToListAsync());
        var record = await With(db => db.Cases.AsNoTracking().SingleAsync(c => c.Id == caseId));
        Assert.Multiple(() =>
        {
            Assert.That(record.Status, Is.EqualTo(CaseStatus.Refused));
            Assert.That(tasks.Single(t => t.Id == branches[1].Id).Status, Is.EqualTo(TaskStatuses.Cancelled), "the other department's review is cancelled");
            Assert.That(tasks.Where(t => t.StepName == branches[1].StepName).Select(t => t.Status), Has.None.EqualTo(TaskStatuses.Open));
        });

        var auditor = await SignInAsync("auditor01");
        var inbox = await auditor.GetFromJsonAsync<JsonObject>("/api/tasks?scope=all&pageSize=100");
        Assert.That(inbox!["items"]!.AsArray().Select(t => t!["caseId"]!.GetValue<string>()), Has.None.EqualTo(caseId), "gone from every inbox");
        var late = Assert.ThrowsAsync<ConflictException>(() => WithService(s => s.CompleteAsync(branches[1].Id, new TaskAction { Action = "approve" }, "reviewer01")));
        Assert.That(late!.Message, Does.Contain("已撤销"));
    }

    [Test]
    public async Task A_material_the_window_found_an_e_certificate_for_is_never_asked_for_on_paper()
    {
        var person = _factory.Services.GetRequiredService<SimulatedWorld>().People.First(p => p.BirthDate.Year is > 1980 and < 2000);
        var paper = new[] { "人才引进申请表", "学历学位证书", "劳动合同", "社会保险参保证明" };
        var response = await WithService(s => s.SubmitAsync(new CaseSubmission
        {
            MatterCode = TalentHukou,
            Applicant = new ApplicantInput { Name = person.Name, IdType = "111", IdNumber = person.IdNumber, Phone = person.Phone, Address = person.Address },
            Materials = [.. paper.Select(m => new MaterialInput { Name = m, Provided = true }),
                new MaterialInput { Name = "居民身份证", Certificate = "440305-111-0001" }, new MaterialInput { Name = "户口簿", Certificate = "440305-112-0001" }],
            Data = new() { ["married"] = JsonSerializer.SerializeToElement(false) }
        }, null, "window01"));
        var record = await With(db => db.Cases.AsNoTracking().SingleAsync(c => c.Id == response["caseId"]!.GetValue<string>()));
        var file = CaseFile.Read(record.CaseFileJson);
        Assert.Multiple(() =>
        {
            Assert.That(record.Status, Is.Not.EqualTo(CaseStatus.Correction), "no correction demanding the ID card and household register");
            Assert.That(file.Corrections, Is.Empty);
            Assert.That(file.Checklist.Where(m => m.Name is "居民身份证" or "户口簿").Select(m => m.SatisfiedBy), Is.All.EqualTo("certificate"));
            Assert.That(file.CertificateUses.Where(u => u.Outcome == "Found").Select(u => (u.Material, u.CertificateId, u.By)),
                Is.SupersetOf(new[] { ("居民身份证", "440305-111-0001", "window01"), ("户口簿", "440305-112-0001", "window01") }), "the window's lookups are the case's 用证记录");
        });
    }

    private async Task<string> SubmitAsync()
    {
        var person = _factory.Services.GetRequiredService<SimulatedWorld>().People.First(p => p.BirthDate.Year is > 1980 and < 2000);
        var response = await WithService(s => s.SubmitAsync(new CaseSubmission
        {
            MatterCode = TalentHukou,
            Applicant = new ApplicantInput { Name = person.Name, IdType = "111", IdNumber = person.IdNumber, Phone = person.Phone, Address = person.Address },
            Materials = new[] { "人才引进申请表", "居民身份证", "学历学位证书", "劳动合同", "社会保险参保证明", "户口簿" }.Select(m => new MaterialInput { Name = m, Provided = true }).ToList(),
            Data = new() { ["married"] = JsonSerializer.SerializeToElement(false) }
        }, null, "window01"));
        return response["caseId"]!.GetValue<string>();
    }

    private Task<List<TaskRecord>> OpenTasksAsync(string caseId) =>
        With(db => db.Tasks.AsNoTracking().Where(t => t.CaseId == caseId && (t.Status == TaskStatuses.Open || t.Status == TaskStatuses.Claimed)).OrderBy(t => t.CreatedAt).ToListAsync());

    private async Task<HttpClient> SignInAsync(string user)
    {
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        (await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = DemoUsers.Password })).EnsureSuccessStatusCode();
        return client;
    }

    private async Task<T> With<T>(Func<GovFlowDb, Task<T>> work)
    {
        using var scope = _factory.Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<GovFlowDb>());
    }

    private async Task<T> WithService<T>(Func<CaseService, Task<T>> work)
    {
        using var scope = _factory.Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<CaseService>());
    }
}
