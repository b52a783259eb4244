using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Runs its body once per item, all at once; completes when every body completed.</summary>
[Activity("Elsa.ParallelForEach", "Looping", "Parallel For Each", DisplayNameZh = "并行逐项", IsContainer = true)]
[Input("items", typeof(List<object>))]
public sealed class ParallelForEach(ActivityNode node, ActivityBuildContext build) : BodyActivity(node, build)
{
    private readonly Input? _items = build.Input(node, "items");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var items = context.Evaluate(_items) as List<object?> ?? [];
        if (items.Count == 0 || Body is null) return context.CompleteAsync();
        context.State = new LoopState { Scheduled = items.Count };
        for (var i = 0; i < items.Count; i++) context.Schedule(Body, null, LoopVariables.For(items[i], i));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected internal override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child)
    {
        var state = context.GetState<LoopState>();
        state.Completed++;
        return state.Completed >= state.Scheduled ? context.CompleteAsync() : ValueTask.CompletedTask;
    }
}
