using System.Text.Json.Nodes;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Waits for a named event; the event's payload becomes the result.</summary>
[Activity("Elsa.Event", "Primitives", "Event", DisplayNameZh = "等待事件", IsTrigger = true)]
[Input("eventName", typeof(string), Required = true)]
[Output("result", typeof(object))]
public sealed class Event(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _name = build.Input(node, "eventName");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (context.Workflow.TriggerActivityId == Id)
        {
            context.SetOutput("result", context.Workflow.GetInput("Event"));
            return context.CompleteAsync();
        }
        context.CreateBookmark("Elsa.Event", new JsonObject { ["eventName"] = context.Evaluate(_name) as string });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected internal override ValueTask ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, object? input)
    {
        context.SetOutput("result", input);
        return context.CompleteAsync();
    }
}
