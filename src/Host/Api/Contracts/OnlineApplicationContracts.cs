using System.Text.Json;
using System.Text.Json.Nodes;

// A record documents the parameters whose name does not say it all, not every one.
#pragma warning disable CS1573

namespace GovFlow.Host.Api.Contracts;

/// <summary>What the online application form starts from: the guide, what GovFlow already knows, and the rules it checks.</summary>
/// <param name="Guide">The matter's guide (办事指南): conditions, materials, limits, fees.</param>
/// <param name="Hall">The window that takes the application for online pre-review (网上预审).</param>
/// <param name="Fields">The form fields the matter's conditions read; each must be answered.</param>
/// <param name="Materials">Each material with whether it must be handed in and whether a certificate replaces it.</param>
/// <param name="MaxUploadBytes">The largest file accepted.</param>
public sealed record ApplicationStart(MatterDetail Guide, string? Hall, ApplicationPrefill Prefill, IReadOnlyList<ApplicationField> Fields,
    IReadOnlyList<ApplicationMaterial> Materials, long MaxUploadBytes);

/// <summary>What is filled in already (一次采集，终身通用): the applicant from their profile, the rest from their latest earlier application.</summary>
/// <param name="IdNumber">The applicant's ID number, masked (it is taken from the profile, never typed).</param>
/// <param name="Data">Form fields answered in earlier applications, by field name.</param>
/// <param name="FromCaseNumber">The earlier application the phone, address and data come from, when there is one.</param>
public sealed record ApplicationPrefill(string Name, string IdNumber, string? Phone, string? Address, JsonObject Data, string? FromCaseNumber);

/// <summary>A form field a condition reads.</summary>
/// <param name="Type">number, boolean or string.</param>
public sealed record ApplicationField(string Name, string Label, string Type);

/// <summary>A material of the online application.</summary>
/// <param name="Required">Must be uploaded or replaced by a certificate before submitting; a conditional one (with <paramref name="Condition"/>) is judged by the window.</param>
/// <param name="CertificateType">The certificate type code that replaces it (免证办), when one does.</param>
public sealed record ApplicationMaterial(string Name, bool Required, string? Condition, bool CertificateReplaceable, string? CertificateType, string? CertificateTypeName);

/// <summary>A certificate lookup for an application, with the applicant's consent.</summary>
/// <param name="Matter">The matter applied for.</param>
/// <param name="Consent">The applicant agrees to the lookup; without it nothing is looked up.</param>
public sealed record CertificateLookupRequest(string? Matter, bool Consent);

/// <summary>The consent recorded and what was found.</summary>
/// <param name="ConsentId">Names the consent when the application is submitted.</param>
/// <param name="Purpose">The use agreed to (用证事由).</param>
public sealed record CertificateLookupResult(string ConsentId, DateTimeOffset At, string Purpose, IReadOnlyList<CertificateFound> Materials);

/// <summary>A certificate-replaceable material and the valid certificate found for it, if any.</summary>
/// <param name="Number">The certificate's number when a valid one was found; the material needs uploading otherwise.</param>
public sealed record CertificateFound(string Material, string CertificateType, string TypeName, bool Found, string? Number, DateOnly? ValidTo);

/// <summary>A stored upload.</summary>
/// <param name="Sha256">Hex SHA-256 of the content.</param>
public sealed record UploadView(string Id, string Name, long Size, string Sha256, string ContentType);

/// <summary>An online application (网上申办); the applicant is the signed-in user.</summary>
public sealed class OnlineApplication
{
    /// <summary>Matter code.</summary>
    public string? MatterCode { get; set; }
    /// <summary>The form fields (<see cref="ApplicationStart.Fields"/>).</summary>
    public Dictionary<string, JsonElement>? Data { get; set; }
    /// <summary>Mobile phone for the notices by SMS.</summary>
    public string? Phone { get; set; }
    /// <summary>Address.</summary>
    public string? Address { get; set; }
    /// <summary>Each material handed in: an upload or a certificate found under <see cref="ConsentId"/>.</summary>
    public List<OnlineMaterial>? Materials { get; set; }
    /// <summary>The consent of the certificate lookup whose certificates are named.</summary>
    public string? ConsentId { get; set; }
    /// <summary>pc or mobile (pc unless given).</summary>
    public string? Channel { get; set; }
}

/// <summary>A material of an online application.</summary>
/// <param name="Certificate">The number of a certificate found under the application's consent.</param>
/// <param name="UploadId">An upload of the applicant's not yet used.</param>
public sealed record OnlineMaterial(string? Name, string? Certificate, string? UploadId);

/// <summary>Materials supplied online for a correction (在线补正).</summary>
public sealed record SupplyRequest(IReadOnlyList<SuppliedMaterial>? Materials);

/// <summary>One owed material and the upload that supplies it.</summary>
public sealed record SuppliedMaterial(string? Name, string? UploadId);

/// <summary>A file uploaded to a case, for the clerks and auditors (and the applicant) who may see the case.</summary>
/// <param name="Purpose">application (with the online application) or supply (在线补正).</param>
/// <param name="TaskId">For a supply, the window's correction task it answers.</param>
public sealed record CaseUploadView(string Id, string Name, string Material, string Purpose, long Size, string Sha256, string ContentType, DateTimeOffset UploadedAt,
    DateTimeOffset? AttachedAt, string? TaskId);
