using System.Text.Json.Nodes;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>
/// Elsa's flowchart: activities joined by connections from outcome ports. Counter mode (default) waits at an
/// implicit join until every inbound connection was visited and runs if any was followed, skipping dead
/// branches; token mode follows tokens and honours each activity's <c>mergeMode</c>.
/// </summary>
[Activity("Elsa.Flowchart", "Flow", "Flowchart", DisplayNameZh = "流程图", IsContainer = true)]
public sealed class Flowchart : Activity
{
    private const string BackwardConnection = "BackwardConnection";
    private readonly Activity[] _activities;
    private readonly Dictionary<Activity, int> _index = new(ReferenceEqualityComparer.Instance);
    private readonly FlowConnection[] _connections;
    private readonly List<VariableDefinition> _variables = [];
    private readonly Lock _graphLock = new();
    private readonly Dictionary<int, FlowGraph> _graphs = new();

    /// <summary>Compiles the activities and connections.</summary>
    public Flowchart(ActivityNode node, ActivityBuildContext build) : base(node, build)
    {
        _activities = [.. build.CompileAll(node.Children("activities"), this)];
        for (var i = 0; i < _activities.Length; i++) _index[_activities[i]] = i;
        var byId = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _activities.Length; i++) byId.TryAdd(_activities[i].Id, i);
        var connections = new List<FlowConnection>();
        foreach (var c in node.Connections)
        {
            if (!byId.TryGetValue(c.Source, out var s) || !byId.TryGetValue(c.Target, out var t))
            {
                build.Problem($"connection {c.Source}:{c.SourcePort} → {c.Target} names an activity that is not in this flowchart (ignored)", isError: false, property: "connections");
                continue;
            }
            connections.Add(new FlowConnection(connections.Count, s, c.SourcePort, t));
        }
        _connections = [.. connections];
        if (node.Raw("variables") is JsonArray vars)
            foreach (var v in vars.OfType<JsonObject>())
                _variables.Add(new VariableDefinition
                {
                    Id = JsonAccess.GetString(v, "id") ?? JsonAccess.GetString(v, "name") ?? "",
                    Name = JsonAccess.GetString(v, "name") ?? JsonAccess.GetString(v, "id") ?? "",
                    TypeName = JsonAccess.GetString(v, "typeName") ?? "Object",
                    IsArray = JsonAccess.GetBool(v, "isArray") ?? false,
                    Value = JsonAccess.Get(v, "value")
                });
    }

    /// <summary>The flowchart's activities in document order.</summary>
    public IReadOnlyList<Activity> Activities => _activities;

    /// <inheritdoc />
    public override IEnumerable<Activity> Children => _activities;

    /// <inheritdoc />
    public override Type? StateType => typeof(FlowchartState);

    /// <inheritdoc />
    protected internal override bool ContinuesAfter(Activity child, string outcome) =>
        _index.TryGetValue(child, out var i) && _connections.Any(c => c.Source == i && c.Port == outcome);

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        foreach (var v in _variables) context.Declare(v.Id, v.Name, v.TypeName, v.IsArray, Values.FromJson(v.Value));
        if (_activities.Length == 0) return context.CompleteAsync();
        var start = StartIndex(context.Workflow.TriggerActivityId);
        var state = new FlowchartState { Mode = context.Workflow.FlowchartMode, Start = start };
        if (state.Mode == FlowchartMode.CounterBased)
        {
            state.ActivityVisits = new int[_activities.Length];
            state.ConnectionVisits = new int[_connections.Length];
            state.LastFollowed = new bool[_connections.Length];
        }
        else state.Tokens = [];
        context.State = state;
        context.Schedule(_activities[start]);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected internal override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child)
    {
        var state = (FlowchartState)context.State!;
        return state.Mode == FlowchartMode.CounterBased ? OnCounterChildCompletedAsync(context, child, state) : OnTokenChildCompletedAsync(context, child, state);
    }

    /// <inheritdoc />
    protected internal override async ValueTask OnChildCanceledAsync(ActivityExecutionContext context, ActivityExecutionContext child)
    {
        var state = (FlowchartState)context.State!;
        if (!_index.TryGetValue(child.Activity, out var index)) return;
        if (state.Mode == FlowchartMode.TokenBased)
        {
            state.Tokens!.RemoveAll(t => t.From == index || t.To == index);
            await CompleteIfIdleAsync(context);
            return;
        }
        await CompleteIfIdleAsync(context);
        if (context.Status != ActivityStatus.Running) return;
        // A cancelled branch still counts as visited (and not followed) at the joins below it.
        await ScheduleOutboundAsync(Graph(state.Start), state, context, index, Outcomes.Empty, backward: false);
    }

    private int StartIndex(string? triggerActivityId)
    {
        if (triggerActivityId != null)
            for (var i = 0; i < _activities.Length; i++)
                if (_activities[i].Id == triggerActivityId) return i;
        for (var i = 0; i < _activities.Length; i++)
            if (_activities[i] is Start) return i;
        for (var i = 0; i < _activities.Length; i++)
            if (_activities[i].CanStartWorkflow) return i;
        for (var i = 0; i < _activities.Length; i++)
        {
            var hasInbound = false;
            foreach (var c in _connections) if (c.Target == i) { hasInbound = true; break; }
            if (!hasInbound) return i;
        }
        return 0;
    }

    private FlowGraph Graph(int start)
    {
        lock (_graphLock)
        {
            if (!_graphs.TryGetValue(start, out var graph))
                _graphs[start] = graph = new FlowGraph(_activities.Length, _connections, start);
            return graph;
        }
    }

    private static ValueTask CompleteIfIdleAsync(ActivityExecutionContext context) =>
        context.Status == ActivityStatus.Running && !context.HasPendingWork() ? context.CompleteAsync() : ValueTask.CompletedTask;

    // ---- Counter mode -------------------------------------------------------------------------------

    private async ValueTask OnCounterChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child, FlowchartState state)
    {
        if (child.Activity.IsTerminal) { await context.CompleteAsync(); return; }
        var index = _index[child.Activity];
        var backward = child.ScheduleInput?.TryGetValue(BackwardConnection, out var b) == true && b is true;
        var scheduled = await ScheduleOutboundAsync(Graph(state.Start), state, context, index, child.CompletedOutcomes, backward);
        if (!scheduled) await CompleteIfIdleAsync(context);
    }

    private async ValueTask<bool> ScheduleOutboundAsync(FlowGraph graph, FlowchartState state, ActivityExecutionContext context, int index, IReadOnlyList<string> outcomes, bool backward)
    {
        if (graph.IsDangling(index))
            throw new InvalidOperationException($"Activity {_activities[index].Id} is not reachable from the flowchart's start; its outbound activities cannot be scheduled.");
        if (!backward) state.ActivityVisits![index]++;
        var scheduled = false;
        foreach (var ci in graph.Outbound(index))
        {
            var connection = _connections[ci];
            var followed = Contains(outcomes, connection.Port);
            state.ConnectionVisits![ci]++;
            state.LastFollowed![ci] = followed;
            if (!graph.IsForward(ci))
            {
                if (!followed) continue;
                if (!graph.IsValidBackward(ci))
                    throw new InvalidOperationException($"Invalid backward connection: every path from '{_activities[connection.Source].Id}' to the start must pass through '{_activities[connection.Target].Id}'.");
                context.Schedule(_activities[connection.Target], new Dictionary<string, object?> { [BackwardConnection] = true });
                scheduled = true;
            }
            else scheduled |= await ScheduleTargetAsync(graph, state, context, ci);
        }
        return scheduled;
    }

    private async ValueTask<bool> ScheduleTargetAsync(FlowGraph graph, FlowchartState state, ActivityExecutionContext context, int connectionIndex)
    {
        var target = _connections[connectionIndex].Target;
        var activity = _activities[target];
        var mode = activity is FlowJoin join ? join.ModeIn(context) : FlowJoinMode.WaitAllActive;
        switch (mode)
        {
            case FlowJoinMode.WaitAll:
                if (!AllInboundVisited(graph, state, target)) return false;
                if (AllInboundFollowed(graph, state, target)) { context.Schedule(activity); return true; }
                return await ScheduleOutboundAsync(graph, state, context, target, Outcomes.Empty, backward: false);
            case FlowJoinMode.WaitAllActive:
                if (!AllInboundVisited(graph, state, target)) return false;
                if (AnyInboundFollowed(graph, state, target)) { context.Schedule(activity); return true; }
                return await ScheduleOutboundAsync(graph, state, context, target, Outcomes.Empty, backward: false);
            default: // WaitAny
                if (state.ActivityVisits![target] >= state.ConnectionVisits![connectionIndex]) return false;
                if (context.IsQueued(activity)) return false;
                if (AnyInboundFollowed(graph, state, target))
                {
                    context.Schedule(activity);
                    await CancelAncestorsAsync(graph, context, target);
                    return true;
                }
                if (AllInboundVisited(graph, state, target))
                    return await ScheduleOutboundAsync(graph, state, context, target, Outcomes.Empty, backward: false);
                return false;
        }
    }

    private static bool AllInboundVisited(FlowGraph graph, FlowchartState state, int target)
    {
        foreach (var ci in graph.ForwardInbound(target))
            if (state.ConnectionVisits![ci] <= state.ActivityVisits![target]) return false;
        return true;
    }

    private static bool AllInboundFollowed(FlowGraph graph, FlowchartState state, int target)
    {
        foreach (var ci in graph.ForwardInbound(target))
            if (!state.LastFollowed![ci]) return false;
        return true;
    }

    /// <summary>Whether the most recent round of visits followed an inbound connection (loops make older rounds irrelevant).</summary>
    private static bool AnyInboundFollowed(FlowGraph graph, FlowchartState state, int target)
    {
        var max = 0;
        foreach (var ci in graph.ForwardInbound(target)) max = Math.Max(max, state.ConnectionVisits![ci]);
        if (max <= state.ActivityVisits![target]) return false;
        foreach (var ci in graph.ForwardInbound(target))
            if (state.ConnectionVisits![ci] == max && state.LastFollowed![ci]) return true;
        return false;
    }

    private async ValueTask CancelAncestorsAsync(FlowGraph graph, ActivityExecutionContext context, int target)
    {
        var ancestors = graph.Ancestors(target);
        foreach (var child in context.Children.ToArray())
            if (child.Status == ActivityStatus.Running && _index.TryGetValue(child.Activity, out var i) && ancestors.Contains(i))
                await child.CancelAsync();
    }

    // ---- Token mode ---------------------------------------------------------------------------------

    private async ValueTask OnTokenChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child, FlowchartState state)
    {
        var tokens = state.Tokens!;
        if (child.Activity.IsTerminal)
        {
            tokens.Clear();
            await context.CompleteAsync();
            return;
        }
        var index = _index[child.Activity];
        var graph = Graph(state.Start);
        var outcomes = child.CompletedOutcomes;
        var active = new List<int>();
        foreach (var ci in graph.Outbound(index))
            if (Contains(outcomes, _connections[ci].Port)) active.Add(ci);
        foreach (var ci in active)
            tokens.Add(new FlowToken { From = index, Outcome = _connections[ci].Port, To = _connections[ci].Target });
        foreach (var t in tokens)
            if (t.To == index && !t.Consumed && !t.Blocked) t.Consumed = true;

        foreach (var ci in active)
        {
            var connection = _connections[ci];
            var target = connection.Target;
            var activity = _activities[target];
            switch (MergeModeOf(activity, context))
            {
                case MergeMode.Cascade:
                case MergeMode.Race:
                    if (MergeModeOf(activity, context) == MergeMode.Race) await CancelAncestorsAsync(graph, context, target);
                    var blocked = tokens.FirstOrDefault(t => t.To == target && t.From == connection.Source && t.Outcome == connection.Port && t.Blocked);
                    if (blocked is null)
                    {
                        context.Schedule(activity);
                        foreach (var other in graph.ForwardInbound(target))
                            if (_connections[other].Source != index)
                                tokens.Add(new FlowToken { From = _connections[other].Source, Outcome = _connections[other].Port, To = target, Blocked = true });
                    }
                    else blocked.Consumed = true;
                    break;
                case MergeMode.Merge:
                    if (graph.ForwardInbound(target).Count <= 1 || HasTokensFor(tokens, graph.ForwardInbound(target), target)) context.Schedule(activity);
                    break;
                case MergeMode.Converge:
                    if (graph.Inbound(target).Count <= 1 || HasTokensFor(tokens, graph.Inbound(target), target)) context.Schedule(activity);
                    break;
                default: // Stream: go once no forward inbound source still holds an unconsumed token.
                    var waiting = false;
                    foreach (var inbound in graph.ForwardInbound(target))
                    {
                        var source = _connections[inbound].Source;
                        if (tokens.Any(t => !t.Consumed && !t.Blocked && t.To == source)) { waiting = true; break; }
                    }
                    if (!waiting) context.Schedule(activity);
                    break;
            }
        }
        if (!context.HasPendingWork())
        {
            tokens.Clear();
            await context.CompleteAsync();
        }
        tokens.RemoveAll(t => t.To == index && t.Consumed);
    }

    private bool HasTokensFor(List<FlowToken> tokens, IReadOnlyList<int> connections, int target)
    {
        foreach (var ci in connections)
        {
            var c = _connections[ci];
            if (!tokens.Any(t => !t.Consumed && !t.Blocked && t.From == c.Source && t.To == target && t.Outcome == c.Port)) return false;
        }
        return true;
    }

    private static MergeMode MergeModeOf(Activity activity, ActivityExecutionContext context)
    {
        if (activity is FlowJoin join) return join.ModeIn(context) == FlowJoinMode.WaitAny ? MergeMode.Race : MergeMode.Merge;
        var text = JsonAccess.GetString(activity.Node.EffectiveCustomProperties, "mergeMode");
        return text != null && Enum.TryParse<MergeMode>(text, ignoreCase: true, out var mode) && mode != MergeMode.None ? mode : MergeMode.Stream;
    }

    private static bool Contains(IReadOnlyList<string> outcomes, string port)
    {
        for (var i = 0; i < outcomes.Count; i++) if (outcomes[i] == port) return true;
        return false;
    }
}

