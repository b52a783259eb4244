using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Runs its body (typically a nested flowchart) and completes with Done.</summary>
[Activity("Elsa.FlowNode", "Flow", "Flow Node", DisplayNameZh = "子流程节点", IsContainer = true)]
public sealed class FlowNode(ActivityNode node, ActivityBuildContext build) : BodyActivity(node, build)
{
    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (Body is null) return context.CompleteAsync();
        context.Schedule(Body);
        return ValueTask.CompletedTask;
    }
}
