using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Token-mode merge behaviour of an activity with several inbound connections (Elsa's MergeMode).</summary>
public enum MergeMode
{
    /// <summary>Not set: behaves as Stream.</summary>
    None,
    /// <summary>Runs once no upstream source still holds a token; dead branches do not block.</summary>
    Stream,
    /// <summary>Waits for a token on every forward inbound connection.</summary>
    Merge,
    /// <summary>Waits for a token on every inbound connection, loops included.</summary>
    Converge,
    /// <summary>Runs once per arriving token.</summary>
    Cascade,
    /// <summary>Runs on the first token; cancels the other inbound branches.</summary>
    Race
}

/// <summary>Per-execution state of a flowchart.</summary>
public sealed class FlowchartState
{
    /// <summary>Mode chosen when the flowchart started (kept so a resumed run behaves the same).</summary>
    public FlowchartMode Mode;

    /// <summary>Index of the start activity.</summary>
    public int Start;

    /// <summary>Counter mode: visits per activity.</summary>
    public int[]? ActivityVisits;

    /// <summary>Counter mode: visits per connection.</summary>
    public int[]? ConnectionVisits;

    /// <summary>Counter mode: whether each connection's latest visit followed it.</summary>
    public bool[]? LastFollowed;

    /// <summary>Token mode: tokens in flight.</summary>
    public List<FlowToken>? Tokens;
}

/// <summary>A token travelling along a connection (token mode).</summary>
public sealed class FlowToken
{
    /// <summary>Source activity index.</summary>
    public int From;

    /// <summary>Outcome (source port).</summary>
    public string Outcome = "";

    /// <summary>Target activity index.</summary>
    public int To;

    /// <summary>Whether the target consumed it.</summary>
    public bool Consumed;

    /// <summary>Whether it blocks a raced branch.</summary>
    public bool Blocked;
}
