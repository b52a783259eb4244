using System.Text.Json.Nodes;

namespace GovFlow.Workflows.Activities;

/// <summary>Loop and sequence bookkeeping.</summary>
public sealed class LoopState
{
    /// <summary>Index of the current child or item.</summary>
    public int Index;

    /// <summary>How many children completed (Fork, ParallelForEach).</summary>
    public int Completed;

    /// <summary>How many children were scheduled (ParallelForEach).</summary>
    public int Scheduled;

    /// <summary>Whether a Break was received.</summary>
    public bool Breaking;

    /// <summary>The items being iterated (ForEach), as JSON for persistence.</summary>
    public JsonNode? Items;
}
