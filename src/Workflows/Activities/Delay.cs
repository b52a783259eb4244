using System.Text.Json.Nodes;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Waits for a time span: a bookmark due at now + span, which the host's scheduler resumes.</summary>
[Activity("Elsa.Delay", "Scheduling", "Delay", DisplayNameZh = "延时")]
[Input("timeSpan", typeof(TimeSpan), DefaultValue = "00:01:00")]
public sealed class Delay(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _timeSpan = build.Input(node, "timeSpan");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var span = context.Get(_timeSpan, TimeSpan.FromMinutes(1));
        if (span <= TimeSpan.Zero) return context.CompleteAsync();
        var due = context.Workflow.Now + span;
        context.CreateBookmark("Elsa.Delay", new JsonObject { ["resumeAt"] = due.ToString("O") }, due);
        return ValueTask.CompletedTask;
    }
}
