namespace GovFlow.Workflows.Expressions;

/// <summary>
/// What one JavaScript evaluation may use before it is stopped: a definition is data from outside, so its
/// scripts must not be able to pin a worker thread, exhaust memory or overflow the stack of the host.
/// Exceeding a limit faults the activity with <see cref="ScriptLimitException"/>.
/// </summary>
public sealed record ScriptLimits
{
    /// <summary>The defaults (200 ms, 100,000 statements, 4 MB, recursion depth 200).</summary>
    public static ScriptLimits Default { get; } = new();

    /// <summary>Wall-clock time one evaluation may take.</summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Statements one evaluation may execute.</summary>
    public int MaxStatements { get; init; } = 100_000;

    /// <summary>Bytes one evaluation may allocate on its thread (garbage included, as the engine counts them).</summary>
    public long MemoryLimitBytes { get; init; } = 4L * 1024 * 1024;

    /// <summary>How deep script functions may call each other.</summary>
    public int MaxRecursionDepth { get; init; } = 200;
}

/// <summary>A script ran into one of its limits; the message (Chinese and English) names the limit.</summary>
public sealed class ScriptLimitException(string message, Exception? inner = null) : InvalidOperationException(message, inner);
