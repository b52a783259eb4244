using System.Text.Json.Nodes;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;
using GovFlow.Workflows.Serialization;

namespace GovFlow.Workflows.Activities;

/// <summary>Elsa's structured Switch: runs the activity of the first (or every) case whose condition holds, else the default.</summary>
[Activity("Elsa.Switch", "Branching", "Switch", DisplayNameZh = "分支选择", IsContainer = true)]
[ChildPort("default", "Default")]
[Input("mode", typeof(string), Options = ["MatchFirst", "MatchAny"])]
public sealed class Switch : Activity
{
    private readonly List<(string Label, Input? Condition, Activity? Activity)> _cases = [];
    private readonly Activity? _default;
    private readonly bool _matchAny;

    /// <summary>Compiles the cases (kept as raw JSON in the node, so the file round-trips unchanged).</summary>
    public Switch(ActivityNode node, ActivityBuildContext build) : base(node, build)
    {
        if (node.Raw("cases") is JsonArray cases)
            for (var i = 0; i < cases.Count; i++)
            {
                if (cases[i] is not JsonObject c) continue;
                var probe = new ActivityNode { Type = "case", Id = JsonAccess.GetString(c, "label") ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture) };
                var condition = JsonAccess.Get(c, "condition");
                probe.Properties.Add(new RawProperty("condition", condition is JsonObject co && !JsonAccess.Has(co, "expression") && JsonAccess.Has(co, "type")
                    ? new JsonObject { ["typeName"] = "Boolean", ["expression"] = co.DeepClone() } : condition?.DeepClone()));
                var activity = JsonAccess.Get(c, "activity") is { } a && WorkflowJson.LooksLikeActivity(a)
                    ? build.Compile(WorkflowJson.ReadNode(a, $"cases[{i}].activity"), this) : null;
                _cases.Add((probe.Id, build.Input(probe, "condition", typeof(bool)), activity));
            }
        _default = node.Child("default") is { } d ? build.Compile(d, this) : null;
        var mode = build.Input(node, "mode");
        _matchAny = mode is { IsLiteral: true } && string.Equals(JsonAccess.AsString(mode.Expression.Value), "MatchAny", StringComparison.OrdinalIgnoreCase);
    }

    /// <inheritdoc />
    public override IEnumerable<Activity> Children => _cases.Select(c => c.Activity).Append(_default).OfType<Activity>();

    /// <inheritdoc />
    public override Type? StateType => typeof(LoopState);

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var chosen = new List<Activity>();
        var matched = false;
        foreach (var (_, condition, activity) in _cases)
        {
            if (!context.Get(condition, false)) continue;
            matched = true;
            if (activity != null) chosen.Add(activity);
            if (!_matchAny) break;
        }
        if (!matched && _default != null) chosen.Add(_default);
        if (chosen.Count == 0) return context.CompleteAsync();
        context.State = new LoopState { Scheduled = chosen.Count };
        foreach (var a in chosen) context.Schedule(a);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected internal override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child)
    {
        var state = context.GetState<LoopState>();
        return ++state.Completed >= state.Scheduled ? context.CompleteAsync() : ValueTask.CompletedTask;
    }
}
