using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovFlow.Activities.Matters;
using GovFlow.Activities.Steps;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Simulators;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;
using GovFlow.Workflows.Serialization;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovFlow.Host.Tests;

/// <summary>The host runs cases through the one workflow runtime: pinned versions, child workflows, offered actions.</summary>
[TestFixture]
public class RuntimeTests : DataDirFixture
{
    private const string Elderly = "44030505001";
    private WebApplicationFactory<Program> _factory = null!;

    [SetUp]
    public void Start() => _factory = TestHost.Create(DataDir);

    [TearDown]
    public void Stop() => _factory.Dispose();

    [Test]
    public async Task A_waiting_case_finishes_on_its_own_version_after_a_new_one_is_published()
    {
        var caseId = await SubmitAsync();
        var v1 = await InstanceOfAsync(caseId);

        // v2 renames the first review step's activity: v1's waiting state names an activity v2 lacks.
        var current = Catalog.Find(Elderly)!;
        var v2 = Publish(WorkflowJson.Write(current.Definition).Replace("\"step1\"", "\"firstReview\""));
        Assert.That(v2.Id, Is.Not.EqualTo(v1.DefinitionVersionId));

        var task = await OpenTaskAsync(caseId);
        await WithService(s => s.CompleteAsync(task.Id, new TaskAction { Action = "approve", Opinion = "同意" }, "reviewer01"));
        var next = await OpenTaskAsync(caseId);
        var after = await InstanceOfAsync(caseId);
        Assert.Multiple(() =>
        {
            Assert.That(next.StepName, Is.EqualTo("审核"), "the v1 flow moved on to its second step");
            Assert.That(after.DefinitionVersionId, Is.EqualTo(v1.DefinitionVersionId), "the case keeps the version it started with");
            Assert.That(WorkflowState.FromJson(after.StateJson).DefinitionVersionId, Is.EqualTo(v1.DefinitionVersionId));
        });

        var fresh = await InstanceOfAsync(await SubmitAsync());
        Assert.That(fresh.DefinitionVersionId, Is.EqualTo(v2.Id), "new cases start on the published version");
    }

    [Test]
    public async Task Policy_staff_preview_and_move_open_cases_to_a_new_version_and_a_case_in_a_missing_step_stays()
    {
        var first = await SubmitAsync();
        var v1 = await InstanceOfAsync(first);
        var current = Catalog.Find(Elderly)!;
        var json = WorkflowJson.Write(current.Definition);
        var v2 = Publish(json.Replace("\"step2\"", "\"secondReview\""));   // the cases wait in step1: they can move
        var policy = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        (await policy.PostAsJsonAsync("/api/auth/login", new { userName = "policy01", password = GovFlow.Host.Security.DemoUsers.Password })).EnsureSuccessStatusCode();

        var preview = (await policy.GetFromJsonAsync<JsonObject>($"/api/definitions/{v1.DefinitionId}/migration?to={v2.Version}"))!;
        var mine = preview["cases"]!.AsArray().Single(c => c!["caseId"]!.GetValue<string>() == first)!;
        Assert.That(mine["movable"]!.GetValue<bool>(), Is.True, mine.ToJsonString());

        var v3 = Publish(json.Replace("\"step1\"", "\"firstReview\""));   // v3 lacks the step the case waits in
        var refused = (await policy.GetFromJsonAsync<JsonObject>($"/api/definitions/{v1.DefinitionId}/migration?to={v3.Version}"))!["cases"]!.AsArray()
            .Single(c => c!["caseId"]!.GetValue<string>() == first)!;
        Assert.That(refused["missing"]!.AsArray().Select(m => m!.GetValue<string>()), Does.Contain("初审"), "the step the case waits in (step1), by its name");
        var tried = await (await policy.PostAsJsonAsync($"/api/definitions/{v1.DefinitionId}/migration", new { to = v3.Version, caseIds = new[] { first } })).Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(tried!["moved"]!.AsArray(), Is.Empty, "a case in a step the version lacks is not moved");

        var moved = await (await policy.PostAsJsonAsync($"/api/definitions/{v1.DefinitionId}/migration", new { to = v2.Version, caseIds = new[] { first } })).Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(moved!["moved"]!.AsArray().Select(m => m!.GetValue<string>()), Is.EqualTo(new[] { first }));
        var after = await InstanceOfAsync(first);
        Assert.That(after.DefinitionVersionId, Is.EqualTo(v2.Id));
        var journal = await With(db => db.Journal.AsNoTracking().Where(j => j.InstanceId == after.Id).OrderBy(j => j.Sequence).ToListAsync());
        // The step's last record is the case file sealed after it; the move is the record before.
        Assert.That(journal.Select(j => j.EventName).TakeLast(2), Is.EqualTo(new[] { "Migrated", "CaseFileRecorded" }), "the move is on the case's journal");
        Assert.That(journal[^2].Actor, Is.EqualTo("policy01"));

        // The moved case goes on in v2: its next step is v2's renamed activity.
        var task = await OpenTaskAsync(first);
        await WithService(s => s.CompleteAsync(task.Id, new TaskAction { Action = "approve", Opinion = "同意" }, "reviewer02"));
        var positions = await With(db => db.Bookmarks.AsNoTracking().Where(b => b.InstanceId == after.Id).Select(b => b.ActivityId).ToListAsync());
        Assert.That(positions, Does.Contain("secondReview"));
    }

