using System.Text.Json.Nodes;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Loop and sequence bookkeeping.</summary>
public sealed class LoopState
{
    /// <summary>Index of the current child or item.</summary>
    public int Index;

    /// <summary>How many children completed (Fork, ParallelForEach).</summary>
    public int Completed;

    /// <summary>How many children were scheduled (ParallelForEach).</summary>
    public int Scheduled;

    /// <summary>Whether a Break was received.</summary>
    public bool Breaking;

    /// <summary>The items being iterated (ForEach), as JSON for persistence.</summary>
    public JsonNode? Items;
}

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

/// <summary>Runs its body (typically a nested flowchart) and completes with Done.</summary>
[Activity("Elsa.FlowNode", "Flow", "Flow Node", DisplayNameZh = "子流程节点", IsContainer = true)]
public sealed class FlowNode(ActivityNode node, ActivityBuildContext build) : BodyActivity(node, build)
{
    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (Body is null) return context.CompleteAsync();
        context.Schedule(Body);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Join behaviour of a structured fork.</summary>
public enum ForkJoinMode
{
    /// <summary>Complete when every branch completed.</summary>
    WaitAll,
    /// <summary>Complete on the first branch; cancel the rest.</summary>
    WaitAny
}

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
    protected internal override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child)
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

/// <summary>Runs Then or Else.</summary>
[Activity("Elsa.If", "Control Flow", "If", DisplayNameZh = "条件", IsContainer = true)]
[Input("condition", typeof(bool), UiHint = "code")]
[Output("result", typeof(bool))]
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

/// <summary>Runs its body once per item, one after another, with CurrentValue and CurrentIndex in scope.</summary>
[Activity("Elsa.ForEach", "Looping", "For Each", DisplayNameZh = "逐项循环", IsContainer = true)]
[Input("items", typeof(List<object>))]
[Output("currentValue", typeof(object))]
public sealed class ForEach(ActivityNode node, ActivityBuildContext build) : LoopActivity(node, build)
{
    private readonly Input? _items = build.Input(node, "items");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var items = context.Evaluate(_items) as List<object?> ?? [];
        context.State = new LoopState { Items = Values.ToJson(items), Index = -1 };
        return NextAsync(context);
    }

    /// <inheritdoc />
    protected internal override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child) => NextAsync(context);

    private ValueTask NextAsync(ActivityExecutionContext context)
    {
        var state = context.GetState<LoopState>();
        var items = state.Items as JsonArray ?? [];
        state.Index++;
        if (state.Breaking || state.Index >= items.Count || Body is null) return context.CompleteAsync();
        var value = Values.FromJson(items[state.Index]);
        context.SetOutput("currentValue", value);
        context.Schedule(Body, null, LoopVariables.For(value, state.Index));
        return ValueTask.CompletedTask;
    }
}

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

/// <summary>Leaves the nearest loop.</summary>
[Activity("Elsa.Break", "Looping", "Break", DisplayNameZh = "跳出循环", Outcomes = [])]
public sealed class Break(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    /// <inheritdoc />
    public override bool IsTerminal => true;

    /// <inheritdoc />
    protected internal override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        await context.SendSignalAsync(new BreakSignal());
        await context.CompleteAsync();
    }
}

/// <summary>A container with one optional <c>body</c>.</summary>
public abstract class BodyActivity : Activity
{
    /// <summary>Compiles the body.</summary>
    protected BodyActivity(ActivityNode node, ActivityBuildContext build) : base(node, build) =>
        Body = node.Child("body") is { } b ? build.Compile(b, this) : null;

    /// <summary>The body, if any.</summary>
    protected Activity? Body { get; }

    /// <inheritdoc />
    public override IEnumerable<Activity> Children => Body is null ? [] : [Body];

    /// <inheritdoc />
    public override Type? StateType => typeof(LoopState);
}

/// <summary>A loop over its body: a Break inside it ends the loop after the current iteration and goes no further.</summary>
public abstract class LoopActivity(ActivityNode node, ActivityBuildContext build) : BodyActivity(node, build)
{
    /// <inheritdoc />
    protected internal override ValueTask<bool> OnSignalAsync(ActivityExecutionContext context, ActivitySignal signal, ActivityExecutionContext sender)
    {
        if (signal is not BreakSignal) return new(false);
        context.GetState<LoopState>().Breaking = true;
        return new(true);
    }
}

/// <summary>The loop-scoped variables Elsa declares on each iteration's body.</summary>
internal static class LoopVariables
{
    public static IReadOnlyList<VariableSlot> For(object? value, int index) =>
    [
        new VariableSlot("CurrentValue", "CurrentValue", "Object", false, value),
        new VariableSlot("CurrentIndex", "CurrentIndex", "Int32", false, index)
    ];
}
