using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Sets the workflow instance's name.</summary>
[Activity("Elsa.SetName", "Primitives", "Set Name", DisplayNameZh = "设置实例名称")]
[Input("value", typeof(string))]
public sealed class SetName(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _value = build.Input(node, "value");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.Workflow.Name = context.Evaluate(_value) as string;
        return context.CompleteAsync();
    }
}
