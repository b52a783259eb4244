using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Leaves the nearest loop.</summary>
[Activity("Elsa.Break", "Looping", "Break", DisplayNameZh = "跳出循环", Outcomes = [])]
public sealed class Break(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    /// <inheritdoc />
    public override bool IsTerminal => true;

    /// <inheritdoc />
    protected internal override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        await context.SendSignalAsync(new BreakSignal());
        await context.CompleteAsync();
    }
}
