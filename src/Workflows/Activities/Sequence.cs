using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Runs its activities one after another.</summary>
[Activity("Elsa.Sequence", "Flow", "Sequence", DisplayNameZh = "顺序", IsContainer = true)]
public sealed class Sequence : Activity
{
    private readonly IReadOnlyList<Activity> _activities;

    /// <summary>Compiles the children.</summary>
    public Sequence(ActivityNode node, ActivityBuildContext build) : base(node, build) =>
        _activities = build.CompileAll(node.Children("activities"), this);

    /// <inheritdoc />
    public override IEnumerable<Activity> Children => _activities;

    /// <inheritdoc />
    public override Type? StateType => typeof(LoopState);

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (_activities.Count == 0) return context.CompleteAsync();
        context.State = new LoopState();
        context.Schedule(_activities[0]);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected internal override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child)
    {
        var state = context.GetState<LoopState>();
        if (child.Activity.IsTerminal || state.Breaking) return context.CompleteAsync();
        state.Index++;
        if (state.Index >= _activities.Count) return context.CompleteAsync();
        context.Schedule(_activities[state.Index]);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected internal override ValueTask<bool> OnSignalAsync(ActivityExecutionContext context, ActivitySignal signal, ActivityExecutionContext sender)
    {
        if (signal is BreakSignal) context.GetState<LoopState>().Breaking = true;
        return new(false);
    }
}
