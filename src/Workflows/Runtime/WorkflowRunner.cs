using System.Text.Json.Nodes;

namespace GovFlow.Workflows.Runtime;

/// <summary>Options of one run (a start or a resume).</summary>
public sealed class WorkflowRunOptions
{
    /// <summary>Services for activities.</summary>
    public IServiceProvider? Services { get; init; }

    /// <summary>Clock (tests pin it).</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>Where WriteLine writes (defaults to a TextWriter service, else nowhere).</summary>
    public TextWriter? Out { get; init; }

    /// <summary>Flowchart mode.</summary>
    public FlowchartMode FlowchartMode { get; init; } = FlowchartMode.CounterBased;

    /// <summary>Who acts (recorded in the journal).</summary>
    public string? Actor { get; init; }

    /// <summary>The trigger activity that fired, when a trigger starts the run.</summary>
    public string? TriggerActivityId { get; init; }

    /// <summary>How much the run may do before it faults (<see cref="StepLimits.Default"/> when null).</summary>
    public StepLimits? Limits { get; init; }
}

/// <summary>What to start.</summary>
public sealed class StartWorkflowRequest
{
    /// <summary>Instance id (generated when null).</summary>
    public string? InstanceId { get; init; }

    /// <summary>Workflow input.</summary>
    public IDictionary<string, object?>? Input { get; init; }

    /// <summary>Correlation id.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>Instance properties (ParentInstanceId, ...).</summary>
    public IDictionary<string, object?>? Properties { get; init; }
}

/// <summary>The outcome of a run: the instance state to store, and the journal records this run added.</summary>
/// <param name="State">Instance state.</param>
/// <param name="Journal">Records appended by this run.</param>
public sealed record WorkflowRunResult(WorkflowState State, IReadOnlyList<JournalRecord> Journal);

/// <summary>Starts and resumes workflow instances of compiled workflows. Knows nothing of storage: the caller keeps the state.</summary>
public sealed class WorkflowRunner
{
    /// <summary>Starts a new instance and runs it until it finishes, faults or waits.</summary>
    public async ValueTask<WorkflowRunResult> StartAsync(Workflow workflow, StartWorkflowRequest request, WorkflowRunOptions options)
    {
        var context = new WorkflowExecutionContext(workflow, request.InstanceId ?? Guid.CreateVersion7().ToString("N"), options, new Journal(), 0)
        {
            CorrelationId = request.CorrelationId
        };
        if (request.Input != null)
            foreach (var (k, v) in request.Input) context.Input[k] = v;
        if (request.Properties != null)
            foreach (var (k, v) in request.Properties) context.Properties[k] = v;
        var createdAt = context.Now;
        context.Enqueue(new WorkItem(workflow.Root, null, null, null));
        await context.RunAsync();
        return new WorkflowRunResult(Capture(context, createdAt), context.Journal.Records);
    }

    /// <summary>Resumes a bookmark of a stored instance with input.</summary>
    public async ValueTask<WorkflowRunResult> ResumeAsync(Workflow workflow, WorkflowState state, string bookmarkId, object? input, WorkflowRunOptions options)
    {
        var bookmark = state.Bookmarks.FirstOrDefault(b => b.Id == bookmarkId)
                       ?? throw new BookmarkNotFoundException(state.Id, bookmarkId);
        var context = Restore(workflow, state, options);
        var live = context.Bookmarks.First(b => b.Id == bookmark.Id);
        await context.ResumeAsync(live, input);
        return new WorkflowRunResult(Capture(context, state.CreatedAt), context.Journal.Records);
    }

    /// <summary>
    /// The activities (their ids) of a stored instance (where it waits, what runs, what is queued) that
    /// <paramref name="target"/> does not contain: an instance can move to that version only when there are none.
    /// </summary>
    public static IReadOnlyList<string> MissingIn(Workflow target, WorkflowState state) =>
        [.. state.Contexts.Select(c => c.NodeId).Concat(state.Queue.Select(q => q.NodeId)).Concat(state.Bookmarks.Select(b => b.ActivityNodeId))
            .Where(id => !string.IsNullOrEmpty(id) && target.FindByNodeId(id) is null).Select(id => id[(id.LastIndexOf(':') + 1)..]).Distinct()];

    /// <summary>
    /// Moves a running instance to another version of its definition (Elsa's migration alteration): it goes on from
    /// where it waits, on the new version's activities, and the move is journaled on the instance. Refused when the
    /// new version lacks an activity the instance is in.
    /// </summary>
    public WorkflowRunResult Migrate(Workflow target, WorkflowState state, WorkflowRunOptions options)
    {
        if (MissingIn(target, state) is { Count: > 0 } missing)
            throw new InvalidOperationException($"第 {target.Definition.Version} 版没有办件所在的环节：{string.Join("、", missing)}");
        var context = Restore(target, state, options);
        var root = context.ActiveContexts.FirstOrDefault(c => c.Parent is null)
                   ?? throw new InvalidOperationException($"Workflow instance {state.Id} has nothing running to move.");
        root.Journal("Migrated", new JsonObject { ["fromVersion"] = state.DefinitionVersion, ["toVersion"] = target.Definition.Version, ["toVersionId"] = target.Definition.Id },
            $"由第 {state.DefinitionVersion} 版迁移到第 {target.Definition.Version} 版");
        return new WorkflowRunResult(Capture(context, state.CreatedAt), context.Journal.Records);
    }

