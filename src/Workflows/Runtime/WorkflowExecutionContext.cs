using System.Globalization;
using System.Text.Json.Nodes;

namespace GovFlow.Workflows.Runtime;

/// <summary>A running workflow instance: its scheduler, active executions, memory, bookmarks and journal.</summary>
public sealed class WorkflowExecutionContext
{
    private readonly Queue<WorkItem> _queue = new();
    private readonly Queue<Func<ValueTask>> _afterBurst = new();
    private readonly Dictionary<string, ActivityExecutionContext> _contexts = new();
    private readonly TimeProvider _clock;
    private readonly StepLimits _limits;
    private long _nextId;
    private bool _halted;
    private int _executions;

    internal WorkflowExecutionContext(Workflow workflow, string instanceId, WorkflowRunOptions options, Journal journal, long nextId)
    {
        Workflow = workflow;
        InstanceId = instanceId;
        Services = options.Services ?? EmptyServices.Instance;
        _clock = options.Clock ?? TimeProvider.System;
        Out = options.Out ?? (TextWriter?)Services.GetService(typeof(TextWriter)) ?? TextWriter.Null;
        FlowchartMode = options.FlowchartMode;
        Actor = options.Actor;
        TriggerActivityId = options.TriggerActivityId;
        Journal = journal;
        _limits = options.Limits ?? StepLimits.Default;
        _nextId = nextId;
    }

    /// <summary>The compiled workflow.</summary>
    public Workflow Workflow { get; }

    /// <summary>Instance id.</summary>
    public string InstanceId { get; }

    /// <summary>Main status.</summary>
    public WorkflowStatus Status { get; internal set; } = WorkflowStatus.Running;

    /// <summary>Sub-status.</summary>
    public WorkflowSubStatus SubStatus { get; internal set; } = WorkflowSubStatus.Pending;

    /// <summary>Correlation id (set by Correlate or at start).</summary>
    public string? CorrelationId { get; set; }

    /// <summary>Instance name (set by SetName).</summary>
    public string? Name { get; set; }

