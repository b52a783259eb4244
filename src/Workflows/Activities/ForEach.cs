using System.Text.Json.Nodes;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

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
