using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Completes the nearest workflow used as an activity (or the workflow) with the given outcomes.</summary>
[Activity("Elsa.Complete", "Composition", "Complete", DisplayNameZh = "以结果结束", Outcomes = [])]
[Input("outcomes", typeof(List<string>), UiHint = "outcome-picker")]
public sealed class Complete(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _outcomes = build.Input(node, "outcomes");

    /// <inheritdoc />
    public override bool IsTerminal => true;

    /// <inheritdoc />
    protected internal override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var outcomes = context.Evaluate(_outcomes) as List<string> is { Count: > 0 } list ? list : Outcomes.Done;
        await context.SendSignalAsync(new CompleteCompositeSignal(outcomes));
        await context.CompleteAsync();
    }
}
