using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Runs its body while the condition holds (checked before each iteration).</summary>
[Activity("Elsa.While", "Looping", "While", DisplayNameZh = "当…循环", IsContainer = true)]
[Input("condition", typeof(bool), UiHint = "code")]
public sealed class While(ActivityNode node, ActivityBuildContext build) : LoopActivity(node, build)
{
    private readonly Input? _condition = build.Input(node, "condition");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.State = new LoopState();
        return IterateAsync(context);
    }

    /// <inheritdoc />
    protected internal override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child) => IterateAsync(context);

    private ValueTask IterateAsync(ActivityExecutionContext context)
    {
        var state = context.GetState<LoopState>();
        if (state.Breaking || Body is null || !context.Get(_condition, false)) return context.CompleteAsync();
        state.Index++;
        context.Schedule(Body);
        return ValueTask.CompletedTask;
    }
}
