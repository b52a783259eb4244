using System.Text.Json.Nodes;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Assigns a value to a variable (looked up by id, then by name).</summary>
[Activity("Elsa.SetVariable", "Primitives", "Set Variable", DisplayNameZh = "设置变量")]
[Input("variable", typeof(object), UiHint = "variable-picker")]
[Input("value", typeof(object))]
public sealed class SetVariable : Activity
{
    private readonly string? _variableId;
    private readonly string? _variableName;
    private readonly Input? _value;

    /// <summary>Reads the variable reference and value.</summary>
    public SetVariable(ActivityNode node, ActivityBuildContext build) : base(node, build)
    {
        var v = node.Raw("variable");
        _variableId = v is JsonObject o ? JsonAccess.GetString(o, "id") : JsonAccess.AsString(v);
        _variableName = v is JsonObject o2 ? JsonAccess.GetString(o2, "name") : null;
        if (_variableId is null && _variableName is null) build.Problem("SetVariable names no variable", property: "variable");
        _value = build.Input(node, "value");
    }

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var slot = (_variableId is null ? null : context.FindVariable(_variableId))
                   ?? (_variableName is null ? null : context.FindVariable(_variableName))
                   ?? throw new InvalidOperationException($"Variable '{_variableName ?? _variableId}' is not declared in scope.");
        slot.Set(context.Evaluate(_value));
        return context.CompleteAsync();
    }
}
