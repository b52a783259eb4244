using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Ends the containing flowchart at once, whatever else is still running in it.</summary>
[Activity("Elsa.End", "Flow", "End", DisplayNameZh = "结束", Outcomes = [])]
public sealed class End(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    /// <inheritdoc />
    public override bool IsTerminal => true;

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context) => context.CompleteAsync();
}
