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

    /// <summary>The input key the task's result arrives under (Elsa's RunTask.InputKey).</summary>
    public const string InputKey = "RunTaskInput";

    /// <inheritdoc />
    protected internal override ValueTask ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, object? input)
    {
        // Elsa reads the result from the workflow input the resume merged in, and faults when the key is missing.
        object? result;
        if (input is IDictionary<string, object?> d && TryFind(d, out var fromResume)) result = fromResume;
        else if (TryFind(context.Workflow.Input, out var fromWorkflow)) result = fromWorkflow;
        else throw new KeyNotFoundException($"The given key '{InputKey}' was not present in the dictionary.");
        context.SetOutput("result", result);
        return context.CompleteAsync();
    }

    private static bool TryFind(IDictionary<string, object?> values, out object? value)
    {
        foreach (var (k, v) in values)
            if (string.Equals(k, InputKey, StringComparison.OrdinalIgnoreCase)) { value = v; return true; }
        value = null;
        return false;
    }
}
