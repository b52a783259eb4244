using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Chooses True or False.</summary>
[Activity("Elsa.FlowDecision", "Branching", "Decision", DisplayNameZh = "判断", Outcomes = ["True", "False"])]
[Input("condition", typeof(bool), UiHint = "code")]
public sealed class FlowDecision(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _condition = build.Input(node, "condition");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context) =>
        context.CompleteAsync(context.Get(_condition, false) ? Outcomes.True : Outcomes.False);
}
