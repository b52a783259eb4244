using System.Text.Json.Nodes;

namespace GovFlow.Workflows.Runtime;

/// <summary>
/// A point where a workflow waits for the outside world (a timer, an event, a person, a child workflow).
/// The host stores it, schedules <see cref="DueAt"/> when set, and resumes it with input.
/// </summary>
public sealed class Bookmark
{
    /// <summary>Unique id.</summary>
    public string Id { get; set; } = "";

    /// <summary>Stimulus name, e.g. <c>Elsa.Delay</c>, <c>Elsa.Event</c>, <c>GovFlow.ReviewTask</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>Id of the activity that waits.</summary>
    public string ActivityId { get; set; } = "";

    /// <summary>Runtime node id of the activity that waits.</summary>
    public string ActivityNodeId { get; set; } = "";

    /// <summary>Activity type name.</summary>
    public string ActivityType { get; set; } = "";

    /// <summary>Id of the activity execution that waits.</summary>
    public string ActivityInstanceId { get; set; } = "";

    /// <summary>Data that identifies what is awaited (event name, task id, resume time, ...).</summary>
    public JsonObject? Payload { get; set; }

    /// <summary>When set, the host resumes the bookmark at this time (timers, delays, time limits).</summary>
    public DateTimeOffset? DueAt { get; set; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A fault recorded on the instance instead of being thrown at the caller.</summary>
public sealed class Incident
{
    /// <summary>Activity id.</summary>
    public string ActivityId { get; set; } = "";

    /// <summary>Runtime node id.</summary>
    public string ActivityNodeId { get; set; } = "";

    /// <summary>Activity type name.</summary>
    public string ActivityType { get; set; } = "";

    /// <summary>What went wrong.</summary>
    public string Message { get; set; } = "";

    /// <summary>Exception type name.</summary>
    public string ExceptionType { get; set; } = "";

    /// <summary>Fault code (from the Fault activity), if any.</summary>
    public string? Code { get; set; }

    /// <summary>When it happened.</summary>
    public DateTimeOffset Timestamp { get; set; }
}
