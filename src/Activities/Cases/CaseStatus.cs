namespace GovFlow.Activities.Cases;

/// <summary>Case status names (办件状态).</summary>
public static class CaseStatus
{
    /// <summary>已接件.</summary>
    public const string Received = "Received";
    /// <summary>窗口受理.</summary>
    public const string Accepted = "Accepted";
    /// <summary>审查中.</summary>
    public const string InReview = "InReview";
    /// <summary>补正中.</summary>
    public const string Correction = "Correction";
    /// <summary>中止.</summary>
    public const string Suspended = "Suspended";
    /// <summary>办结（通过）.</summary>
    public const string Completed = "Completed";
    /// <summary>容缺通过.</summary>
    public const string CompletedWithTolerance = "CompletedWithTolerance";
    /// <summary>不予许可.</summary>
    public const string Refused = "Refused";
    /// <summary>不予受理.</summary>
    public const string NotAccepted = "NotAccepted";
    /// <summary>撤件.</summary>
    public const string Withdrawn = "Withdrawn";

    private static readonly HashSet<string> Final = [Completed, CompletedWithTolerance, Refused, NotAccepted, Withdrawn];
    private static readonly HashSet<string> BeforeAcceptance = [Received, Correction];

    /// <summary>Whether a case in this status is decided: nothing moves it any more.</summary>
    public static bool IsFinal(string status) => Final.Contains(status);

    /// <summary>
    /// Why a case cannot move from <paramref name="from"/> to <paramref name="to"/>, or null when it can: a decided
    /// case stays decided, nothing goes back to 已接件, and acceptance (受理 or 不予受理) happens only before review.
    /// </summary>
    public static string? Refusal(string from, string to) =>
        from == to ? null
        : IsFinal(from) ? $"办件已是最终状态“{from}”，不能再变为“{to}”"
        : to == Received ? $"办件不能从“{from}”退回到已接件"
        : to is Accepted or NotAccepted && !BeforeAcceptance.Contains(from) ? $"办件在“{from}”时不能再作受理决定（{to}）"
        : null;
}
