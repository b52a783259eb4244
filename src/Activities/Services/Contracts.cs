namespace GovFlow.Activities.Services;

/// <summary>A service that could not be reached (down, timed out, or answering errors) after the retries.</summary>
public sealed class ServiceUnavailableException(string service, string message, Exception? inner = null)
    : Exception($"{service} is unavailable: {message}", inner)
{
    /// <summary>The service.</summary>
    public string Service { get; } = service;
}

/// <summary>Certificate lookup request (GB/T 36901-36905): the use reason is required and logged.</summary>
/// <param name="HolderCode">ID number or USCC of the holder.</param>
/// <param name="HolderType">111 citizen ID, 001 USCC.</param>
/// <param name="CertificateType">Certificate type code.</param>
/// <param name="Number">Certificate number, optional.</param>
/// <param name="UseReason">Why it is looked up (≤ 200 characters).</param>
/// <param name="CaseNumber">The case it is used for.</param>
/// <param name="Operator">Who looks it up.</param>
public sealed record CertificateQuery(string HolderCode, string HolderType, string CertificateType, string? Number, string UseReason, string? CaseNumber, string? Operator);

/// <summary>An electronic certificate.</summary>
public sealed record Certificate
{
    /// <summary>Certificate identifier.</summary>
    public string Id { get; init; } = "";
    /// <summary>Type code.</summary>
    public string TypeCode { get; init; } = "";
    /// <summary>Type name.</summary>
    public string TypeName { get; init; } = "";
    /// <summary>Number.</summary>
    public string Number { get; init; } = "";
    /// <summary>Issuing body.</summary>
    public string Issuer { get; init; } = "";
    /// <summary>Issuing body's credit code.</summary>
    public string? IssuerUscc { get; init; }
    /// <summary>Issue date.</summary>
    public DateOnly IssuedOn { get; init; }
    /// <summary>Valid from.</summary>
    public DateOnly ValidFrom { get; init; }
    /// <summary>Valid to (null: long-term).</summary>
    public DateOnly? ValidTo { get; init; }
    /// <summary>Jurisdiction code.</summary>
    public string? Jurisdiction { get; init; }
    /// <summary>Holder name.</summary>
    public string HolderName { get; init; } = "";
    /// <summary>Holder code.</summary>
    public string HolderCode { get; init; } = "";
    /// <summary>Holder type.</summary>
    public string HolderType { get; init; } = "111";
    /// <summary>issued, draft, registered, abolished.</summary>
    public string Status { get; init; } = "issued";
    /// <summary>File URL.</summary>
    public string? FileUrl { get; init; }
    /// <summary>Trust level A–D.</summary>
    public string TrustLevel { get; init; } = "A";
    /// <summary>Data on the certificate, for prefilling forms.</summary>
    public Dictionary<string, string> Data { get; init; } = [];

    /// <summary>Whether it can replace a material on <paramref name="today"/>: issued, already in force and not expired.</summary>
    public bool IsValidOn(DateOnly today) => Status == "issued" && ValidFrom <= today && (ValidTo is null || ValidTo >= today);
}

/// <summary>Issue a result as an electronic certificate.</summary>
/// <param name="TypeCode">Certificate type.</param>
/// <param name="TypeName">Certificate type name.</param>
/// <param name="HolderCode">Holder code.</param>
/// <param name="HolderType">Holder type.</param>
/// <param name="HolderName">Holder name.</param>
/// <param name="Issuer">Issuing department.</param>
/// <param name="ValidYears">Validity in years (null: long-term).</param>
/// <param name="CaseNumber">The case.</param>
/// <param name="Data">Data printed on the certificate.</param>
public sealed record CertificateIssue(string TypeCode, string TypeName, string HolderCode, string HolderType, string HolderName, string Issuer, int? ValidYears, string? CaseNumber, Dictionary<string, string> Data);

/// <summary>
/// The electronic certificate library (电子证照库). Every operation takes an idempotency key: a repeat with the same
/// key is answered as the first call was and has no further effect.
/// </summary>
public interface ICertificateService
{
    /// <summary>Certificates of a holder of one type.</summary>
    Task<IReadOnlyList<Certificate>> LookupAsync(CertificateQuery query, string? idempotencyKey = null, CancellationToken cancellationToken = default);

    /// <summary>Issues a certificate.</summary>
    Task<Certificate> IssueAsync(CertificateIssue issue, string? idempotencyKey = null, CancellationToken cancellationToken = default);
}

/// <summary>A waybill request (GB/T 39046 物流信息).</summary>
/// <param name="CaseNumber">The case.</param>
/// <param name="Item">result or materials.</param>
/// <param name="SenderUnit">Sending unit.</param>
/// <param name="ReceiverName">Receiver.</param>
/// <param name="ReceiverPhone">Receiver phone.</param>
/// <param name="ReceiverAddress">Receiver address.</param>
public sealed record WaybillRequest(string CaseNumber, string Item, string SenderUnit, string ReceiverName, string? ReceiverPhone, string ReceiverAddress);

/// <summary>A waybill and where it is.</summary>
/// <param name="Number">Waybill number.</param>
/// <param name="Status">created, collected, inTransit, delivered, returned, failed.</param>
/// <param name="Detail">Last event text.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record Waybill(string Number, string Status, string? Detail, DateTimeOffset UpdatedAt);

/// <summary>The mailing service (EMS).</summary>
public interface IMailingService
{
    /// <summary>Creates a waybill; an address the service cannot deliver to is refused with <see cref="ArgumentException"/>.</summary>
    Task<Waybill> CreateAsync(WaybillRequest request, string? idempotencyKey = null, CancellationToken cancellationToken = default);

