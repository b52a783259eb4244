using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Explicit join; the flowchart decides when to run it from its mode.</summary>
[Activity("Elsa.FlowJoin", "Branching", "Join", DisplayNameZh = "汇合")]
[Input("mode", typeof(FlowJoinMode), UiHint = "dropdown", Options = ["WaitAny", "WaitAll", "WaitAllActive"], DefaultValue = "WaitAny")]
public sealed class FlowJoin(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _mode = build.Input(node, "mode");

    /// <summary>The join mode, evaluated in the flowchart's context.</summary>
    public FlowJoinMode ModeIn(ActivityExecutionContext context) => context.Get(_mode, FlowJoinMode.WaitAny);

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context) => context.CompleteAsync();
}
