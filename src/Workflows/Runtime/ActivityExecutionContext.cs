using System.Text.Json.Nodes;
using GovFlow.Workflows.Expressions;

namespace GovFlow.Workflows.Runtime;

/// <summary>One execution of an activity inside a workflow instance.</summary>
public sealed class ActivityExecutionContext
{
    internal List<ActivityExecutionContext>? ChildList;
    internal List<VariableSlot>? Slots;

    internal ActivityExecutionContext(string id, Activity activity, ActivityExecutionContext? parent, WorkflowExecutionContext workflow)
    {
        Id = id;
        Activity = activity;
        Parent = parent;
        Workflow = workflow;
    }

    /// <summary>Execution id.</summary>
    public string Id { get; }

    /// <summary>The activity.</summary>
    public Activity Activity { get; }

    /// <summary>The execution that scheduled this one.</summary>
    public ActivityExecutionContext? Parent { get; }

    /// <summary>The workflow instance.</summary>
    public WorkflowExecutionContext Workflow { get; }

    /// <summary>Status.</summary>
    public ActivityStatus Status { get; internal set; } = ActivityStatus.Running;

    /// <summary>Per-execution state of the activity (see <see cref="Runtime.Activity.StateType"/>).</summary>
    public object? State { get; set; }

    /// <summary>Input given when scheduled (e.g. Elsa's BackwardConnection flag).</summary>
    public IReadOnlyDictionary<string, object?>? ScheduleInput { get; internal set; }

    /// <summary>The outcomes it completed with.</summary>
    public IReadOnlyList<string> CompletedOutcomes { get; private set; } = Outcomes.Empty;

    /// <summary>Running child executions.</summary>
    public IReadOnlyList<ActivityExecutionContext> Children => (IReadOnlyList<ActivityExecutionContext>?)ChildList ?? [];

    /// <summary>Variables declared on this execution.</summary>
    public IReadOnlyList<VariableSlot> Variables => (IReadOnlyList<VariableSlot>?)Slots ?? [];

    /// <summary>Typed access to <see cref="State"/>, creating it on first use.</summary>
    public T GetState<T>() where T : class, new() => State as T ?? (T)(State = new T());

    /// <summary>Evaluates an input (null when the input is absent or evaluates to null).</summary>
    public object? Evaluate(Input? input) => input?.Evaluate(this);

    /// <summary>Evaluates an input to a type, with a fallback when it is absent or null.</summary>
    public T Get<T>(Input? input, T fallback) => input?.Evaluate(this) is T value ? value : fallback;

    /// <summary>Declares a variable on this execution.</summary>
    public VariableSlot Declare(string id, string name, string typeName, bool isArray, object? value)
    {
        var slot = new VariableSlot(id, name, typeName, isArray, null);
        slot.Set(value);
        (Slots ??= []).Add(slot);
        return slot;
    }

    /// <summary>Finds a variable visible from here by id, then by name (ignoring case), nearest scope first.</summary>
    public VariableSlot? FindVariable(string idOrName)
    {
        for (var c = this; c != null; c = c.Parent)
            if (c.Slots != null)
                foreach (var s in c.Slots)
                    if (s.Id == idOrName) return s;
        for (var c = this; c != null; c = c.Parent)
            if (c.Slots != null)
                foreach (var s in c.Slots)
                    if (string.Equals(s.Name, idOrName, StringComparison.OrdinalIgnoreCase)) return s;
        return Workflow.FindRootVariable(idOrName);
    }

    /// <summary>Every variable visible from here, nearest first.</summary>
    public IEnumerable<VariableSlot> VisibleVariables()
    {
        for (var c = this; c != null; c = c.Parent)
            if (c.Slots != null)
                foreach (var s in c.Slots) yield return s;
        foreach (var s in Workflow.RootVariables) yield return s;
    }

    /// <summary>
    /// Records an activity output and writes it to the memory reference bound to it (a variable, or an
    /// output of the nearest workflow that declares one of that name).
    /// </summary>
    public void SetOutput(string outputName, object? value)
    {
        Workflow.RecordActivityOutput(Activity, outputName, value);
        // A binding names memory of the activity's container, so a composite does not capture its own output.
        if (Activity.OutputBindings.TryGetValue(outputName, out var target))
            (Parent ?? this).WriteMemory(target, value);
    }

    /// <summary>Writes to a memory reference: a variable by id, else a declared output of the nearest composite.</summary>
    public void WriteMemory(string reference, object? value)
    {
        for (var c = this; c != null; c = c.Parent)
        {
            if (c.Slots != null)
                foreach (var s in c.Slots)
                    if (s.Id == reference) { s.Set(value); return; }
            if (c.Activity is CompositeActivity composite && composite.DeclaresOutput(reference))
            {
                composite.SetCompositeOutput(c, reference, value);
                return;
            }
        }
        var root = Workflow.FindRootVariable(reference);
        if (root != null) { root.Set(value); return; }
        throw new InvalidOperationException($"Memory reference '{reference}' names no variable and no declared output.");
    }

    /// <summary>Schedules a child activity owned by this execution.</summary>
    public void Schedule(Activity activity, IReadOnlyDictionary<string, object?>? input = null, IReadOnlyList<VariableSlot>? variables = null) =>
        Workflow.Schedule(new WorkItem(activity, this, input, variables));