    /// <summary>
    /// Changes a waiting instance from outside its activities (a due date moved because the calendar changed) and
    /// journals the change on it, so the instance's chain says what moved, when, by whom and why.
    /// </summary>
    public WorkflowRunResult Amend(Workflow workflow, WorkflowState state, WorkflowRunOptions options, WorkflowAmendment amendment)
    {
        var context = Restore(workflow, state, options);
        var root = context.ActiveContexts.FirstOrDefault(c => c.Parent is null)
                   ?? throw new InvalidOperationException($"Workflow instance {state.Id} has nothing running to amend.");
        amendment.Change(context);
        root.Journal(amendment.EventName, amendment.Payload, amendment.Message);
        return new WorkflowRunResult(Capture(context, state.CreatedAt), context.Journal.Records);
    }

    /// <summary>Cancels a stored instance.</summary>
    public WorkflowRunResult Cancel(Workflow workflow, WorkflowState state, WorkflowRunOptions options)
    {
        var context = Restore(workflow, state, options);
        context.Cancel();
        return new WorkflowRunResult(Capture(context, state.CreatedAt), context.Journal.Records);
    }

    /// <summary>
    /// Cancels a stored instance from outside its activities: <paramref name="reason"/>'s change is applied and journaled
    /// on the root first (who ends it and why), then every execution, bookmark and timer ends (sub-status Cancelled).
    /// </summary>
    public WorkflowRunResult Cancel(Workflow workflow, WorkflowState state, WorkflowRunOptions options, WorkflowAmendment reason)
    {
        var context = Restore(workflow, state, options);
        var root = context.ActiveContexts.FirstOrDefault(c => c.Parent is null)
                   ?? throw new InvalidOperationException($"Workflow instance {state.Id} has nothing running to cancel.");
        reason.Change(context);
        root.Journal(reason.EventName, reason.Payload, reason.Message);
        context.Cancel();
        return new WorkflowRunResult(Capture(context, state.CreatedAt), context.Journal.Records);
    }

    /// <summary>Snapshots a context into storable state.</summary>
    public static WorkflowState Capture(WorkflowExecutionContext c, DateTimeOffset createdAt)
    {
        var now = c.Now;
        var state = new WorkflowState
        {
            Id = c.InstanceId,
            DefinitionId = c.Workflow.Definition.DefinitionId ?? "",
            DefinitionVersionId = c.Workflow.Definition.Id ?? "",
            DefinitionVersion = c.Workflow.Definition.Version,
            CorrelationId = c.CorrelationId,
            Name = c.Name,
            Status = c.Status,
            SubStatus = c.SubStatus,
            Bookmarks = [.. c.Bookmarks],
            Incidents = [.. c.Incidents],
            JournalSequence = c.Journal.LastSequence,
            JournalHash = c.Journal.LastHash,
            NextId = c.NextIdValue,
            CreatedAt = createdAt,
            UpdatedAt = now,
            FinishedAt = c.Status == WorkflowStatus.Finished ? now : null
        };
        if (c.Input.Count > 0) state.Input = ToObject(c.Input);
        if (c.Output.Count > 0) state.Output = ToObject(c.Output);
        if (c.Properties.Count > 0) state.Properties = ToObject(c.Properties);
        foreach (var v in c.RootVariables) state.Variables.Add(ToState(v));
        foreach (var (nodeId, outputs) in c.ActivityOutputs) state.ActivityOutputs[nodeId] = ToObject(outputs);
        if (c.Status == WorkflowStatus.Running)
        {
            foreach (var a in OrderedContexts(c))
                state.Contexts.Add(new ActivityContextState
                {
                    Id = a.Id,
                    NodeId = a.Activity.NodeId,
                    ParentId = a.Parent?.Id,
                    State = a.Activity.SaveState(a.State),
                    Variables = ReferenceEquals(a.Slots, c.RootVariables) ? [] : a.Variables.Select(ToState).ToList(),
                    ScheduleInput = a.ScheduleInput is { Count: > 0 } si ? ToObject(si) : null
                });
            foreach (var w in c.Queue)
                state.Queue.Add(new WorkItemState
                {
                    NodeId = w.Activity.NodeId,
                    OwnerId = w.Owner?.Id,
                    Input = w.Input is { Count: > 0 } wi ? ToObject(wi) : null,
                    Variables = w.Variables?.Select(ToState).ToList() ?? []
                });
        }
        return state;
    }

