using System.Text.Json;
using GovFlow.Activities.Matters;
using GovFlow.Activities.Steps;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Simulators;
using GovFlow.Workflows.Runtime;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>Durable cases on SQLite: submission, inbox tasks, completion, concurrency, restart.</summary>
[TestFixture]
public class CaseServiceTests : DataDirFixture
{
    private WebApplicationFactory<Program> _factory = null!;

    [SetUp]
    public void Start()
    {
        _factory = TestHost.Create(DataDir);
    }

    [TearDown]
    public void Stop()
    {
        _factory.Dispose();
    }

    private async Task<T> With<T>(Func<CaseService, GovFlowDb, Task<T>> work, WebApplicationFactory<Program>? factory = null)
    {
        using var scope = (factory ?? _factory).Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<CaseService>(), scope.ServiceProvider.GetRequiredService<GovFlowDb>());
    }

    private CaseSubmission Elderly(string[]? materials = null)
    {
        var world = _factory.Services.GetRequiredService<SimulatedWorld>();
        var person = world.People.First(p => p.BirthDate.Year < 1946 && world.Of(p.IdNumber).Any(c => c.TypeCode == "112" && c.Status == "issued"));
        return new CaseSubmission
        {
            MatterCode = "44030505001",
            Applicant = new ApplicantInput { Name = person.Name, IdType = "111", IdNumber = person.IdNumber, Phone = person.Phone, Address = person.Address },
            Materials = (materials ?? ["高龄津贴申请书", "居民身份证", "银行卡", "照片"]).Select(m => new MaterialInput { Name = m, Provided = true }).ToList(),
            Data = new() { ["age"] = JsonSerializer.SerializeToElement(2026 - person.BirthDate.Year) },
            Channel = "window"
        };
    }

    [Test]
    public async Task A_submitted_case_is_stored_with_its_task_journal_and_due_dates()
    {
        var response = await With((s, _) => s.SubmitAsync(Elderly(), "k-1", "window01"));
        var caseId = response["caseId"]!.GetValue<string>();
        await With(async (_, db) =>
        {
            var record = await db.Cases.SingleAsync(c => c.Id == caseId);
            var tasks = await db.Tasks.Where(t => t.CaseId == caseId).ToListAsync();
            var journal = await db.Journal.Where(j => j.InstanceId == record.InstanceId).OrderBy(j => j.Sequence).ToListAsync();
            Assert.Multiple(() =>
            {
                Assert.That(response["caseNumber"]!.GetValue<string>(), Has.Length.EqualTo(19));
                Assert.That(record.Status, Is.EqualTo("InReview"));
                Assert.That(record.PromisedDue, Is.Not.Null);
                Assert.That(record.StatutoryDue, Is.GreaterThan(record.PromisedDue!.Value));
                Assert.That(tasks.Single().StepName, Is.EqualTo("初审"));
                Assert.That(tasks.Single().Department, Is.EqualTo("深圳市南山区粤海街道办事处"));
                Assert.That(tasks.Single().DueAt, Is.Not.Null);
                Assert.That(journal.First().Sequence, Is.EqualTo(1));
                Assert.That(Journal.Verify(journal.Select(e => e.ToRecord()).ToList()).Valid, Is.True);
                Assert.That(record.CaseFileJson, Does.Contain("certificateUses"));
            });
            return 0;
        });
    }

    [Test]
    public async Task A_repeated_idempotency_key_returns_the_first_result()
    {
        var first = await With((s, _) => s.SubmitAsync(Elderly(), "same-key", "window01"));
        var again = await With((s, _) => s.SubmitAsync(Elderly(), "same-key", "window01"));
        Assert.That(again.ToJsonString(), Is.EqualTo(first.ToJsonString()));
        Assert.That(await With((_, db) => db.Cases.CountAsync()), Is.EqualTo(1));
    }

    [TestCase("matterCode", null)]
    [TestCase("applicant.idNumber", "110105194912310021")]
    [TestCase("materials[0].name", "不存在的材料")]
    public void Bad_submissions_name_the_field(string field, string? value)
    {
        var submission = Elderly();
        switch (field)
        {
            case "matterCode": submission.MatterCode = value; break;
            case "applicant.idNumber": submission.Applicant!.IdNumber = value; break;
            default: submission.Materials![0].Name = value; break;
        }
        var ex = Assert.ThrowsAsync<InputException>(() => With((s, _) => s.SubmitAsync(submission, null, "window01")));
        Assert.That(ex!.Field, Is.EqualTo(field));
    }

    [Test]
    public async Task Completing_the_tasks_runs_the_case_to_the_end_across_restarts()
    {
        var caseId = (await With((s, _) => s.SubmitAsync(Elderly(), null, "window01")))["caseId"]!.GetValue<string>();
        foreach (var step in new[] { "初审", "审核", "审批" })
        {
            // Each step runs in a fresh host over the same database, as another process would.
            _factory.Dispose();
            _factory = TestHost.Create(DataDir);
            var task = await With((_, db) => db.Tasks.SingleAsync(t => t.CaseId == caseId && t.Status != TaskStatuses.Completed));
            Assert.That(task.StepName, Is.EqualTo(step));
            await With((s, _) => s.CompleteAsync(task.Id, new TaskAction { Action = "approve", Opinion = "同意" }, "reviewer01"));
        }
        var record = await With((_, db) => db.Cases.SingleAsync(c => c.Id == caseId));
        Assert.That(record.Status, Is.EqualTo("Completed"));
        Assert.That(record.CompletedAt, Is.Not.Null);
        var instance = await With((_, db) => db.Instances.SingleAsync(i => i.Id == record.InstanceId));
        Assert.That(WorkflowState.FromJson(instance.StateJson).Bookmarks.Select(b => b.Name), Does.Contain(SendByPost.TrackingBookmark));
        var journal = await With((_, db) => db.Journal.Where(j => j.InstanceId == record.InstanceId).OrderBy(j => j.Sequence).ToListAsync());
        Assert.That(Journal.Verify(journal.Select(e => e.ToRecord()).ToList()).Valid, Is.True, "the chain continues across steps and restarts");
    }

    [Test]
    public async Task Two_clerks_completing_the_same_task_leave_one_effect()
    {
        var caseId = (await With((s, _) => s.SubmitAsync(Elderly(), null, "window01")))["caseId"]!.GetValue<string>();
        var taskId = await With((_, db) => db.Tasks.Where(t => t.CaseId == caseId).Select(t => t.Id).SingleAsync());
        using var a = _factory.Services.CreateScope();
        using var b = _factory.Services.CreateScope();
        var serviceA = a.ServiceProvider.GetRequiredService<CaseService>();
        var serviceB = b.ServiceProvider.GetRequiredService<CaseService>();
        // Both load the task, instance and case before either writes, as two clerks' requests would.
        foreach (var scope in new[] { a, b })
        {
            var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
            var task = await db.Tasks.FindAsync(taskId);
            await db.Instances.FindAsync(task!.InstanceId);
            await db.Cases.FindAsync(task.CaseId);
        }
        await serviceA.CompleteAsync(taskId, new TaskAction { Action = "approve" }, "reviewer01");
        var ex = Assert.ThrowsAsync<ConflictException>(() => serviceB.CompleteAsync(taskId, new TaskAction { Action = "approve" }, "reviewer02"));
        Assert.That(ex!.Message, Does.Contain("first"));
        Assert.That(await With((_, db) => db.Tasks.CountAsync(t => t.CaseId == caseId && t.StepName == "审核")), Is.EqualTo(1));
    }

    [Test]
    public async Task Claims_and_bad_actions_are_refused_clearly()
    {
        var caseId = (await With((s, _) => s.SubmitAsync(Elderly(), null, "window01")))["caseId"]!.GetValue<string>();
        var taskId = await With((_, db) => db.Tasks.Where(t => t.CaseId == caseId).Select(t => t.Id).SingleAsync());
        await With((s, _) => s.ClaimAsync(taskId, "reviewer01"));
        Assert.ThrowsAsync<ConflictException>(() => With((s, _) => s.ClaimAsync(taskId, "reviewer02")));
        Assert.ThrowsAsync<ConflictException>(() => With((s, _) => s.CompleteAsync(taskId, new TaskAction { Action = "approve" }, "reviewer02")));
        var bad = Assert.ThrowsAsync<InputException>(() => With((s, _) => s.CompleteAsync(taskId, new TaskAction { Action = "reject" }, "reviewer01")));
        Assert.That(bad!.Field, Is.EqualTo("opinion"));
        await With((s, _) => s.UnclaimAsync(taskId, "reviewer01"));
        Assert.That((await With((s, _) => s.ClaimAsync(taskId, "reviewer02"))).Assignee, Is.EqualTo("reviewer02"));
        Assert.ThrowsAsync<NotFoundException>(() => With((s, _) => s.ClaimAsync("nope", "reviewer02")));
    }
}
