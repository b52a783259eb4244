using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Runs all branches at once.</summary>
[Activity("Elsa.Fork", "Control Flow", "Fork", DisplayNameZh = "并行", IsContainer = true)]
[Input("joinMode", typeof(ForkJoinMode), UiHint = "dropdown", Options = ["WaitAll", "WaitAny"])]
public sealed class Fork : Activity
{
    private readonly IReadOnlyList<Activity> _branches;
    private readonly Input? _joinMode;

    /// <summary>Compiles the branches.</summary>
    public Fork(ActivityNode node, ActivityBuildContext build) : base(node, build)
    {
        _branches = build.CompileAll(node.Children("branches"), this);
        _joinMode = build.Input(node, "joinMode");
    }

    /// <inheritdoc />
    public override IEnumerable<Activity> Children => _branches;

    /// <inheritdoc />
    public override Type? StateType => typeof(LoopState);

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (_branches.Count == 0) return context.CompleteAsync();
        context.State = new LoopState();
        foreach (var b in _branches) context.Schedule(b);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected internal override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child) => BranchEnded(context);

    /// <summary>A cancelled branch is over too: a fork waiting for all would otherwise wait for it forever.</summary>
    protected internal override ValueTask OnChildCanceledAsync(ActivityExecutionContext context, ActivityExecutionContext child) => BranchEnded(context);

    private ValueTask BranchEnded(ActivityExecutionContext context)
    {
        var state = context.GetState<LoopState>();
        state.Completed++;
        if (context.Get(_joinMode, ForkJoinMode.WaitAll) == ForkJoinMode.WaitAny || state.Completed >= _branches.Count)
            return context.CompleteAsync();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected internal override async ValueTask<bool> OnSignalAsync(ActivityExecutionContext context, ActivitySignal signal, ActivityExecutionContext sender)
    {
        if (signal is not BreakSignal) return false;
        await context.CompleteAsync();
        return true;
    }
}
