using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>
/// Elsa's PublishEvent with <c>isLocalEvent</c>: delivers the event to this instance's Event activities waiting for
/// <c>eventName</c> (and, when a <c>correlationId</c> is given, only if it is this instance's), with <c>payload</c> as
/// their result, after the current burst as Elsa's asynchronous delivery does; then completes. Delivery to other
/// instances and Event triggers needs a cross-instance event bus GovFlow does not have, so a non-local event faults
/// with that reason rather than reaching nobody silently. <c>asynchronous</c> is accepted as written; delivery is
/// always after the burst (Elsa's synchronous delivery cannot reach the instance that is still running either).
/// </summary>
[Activity("Elsa.PublishEvent", "Primitives", "Publish Event", DisplayNameZh = "发布事件")]
[Input("eventName", typeof(string), Required = true)]
[Input("correlationId", typeof(string))]
[Input("isLocalEvent", typeof(bool))]
[Input("asynchronous", typeof(bool), DefaultValue = "true")]
[Input("payload", typeof(object))]
public sealed class PublishEvent(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _name = build.Input(node, "eventName");
    private readonly Input? _correlationId = build.Input(node, "correlationId");
    private readonly Input? _local = build.Input(node, "isLocalEvent");
    private readonly Input? _payload = build.Input(node, "payload");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var name = context.Evaluate(_name) as string ?? throw new InvalidOperationException("PublishEvent needs an event name.");
        if (!context.Get(_local, false))
            throw new InvalidOperationException($"事件“{name}”未发布：本系统只支持发布给本流程实例的本地事件（isLocalEvent），不支持跨实例事件。");
        var correlationId = context.Evaluate(_correlationId) as string;
        var payload = context.Evaluate(_payload);
        var workflow = context.Workflow;
        workflow.AfterBurst(async () =>
        {
            if (!string.IsNullOrEmpty(correlationId) && correlationId != workflow.CorrelationId) return;
            foreach (var bookmark in workflow.Bookmarks.Where(b => b.Name == "Elsa.Event" && b.Payload?["eventName"]?.GetValue<string>() == name).ToList())
                await workflow.ResumeWithinAsync(bookmark, payload);
        });
        return context.CompleteAsync();
    }
}
