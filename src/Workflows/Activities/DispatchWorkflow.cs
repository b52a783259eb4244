using System.Text.Json.Nodes;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>
/// Elsa's DispatchWorkflow: starts a new instance of the published version of another definition, with the input
/// and <c>ParentInstanceId</c>. Without <c>waitForCompletion</c> it completes at once with no result; with it, it
/// completes when the child finishes, its <c>result</c> being the child's output. Elsa queues the child to run after
/// this step; GovFlow runs it within the step (as ExecuteWorkflow), so a child that does not wait finishes first.
/// </summary>
[Activity("Elsa.DispatchWorkflow", "Composition", "Dispatch Workflow", DisplayNameZh = "派发子流程")]
[Input("workflowDefinitionId", typeof(string), Required = true, UiHint = "workflow-definition-picker")]
[Input("input", typeof(Dictionary<string, object>), UiHint = "json")]
[Input("correlationId", typeof(string))]
[Input("waitForCompletion", typeof(bool))]
[Output("result", typeof(object))]
public sealed class DispatchWorkflow(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _definitionId = build.Input(node, "workflowDefinitionId");
    private readonly Input? _input = build.Input(node, "input");
    private readonly Input? _correlationId = build.Input(node, "correlationId");
    private readonly Input? _wait = build.Input(node, "waitForCompletion");

    /// <inheritdoc />
    protected internal override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var definitionId = context.Evaluate(_definitionId) as string ?? throw new InvalidOperationException("DispatchWorkflow needs a workflow definition id.");
        var wait = context.Get(_wait, false);
        var input = new Dictionary<string, object?>(context.Evaluate(_input) as Dictionary<string, object?> ?? [], StringComparer.OrdinalIgnoreCase)
        {
            ["ParentInstanceId"] = context.Workflow.InstanceId
        };
        var invoker = context.Workflow.GetRequiredService<IChildWorkflowInvoker>();
        var child = await invoker.InvokeAsync(new ChildWorkflowRequest(definitionId, input, context.Evaluate(_correlationId) as string, context.Workflow.InstanceId, wait));
        if (!wait)
        {
            await context.CompleteAsync();
            return;
        }
        if (child.Status == WorkflowStatus.Finished)
        {
            context.SetOutput("result", new Dictionary<string, object?>(child.Output));
            await context.CompleteAsync();
            return;
        }
        // The runtime resumes a parent waiting under ExecuteWorkflow's bookmark name when the child finishes.
        context.CreateBookmark(ExecuteWorkflow.BookmarkName, new JsonObject { ["childInstanceId"] = child.InstanceId });
    }

    /// <inheritdoc />
    protected internal override ValueTask ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, object? input)
    {
        context.SetOutput("result", input is ChildWorkflowResult r ? new Dictionary<string, object?>(r.Output) : input);
        return context.CompleteAsync();
    }
}
