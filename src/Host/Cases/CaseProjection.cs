using System.Text.Json.Nodes;
using GovFlow.Activities.Calendar;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Matters;
using GovFlow.Activities.Services;
using GovFlow.Activities.Supervision;
using GovFlow.Activities.Tasks;
using GovFlow.Host.Persistence;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Host.Cases;

/// <summary>
/// Turns a workflow step into GovFlow's rows, staged on the unit of work's context: the instance state (with a new
/// concurrency stamp), its bookmarks, the inbox tasks of human-step bookmarks, the journal records, and for the
/// case's own instance the case row (status, due dates, warning light, case file) with the case file sealed into the
/// journal for replay.
/// </summary>
internal sealed class CaseProjection(GovFlowDb db, WorkingCalendar calendar, OutboxOptions outbox, JournalSigner signer, Documents.CaseNotices notices, CaseMessages messages)
{
    private readonly List<string> _calls = [];

    /// <summary>
    /// How long a stored service call is left to the request that made it before the scheduler's sweep delivers it
    /// (the request may have crashed between its commit and the call).
    /// </summary>
    public static readonly TimeSpan DeliveryLease = TimeSpan.FromSeconds(30);

    /// <summary>The service calls staged since the last take, to be delivered once the unit of work has committed.</summary>
    public IReadOnlyList<string> TakeCalls()
    {
        var calls = _calls.ToList();
        _calls.Clear();
        return calls;
    }

    /// <summary>Stages a step of <paramref name="instance"/>; <paramref name="record"/> is the case it belongs to, if any.</summary>
    public void Project(InstanceRecord instance, CaseRecord? record, WorkflowStep step, DateTimeOffset now)
    {
        var state = step.State;
        var journal = step.Journal;
        var ownStep = record is not null && record.InstanceId == state.Id;
        if (ownStep && journal.Count > 0)
        {
            // The notices this step made due, chained before the case file's seal so the state's head covers both.
            var before = Previous(record!);
            var issued = notices.Issue(db, record!, before, step, StepServices.MatterOf(step.Definition), journal[^1], now);
            journal = [.. journal, .. issued];
            // The applicant's SMS of the same moments, stored with the step and delivered by the outbox after its commit.
            _calls.AddRange(messages.Stage(db, record!, before, step, StepServices.MatterOf(step.Definition), issued, now));
            if (before is null && Priority.PriorityJournal.Applied(state, journal[^1]) is { } applied) journal = [.. journal, applied];
            journal = [.. journal, CaseFileRecord.Seal(state, journal[^1])];
            // Every step of a case ends signed, so the whole chain up to its head is vouched for by the server's key.
            db.Checkpoints.Add(JournalCheckpointEntry.From(signer.Sign(state.Id, state.JournalSequence, state.JournalHash, now)));
        }
        instance.StateJson = state.ToJson();
        instance.DefinitionVersionId = state.DefinitionVersionId;
        instance.Status = state.Status.ToString();
        instance.SubStatus = state.SubStatus.ToString();
        instance.CorrelationId = state.CorrelationId;
        instance.UpdatedAt = now;
        instance.Stamp = NewStamp();

        var open = state.Bookmarks.ToDictionary(b => b.Id);
        var caseEnded = journal.Any(r => r.EventName is "OpenWorkCancelled" or BundleStops.EventName);
        foreach (var gone in step.PreviousBookmarks.Where(id => !open.ContainsKey(id)))
        {
            db.Bookmarks.Remove(db.Bookmarks.Local.FirstOrDefault(b => b.Id == gone) ?? new BookmarkRecord { Id = gone });
            // The task answered by this step (it carries the action), or one the flow closed itself: a deemed
            // agreement completes it, the case ending elsewhere cancels it.
            var task = db.Tasks.Local.FirstOrDefault(t => t.Id == gone) ?? db.Tasks.Find(gone);
            if (task is not null && TaskStatuses.IsOpen(task.Status))
            {
                task.Status = caseEnded && task.Action is null ? TaskStatuses.Cancelled : TaskStatuses.Completed;
                task.CompletedAt = now;
                task.CompletedBy = step.Actor;
                task.Stamp = NewStamp();
            }
        }
        foreach (var b in state.Bookmarks.Where(b => !step.PreviousBookmarks.Contains(b.Id)))
        {
            var call = b.IsServiceCall();
            if (call) _calls.Add(b.Id);
            db.Bookmarks.Add(new BookmarkRecord
            {
                Id = b.Id, InstanceId = state.Id, Name = b.Name, ActivityId = b.ActivityId, DueAt = call ? (outbox.DeliverInline ? now + DeliveryLease : now) : b.DueAt,
                PayloadJson = b.Payload?.ToJsonString(), CreatedAt = b.CreatedAt
            });
            if (record is not null && TaskContracts.Find(b.Name) is { } contract)
            {
                var task = Task(b, contract, state.Id, record, now);
                task.YellowFrom = WarningLights.TaskYellowFrom(calendar, task.DueAt, StepServices.MatterOf(step.Definition));
                db.Tasks.Add(task);
            }
        }
        foreach (var r in journal) db.Journal.Add(JournalEntry.From(r));
        if (record is null || !ownStep) return;

        var file = CaseFile.Read(state.Properties[CaseFile.PropertyName] as JsonObject ?? []);
        record.Status = file.Status;
        record.AcceptedAt = file.AcceptedAt ?? record.AcceptedAt;
        record.CompletedAt = file.CompletedAt ?? record.CompletedAt;
        record.BrokenCommitment = file.BrokenCommitment;
        record.CaseFileJson = file.Data.ToJsonString();
        var matter = StepServices.MatterOf(step.Definition);
        if (matter is not null) Supervise(record, matter, file, now);
        Api.MetricRollups.SetFacts(record, file, matter, calendar, now);
        record.Stamp = NewStamp();
    }

