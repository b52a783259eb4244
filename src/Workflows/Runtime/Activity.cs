using System.Text.Json;
using System.Text.Json.Nodes;
using GovFlow.Workflows.Model;

namespace GovFlow.Workflows.Runtime;

/// <summary>
/// An executable activity compiled from an <see cref="ActivityNode"/>. Activities are immutable and shared
/// by every run of the same definition version; per-run data lives in <see cref="ActivityExecutionContext"/>.
/// </summary>
public abstract class Activity
{
    private static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web) { IncludeFields = true };
    private readonly Dictionary<string, string> _outputBindings = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Reads the node's common settings and output bindings.</summary>
    protected Activity(ActivityNode node, ActivityBuildContext build)
    {
        Node = node;
        NodeId = build.NodeIdFor(node);
        var custom = node.EffectiveCustomProperties;
        CanStartWorkflow = JsonAccess.GetBool(custom, "canStartWorkflow") ?? false;
        foreach (var p in node.Properties)
        {
            // An output is written as {typeName, memoryReference:{id}} with no expression.
            if (p is RawProperty { Value: JsonObject o } && !JsonAccess.Has(o, "expression")
                && JsonAccess.Get(o, "memoryReference") is JsonObject mr && JsonAccess.GetString(mr, "id") is { Length: > 0 } target)
                _outputBindings[p.Name] = target;
        }
    }

    /// <summary>The node this activity was compiled from.</summary>
    public ActivityNode Node { get; }

    /// <summary>Activity id.</summary>
    public string Id => Node.Id;

    /// <summary>Activity type name.</summary>
    public string Type => Node.Type;

    /// <summary>Display name.</summary>
    public string? Name => Node.Name;

    /// <summary>Runtime node id, unique in the compiled workflow (<c>parent:id</c>).</summary>
    public string NodeId { get; }

    /// <summary>Whether <c>customProperties.canStartWorkflow</c> is set.</summary>
    public bool CanStartWorkflow { get; }

    /// <summary>The containing activity, null for the workflow root.</summary>
    public Activity? Parent { get; internal set; }

    /// <summary>Elsa's ITerminalNode: completing it completes the containing flowchart or sequence at once.</summary>
    public virtual bool IsTerminal => false;

    /// <summary>Nested activities.</summary>
    public virtual IEnumerable<Activity> Children => [];

    /// <summary>The type of the per-execution state this activity keeps, for persistence.</summary>
    public virtual Type? StateType => null;

    /// <summary>Output name → memory reference id (a variable id or a workflow output name).</summary>
    public IReadOnlyDictionary<string, string> OutputBindings => _outputBindings;

    /// <summary>Runs the activity.</summary>
    protected internal abstract ValueTask ExecuteAsync(ActivityExecutionContext context);

    /// <summary>Called when a child scheduled by this activity completes.</summary>
    protected internal virtual ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child) => context.CompleteAsync();

    /// <summary>Called when a child of this activity is cancelled by someone else.</summary>
    protected internal virtual ValueTask OnChildCanceledAsync(ActivityExecutionContext context, ActivityExecutionContext child) => ValueTask.CompletedTask;

    /// <summary>
    /// Checks resume input before anything changes; throw <see cref="BookmarkInputException"/> to refuse it. The
    /// bookmark stays open, nothing is journaled, and the caller gets the error.
    /// </summary>
    protected internal virtual void ValidateResume(ActivityExecutionContext context, Bookmark bookmark, object? input) { }

    /// <summary>
    /// What a person decided by resuming <paramref name="bookmark"/> with <paramref name="input"/> (the action, the
    /// opinion, the choices made), kept in the Resumed journal record so its hash covers the decision itself; null
    /// when the resumption carries no one's decision (a timer, a service's reply).
    /// </summary>
    protected internal virtual System.Text.Json.Nodes.JsonNode? DescribeResume(Bookmark bookmark, object? input) => null;

    /// <summary>Called when one of this activity's bookmarks is resumed; by default completes.</summary>
    protected internal virtual ValueTask ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, object? input) => context.CompleteAsync();

    /// <summary>Receives a signal sent by a descendant; returns true to stop it travelling further up.</summary>
    protected internal virtual ValueTask<bool> OnSignalAsync(ActivityExecutionContext context, ActivitySignal signal, ActivityExecutionContext sender) => new(false);

    /// <summary>
    /// Whether completing this activity with <paramref name="outcome"/> leads on in its container. A flowchart
    /// follows only connected ports, so an outcome nothing is connected to ends that path; every other container
    /// carries on whatever the outcome.
    /// </summary>
    public bool Continues(string outcome) => Parent?.ContinuesAfter(this, outcome) ?? false;

    /// <summary>Whether this container carries on after <paramref name="child"/> completes with <paramref name="outcome"/>.</summary>
    protected internal virtual bool ContinuesAfter(Activity child, string outcome) => true;

    /// <summary>The activities completing this one with <paramref name="outcome"/> leads to (a flowchart's connections; none elsewhere).</summary>
    public IReadOnlyList<Activity> Next(string outcome) => Parent?.NextAfter(this, outcome) ?? [];

    /// <summary>The activities this container goes on to after <paramref name="child"/> completes with <paramref name="outcome"/>.</summary>
    protected internal virtual IReadOnlyList<Activity> NextAfter(Activity child, string outcome) => [];

    /// <summary>Serializes per-execution state for persistence.</summary>
    protected internal virtual JsonNode? SaveState(object? state) =>
        state is null || StateType is null ? null : JsonSerializer.SerializeToNode(state, StateType, StateJson);

    /// <summary>Restores per-execution state.</summary>
    protected internal virtual object? LoadState(JsonNode? json) =>
        json is null || StateType is null ? null : json.Deserialize(StateType, StateJson);

    /// <inheritdoc />
    public override string ToString() => $"{Type} {Id}{(Name is null ? "" : $" ({Name})")}";
}

