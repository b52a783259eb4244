using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Ends the whole workflow: clears the scheduler and bookmarks; the instance finishes.</summary>
[Activity("Elsa.Finish", "Primitives", "Finish", DisplayNameZh = "完成工作流", Outcomes = [])]
public sealed class Finish(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    /// <inheritdoc />
    public override bool IsTerminal => true;

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.Workflow.Finish();
        return ValueTask.CompletedTask;
    }
}
