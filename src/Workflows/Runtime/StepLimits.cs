namespace GovFlow.Workflows.Runtime;

/// <summary>
/// How much one step may do: a step is one start or resume, run until the workflow waits or ends. A flowchart cycle
/// without a bookmark, a <c>While(true)</c> or a zero delay in a loop never waits, so without a budget the step runs
/// for ever and its journal grows until the process dies; with one, the step faults and becomes an incident.
/// </summary>
public sealed record StepLimits
{
    /// <summary>The default budget of activity executions per step.</summary>
    public const int DefaultMaxActivityExecutions = 10_000;

    /// <summary>The limits used when a run names none.</summary>
    public static StepLimits Default { get; } = new();

    /// <summary>
    /// Activity executions one step may start (and work items it may have queued at once); the next one faults the
    /// workflow. Every execution journals at least its start and end, so this also bounds the step's journal.
    /// </summary>
    public int MaxActivityExecutions { get; init; } = DefaultMaxActivityExecutions;

    /// <summary>
    /// Journal records one step may append (the records stay in memory until the step is stored); an activity that
    /// journals much per execution meets this before the execution budget.
    /// </summary>
    public int MaxJournalRecords { get; init; } = 8 * DefaultMaxActivityExecutions;
}

/// <summary>A step went over one of its <see cref="StepLimits"/>; the workflow faults with this as its incident.</summary>
public sealed class StepLimitExceededException : Exception
{
    private StepLimitExceededException(string limit, int value, string message) : base(message)
    {
        Limit = limit;
        Value = value;
    }

    /// <summary>The limit's name (<c>MaxActivityExecutions</c>, <c>MaxJournalRecords</c>).</summary>
    public string Limit { get; }

    /// <summary>The limit's value.</summary>
    public int Value { get; }

    /// <summary>Too many activity executions in one step (a loop that never waits, or a step that keeps scheduling work).</summary>
    public static StepLimitExceededException Executions(int limit) => new(nameof(StepLimits.MaxActivityExecutions), limit,
        $"单步执行超过 {limit} 个活动 (more than {limit} activity executions in one step)");

    /// <summary>Too much work queued at once in one step.</summary>
    public static StepLimitExceededException Queued(int limit) => new(nameof(StepLimits.MaxActivityExecutions), limit,
        $"单步排队超过 {limit} 个活动 (more than {limit} activities queued in one step)");

    /// <summary>Too many journal records in one step.</summary>
    public static StepLimitExceededException JournalRecords(int limit) => new(nameof(StepLimits.MaxJournalRecords), limit,
        $"单步日志超过 {limit} 条 (more than {limit} journal records in one step)");
}