    /// <summary>Current status of a waybill.</summary>
    Task<Waybill> TrackAsync(string number, CancellationToken cancellationToken = default);

    /// <summary>
    /// Current status of each of <paramref name="numbers"/> in one request, as the sweep follows every open waybill at
    /// once; a number the service does not know is left out of the answer rather than failing the others.
    /// </summary>
    Task<IReadOnlyList<Waybill>> TrackManyAsync(IReadOnlyCollection<string> numbers, CancellationToken cancellationToken = default);
}

/// <summary>An invitation to rate.</summary>
/// <param name="CaseNumber">The case.</param>
/// <param name="MatterName">The matter.</param>
/// <param name="Department">The department rated.</param>
/// <param name="RaterName">Applicant name.</param>
/// <param name="RaterPhone">Applicant phone.</param>
/// <param name="Channel">Where to rate.</param>
public sealed record RatingInvitation(string CaseNumber, string MatterName, string Department, string RaterName, string? RaterPhone, string Channel);

/// <summary>The national rating system (好差评).</summary>
public interface IRatingService
{
    /// <summary>Invites the applicant to rate; returns the invitation id.</summary>
    Task<string> InviteAsync(RatingInvitation invitation, string? idempotencyKey = null, CancellationToken cancellationToken = default);

    /// <summary>Reports a rating and its rectification to the national system.</summary>
    Task ReportAsync(string caseNumber, int level, string? comment, bool rectified, string? idempotencyKey = null, CancellationToken cancellationToken = default);
}

/// <summary>SMS or message notifications.</summary>
public interface INotificationService
{
    /// <summary>Sends a message to a phone.</summary>
    Task SendAsync(string phone, string message, string? idempotencyKey = null, CancellationToken cancellationToken = default);
}

/// <summary>
/// The credit record of applicants' commitments (a broken tolerance commitment excludes tolerance next time). A
/// commitment is recorded as broken in the case file (<c>brokenCommitment</c>), which the host stores with the step.
/// </summary>
public interface ICreditRecords
{
    /// <summary>Whether the applicant broke a commitment before.</summary>
    Task<bool> HasBrokenCommitmentAsync(string idNumber, CancellationToken cancellationToken = default);
}

/// <summary>
/// A resident as the population database (人口库) records them: facts the applicant does not declare, so 秒批 rules and
/// 免申即享 eligibility can rely on them.
/// </summary>
public sealed record Resident
{
    /// <summary>Citizen ID number (18 characters).</summary>
    public string IdNumber { get; init; } = "";
    /// <summary>Name.</summary>
    public string Name { get; init; } = "";
    /// <summary>Birth date.</summary>
    public DateOnly BirthDate { get; init; }
    /// <summary>Full years of age on the day the service answered.</summary>
    public int Age { get; init; }
    /// <summary>Hukou city (户籍所在市), e.g. 深圳市.</summary>
    public string HukouCity { get; init; } = "";
    /// <summary>Hukou district code (户籍所在区划代码), e.g. 440305 南山区.</summary>
    public string HukouDistrict { get; init; } = "";
    /// <summary>Hukou address.</summary>
    public string Address { get; init; } = "";
    /// <summary>Mobile phone registered with the population database.</summary>
    public string? Phone { get; init; }
    /// <summary>Alive (false once a death is registered).</summary>
    public bool Alive { get; init; } = true;
    /// <summary>Whether the public security records hold a criminal record.</summary>
    public bool CriminalRecord { get; init; }
    /// <summary>Small passenger cars registered to the resident in the city (车管所).</summary>
    public int CarsRegistered { get; init; }
    /// <summary>The resident refused to be contacted for proactive services (拒绝主动服务).</summary>
    public bool OptedOut { get; init; }
}

/// <summary>A lookup of one resident; the reason, case and operator are logged by the population database.</summary>
/// <param name="IdNumber">Citizen ID number.</param>
/// <param name="Reason">Why the resident is looked up (≤ 200 characters).</param>
/// <param name="CaseNumber">The case it is used for, if any.</param>
/// <param name="Operator">Who looks it up.</param>
public sealed record ResidentQuery(string IdNumber, string Reason, string? CaseNumber, string? Operator);

/// <summary>An eligibility search of the population (免申即享): residents born in a range, optionally of one hukou city or district.</summary>
/// <param name="BornFrom">Earliest birth date, inclusive.</param>
/// <param name="BornTo">Latest birth date, inclusive.</param>
/// <param name="HukouCity">Only residents whose hukou is in this city, when given.</param>
/// <param name="HukouDistrict">Only residents whose hukou is in this district code, when given.</param>
/// <param name="Reason">Why the population is searched (the matter), logged by the database.</param>
public sealed record ResidentSearch(DateOnly BornFrom, DateOnly BornTo, string? HukouCity, string? HukouDistrict, string Reason);

/// <summary>The population database (人口库).</summary>
public interface IPopulationService
{
    /// <summary>One resident, or null when the database has nobody of that ID number.</summary>
    Task<Resident?> LookupAsync(ResidentQuery query, string? idempotencyKey = null, CancellationToken cancellationToken = default);

    /// <summary>The residents matching an eligibility search, by ID number (at most a few thousand: a search is narrow by design).</summary>
    Task<IReadOnlyList<Resident>> SearchAsync(ResidentSearch search, CancellationToken cancellationToken = default);
}