/// <summary>Token-mode merge behaviour of an activity with several inbound connections (Elsa's MergeMode).</summary>
public enum MergeMode
{
    /// <summary>Not set: behaves as Stream.</summary>
    None,
    /// <summary>Runs once no upstream source still holds a token; dead branches do not block.</summary>
    Stream,
    /// <summary>Waits for a token on every forward inbound connection.</summary>
    Merge,
    /// <summary>Waits for a token on every inbound connection, loops included.</summary>
    Converge,
    /// <summary>Runs once per arriving token.</summary>
    Cascade,
    /// <summary>Runs on the first token; cancels the other inbound branches.</summary>
    Race
}

/// <summary>Per-execution state of a flowchart.</summary>
public sealed class FlowchartState
{
    /// <summary>Mode chosen when the flowchart started (kept so a resumed run behaves the same).</summary>
    public FlowchartMode Mode;

    /// <summary>Index of the start activity.</summary>
    public int Start;

    /// <summary>Counter mode: visits per activity.</summary>
    public int[]? ActivityVisits;

    /// <summary>Counter mode: visits per connection.</summary>
    public int[]? ConnectionVisits;

    /// <summary>Counter mode: whether each connection's latest visit followed it.</summary>
    public bool[]? LastFollowed;

    /// <summary>Token mode: tokens in flight.</summary>
    public List<FlowToken>? Tokens;
}