    // The case file as the step before left it; none for a case still being submitted.
    private static CaseFile? Previous(CaseRecord record) =>
        System.Text.Json.Nodes.JsonNode.Parse(record.CaseFileJson) is JsonObject { Count: > 0 } file ? CaseFile.Read(file) : null;

    private static TaskRecord Task(Bookmark b, TaskContract contract, string instanceId, CaseRecord record, DateTimeOffset now)
    {
        var p = b.Payload ?? [];
        return new TaskRecord
        {
            Id = b.Id, InstanceId = instanceId, CaseId = record.Id, CaseNumber = record.CaseNumber, MatterCode = record.MatterCode, MatterName = record.MatterName,
            ApplicantName = record.ApplicantName, Kind = b.Name, Priority = record.Priority,
            StepName = p["stepName"]?.GetValue<string>() ?? contract.DefaultStepName,
            Department = p["department"]?.GetValue<string>() is { Length: > 0 } department ? department : record.Department,
            Role = p["role"]?.GetValue<string>() ?? contract.Role,
            Assignee = p["assignee"]?.GetValue<string>(), Status = p["assignee"] is null ? TaskStatuses.Open : TaskStatuses.Claimed,
            DueAt = ChinaTime.ParseMoment(p["dueAt"] ?? p["deadline"]),
            CreatedAt = now, Stamp = NewStamp()
        };
    }

    private void Supervise(CaseRecord record, ServiceMatter matter, CaseFile file, DateTimeOffset now)
    {
        var dates = DueDates(calendar, record, matter, file, now);
        record.PromisedDue = dates.Promised;
        record.StatutoryDue = dates.Statutory;
        if (dates.Level is { } level) record.WarningLevel = level.ToString();
        record.YellowFrom = WarningLights.YellowFrom(calendar, record.PromisedDue, matter.YellowWorkingDays);
    }

    /// <summary>A case's promised and statutory due moments on <paramref name="calendar"/>, with the promised clock's light (<see cref="CaseClock"/>).</summary>
    public static (DateTimeOffset? Promised, DateTimeOffset? Statutory, WarningLevel? Level) DueDates(
        WorkingCalendar calendar, CaseRecord record, ServiceMatter matter, CaseFile file, DateTimeOffset now) =>
        CaseClock.DueDates(calendar, record.ReceivedAt, record.CompletedAt, matter, file.Pauses, file.Extensions, now, file.Priority is not null);

    /// <summary>A new optimistic-concurrency stamp.</summary>
    public static string NewStamp() => Guid.NewGuid().ToString("N");
}

/// <summary>
/// The host's <see cref="IWorkflowInstanceStore"/>: instances are rows of the unit of work's context, and a staged
/// step becomes the rows <see cref="CaseProjection"/> writes. Nothing is saved here; the step's caller commits.
/// </summary>
internal sealed class CaseInstanceStore(GovFlowDb db, CaseProjection projection, TimeProvider clock) : IWorkflowInstanceStore
{
    private WorkflowStep? _faulted;

    /// <summary>The step that faulted since the last take: it was not staged (it did not happen); the runner records an incident.</summary>
    public WorkflowStep? TakeFaulted()
    {
        var faulted = _faulted;
        _faulted = null;
        return faulted;
    }

    /// <inheritdoc />
    public async ValueTask<WorkflowState?> FindAsync(string instanceId, CancellationToken cancellationToken) =>
        await db.Instances.FindAsync([instanceId], cancellationToken) is { } instance ? WorkflowState.FromJson(instance.StateJson) : null;

    /// <inheritdoc />
    public async ValueTask StageAsync(WorkflowStep step, CancellationToken cancellationToken)
    {
        var state = step.State;
        // The flow of a case submitted in this unit of work has no stored row to look for (one round trip a submission).
        var instance = db.Cases.Local.Any(c => c.InstanceId == state.Id && db.Entry(c).State == Microsoft.EntityFrameworkCore.EntityState.Added)
            ? db.Instances.Local.FindEntry(state.Id)?.Entity
            : await db.Instances.FindAsync([state.Id], cancellationToken);
        // A stored instance's faulted step is not kept: the case stays as it was and the runner records an incident.
        // (A flow that faults while it starts is stored faulted with its case, so the application is not lost.)
        if (state.SubStatus == WorkflowSubStatus.Faulted && instance is not null)
        {
            _faulted = step;
            return;
        }
        if (instance is null)
        {
            instance = new InstanceRecord
            {
                Id = state.Id, CaseId = await CaseOfNewInstanceAsync(state, cancellationToken), DefinitionId = state.DefinitionId, DefinitionVersionId = state.DefinitionVersionId
            };
            db.Instances.Add(instance);
        }
        var record = instance.CaseId is { } caseId ? await db.Cases.FindAsync([caseId], cancellationToken) : null;
        projection.Project(instance, record, step, clock.GetUtcNow());
    }

    // A case's own instance is staged with its case row; a child workflow belongs to the case of its parent (which,
    // when the case is being submitted, is staged only after the child it starts).
    private async ValueTask<string?> CaseOfNewInstanceAsync(WorkflowState state, CancellationToken cancellationToken) =>
        await CaseOfAsync(state.Id, cancellationToken)
        ?? (state.Properties[WorkflowRuntime.ParentProperty]?.GetValue<string>() is { } parentId ? await CaseOfAsync(parentId, cancellationToken) : null);

    private async ValueTask<string?> CaseOfAsync(string instanceId, CancellationToken cancellationToken) =>
        db.Cases.Local.FirstOrDefault(c => c.InstanceId == instanceId)?.Id ?? (await db.Instances.FindAsync([instanceId], cancellationToken))?.CaseId;
}
