using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Writes a line of text to the workflow's standard output.</summary>
[Activity("Elsa.WriteLine", "Primitives", "Write Line", DisplayNameZh = "输出一行")]
[Input("text", typeof(string), DisplayNameZh = "文本")]
public sealed class WriteLine(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _text = build.Input(node, "text");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.Workflow.Out.WriteLine(context.Evaluate(_text) as string);
        return context.CompleteAsync();
    }
}
