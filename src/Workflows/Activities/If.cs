using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Runs Then or Else.</summary>
[Activity("Elsa.If", "Control Flow", "If", DisplayNameZh = "条件", IsContainer = true)]
[Input("condition", typeof(bool), UiHint = "code")]
[Output("result", typeof(bool))]
[ChildPort("then", "Then")]
[ChildPort("else", "Else")]
public sealed class If : Activity
{
    private readonly Input? _condition;
    private readonly Activity? _then;
    private readonly Activity? _else;

    /// <summary>Compiles the branches.</summary>
    public If(ActivityNode node, ActivityBuildContext build) : base(node, build)
    {
        _condition = build.Input(node, "condition");
        _then = node.Child("then") is { } t ? build.Compile(t, this) : null;
        _else = node.Child("else") is { } e ? build.Compile(e, this) : null;
    }

    /// <inheritdoc />
    public override IEnumerable<Activity> Children => new[] { _then, _else }.OfType<Activity>();

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var result = context.Get(_condition, false);
        context.SetOutput("result", result);
        var branch = result ? _then : _else;
        if (branch is null) return context.CompleteAsync(result ? Outcomes.True : Outcomes.False);
        context.Schedule(branch);
        return ValueTask.CompletedTask;
    }
}
