namespace GovFlow.Workflows.Activities;

/// <summary>Join behaviour of a structured fork.</summary>
public enum ForkJoinMode
{
    /// <summary>Complete when every branch completed.</summary>
    WaitAll,
    /// <summary>Complete on the first branch; cancel the rest.</summary>
    WaitAny
}
