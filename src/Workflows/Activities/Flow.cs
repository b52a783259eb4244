using System.Text.Json.Nodes;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Chooses True or False.</summary>
[Activity("Elsa.FlowDecision", "Branching", "Decision", DisplayNameZh = "判断", Outcomes = ["True", "False"])]
[Input("condition", typeof(bool), UiHint = "code")]
public sealed class FlowDecision(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _condition = build.Input(node, "condition");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context) =>
        context.CompleteAsync(context.Get(_condition, false) ? Outcomes.True : Outcomes.False);
}

/// <summary>Chooses the first (or every) case whose condition holds; Default when none does.</summary>
[Activity("Elsa.FlowSwitch", "Branching", "Switch", DisplayNameZh = "多路分支", Outcomes = ["Default"])]
[Input("cases", typeof(object), UiHint = "switch-editor")]
[Input("mode", typeof(string), Options = ["MatchFirst", "MatchAny"])]
public sealed class FlowSwitch : Activity
{
    private readonly List<(string Label, Input? Condition)> _cases = [];
    private readonly bool _matchAny;

    /// <summary>Reads the cases.</summary>
    public FlowSwitch(ActivityNode node, ActivityBuildContext build) : base(node, build)
    {
        var raw = node.Raw("cases");
        if (raw is JsonObject wrapper && JsonAccess.Get(wrapper, "expression") is JsonObject e && JsonAccess.GetString(e, "value") is { } json)
            raw = JsonNode.Parse(json);
        if (raw is JsonArray cases)
            foreach (var c in cases.OfType<JsonObject>())
            {
                var label = JsonAccess.GetString(c, "label") ?? "";
                var probe = new ActivityNode { Type = "case", Id = label };
                var condition = JsonAccess.Get(c, "condition");
                probe.Properties.Add(new RawProperty("condition", condition is JsonObject co && !JsonAccess.Has(co, "expression") && JsonAccess.Has(co, "type")
                    ? new JsonObject { ["typeName"] = "Boolean", ["expression"] = co.DeepClone() }
                    : condition?.DeepClone()));
                _cases.Add((label, build.Input(probe, "condition", typeof(bool))));
            }
        var mode = build.Input(node, "mode");
        _matchAny = mode is { IsLiteral: true } && string.Equals(JsonAccess.AsString(mode.Expression.Value), "MatchAny", StringComparison.OrdinalIgnoreCase);
    }

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var matched = new List<string>();
        foreach (var (label, condition) in _cases)
        {
            if (!context.Get(condition, false)) continue;
            matched.Add(label);
            if (!_matchAny) break;
        }
        return context.CompleteAsync(matched.Count > 0 ? matched : ["Default"]);
    }
}

/// <summary>Follows every named branch at once.</summary>
[Activity("Elsa.FlowFork", "Branching", "Fork", DisplayNameZh = "并行分支")]
[Input("branches", typeof(List<string>), UiHint = "dynamic-outcomes")]
public sealed class FlowFork(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _branches = build.Input(node, "branches");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context) =>
        context.CompleteAsync(context.Evaluate(_branches) as List<string> is { Count: > 0 } b ? b : Outcomes.Done);
}

/// <summary>How an explicit join decides to run.</summary>
public enum FlowJoinMode
{
    /// <summary>Run on the first followed inbound connection; cancel the other branches.</summary>
    WaitAny,
    /// <summary>Run when every inbound connection was followed.</summary>
    WaitAll,
    /// <summary>Run when every inbound connection was visited and at least one followed.</summary>
    WaitAllActive
}

/// <summary>Explicit join; the flowchart decides when to run it from its mode.</summary>
[Activity("Elsa.FlowJoin", "Branching", "Join", DisplayNameZh = "汇合")]
[Input("mode", typeof(FlowJoinMode), UiHint = "dropdown", Options = ["WaitAny", "WaitAll", "WaitAllActive"], DefaultValue = "WaitAny")]
public sealed class FlowJoin(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _mode = build.Input(node, "mode");

    /// <summary>The join mode, evaluated in the flowchart's context.</summary>
    public FlowJoinMode ModeIn(ActivityExecutionContext context) => context.Get(_mode, FlowJoinMode.WaitAny);

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context) => context.CompleteAsync();
}
