using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Faults the workflow with a code and message.</summary>
[Activity("Elsa.Fault", "Primitives", "Fault", DisplayNameZh = "故障", Outcomes = [])]
[Input("code", typeof(string))]
[Input("category", typeof(string))]
[Input("faultType", typeof(string))]
[Input("message", typeof(string))]
public sealed class Fault(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _code = build.Input(node, "code");
    private readonly Input? _category = build.Input(node, "category");
    private readonly Input? _type = build.Input(node, "faultType");
    private readonly Input? _message = build.Input(node, "message");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context) =>
        throw new FaultException(
            context.Evaluate(_code) as string ?? "0",
            context.Evaluate(_category) as string ?? "General",
            context.Evaluate(_type) as string ?? "System",
            context.Evaluate(_message) as string ?? "Fault");
}
