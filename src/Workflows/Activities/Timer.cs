using System.Text.Json.Nodes;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Fires every interval; as a workflow's trigger it starts new instances, inside a flow it waits one interval.</summary>
[Activity("Elsa.Timer", "Scheduling", "Timer", DisplayNameZh = "定时器", IsTrigger = true)]
[Input("interval", typeof(TimeSpan), DefaultValue = "00:01:00")]
public sealed class Timer(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _interval = build.Input(node, "interval");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (context.Workflow.TriggerActivityId == Id) return context.CompleteAsync();
        var interval = context.Get(_interval, TimeSpan.FromMinutes(1));
        var due = context.Workflow.Now + interval;
        context.CreateBookmark("Elsa.Timer", new JsonObject { ["resumeAt"] = due.ToString("O"), ["interval"] = interval.ToString("c") }, due);
        return ValueTask.CompletedTask;
    }
}
