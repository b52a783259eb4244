using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Runs a JavaScript script; its value is the result, setOutcome(s) picks the outcomes.</summary>
[Activity("Elsa.RunJavaScript", "Scripting", "Run JavaScript", DisplayNameZh = "运行 JavaScript")]
[Input("script", typeof(string), UiHint = "code")]
[Output("result", typeof(object))]
public sealed class RunJavaScript(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _script = build.Input(node, "script");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var result = JavaScriptEvaluator.Run(context.Evaluate(_script) as string ?? "", context, out var outcomes);
        context.SetOutput("result", result);
        return context.CompleteAsync(outcomes ?? Outcomes.Done);
    }
}
