namespace GovFlow.Activities.Cases;

/// <summary>A handling step (GB/T 39046 办理过程): who did what at which step, with the opinion and the times.</summary>
public sealed class CaseStep
{
    /// <summary>Step name (受理, 初审, 并联审批, 办结...).</summary>
    public string Step { get; set; } = "";
    /// <summary>What was done: pass, reject, return, transfer, requestCorrection, accept, notAccepted, or a parallel outcome.</summary>
    public string Action { get; set; } = "";
    /// <summary>The handler (user name, "system" or "EMS").</summary>
    public string? Handler { get; set; }
    /// <summary>办理意见.</summary>
    public string? Opinion { get; set; }
    /// <summary>When the step opened.</summary>
    public DateTimeOffset Start { get; set; }
    /// <summary>When it was done.</summary>
    public DateTimeOffset End { get; set; }
    /// <summary>The department that handled it.</summary>
    public string? Department { get; set; }
    /// <summary>The earlier step a case was returned to.</summary>
    public string? ReturnTo { get; set; }
    /// <summary>The handler a task was transferred to.</summary>
    public string? Assignee { get; set; }
    /// <summary>Materials asked for (补正).</summary>
    public IReadOnlyList<string>? Materials { get; set; }
}

/// <summary>A material handed in after acceptance, answering a correction or a tolerance.</summary>
public sealed class MaterialSupplied
{
    /// <summary>Material name.</summary>
    public string Material { get; set; } = "";
    /// <summary>When.</summary>
    public DateTimeOffset At { get; set; }
    /// <summary>Who recorded it.</summary>
    public string? By { get; set; }
}

/// <summary>补正告知: materials the applicant was told to correct or supply, all at once (一次性告知).</summary>
public sealed class CorrectionNotice
{
    /// <summary>The materials.</summary>
    public IReadOnlyList<string> Materials { get; set; } = [];
    /// <summary>When the applicant was told.</summary>
    public DateTimeOffset NotifiedAt { get; set; }
    /// <summary>Who asked.</summary>
    public string? By { get; set; }
    /// <summary>The step that asked (none at the window).</summary>
    public string? Step { get; set; }
}

/// <summary>延期: the decision limit extended by a named approver (《行政许可法》第四十二条).</summary>
public sealed class Extension
{
    /// <summary>Working days added.</summary>
    public int Days { get; set; }
    /// <summary>Who approved it (the organ's head).</summary>
    public string Approver { get; set; } = "";
    /// <summary>Why.</summary>
    public string Reason { get; set; } = "";
    /// <summary>Legal basis.</summary>
    public string LegalBasis { get; set; } = "";
    /// <summary>The step it was asked in.</summary>
    public string? Step { get; set; }
    /// <summary>Who entered it.</summary>
    public string? By { get; set; }
    /// <summary>When.</summary>
    public DateTimeOffset At { get; set; }
}

/// <summary>A written notice to the applicant about the clock (延期告知, 特别程序告知).</summary>
public sealed class ApplicantNotice
{
    /// <summary>What it is about: 延期, 特别程序开始, 特别程序结束.</summary>
    public string Kind { get; set; } = "";
    /// <summary>The notice's text.</summary>
    public string Text { get; set; } = "";
    /// <summary>When.</summary>
    public DateTimeOffset At { get; set; }
    /// <summary>Who issued it.</summary>
    public string? By { get; set; }
}

/// <summary>An SMS notice to the applicant, or why it could not be sent.</summary>
public sealed class NoticeSent
{
    /// <summary>The number.</summary>
    public string? Phone { get; set; }
    /// <summary>The text.</summary>
    public string Message { get; set; } = "";
    /// <summary>When.</summary>
    public DateTimeOffset At { get; set; }
    /// <summary>Why it was not sent, when it was not.</summary>
    public string? Error { get; set; }
}
