using System.Text.Json.Nodes;

namespace GovFlow.Activities.Cases;

/// <summary>A line of the case's material checklist as recorded at acceptance.</summary>
public sealed class CaseMaterial
{
    /// <summary>Material name.</summary>
    public string Name { get; set; } = "";
    /// <summary>Main material (主件): never accepted under tolerance.</summary>
    public bool Main { get; set; }
    /// <summary>Required whatever the case.</summary>
    public bool Required { get; set; }
    /// <summary>Whether it applies to this case (its condition held).</summary>
    public bool Applies { get; set; }
    /// <summary>paper, certificate or supplement; null when missing.</summary>
    public string? SatisfiedBy { get; set; }
    /// <summary>The electronic certificate type that can replace it.</summary>
    public string? CertificateType { get; set; }
    /// <summary>Whether it may be owed under tolerance.</summary>
    public bool ToleranceAllowed { get; set; }
}

/// <summary>用证记录: a look-up of the applicant's electronic certificate, kept for the certificate library's audit.</summary>
public sealed class CertificateUse
{
    /// <summary>Holder's id number or credit code.</summary>
    public string? HolderCode { get; set; }
    /// <summary>Holder type (person or legal person).</summary>
    public string? HolderType { get; set; }
    /// <summary>Certificate type code.</summary>
    public string? CertificateType { get; set; }
    /// <summary>Why it was used (用证事由).</summary>
    public string? Reason { get; set; }
    /// <summary>The material it replaces.</summary>
    public string? Material { get; set; }
    /// <summary>Who looked it up.</summary>
    public string? By { get; set; }
    /// <summary>When.</summary>
    public DateTimeOffset At { get; set; }
    /// <summary>The case.</summary>
    public string? CaseNumber { get; set; }
    /// <summary>Found, NotFound or Failed.</summary>
    public string? Outcome { get; set; }
    /// <summary>The certificate found.</summary>
    public string? CertificateId { get; set; }
    /// <summary>Its data (surface fields).</summary>
    public JsonNode? Data { get; set; }
    /// <summary>Why none could be used.</summary>
    public string? Why { get; set; }
}

/// <summary>人口库核验: a lookup of the applicant in the population database, kept for its audit and read by the rules.</summary>
public sealed class PopulationUse
{
    /// <summary>The ID number looked up.</summary>
    public string? IdNumber { get; set; }
    /// <summary>Why it was looked up.</summary>
    public string? Reason { get; set; }
    /// <summary>Who looked it up.</summary>
    public string? By { get; set; }
    /// <summary>When.</summary>
    public DateTimeOffset At { get; set; }
    /// <summary>The case.</summary>
    public string? CaseNumber { get; set; }
    /// <summary>Found, NotFound or Unavailable.</summary>
    public string? Outcome { get; set; }
    /// <summary>The resident's record as the database answered (camelCase fields), when found.</summary>
    public JsonNode? Data { get; set; }
    /// <summary>Why there is no record.</summary>
    public string? Why { get; set; }
}

/// <summary>The result certificate issued to the library (出证), or why it could not be.</summary>
public sealed class IssuedResult
{
    /// <summary>Result name.</summary>
    public string? Name { get; set; }
    /// <summary>Certificate id in the library.</summary>
    public string? CertificateId { get; set; }
    /// <summary>Certificate number.</summary>
    public string? Number { get; set; }
    /// <summary>Certificate type code.</summary>
    public string? TypeCode { get; set; }
    /// <summary>When issued.</summary>
    public DateTimeOffset? IssuedAt { get; set; }
    /// <summary>Why it was not issued.</summary>
    public string? Error { get; set; }
}

/// <summary>秒批: the rules checked automatically and which failed.</summary>
public sealed class RuleCheckRecord
{
    /// <summary>How many rules.</summary>
    public int Rules { get; set; }
    /// <summary>The ones that failed (the case goes to a person).</summary>
    public IReadOnlyList<string> Failed { get; set; } = [];
    /// <summary>When.</summary>
    public DateTimeOffset At { get; set; }
}
