namespace GovFlow.Workflows.Runtime;

/// <summary>Elsa's main workflow status.</summary>
public enum WorkflowStatus
{
    /// <summary>Not finished yet (pending, executing or suspended).</summary>
    Running,
    /// <summary>Finished, faulted or cancelled.</summary>
    Finished
}

/// <summary>Elsa's workflow sub-status.</summary>
public enum WorkflowSubStatus
{
    /// <summary>Created, not started.</summary>
    Pending,
    /// <summary>Executing now.</summary>
    Executing,
    /// <summary>Waiting on bookmarks.</summary>
    Suspended,
    /// <summary>Completed normally.</summary>
    Finished,
    /// <summary>Cancelled.</summary>
    Cancelled,
    /// <summary>An activity faulted.</summary>
    Faulted
}

/// <summary>Status of one activity execution.</summary>
public enum ActivityStatus
{
    /// <summary>Running (or waiting on a bookmark).</summary>
    Running,
    /// <summary>Completed with outcomes.</summary>
    Completed,
    /// <summary>Cancelled by a join, a terminal node or its container.</summary>
    Canceled,
    /// <summary>Threw an exception.</summary>
    Faulted
}

/// <summary>How flowcharts decide when to run an activity with several inbound connections.</summary>
public enum FlowchartMode
{
    /// <summary>Elsa's default: counts visited and followed inbound connections (implicit join = wait for all active).</summary>
    CounterBased,
    /// <summary>Elsa's opt-in token flow with per-activity merge modes.</summary>
    TokenBased
}