/// <summary>A token travelling along a connection (token mode).</summary>
public sealed class FlowToken
{
    /// <summary>Source activity index.</summary>
    public int From;

    /// <summary>Outcome (source port).</summary>
    public string Outcome = "";

    /// <summary>Target activity index.</summary>
    public int To;

    /// <summary>Whether the target consumed it.</summary>
    public bool Consumed;

    /// <summary>Whether it blocks a raced branch.</summary>
    public bool Blocked;
}

/// <summary>A compiled connection.</summary>
internal readonly record struct FlowConnection(int Index, int Source, string Port, int Target);

/// <summary>
/// The connection graph seen from a start activity: which connections go forward and which loop back,
/// inbound lists and ancestors. Computed once per flowchart and start.
/// </summary>
internal sealed class FlowGraph
{
    private readonly List<int>[] _outbound;
    private readonly List<int>[] _inbound;
    private readonly List<int>[] _forwardInbound;
    private readonly bool[] _forward;
    private readonly bool[] _validBackward;
    private readonly bool[] _dangling;
    private readonly HashSet<int>[] _ancestors;

    public FlowGraph(int activityCount, FlowConnection[] connections, int root)
    {
        _outbound = NewLists(activityCount);
        _inbound = NewLists(activityCount);
        _forwardInbound = NewLists(activityCount);
        foreach (var c in connections) { _outbound[c.Source].Add(c.Index); _inbound[c.Target].Add(c.Index); }
        _forward = new bool[connections.Length];

        // Breadth-first from the start; an edge that would close a cycle over accepted edges is a loop-back.
        var accepted = new List<(int S, int T)>();
        var visitedEdges = new HashSet<(int, int)>();
        var visited = new HashSet<int>();
        var queue = new Queue<int>();
        queue.Enqueue(root);
        while (queue.Count > 0)
        {
            var source = queue.Dequeue();
            visited.Add(source);
            foreach (var ci in _outbound[source])
            {
                var target = connections[ci].Target;
                var edge = (source, target);
                if (visitedEdges.Contains(edge) || HasPath(accepted, target, source)) continue;
                visitedEdges.Add(edge);
                accepted.Add(edge);
                if (!visited.Contains(target)) queue.Enqueue(target);
            }
        }
        var acceptedSet = accepted.ToHashSet();
        foreach (var c in connections)
            if (acceptedSet.Contains((c.Source, c.Target))) { _forward[c.Index] = true; _forwardInbound[c.Target].Add(c.Index); }

        _dangling = new bool[activityCount];
        for (var i = 0; i < activityCount; i++) _dangling[i] = i != root && _forwardInbound[i].Count == 0;

        _ancestors = new HashSet<int>[activityCount];
        for (var i = 0; i < activityCount; i++)
        {
            var set = new HashSet<int>();
            var q = new Queue<int>();
            q.Enqueue(i);
            while (q.Count > 0)
                foreach (var ci in _forwardInbound[q.Dequeue()])
                    if (set.Add(connections[ci].Source)) q.Enqueue(connections[ci].Source);
            _ancestors[i] = set;
        }

        _validBackward = new bool[connections.Length];
        foreach (var c in connections)
            if (!_forward[c.Index]) _validBackward[c.Index] = AllPathsToRootPassThrough(connections, root, c.Source, c.Target);
    }