    /// <summary>Whether this execution still has running children or queued work below it.</summary>
    public bool HasPendingWork()
    {
        if (ChildList != null)
            foreach (var c in ChildList)
                if (c.Status == ActivityStatus.Running) return true;
        return Workflow.HasQueuedWorkUnder(this);
    }

    /// <summary>Whether the activity is queued (not yet started) under this execution.</summary>
    public bool IsQueued(Activity activity) => Workflow.IsQueued(activity, this);

    /// <summary>Creates a bookmark for this execution; the workflow suspends when nothing else is left to run.</summary>
    public Bookmark CreateBookmark(string name, JsonObject? payload = null, DateTimeOffset? dueAt = null)
    {
        var bookmark = new Bookmark
        {
            // Globally unique: hosts key bookmarks and inbox tasks by it across instances. Time-ordered (version 7),
            // so a host's index of them grows at its end instead of touching a random page per new bookmark.
            Id = Guid.CreateVersion7().ToString("N"),
            Name = name,
            ActivityId = Activity.Id,
            ActivityNodeId = Activity.NodeId,
            ActivityType = Activity.Type,
            ActivityInstanceId = Id,
            Payload = payload,
            DueAt = dueAt,
            CreatedAt = Workflow.Now
        };
        Workflow.BookmarkList.Add(bookmark);
        var journalPayload = new JsonObject { ["bookmark"] = name };
        if (dueAt != null) journalPayload["dueAt"] = dueAt.Value.ToString("O");
        Journal("Suspended", journalPayload);
        return bookmark;
    }

    /// <summary>Appends a record about this execution to the journal.</summary>
    public JournalRecord Journal(string eventName, JsonNode? payload = null, string? message = null) =>
        Workflow.Journal.Append(new JournalRecord
        {
            Timestamp = Workflow.Now,
            WorkflowInstanceId = Workflow.InstanceId,
            ActivityInstanceId = Id,
            ParentActivityInstanceId = Parent?.Id,
            ActivityId = Activity.Id,
            NodeId = Activity.NodeId,
            ActivityType = Activity.Type,
            ActivityTypeVersion = Activity.Node.Version,
            ActivityName = Activity.Name,
            EventName = eventName,
            Actor = Workflow.Actor,
            Message = message,
            Payload = payload
        });

    /// <summary>Completes with the default outcome <c>Done</c>.</summary>
    public ValueTask CompleteAsync() => CompleteAsync(Outcomes.Done);

    /// <summary>Completes with one outcome.</summary>
    public ValueTask CompleteAsync(string outcome) => CompleteAsync([outcome]);

    /// <summary>Completes with outcomes and lets the parent continue.</summary>
    public async ValueTask CompleteAsync(IReadOnlyList<string> outcomes)
    {
        if (Status != ActivityStatus.Running) return;
        DropDescendants();
        Status = ActivityStatus.Completed;
        CompletedOutcomes = outcomes;
        Workflow.Detach(this);
        Journal("Completed", ReferenceEquals(outcomes, Outcomes.Done) ? null : new JsonObject { ["outcomes"] = new JsonArray(outcomes.Select(o => (JsonNode?)o).ToArray()) });
        if (Parent is null) Workflow.OnRootCompleted(this);
        else if (Parent.Status == ActivityStatus.Running) await Parent.Activity.OnChildCompletedAsync(Parent, this);
    }

    /// <summary>Cancels this execution and everything below it, then tells the parent.</summary>
    public async ValueTask CancelAsync()
    {
        if (Status != ActivityStatus.Running) return;
        DropDescendants();
        Status = ActivityStatus.Canceled;
        Workflow.Detach(this);
        Journal("Canceled");
        if (Parent is { Status: ActivityStatus.Running }) await Parent.Activity.OnChildCanceledAsync(Parent, this);
    }

    /// <summary>Sends a signal to the ancestors, nearest first, until one handles it.</summary>
    public async ValueTask<bool> SendSignalAsync(ActivitySignal signal)
    {
        for (var c = Parent; c != null; c = c.Parent)
            if (c.Status == ActivityStatus.Running && await c.Activity.OnSignalAsync(c, signal, this))
                return true;
        return false;
    }

    internal void Fault() { Status = ActivityStatus.Faulted; }

    internal void AddChild(ActivityExecutionContext child) => (ChildList ??= []).Add(child);

    internal void RemoveChild(ActivityExecutionContext child) => ChildList?.Remove(child);

    /// <summary>Cancels running descendants without notifying this execution (it is finishing anyway).</summary>
    internal void DropDescendants()
    {
        if (ChildList is not { Count: > 0 }) return;
        foreach (var child in ChildList.ToArray())
        {
            if (child.Status != ActivityStatus.Running) continue;
            child.DropDescendants();
            child.Status = ActivityStatus.Canceled;
            Workflow.Detach(child);
            child.Journal("Canceled");
        }
        ChildList.Clear();
    }

    /// <inheritdoc />
    public override string ToString() => $"{Activity} [{Id}] {Status}";
}

/// <summary>A queued activity execution.</summary>
/// <param name="Activity">What to run.</param>
/// <param name="Owner">The execution that scheduled it (null for the workflow root).</param>
/// <param name="Input">Schedule-time input.</param>
/// <param name="Variables">Variables to declare on the new execution (loop CurrentValue/CurrentIndex).</param>
public sealed record WorkItem(Activity Activity, ActivityExecutionContext? Owner, IReadOnlyDictionary<string, object?>? Input, IReadOnlyList<VariableSlot>? Variables);
