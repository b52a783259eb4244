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
public sealed partial class Flowchart : Activity
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
    protected internal override IReadOnlyList<Activity> NextAfter(Activity child, string outcome) =>
        _index.TryGetValue(child, out var i) ? [.. _connections.Where(c => c.Source == i && c.Port == outcome).Select(c => _activities[c.Target])] : [];

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
            if (context.Status == ActivityStatus.Running && !HasPendingTokenWork(context, state.Tokens)) await context.CompleteAsync();
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

    private static bool Contains(IReadOnlyList<string> outcomes, string port)
    {
        for (var i = 0; i < outcomes.Count; i++) if (outcomes[i] == port) return true;
        return false;
    }
}
