using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Runs a C# script; its value is the result. Refused at compilation while C# is off (see <see cref="CSharpOptions"/>).</summary>
[Activity("Elsa.RunCSharp", "Scripting", "Run C#", DisplayNameZh = "运行 C#")]
[Input("script", typeof(string), UiHint = "code")]
[Output("result", typeof(object))]
public sealed class RunCSharp(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _script = Checked(node, build, build.Input(node, "script"));

    // The script is usually a literal, so it can be refused (C# off, a refused symbol) before the definition is accepted.
    private static Input? Checked(ActivityNode node, ActivityBuildContext build, Input? script)
    {
        var evaluator = build.Evaluators.Find("CSharp") as CSharpEvaluator ?? CSharpEvaluator.Instance;
        var literal = script is { IsLiteral: true } ? Values.ToText(Values.FromJson(script.Expression.Value)) : null;
        if (evaluator.Check(literal) is { } problem) build.Problem(CSharpEvaluator.ForActivity(node, problem), property: "script");
        return script;
    }

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.SetOutput("result", CSharpEvaluator.Run(context.Evaluate(_script) as string ?? "", context));
        return context.CompleteAsync();
    }
}
