using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Sets the workflow instance's correlation id.</summary>
[Activity("Elsa.Correlate", "Primitives", "Correlate", DisplayNameZh = "设置关联号")]
[Input("correlationId", typeof(string))]
public sealed class Correlate(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _id = build.Input(node, "correlationId");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.Workflow.CorrelationId = context.Evaluate(_id) as string;
        return context.CompleteAsync();
    }
}
