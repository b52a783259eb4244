namespace GovFlow.Activities.Cases;

/// <summary>并联审批: the lead department, the members asked, their decisions and the outcome.</summary>
public sealed class ParallelRecord
{
    /// <summary>牵头部门.</summary>
    public string? Lead { get; set; }
    /// <summary>The member departments asked.</summary>
    public IReadOnlyList<string> Members { get; set; } = [];
    /// <summary>When the members must answer.</summary>
    public DateTimeOffset DueAt { get; set; }
    /// <summary>When they were asked.</summary>
    public DateTimeOffset StartedAt { get; set; }
    /// <summary>Whether silence past the due time counts as agreement (逾期视为同意).</summary>
    public bool DeemedAgreeOnTimeout { get; set; }
    /// <summary>The answers so far.</summary>
    public List<ParallelDecision> Decisions { get; set; } = [];
    /// <summary>AllApproved, PartiallyApproved or Rejected, once every member answered.</summary>
    public string? Outcome { get; set; }
}

/// <summary>One member department's answer.</summary>
public sealed class ParallelDecision
{
    /// <summary>The department.</summary>
    public string? Department { get; set; }
    /// <summary>agree, agreePending or disagree.</summary>
    public string? Decision { get; set; }
    /// <summary>Its reasons.</summary>
    public string? Reasons { get; set; }
    /// <summary>Who answered (none when deemed).</summary>
    public string? By { get; set; }
    /// <summary>When.</summary>
    public DateTimeOffset At { get; set; }
    /// <summary>Whether the answer was deemed from silence.</summary>
    public bool Deemed { get; set; }
}