    [Test]
    public async Task A_child_workflow_runs_in_the_host_with_its_instance_journal_and_task_stored()
    {
        var child = WorkflowJson.Read("""
            {"id":"child-review-v1","definitionId":"child-review","name":"子流程：联合审查","version":1,"isPublished":true,
             "root":{"type":"Elsa.Sequence","id":"seq","activities":[
               {"type":"GovFlow.ReviewTask","id":"jointReview","stepName":{"typeName":"String","expression":{"type":"Literal","value":"联合审查"}},
                "department":{"typeName":"String","expression":{"type":"Literal","value":"深圳市南山区民政局"}}}]}}
            """u8.ToArray(), "child.json");
        _factory.Services.GetRequiredService<InMemoryWorkflowDefinitionStore>().Add(child, publish: true);
        var parent = JsonNode.Parse(WorkflowJson.Write(Catalog.Find(Elderly)!.Definition))!.AsObject();
        parent["root"] = JsonNode.Parse("""
            {"type":"Elsa.Sequence","id":"main","activities":[
              {"type":"Elsa.ExecuteWorkflow","id":"callChild",
               "workflowDefinitionId":{"typeName":"String","expression":{"type":"Literal","value":"child-review"}},
               "waitForCompletion":{"typeName":"Boolean","expression":{"type":"Literal","value":true}}},
              {"type":"GovFlow.Conclude","id":"done"}]}
            """);
        Publish(parent.ToJsonString());

        var caseId = await SubmitAsync();
        var task = await OpenTaskAsync(caseId);
        var childInstance = await With(db => db.Instances.AsNoTracking().SingleAsync(i => i.Id == task.InstanceId));
        Assert.Multiple(() =>
        {
            Assert.That(task.StepName, Is.EqualTo("联合审查"));
            Assert.That(childInstance.DefinitionId, Is.EqualTo("child-review"));
            Assert.That(childInstance.CaseId, Is.EqualTo(caseId), "the child belongs to the case that started it");
        });

        await WithService(s => s.CompleteAsync(task.Id, new TaskAction { Action = "approve", Opinion = "同意" }, "reviewer01"));
        var (record, instances, journals) = await With(async db =>
        {
            var r = await db.Cases.AsNoTracking().SingleAsync(c => c.Id == caseId);
            var i = await db.Instances.AsNoTracking().Where(x => x.CaseId == caseId).ToListAsync();
            var ids = i.Select(x => x.Id).ToList();
            var j = await db.Journal.AsNoTracking().Where(x => ids.Contains(x.InstanceId)).GroupBy(x => x.InstanceId).Select(g => g.Key).ToListAsync();
            return (r, i, j);
        });
        Assert.Multiple(() =>
        {
            Assert.That(record.Status, Is.EqualTo("Completed"), "the child's end resumed the parent, which concluded the case");
            Assert.That(instances.Select(i => i.Status), Is.All.EqualTo("Finished"));
            Assert.That(journals, Has.Count.EqualTo(2), "both instances journaled");
        });
    }

