namespace GovFlow.Workflows.Activities;

/// <summary>How an explicit join decides to run.</summary>
public enum FlowJoinMode
{
    /// <summary>Run on the first followed inbound connection; cancel the other branches.</summary>
    WaitAny,
    /// <summary>Run when every inbound connection was followed.</summary>
    WaitAll,
    /// <summary>Run when every inbound connection was visited and at least one followed.</summary>
    WaitAllActive
}
