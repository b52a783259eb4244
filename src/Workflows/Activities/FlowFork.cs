using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Follows every named branch at once.</summary>
[Activity("Elsa.FlowFork", "Branching", "Fork", DisplayNameZh = "并行分支")]
[Input("branches", typeof(List<string>), UiHint = "dynamic-outcomes")]
public sealed class FlowFork(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _branches = build.Input(node, "branches");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context) =>
        context.CompleteAsync(context.Evaluate(_branches) as List<string> is { Count: > 0 } b ? b : Outcomes.Done);
}
