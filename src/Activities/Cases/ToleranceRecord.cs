using System.Text.Json.Nodes;

namespace GovFlow.Activities.Cases;

/// <summary>容缺受理: the materials owed under the applicant's commitment, the deadline and what happened.</summary>
public sealed class ToleranceRecord
{
    /// <summary>The materials owed.</summary>
    public IReadOnlyList<string>? Missing { get; set; }
    /// <summary>The applicant's signed commitment (告知承诺书).</summary>
    public JsonNode? Commitment { get; set; }
    /// <summary>When the owed materials must be in.</summary>
    public DateTimeOffset? Deadline { get; set; }
    /// <summary>What happens past the deadline: terminate or suspend.</summary>
    public string? OnExpiry { get; set; }
    /// <summary>When the applicant was told.</summary>
    public DateTimeOffset? NoticeAt { get; set; }
    /// <summary>Whether everything owed came in.</summary>
    public bool Supplied { get; set; }
    /// <summary>When it did.</summary>
    public DateTimeOffset? SuppliedAt { get; set; }
    /// <summary>When the applicant was reminded of the coming deadline, if they were.</summary>
    public DateTimeOffset? RemindedAt { get; set; }
    /// <summary>Whether the deadline passed first (the commitment is broken).</summary>
    public bool Expired { get; set; }
}