    [Test]
    public async Task An_action_the_flow_does_not_connect_is_refused_and_the_case_stays_with_its_task()
    {
        var caseId = await SubmitAsync();
        var task = await OpenTaskAsync(caseId);
        var refused = Assert.ThrowsAsync<InputException>(() => WithService(s => s.CompleteAsync(task.Id, new TaskAction { Action = "return", Opinion = "退回重审" }, "reviewer01")));
        Assert.That(refused!.Field, Is.EqualTo("action"));
        var (record, open) = await With(async db => (await db.Cases.AsNoTracking().SingleAsync(c => c.Id == caseId), await db.Tasks.AsNoTracking().SingleAsync(t => t.Id == task.Id)));
        Assert.Multiple(() =>
        {
            Assert.That(record.Status, Is.EqualTo("InReview"));
            Assert.That(open.Status, Is.Not.EqualTo(TaskStatuses.Completed), "the task is still there to be acted on");
        });
    }

    [Test]
    public async Task A_task_turns_yellow_at_its_matter_s_threshold()
    {
        var early = await OpenTaskAsync(await SubmitAsync());
        Assert.That(Light(early), Is.EqualTo("green"), "the first review's days are more than the default two");

        // Policy staff want this matter's steps warned ten working days ahead: longer than a first review's limit.
        var definition = Catalog.Find(Elderly)!.Definition;
        var matter = MatterJson.Read(definition)!;
        matter.YellowWorkingDays = 10;
        var copy = WorkflowJson.Read(System.Text.Encoding.UTF8.GetBytes(WorkflowJson.Write(definition)), "v2.json");
        MatterJson.Write(copy, matter);
        Publish(WorkflowJson.Write(copy));
        var strict = await OpenTaskAsync(await SubmitAsync());
        Assert.That(strict.YellowFrom, Is.Not.Null);
        Assert.That(Light(strict), Is.EqualTo("yellow"), "the matter's threshold, not the default");

        using var scope = _factory.Services.CreateScope();
        var lights = WarningLights.At(_factory.Services.GetRequiredService<GovFlow.Activities.Calendar.WorkingCalendar>(), _factory.Services.GetRequiredService<TimeProvider>().GetUtcNow());
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        var yellow = await lights.Showing(db.Tasks.Where(t => t.Id == strict.Id || t.Id == early.Id), "yellow").Select(t => t.Id).ToListAsync();
        Assert.That(yellow, Is.EqualTo(new[] { strict.Id }), "the inbox's yellow filter and counts read the same threshold");
    }

    private string Light(TaskRecord task) =>
        WarningLights.At(_factory.Services.GetRequiredService<GovFlow.Activities.Calendar.WorkingCalendar>(), _factory.Services.GetRequiredService<TimeProvider>().GetUtcNow()).Of(task);

    private MatterCatalog Catalog => _factory.Services.GetRequiredService<MatterCatalog>();

    // What publishing does: a new version of the definition becomes the one new cases of its matter start on.
    private WorkflowDefinition Publish(string json)
    {
        var store = _factory.Services.GetRequiredService<InMemoryWorkflowDefinitionStore>();
        var definition = store.SaveDraft(WorkflowJson.Read(System.Text.Encoding.UTF8.GetBytes(json), "v2.json"));
        var published = store.Publish(definition.DefinitionId!, definition.Version);
        Catalog.Publish(new CatalogEntry("v2.json", published, MatterJson.Read(published)!));
        return published;
    }

    private async Task<string> SubmitAsync()
    {
        var world = _factory.Services.GetRequiredService<SimulatedWorld>();
        var person = world.People.First(p => p.BirthDate.Year < 1946);
        var response = await WithService(s => s.SubmitAsync(new CaseSubmission
        {
            MatterCode = Elderly,
            Applicant = new ApplicantInput { Name = person.Name, IdType = "111", IdNumber = person.IdNumber, Phone = person.Phone, Address = person.Address },
            Materials = new[] { "高龄津贴申请书", "居民身份证", "银行卡", "照片" }.Select(m => new MaterialInput { Name = m, Provided = true }).ToList(),
            Data = new() { ["age"] = JsonSerializer.SerializeToElement(2026 - person.BirthDate.Year) }
        }, null, "window01"));
        return response["caseId"]!.GetValue<string>();
    }

    private Task<InstanceRecord> InstanceOfAsync(string caseId) =>
        With(db => db.Instances.AsNoTracking().SingleAsync(i => i.Id == db.Cases.Where(c => c.Id == caseId).Select(c => c.InstanceId).First()));

    private Task<TaskRecord> OpenTaskAsync(string caseId) =>
        With(db => db.Tasks.AsNoTracking().SingleAsync(t => t.CaseId == caseId && t.Status != TaskStatuses.Completed));

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
