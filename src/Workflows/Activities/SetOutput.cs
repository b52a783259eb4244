using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Sets an output of the nearest workflow (or workflow used as an activity) that declares it.</summary>
[Activity("Elsa.SetOutput", "Primitives", "Set Output", DisplayNameZh = "设置输出")]
[Input("outputName", typeof(string))]
[Input("outputValue", typeof(object))]
public sealed class SetOutput(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _name = build.Input(node, "outputName");
    private readonly Input? _value = build.Input(node, "outputValue");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var name = context.Evaluate(_name) as string ?? throw new InvalidOperationException("SetOutput needs an output name.");
        var value = context.Evaluate(_value);
        for (var c = context.Parent; c != null; c = c.Parent)
            if (c.Activity is CompositeActivity composite && composite.DeclaresOutput(name))
            {
                composite.SetCompositeOutput(c, name, value);
                return context.CompleteAsync();
            }
        context.Workflow.Output[name] = value;
        return context.CompleteAsync();
    }
}
