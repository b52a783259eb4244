using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>One structured entry emitted by Elsa's ProcessLogActivity, enriched with where it came from.</summary>
/// <param name="Message">The message.</param>
/// <param name="Level">Trace, Debug, Information, Warning, Error or Critical.</param>
/// <param name="TargetSinks">Logical sink names (default <c>process</c>).</param>
/// <param name="Attributes">Extra key/value pairs.</param>
/// <param name="EventId">Optional event id.</param>
/// <param name="Category">Category (default <c>Process</c>).</param>
/// <param name="Timestamp">When, by the run's clock.</param>
/// <param name="WorkflowInstanceId">The instance.</param>
/// <param name="WorkflowName">The definition's name.</param>
/// <param name="ActivityId">The emitting activity.</param>
/// <param name="ActivityName">Its name.</param>
/// <param name="CorrelationId">The instance's correlation id.</param>
public sealed record ProcessLogEntry(string Message, string Level, IReadOnlyList<string> TargetSinks, IReadOnlyDictionary<string, object?> Attributes, int? EventId,
    string Category, DateTimeOffset Timestamp, string WorkflowInstanceId, string? WorkflowName, string ActivityId, string? ActivityName, string? CorrelationId);

/// <summary>Where ProcessLogActivity entries go; the host (or a test) provides it. Without one, entries are dropped, as Elsa drops them with no sink configured.</summary>
public interface IProcessLogSink
{
    /// <summary>Receives an entry; a sink that fails must not fail the workflow.</summary>
    void Write(ProcessLogEntry entry);
}

/// <summary>Elsa's ProcessLogActivity: emits a structured log entry to the configured sinks and completes; a failing sink never faults the workflow.</summary>
[Activity("Elsa.ProcessLogActivity", "Logging", "Process Log", DisplayNameZh = "流程日志")]
[Input("message", typeof(string))]
[Input("level", typeof(string), UiHint = "dropdown", Options = ["Trace", "Debug", "Information", "Warning", "Error", "Critical"], DefaultValue = "Information")]
[Input("targetSinks", typeof(List<string>))]
[Input("attributes", typeof(Dictionary<string, object>), UiHint = "json")]
[Input("eventId", typeof(int))]
[Input("category", typeof(string))]
public sealed class ProcessLog(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _message = build.Input(node, "message");
    private readonly Input? _level = build.Input(node, "level");
    private readonly Input? _sinks = build.Input(node, "targetSinks");
    private readonly Input? _attributes = build.Input(node, "attributes");
    private readonly Input? _eventId = build.Input(node, "eventId");
    private readonly Input? _category = build.Input(node, "category");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var workflow = context.Workflow;
        var entry = new ProcessLogEntry(
            context.Evaluate(_message) as string ?? "",
            context.Evaluate(_level) as string is { Length: > 0 } level ? level : "Information",
            context.Evaluate(_sinks) as List<string> is { Count: > 0 } sinks ? sinks : ["process"],
            context.Evaluate(_attributes) as Dictionary<string, object?> ?? [],
            _eventId is null ? null : context.Evaluate(_eventId) as int?,
            context.Evaluate(_category) as string is { Length: > 0 } category ? category : "Process",
            workflow.Now, workflow.InstanceId, workflow.Workflow.Definition.Name, Id, Name, workflow.CorrelationId);
        if (workflow.Services.GetService(typeof(IProcessLogSink)) is IProcessLogSink sink)
        {
            // Elsa emits fire-and-forget and only logs a sink's failure: logging must not change the case.
            try { sink.Write(entry); }
            catch (Exception ex) when (ex is not OutOfMemoryException) { context.Journal("ProcessLogFailed", null, ex.Message); }
        }
        return context.CompleteAsync();
    }
}
