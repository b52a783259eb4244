using System.Text.Json.Nodes;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Asks the host to run an external task and waits for its completion.</summary>
[Activity("Elsa.RunTask", "Composition", "Run Task", DisplayNameZh = "外部任务")]
[Input("taskName", typeof(string), Required = true)]
[Input("payload", typeof(object))]
[Output("taskId", typeof(string))]
[Output("result", typeof(object))]
public sealed class RunTask(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _name = build.Input(node, "taskName");
    private readonly Input? _payload = build.Input(node, "payload");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var taskId = Guid.NewGuid().ToString("N");
        var name = context.Evaluate(_name) as string ?? throw new InvalidOperationException("RunTask needs a task name.");
        context.SetOutput("taskId", taskId);
        context.CreateBookmark("Elsa.RunTask", new JsonObject { ["taskId"] = taskId, ["taskName"] = name, ["payload"] = Values.ToJson(context.Evaluate(_payload)) });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected internal override ValueTask ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, object? input)
    {
        context.SetOutput("result", input is IDictionary<string, object?> d && d.TryGetValue("RunTaskInput", out var r) ? r : input);
        return context.CompleteAsync();
    }
}