    /// <summary>Workflow input.</summary>
    public Dictionary<string, object?> Input { get; internal set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Workflow output.</summary>
    public Dictionary<string, object?> Output { get; internal set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Instance properties (ParentInstanceId, ...); values must be JSON-friendly.</summary>
    public Dictionary<string, object?> Properties { get; internal set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Workflow-level variables.</summary>
    public List<VariableSlot> RootVariables { get; internal set; } = [];

    /// <summary>Open bookmarks.</summary>
    public IReadOnlyList<Bookmark> Bookmarks => BookmarkList;

    /// <summary>Faults recorded on this instance.</summary>
    public List<Incident> Incidents { get; internal set; } = [];

    /// <summary>Output of each activity that produced one: runtime node id → output name → value.</summary>
    public Dictionary<string, Dictionary<string, object?>> ActivityOutputs { get; internal set; } = new();

    /// <summary>The execution journal of this run.</summary>
    public Journal Journal { get; }

    /// <summary>Services for activities (standard out, child workflow invoker, GovFlow service clients).</summary>
    public IServiceProvider Services { get; }

    /// <summary>Where WriteLine writes.</summary>
    public TextWriter Out { get; }

    /// <summary>Flowchart execution mode for this run.</summary>
    public FlowchartMode FlowchartMode { get; }

    /// <summary>Who is acting in this run (recorded in the journal).</summary>
    public string? Actor { get; internal set; }

    /// <summary>The trigger activity that started this run, if any.</summary>
    public string? TriggerActivityId { get; }

    /// <summary>Current time.</summary>
    public DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>Active activity executions.</summary>
    public IReadOnlyCollection<ActivityExecutionContext> ActiveContexts => _contexts.Values;

    /// <summary>Queued work items, in order.</summary>
    public IEnumerable<WorkItem> Queue => _queue;

    internal List<Bookmark> BookmarkList { get; set; } = [];

    internal long NextIdValue => _nextId;

    /// <summary>A new id, unique in this instance.</summary>
    public string NewId() => (++_nextId).ToString(CultureInfo.InvariantCulture);

    /// <summary>A required service, or a clear error naming it.</summary>
    public T GetRequiredService<T>() where T : class =>
        Services.GetService(typeof(T)) as T ?? throw new InvalidOperationException($"Service {typeof(T).Name} is not available to this workflow run.");

    /// <summary>A workflow input by name (ignoring case).</summary>
    public object? GetInput(string name) => Input.TryGetValue(name, out var v) ? v : null;

    /// <summary>Finds a workflow-level variable by id or name.</summary>
    public VariableSlot? FindRootVariable(string idOrName)
    {
        foreach (var s in RootVariables) if (s.Id == idOrName) return s;
        foreach (var s in RootVariables) if (string.Equals(s.Name, idOrName, StringComparison.OrdinalIgnoreCase)) return s;
        return null;
    }

    /// <summary>Removes open bookmarks of an execution that match a condition (e.g. the other departments' opinions).</summary>
    public void RemoveBookmarks(ActivityExecutionContext context, Func<Bookmark, bool> match) =>
        BookmarkList.RemoveAll(b => b.ActivityInstanceId == context.Id && match(b));

    /// <summary>
    /// Cancels every execution that waits on a bookmark outside <paramref name="current"/>'s own line (itself and its
    /// ancestors): the other branches' tasks, timers and calls. Each is cancelled at the highest point below the
    /// line, so a waiting step inside a sequence cancels the sequence, and its container hears of it as of any
    /// cancelled child (a flowchart counts the branch as visited, a fork as done). Returns what was cancelled.
    /// </summary>
    public async ValueTask<IReadOnlyList<ActivityExecutionContext>> CancelWaitingElsewhereAsync(ActivityExecutionContext current, string reason)
    {
        var line = new HashSet<ActivityExecutionContext>();
        for (var c = current; c != null; c = c.Parent) line.Add(c);
        var tops = new List<ActivityExecutionContext>();
        foreach (var b in BookmarkList.ToList())
        {
            if (FindContext(b.ActivityInstanceId) is not { } waiting || line.Contains(waiting)) continue;
            var top = waiting;
            while (top.Parent is { } parent && !line.Contains(parent)) top = parent;
            if (!tops.Contains(top)) tops.Add(top);
        }
        foreach (var top in tops)
        {
            top.Journal("CancelRequested", new JsonObject { ["by"] = current.Activity.Id }, reason);
            await top.CancelAsync();
        }
        return tops;
    }

    /// <summary>Finds an active execution by id.</summary>
    public ActivityExecutionContext? FindContext(string id) => _contexts.GetValueOrDefault(id);

    internal void Enqueue(WorkItem item) => _queue.Enqueue(item);

    // Work an activity schedules while the step runs; a restored queue was bounded by the step that stored it.
    internal void Schedule(WorkItem item)
    {
        if (_queue.Count >= _limits.MaxActivityExecutions) throw StepLimitExceededException.Queued(_limits.MaxActivityExecutions);
        _queue.Enqueue(item);
    }

    internal void RecordActivityOutput(Activity activity, string name, object? value)
    {
        if (!ActivityOutputs.TryGetValue(activity.NodeId, out var outputs))
            ActivityOutputs[activity.NodeId] = outputs = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        outputs[name] = value;
    }

    internal bool HasQueuedWorkUnder(ActivityExecutionContext ancestor)
    {
        foreach (var item in _queue)
            for (var o = item.Owner; o != null; o = o.Parent)
                if (ReferenceEquals(o, ancestor)) return o.Status == ActivityStatus.Running;
        return false;
    }

    internal bool IsQueued(Activity activity, ActivityExecutionContext owner)
    {
        foreach (var item in _queue)
            if (ReferenceEquals(item.Activity, activity) && ReferenceEquals(item.Owner, owner)) return true;
        return false;
    }

    internal void Attach(ActivityExecutionContext context)
    {
        _contexts[context.Id] = context;
        context.Parent?.AddChild(context);
    }

    internal void Detach(ActivityExecutionContext context)
    {
        _contexts.Remove(context.Id);
        context.Parent?.RemoveChild(context);
        if (BookmarkList.Count > 0) BookmarkList.RemoveAll(b => b.ActivityInstanceId == context.Id);
    }

    internal void OnRootCompleted(ActivityExecutionContext root)
    {
        if (SubStatus is WorkflowSubStatus.Faulted or WorkflowSubStatus.Cancelled) return;
        Status = WorkflowStatus.Finished;
        SubStatus = WorkflowSubStatus.Finished;
        _queue.Clear();
        _halted = true;
    }

    /// <summary>Ends the workflow at once (Elsa's Finish): clears the scheduler, bookmarks and running executions.</summary>
    public void Finish() => EndAll(ActivityStatus.Completed, "Completed", WorkflowSubStatus.Finished);

    /// <summary>Cancels the instance: every execution is cancelled and every bookmark removed.</summary>
    public void Cancel() => EndAll(ActivityStatus.Canceled, "Canceled", WorkflowSubStatus.Cancelled);

    private void EndAll(ActivityStatus activityStatus, string eventName, WorkflowSubStatus subStatus)
    {
        foreach (var c in _contexts.Values.Where(c => c.Parent is null).ToList())
        {
            c.DropDescendants();
            c.Status = activityStatus;
            Detach(c);
            c.Journal(eventName);
        }
        _contexts.Clear();
        BookmarkList.Clear();
        Status = WorkflowStatus.Finished;
        SubStatus = subStatus;
        _queue.Clear();
        _halted = true;
    }

    internal void Fault(ActivityExecutionContext? context, Exception ex)
    {
        var inner = ex is System.Reflection.TargetInvocationException { InnerException: { } ie } ? ie : ex;
        var activity = context?.Activity;
        Incidents.Add(new Incident
        {
            ActivityId = activity?.Id ?? "",
            ActivityNodeId = activity?.NodeId ?? "",
            ActivityType = activity?.Type ?? "",
            Message = inner.Message,
            ExceptionType = inner.GetType().Name,
            Code = (inner as FaultException)?.Code,
            Timestamp = Now
        });
        if (context != null)
        {
            context.Fault();
            context.Journal("Faulted", new JsonObject { ["exception"] = inner.GetType().Name }, inner.Message);
        }
        Status = WorkflowStatus.Finished;
        SubStatus = WorkflowSubStatus.Faulted;
        _queue.Clear();
        _halted = true;
    }

    /// <summary>Runs queued work until nothing is left, the workflow finishes, or an activity faults.</summary>
    internal async ValueTask RunAsync()
    {
        if (_halted) return;
        SubStatus = WorkflowSubStatus.Executing;
        while (!_halted && (_queue.Count > 0 || _afterBurst.Count > 0))
        {
            if (_queue.Count == 0)
            {
                await RunAfterBurstAsync(_afterBurst.Dequeue());
                continue;
            }
            var item = _queue.Dequeue();
            if (item.Owner is { Status: not ActivityStatus.Running }) continue;
            if (OverBudget() is { } exceeded)
            {
                // The loop's container (the owner) is what keeps scheduling work, so the incident names it.
                Fault(item.Owner, exceeded);
                break;
            }
            var context = new ActivityExecutionContext(NewId(), item.Activity, item.Owner, this) { ScheduleInput = item.Input };
            if (item.Variables is { Count: > 0 }) context.Slots = [.. item.Variables];
            Attach(context);
            context.Journal("Started");
            try
            {
                await item.Activity.ExecuteAsync(context);
            }
            catch (Exception ex)
            {
                Fault(context, ex);
            }
        }
        if (!_halted)
            SubStatus = WorkflowSubStatus.Suspended;
    }

    // Checked before each execution: one execution cannot run away by itself (it schedules, it does not loop), but
    // the step as a whole can.
    private StepLimitExceededException? OverBudget()
    {
        if (++_executions > _limits.MaxActivityExecutions) return StepLimitExceededException.Executions(_limits.MaxActivityExecutions);
        if (Journal.Records.Count > _limits.MaxJournalRecords) return StepLimitExceededException.JournalRecords(_limits.MaxJournalRecords);
        return null;
    }

    /// <summary>
    /// Runs <paramref name="work"/> once everything queued now has run (Elsa delivers a local event after the burst
    /// that published it, so activities that start waiting in the same burst receive it too).
    /// </summary>
    internal void AfterBurst(Func<ValueTask> work) => _afterBurst.Enqueue(work);

    private async ValueTask RunAfterBurstAsync(Func<ValueTask> work)
    {
        try { await work(); }
        catch (Exception ex) { Fault(null, ex); }
    }

    /// <summary>
    /// Resumes one of this instance's own bookmarks within the running burst (a local event); the work it schedules
    /// runs in the same burst. The bookmark must still be open.
    /// </summary>
    internal async ValueTask ResumeWithinAsync(Bookmark bookmark, object? input)
    {
        if (_halted || !BookmarkList.Contains(bookmark) || FindContext(bookmark.ActivityInstanceId) is not { } context) return;
        BookmarkList.Remove(bookmark);
        context.Journal("Resumed", new JsonObject { ["bookmark"] = bookmark.Name });
        try { await context.Activity.ResumeAsync(context, bookmark, input); }
        catch (Exception ex) { Fault(context, ex); }
    }

    /// <summary>Resumes a bookmark with input, then runs until idle.</summary>
    internal async ValueTask ResumeAsync(Bookmark bookmark, object? input)
    {
        if (_halted) throw new InvalidOperationException($"Workflow instance {InstanceId} has finished; bookmark {bookmark.Id} cannot be resumed.");
        var context = FindContext(bookmark.ActivityInstanceId)
            ?? throw new InvalidOperationException($"Bookmark {bookmark.Id} points to activity execution {bookmark.ActivityInstanceId}, which is not active.");
        context.Activity.ValidateResume(context, bookmark, input);
        BookmarkList.Remove(bookmark);
        SubStatus = WorkflowSubStatus.Executing;
        var resumed = new JsonObject { ["bookmark"] = bookmark.Name };
        if (context.Activity.DescribeResume(bookmark, input) is { } decision) resumed["decision"] = decision;
        context.Journal("Resumed", resumed);
        try
        {
            await context.Activity.ResumeAsync(context, bookmark, input);
        }
        catch (Exception ex)
        {
            Fault(context, ex);
        }
        await RunAsync();
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public static readonly EmptyServices Instance = new();
        public object? GetService(Type serviceType) => null;
    }
}

/// <summary>Thrown by the Fault activity (and by activities that fail on purpose) with Elsa's fault fields.</summary>
public sealed class FaultException(string code, string category, string faultType, string message) : Exception(message)
{
    /// <summary>Fault code.</summary>
    public string Code { get; } = code;

    /// <summary>Fault category.</summary>
    public string Category { get; } = category;

    /// <summary>Fault type (System, Business, ...).</summary>
    public string FaultType { get; } = faultType;
}
