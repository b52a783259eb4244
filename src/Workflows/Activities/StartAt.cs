using System.Text.Json.Nodes;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Waits until a moment (completes at once when it has passed).</summary>
[Activity("Elsa.StartAt", "Scheduling", "Start At", DisplayNameZh = "定时开始", IsTrigger = true)]
[Input("dateTime", typeof(DateTimeOffset))]
public sealed class StartAt(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _at = build.Input(node, "dateTime");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (context.Workflow.TriggerActivityId == Id) return context.CompleteAsync();
        var at = context.Get(_at, context.Workflow.Now);
        if (at <= context.Workflow.Now) return context.CompleteAsync();
        context.CreateBookmark("Elsa.StartAt", new JsonObject { ["executeAt"] = at.ToString("O") }, at);
        return ValueTask.CompletedTask;
    }
}