    public IReadOnlyList<int> Outbound(int activity) => _outbound[activity];

    public IReadOnlyList<int> Inbound(int activity) => _inbound[activity];

    public IReadOnlyList<int> ForwardInbound(int activity) => _forwardInbound[activity];

    public bool IsForward(int connection) => _forward[connection];

    public bool IsValidBackward(int connection) => _validBackward[connection];

    public bool IsDangling(int activity) => _dangling[activity];

    public HashSet<int> Ancestors(int activity) => _ancestors[activity];

    private static List<int>[] NewLists(int n)
    {
        var lists = new List<int>[n];
        for (var i = 0; i < n; i++) lists[i] = [];
        return lists;
    }

    private static bool HasPath(List<(int S, int T)> edges, int from, int to)
    {
        if (from == to) return true;
        var seen = new HashSet<int>();
        var stack = new Stack<int>();
        stack.Push(from);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            if (current == to) return true;
            if (!seen.Add(current)) continue;
            foreach (var (s, t) in edges) if (s == current && !seen.Contains(t)) stack.Push(t);
        }
        return false;
    }

    private bool AllPathsToRootPassThrough(FlowConnection[] connections, int root, int start, int through)
    {
        // Walk forward-inbound edges back towards the start; a path that reaches it without 'through' breaks the loop rule.
        var stack = new Stack<(int Node, bool Seen, HashSet<int> Path)>();
        stack.Push((start, start == through, [start]));
        while (stack.Count > 0)
        {
            var (node, seen, path) = stack.Pop();
            if (node == root) { if (!seen) return false; continue; }
            foreach (var ci in _forwardInbound[node])
            {
                var prev = connections[ci].Source;
                if (path.Contains(prev)) continue;
                stack.Push((prev, seen || prev == through, [.. path, prev]));
            }
        }
        return true;
    }
}