/// <summary>Resume input an activity refuses (a missing opinion, an unknown action); names the field.</summary>
public sealed class BookmarkInputException(string field, string message) : Exception(message)
{
    /// <summary>The input field at fault.</summary>
    public string Field { get; } = field;
}

/// <summary>A signal travelling up the activity tree (Elsa's Break and CompleteComposite).</summary>
public abstract record ActivitySignal;

/// <summary>Sent by Break to the nearest loop.</summary>
public sealed record BreakSignal : ActivitySignal;

/// <summary>Sent by Complete to the nearest composite (a workflow used as an activity, or the workflow itself).</summary>
/// <param name="Outcomes">The outcomes the composite completes with.</param>
public sealed record CompleteCompositeSignal(IReadOnlyList<string> Outcomes) : ActivitySignal;

/// <summary>Outcome lists shared to avoid allocating on every completion.</summary>
public static class Outcomes
{
    /// <summary>Elsa's default outcome.</summary>
    public static readonly IReadOnlyList<string> Done = ["Done"];

    /// <summary>No outcome: no connection is followed.</summary>
    public static readonly IReadOnlyList<string> Empty = [];

    /// <summary>The outcome True.</summary>
    public static readonly IReadOnlyList<string> True = ["True"];

    /// <summary>The outcome False.</summary>
    public static readonly IReadOnlyList<string> False = ["False"];
}

/// <summary>A variable slot in a scope: its declaration and current value.</summary>
public sealed class VariableSlot(string id, string name, string typeName, bool isArray, object? value)
{
    /// <summary>Id (memory references use it).</summary>
    public string Id { get; } = id;

    /// <summary>Name (expressions use it).</summary>
    public string Name { get; } = name;

    /// <summary>Elsa type alias.</summary>
    public string TypeName { get; } = typeName;

    /// <summary>Whether it holds an array.</summary>
    public bool IsArray { get; } = isArray;

    /// <summary>Current value.</summary>
    public object? Value { get; set; } = value;

    /// <summary>Converts and stores a value.</summary>
    public void Set(object? value) => Value = Values.Convert(value, Values.TypeOf(TypeName, IsArray));
}

/// <summary>An unknown activity type: kept so the definition loads and round-trips; faults only if reached.</summary>
public sealed class UnknownActivity(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context) =>
        throw new InvalidOperationException($"Unknown activity type '{Type}' (activity {Id}): no such activity is registered.");
}
