using System.Collections;
using System.Text.Json.Nodes;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>
/// Elsa's BulkDispatchWorkflows: starts one instance of the published version of a definition per item of
/// <c>items</c>, each with the input plus <c>Item</c> and <c>ParentInstanceId</c>. Waiting for completion (the
/// default), it runs <c>childFinished</c> or <c>childFaulted</c> as each child ends, with the variable
/// <c>ChildInstanceId</c>, and completes with Finished and Done after the last; otherwise it completes at once with
/// Done. As in Elsa, an item whose child cannot be started is journaled and still counted. GovFlow runs the children
/// within the step; <c>correlationIdFunction</c> and <c>channelName</c> are not supported (a compile warning says so).
/// </summary>
[Activity("Elsa.BulkDispatchWorkflows", "Composition", "Bulk Dispatch Workflows", DisplayNameZh = "批量派发子流程", IsContainer = true,
    Outcomes = ["Finished", "Canceled", "Done"])]
[ChildPort("childFinished", "Child Finished")]
[ChildPort("childFaulted", "Child Faulted")]
[Input("workflowDefinitionId", typeof(string), Required = true, UiHint = "workflow-definition-picker")]
[Input("items", typeof(object))]
[Input("input", typeof(Dictionary<string, object>), UiHint = "json")]
[Input("waitForCompletion", typeof(bool), DefaultValue = "true")]
public sealed class BulkDispatchWorkflows : Activity
{
    private readonly Input? _definitionId;
    private readonly Input? _items;
    private readonly Input? _input;
    private readonly Input? _wait;
    private readonly Activity? _childFinished;
    private readonly Activity? _childFaulted;

    /// <summary>Compiles the inputs and the two ports.</summary>
    public BulkDispatchWorkflows(ActivityNode node, ActivityBuildContext build) : base(node, build)
    {
        _definitionId = build.Input(node, "workflowDefinitionId");
        _items = build.Input(node, "items");
        _input = build.Input(node, "input");
        _wait = build.Input(node, "waitForCompletion");
        _childFinished = node.Child("childFinished") is { } finished ? build.Compile(finished, this) : null;
        _childFaulted = node.Child("childFaulted") is { } faulted ? build.Compile(faulted, this) : null;
        foreach (var unsupported in new[] { "correlationIdFunction", "channelName" })
            if (node.Find(unsupported) is RawProperty { Value: not null })
                build.Problem($"{unsupported} is not supported by GovFlow and is ignored", isError: false, property: unsupported);
    }

    /// <inheritdoc />
    public override IEnumerable<Activity> Children => new[] { _childFinished, _childFaulted }.OfType<Activity>();

    /// <inheritdoc />
    public override Type? StateType => typeof(LoopState);

    /// <inheritdoc />
    protected internal override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var definitionId = context.Evaluate(_definitionId) as string ?? throw new InvalidOperationException("BulkDispatchWorkflows needs a workflow definition id.");
        var wait = context.Get(_wait, true);
        var extra = context.Evaluate(_input) as Dictionary<string, object?> ?? [];
        var invoker = context.Workflow.GetRequiredService<IChildWorkflowInvoker>();
        var state = new LoopState();
        context.State = state;
        var started = new List<ChildWorkflowResult>();
        foreach (var item in ItemsOf(context.Evaluate(_items)))
        {
            var input = new Dictionary<string, object?>(extra, StringComparer.OrdinalIgnoreCase)
            {
                ["ParentInstanceId"] = context.Workflow.InstanceId,
                ["Item"] = item
            };
            try { started.Add(await invoker.InvokeAsync(new ChildWorkflowRequest(definitionId, input, null, context.Workflow.InstanceId, wait))); }
            catch (Exception ex) when (ex is InvalidOperationException or BookmarkInputException)
            {
                context.Journal("DispatchFailed", new JsonObject { ["item"] = Values.ToJson(item) }, ex.Message);
            }
            state.Scheduled++;
        }
        if (!wait || state.Scheduled == 0)
        {
            await context.CompleteAsync();
            return;
        }
        foreach (var child in started)
        {
            if (child.Status == WorkflowStatus.Finished) await ChildEndedAsync(context, child);
            else context.CreateBookmark(ExecuteWorkflow.BookmarkName, new JsonObject { ["childInstanceId"] = child.InstanceId });
        }
    }

    /// <inheritdoc />
    protected internal override ValueTask ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, object? input) =>
        input is ChildWorkflowResult child ? ChildEndedAsync(context, child) : CheckFinishedAsync(context);

    /// <inheritdoc />
    protected internal override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child) => CheckFinishedAsync(context);

    private ValueTask ChildEndedAsync(ActivityExecutionContext context, ChildWorkflowResult child)
    {
        context.GetState<LoopState>().Completed++;
        var port = child.SubStatus == WorkflowSubStatus.Faulted ? _childFaulted : child.SubStatus == WorkflowSubStatus.Finished ? _childFinished : null;
        if (port is null) return CheckFinishedAsync(context);
        context.Schedule(port, null, [new VariableSlot("ChildInstanceId", "ChildInstanceId", "String", false, child.InstanceId)]);
        return ValueTask.CompletedTask;
    }

    // Children that end within the step schedule their ports together; the last port to finish completes the activity.
    private static ValueTask CheckFinishedAsync(ActivityExecutionContext context)
    {
        var state = context.GetState<LoopState>();
        return state.Completed >= state.Scheduled && !context.HasPendingWork() ? context.CompleteAsync(["Finished", "Done"]) : ValueTask.CompletedTask;
    }

    // Elsa's item source: a list is iterated, any other value is the single item.
    private static IEnumerable<object?> ItemsOf(object? value) => value switch
    {
        null => [],
        string s => [s],
        IDictionary => [value],
        IEnumerable e => e.Cast<object?>(),
        _ => [value]
    };
}
