namespace GovFlow.Host.Proactive;

/// <summary>The states of a proactive invitation, as policy staff and auditors filter them.</summary>
public static class InvitationStatuses
{
    /// <summary>Sent, not answered yet.</summary>
    public const string Invited = "invited";
    /// <summary>Answered “同意”: the application was created.</summary>
    public const string Agreed = "agreed";
    /// <summary>Answered with a refusal (“不同意”).</summary>
    public const string Declined = "declined";
    /// <summary>Not answered in time.</summary>
    public const string Expired = "expired";
    /// <summary>Answered “退订”: the resident is never contacted again.</summary>
    public const string OptedOut = "opted-out";

    /// <summary>Every status.</summary>
    public static readonly IReadOnlyList<string> All = [Invited, Agreed, Declined, Expired, OptedOut];
}

/// <summary>
/// 免申即享 invitation: one per matter and resident (a unique index keeps two sweeping nodes from inviting twice).
/// The ID number and phone are personal data, encrypted at rest; their blind indexes find them.
/// </summary>
public sealed class ProactiveInvitation
{
    /// <summary>Invitation id.</summary>
    public string Id { get; set; } = "";
    /// <summary>The matter's basic code.</summary>
    public string MatterCode { get; set; } = "";
    /// <summary>The matter's name when invited.</summary>
    public string MatterName { get; set; } = "";
    /// <summary>Blind index of the resident's ID number (unique with the matter).</summary>
    public string ResidentKey { get; set; } = "";
    /// <summary>The resident's ID number (encrypted at rest).</summary>
    public string ResidentIdNumber { get; set; } = "";
    /// <summary>The resident's name.</summary>
    public string ResidentName { get; set; } = "";
    /// <summary>The phone invited (encrypted at rest).</summary>
    public string Phone { get; set; } = "";
    /// <summary>Blind index of the phone, which finds the invitation a reply answers.</summary>
    public string PhoneIndex { get; set; } = "";
    /// <summary>The day the resident qualifies (reaches the age).</summary>
    public DateOnly QualifiesOn { get; set; }
    /// <summary>One of <see cref="InvitationStatuses"/>.</summary>
    public string Status { get; set; } = InvitationStatuses.Invited;
    /// <summary>When the invitation was recorded and its SMS staged.</summary>
    public DateTimeOffset InvitedAt { get; set; }
    /// <summary>Replies after this are too late.</summary>
    public DateTimeOffset ValidUntil { get; set; }
    /// <summary>The SMS text sent.</summary>
    public string Message { get; set; } = "";
    /// <summary>When the resident answered.</summary>
    public DateTimeOffset? RepliedAt { get; set; }
    /// <summary>What the resident answered, as received.</summary>
    public string? Reply { get; set; }
    /// <summary>The application a “同意” created.</summary>
    public string? CaseId { get; set; }
    /// <summary>Its case number.</summary>
    public string? CaseNumber { get; set; }
    /// <summary>Concurrency stamp: two replies processed at once cannot both move the invitation.</summary>
    public string Stamp { get; set; } = "";
}

/// <summary>A resident who refused proactive contact (replied “退订”); no matter invites them again.</summary>
public sealed class ProactiveOptOut
{
    /// <summary>Blind index of the resident's ID number.</summary>
    public string ResidentKey { get; set; } = "";
    /// <summary>When.</summary>
    public DateTimeOffset At { get; set; }
    /// <summary>The reply that asked for it.</summary>
    public string Reply { get; set; } = "";
    /// <summary>The invitation it answered.</summary>
    public string? InvitationId { get; set; }
}
