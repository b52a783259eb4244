using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>
/// Elsa's For: runs its body once for each number from <c>start</c> towards <c>end</c> by <c>step</c>, counting up
/// when end is at least start and down otherwise, with <c>end</c> itself included unless <c>outerBoundInclusive</c>
/// is false. Each number is written to the <c>currentValue</c> output before its iteration; a Break ends the loop.
/// </summary>
[Activity("Elsa.For", "Looping", "For", DisplayNameZh = "计数循环", IsContainer = true)]
[Input("start", typeof(int), DefaultValue = "0")]
[Input("end", typeof(int), DefaultValue = "0")]
[Input("step", typeof(int), DefaultValue = "1")]
[Input("outerBoundInclusive", typeof(bool), DefaultValue = "true")]
[Output("currentValue", typeof(object))]
public sealed class For(ActivityNode node, ActivityBuildContext build) : LoopActivity(node, build)
{
    private readonly Input? _start = build.Input(node, "start");
    private readonly Input? _end = build.Input(node, "end");
    private readonly Input? _step = build.Input(node, "step");
    private readonly Input? _inclusive = build.Input(node, "outerBoundInclusive");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (Body is null) return context.CompleteAsync();
        context.State = new LoopState { Scheduled = 0 };
        return IterateAsync(context);
    }

    /// <inheritdoc />
    protected internal override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child) => IterateAsync(context);

    private ValueTask IterateAsync(ActivityExecutionContext context)
    {
        var state = context.GetState<LoopState>();
        if (state.Breaking) return context.CompleteAsync();
        // Elsa re-reads start, end and step on every iteration, so a body that changes a variable they use moves the bounds.
        var start = context.Get(_start, 0);
        var end = context.Get(_end, 0);
        var step = context.Get(_step, 1);
        var inclusive = context.Get(_inclusive, true);
        var up = end >= start;
        var current = state.Scheduled == 0 ? start : up ? state.Index + step : state.Index - step;
        var go = up ? (inclusive ? current <= end : current < end) : (inclusive ? current >= end : current > end);
        if (!go) return context.CompleteAsync();
        state.Index = current;
        state.Scheduled++;
        context.SetOutput("currentValue", current);
        context.Schedule(Body!);
        return ValueTask.CompletedTask;
    }
}