    /// <summary>Rebuilds a live context from stored state.</summary>
    public static WorkflowExecutionContext Restore(Workflow workflow, WorkflowState state, WorkflowRunOptions options)
    {
        if (state.Status == WorkflowStatus.Finished)
            throw new InvalidOperationException($"Workflow instance {state.Id} has finished ({state.SubStatus}); it cannot run again.");
        var c = new WorkflowExecutionContext(workflow, state.Id, options, new Journal(state.JournalSequence, state.JournalHash), state.NextId)
        {
            CorrelationId = state.CorrelationId,
            Name = state.Name,
            Status = state.Status,
            SubStatus = state.SubStatus,
            Input = FromObject(state.Input),
            Output = FromObject(state.Output),
            Properties = FromObject(state.Properties),
            RootVariables = state.Variables.Select(FromState).ToList(),
            Incidents = [.. state.Incidents],
            BookmarkList = [.. state.Bookmarks]
        };
        foreach (var (nodeId, outputs) in state.ActivityOutputs)
            c.ActivityOutputs[nodeId] = FromObject(outputs as JsonObject ?? []);
        foreach (var s in state.Contexts)
        {
            var activity = Find(workflow, s.NodeId, state);
            var parent = s.ParentId is null ? null : c.FindContext(s.ParentId) ?? throw new InvalidOperationException($"Workflow state of {state.Id} is inconsistent: execution {s.Id} has unknown parent {s.ParentId}.");
            var a = new ActivityExecutionContext(s.Id, activity, parent, c)
            {
                State = activity.LoadState(s.State),
                ScheduleInput = s.ScheduleInput is null ? null : FromObject(s.ScheduleInput)
            };
            if (activity is WorkflowRoot) a.Slots = c.RootVariables;
            else if (s.Variables.Count > 0) a.Slots = s.Variables.Select(FromState).ToList();
            c.Attach(a);
        }
        foreach (var w in state.Queue)
        {
            var owner = w.OwnerId is null ? null : c.FindContext(w.OwnerId);
            c.Enqueue(new WorkItem(Find(workflow, w.NodeId, state), owner, w.Input is null ? null : FromObject(w.Input), w.Variables.Count == 0 ? null : w.Variables.Select(FromState).ToList()));
        }
        return c;
    }

    private static Activity Find(Workflow workflow, string nodeId, WorkflowState state) =>
        workflow.FindByNodeId(nodeId) ?? throw new InvalidOperationException(
            $"Workflow state of {state.Id} refers to activity {nodeId}, which version {state.DefinitionVersion} of {state.DefinitionId} does not contain.");

    private static IEnumerable<ActivityExecutionContext> OrderedContexts(WorkflowExecutionContext c)
    {
        var roots = c.ActiveContexts.Where(a => a.Parent is null || a.Parent.Status != ActivityStatus.Running).ToList();
        var stack = new Stack<ActivityExecutionContext>(roots);
        while (stack.Count > 0)
        {
            var a = stack.Pop();
            yield return a;
            foreach (var child in a.Children) stack.Push(child);
        }
    }

    private static VariableState ToState(VariableSlot v) => new() { Id = v.Id, Name = v.Name, TypeName = v.TypeName, IsArray = v.IsArray, Value = Values.ToJson(v.Value) };

    private static VariableSlot FromState(VariableState v)
    {
        var slot = new VariableSlot(v.Id, v.Name, v.TypeName, v.IsArray, null);
        slot.Set(Values.FromJson(v.Value));
        return slot;
    }

    private static JsonObject ToObject(IEnumerable<KeyValuePair<string, object?>> values) =>
        new(values.Select(p => KeyValuePair.Create(p.Key, Values.ToJson(p.Value))));

    private static Dictionary<string, object?> FromObject(JsonObject o) =>
        o.ToDictionary(p => p.Key, p => Values.FromJson(p.Value), StringComparer.OrdinalIgnoreCase);
}

/// <summary>A change made to a waiting instance from outside its activities, with the journal record that tells it.</summary>
/// <param name="EventName">The journal event.</param>
/// <param name="Payload">What changed (old and new values) and why.</param>
/// <param name="Message">The change in words for the case's readers.</param>
/// <param name="Change">Applies the change to the restored instance (its bookmarks, its properties).</param>
public sealed record WorkflowAmendment(string EventName, JsonObject Payload, string Message, Action<WorkflowExecutionContext> Change);

/// <summary>No open bookmark with that id on the instance.</summary>
public sealed class BookmarkNotFoundException(string instanceId, string bookmarkId)
    : Exception($"Workflow instance {instanceId} has no open bookmark {bookmarkId}.")
{
    /// <summary>Instance id.</summary>
    public string InstanceId { get; } = instanceId;

    /// <summary>Bookmark id.</summary>
    public string BookmarkId { get; } = bookmarkId;
}
