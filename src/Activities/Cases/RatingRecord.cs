using System.Text.Json.Nodes;

namespace GovFlow.Activities.Cases;

/// <summary>好差评: the invitation, the applicant's rating, its report to the national system and any rectification.</summary>
public sealed class RatingRecord
{
    /// <summary>When the applicant was invited.</summary>
    public DateTimeOffset? InvitedAt { get; set; }
    /// <summary>The department rated.</summary>
    public string? Department { get; set; }
    /// <summary>The invitation the rating system returned.</summary>
    public JsonNode? Invitation { get; set; }
    /// <summary>Why the invitation failed.</summary>
    public string? InvitationError { get; set; }
    /// <summary>1 非常满意 .. 5 非常不满意.</summary>
    public int? Level { get; set; }
    /// <summary>The applicant's words.</summary>
    public string? Comment { get; set; }
    /// <summary>Where the rating was given.</summary>
    public string? Channel { get; set; }
    /// <summary>When.</summary>
    public DateTimeOffset? RatedAt { get; set; }
    /// <summary>Whether no rating came and the default was recorded.</summary>
    public bool Defaulted { get; set; }
    /// <summary>A bad rating (差评: level 4 or 5) that must be rectified.</summary>
    public bool Bad { get; set; }
    /// <summary>When the national system took the report.</summary>
    public DateTimeOffset? ReportedAt { get; set; }
    /// <summary>Why the report failed.</summary>
    public string? ReportError { get; set; }
    /// <summary>差评整改, once a bad rating came.</summary>
    public Rectification? Rectification { get; set; }
}

/// <summary>差评整改: verification, resolution and feedback, within the matter's limit, then the applicant's re-rating.</summary>
public sealed class Rectification
{
    /// <summary>The department responsible.</summary>
    public string? AssignedTo { get; set; }
    /// <summary>When it was assigned.</summary>
    public DateTimeOffset AssignedAt { get; set; }
    /// <summary>When it must be done.</summary>
    public DateTimeOffset DueAt { get; set; }
    /// <summary>The stages done.</summary>
    public List<RectificationStage> Stages { get; set; } = [];
    /// <summary>The applicant's rating after it.</summary>
    public Rerating? Rerating { get; set; }
    /// <summary>When it closed.</summary>
    public DateTimeOffset? ClosedAt { get; set; }
}

/// <summary>A stage of a rectification: verify, resolve or feedback.</summary>
public sealed class RectificationStage
{
    /// <summary>verify, resolve or feedback.</summary>
    public string Stage { get; set; } = "";
    /// <summary>The handler's note.</summary>
    public string? Note { get; set; }
    /// <summary>At the resolve stage: rectify, explain or appeal.</summary>
    public string? Resolution { get; set; }
    /// <summary>Who.</summary>
    public string? By { get; set; }
    /// <summary>When.</summary>
    public DateTimeOffset At { get; set; }
}

/// <summary>The applicant's rating after a rectification.</summary>
public sealed class Rerating
{
    /// <summary>1 .. 5.</summary>
    public int Level { get; set; }
    /// <summary>Their words.</summary>
    public string? Comment { get; set; }
    /// <summary>When.</summary>
    public DateTimeOffset At { get; set; }
}
