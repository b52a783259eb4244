namespace GovFlow.Workflows.Serialization;

/// <summary>
/// What a definition file may be: its size, its number of activities and how deeply its JSON nests. A definition
/// beyond them is refused before anything is built from it, so an import cannot exhaust the host's memory or
/// stack, and no step of a case can walk an unbounded tree.
/// </summary>
public sealed record DefinitionLimits
{
    /// <summary>The limits the reader applies when it is given none.</summary>
    public static DefinitionLimits Default { get; } = new();

    /// <summary>Largest definition, in bytes of UTF-8 JSON (default 2 MB).</summary>
    public int MaxBytes { get; init; } = 2 * 1024 * 1024;

    /// <summary>Most activities, nested ones included (default 2,000).</summary>
    public int MaxActivities { get; init; } = 2_000;

    /// <summary>Deepest nesting of JSON objects and arrays, the document itself being level 1 (default 64).</summary>
    public int MaxDepth { get; init; } = 64;
}

/// <summary>A definition beyond one of its <see cref="DefinitionLimits"/>.</summary>
public sealed class DefinitionLimitExceededException(string source, string limit, long value, string message)
    : WorkflowFormatException(source, "$", message)
{
    /// <summary>The limit's name: <c>MaxBytes</c>, <c>MaxActivities</c> or <c>MaxDepth</c>.</summary>
    public string Limit { get; } = limit;

    /// <summary>The limit's value.</summary>
    public long Value { get; } = value;

    internal static DefinitionLimitExceededException Size(string source, long actual, int limit) =>
        new(source, nameof(DefinitionLimits.MaxBytes), limit, $"流程定义有 {actual} 字节，超过上限 {limit} 字节 (definition larger than {limit} bytes)");

    internal static DefinitionLimitExceededException Activities(string source, int limit) =>
        new(source, nameof(DefinitionLimits.MaxActivities), limit, $"流程定义的活动超过上限 {limit} 个 (more than {limit} activities)");

    internal static DefinitionLimitExceededException Depth(string source, int limit) =>
        new(source, nameof(DefinitionLimits.MaxDepth), limit, $"流程定义嵌套超过上限 {limit} 层 (JSON nested deeper than {limit} levels)");
}
