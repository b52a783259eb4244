using System.Text.Json.Nodes;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

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
