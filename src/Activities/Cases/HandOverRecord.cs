namespace GovFlow.Activities.Cases;

/// <summary>
/// 受理转交 (通办): where the case was accepted, the department that decides it, and how the case and the paper
/// originals reached that department; later, where the applicant collects the result.
/// </summary>
public sealed class HandOverRecord
{
    /// <summary>The hall whose window accepted the case (受理地).</summary>
    public string? AcceptingHall { get; set; }
    /// <summary>That hall's administrative region code (行政区划代码).</summary>
    public string? AcceptingRegion { get; set; }
    /// <summary>That region's name.</summary>
    public string? AcceptingRegionName { get; set; }
    /// <summary>The department that decides the case (承办部门).</summary>
    public string? Owner { get; set; }
    /// <summary>The owner's region code.</summary>
    public string? OwnerRegion { get; set; }
    /// <summary>local (no hand-over needed), pending (waiting for the owner's receipt) or received (签收).</summary>
    public string Status { get; set; } = "local";
    /// <summary>When the case was sent to the owner.</summary>
    public DateTimeOffset? SentAt { get; set; }
    /// <summary>By when the owner must sign for it.</summary>
    public DateTimeOffset? DueAt { get; set; }
    /// <summary>The hand-over's limit in working days.</summary>
    public int? LimitWorkingDays { get; set; }
    /// <summary>When the owner signed for it.</summary>
    public DateTimeOffset? ReceivedAt { get; set; }
    /// <summary>Who signed for it.</summary>
    public string? ReceivedBy { get; set; }
    /// <summary>The paper originals posted to the owner (names), when the matter requires them.</summary>
    public List<string> Originals { get; set; } = [];
    /// <summary>The originals' waybill number.</summary>
    public string? OriginalsWaybill { get; set; }
    /// <summary>Why the originals could not be posted.</summary>
    public string? OriginalsProblem { get; set; }
    /// <summary>The applicant's choice for the result: pickup (at the accepting hall) or post.</summary>
    public string? Collection { get; set; }
    /// <summary>When the applicant collected the result at the hall.</summary>
    public DateTimeOffset? CollectedAt { get; set; }
    /// <summary>The clerk who handed the result over.</summary>
    public string? CollectedBy { get; set; }
}
