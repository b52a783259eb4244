using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Elsa's Parallel: schedules every activity of <c>activities</c> at once and completes when all of them completed.</summary>
[Activity("Elsa.Parallel", "Control Flow", "Parallel", DisplayNameZh = "并行执行", IsContainer = true)]
public sealed class Parallel : Activity
{
    private readonly IReadOnlyList<Activity> _activities;

    /// <summary>Compiles the activities.</summary>
    public Parallel(ActivityNode node, ActivityBuildContext build) : base(node, build) =>
        _activities = build.CompileAll(node.Children("activities"), this);

    /// <inheritdoc />
    public override IEnumerable<Activity> Children => _activities;

    /// <inheritdoc />
    public override Type? StateType => typeof(LoopState);

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (_activities.Count == 0) return context.CompleteAsync();
        context.State = new LoopState { Scheduled = _activities.Count };
        foreach (var a in _activities) context.Schedule(a);
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
