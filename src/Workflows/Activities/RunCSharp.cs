using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Runs a C# script; its value is the result.</summary>
[Activity("Elsa.RunCSharp", "Scripting", "Run C#", DisplayNameZh = "运行 C#")]
[Input("script", typeof(string), UiHint = "code")]
[Output("result", typeof(object))]
public sealed class RunCSharp(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _script = build.Input(node, "script");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.SetOutput("result", CSharpEvaluator.Run(context.Evaluate(_script) as string ?? "", context));
        return context.CompleteAsync();
    }
}
