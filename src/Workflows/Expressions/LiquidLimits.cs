namespace GovFlow.Workflows.Expressions;

/// <summary>
/// The sandbox every Liquid template renders in (the host binds it from <c>GovFlow:Expressions:Liquid</c>). A template
/// that goes past a limit faults its activity with the limit named, instead of holding a worker or filling memory.
/// </summary>
public sealed class LiquidLimits
{
    /// <summary>Longest a single rendering may take, in milliseconds (default 1,000).</summary>
    public int TimeoutMilliseconds { get; set; } = 1_000;

    /// <summary>Most characters a single rendering may produce (default 100,000).</summary>
    public int MaxOutputCharacters { get; set; } = 100_000;

    /// <summary>Most statements (loop iterations included) a single rendering may execute (default 100,000).</summary>
    public int MaxSteps { get; set; } = 100_000;

    /// <summary>Deepest nesting a template may reach (default 64).</summary>
    public int MaxRecursion { get; set; } = 64;

    /// <summary>The defaults.</summary>
    public static LiquidLimits Default { get; } = new();
}
