using System.Text.Json.Nodes;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Supervision;
using GovFlow.Activities.Tasks;

// A record documents the parameters whose name does not say it all, not every one.
#pragma warning disable CS1573

namespace GovFlow.Host.Api.Contracts;

/// <summary>The receipt of an accepted submission (a repeated Idempotency-Key answers the first one, with the status as it is now).</summary>
/// <param name="PromisedDueProvisional">The promised date rests on a year without its holiday notice (暂按法定节假日计算).</param>
/// <param name="StatutoryDueProvisional">The statutory date rests on a year without its holiday notice.</param>
public sealed record CaseCreated(string CaseId, string CaseNumber, string Status, DateTimeOffset? PromisedDue, DateTimeOffset? StatutoryDue,
    bool PromisedDueProvisional = false, bool StatutoryDueProvisional = false);

/// <summary>A case in a search result.</summary>
/// <param name="Warning">The supervision light: green, yellow or red.</param>
/// <param name="PromisedDueProvisional">The promised date rests on a year without its holiday notice (暂按法定节假日计算).</param>
/// <param name="StatutoryDueProvisional">The statutory date rests on a year without its holiday notice.</param>
public sealed record CaseSummary(
    string CaseId, string CaseNumber, string MatterCode, string MatterName, string Department, string ApplicantName, string Channel,
    DateTimeOffset ReceivedAt, DateTimeOffset? AcceptedAt, DateTimeOffset? PromisedDue, DateTimeOffset? StatutoryDue, DateTimeOffset? CompletedAt,
    string Status, string Warning, bool PromisedDueProvisional, bool StatutoryDueProvisional)
{
    /// <summary>The priority kind (green, key-enterprise, vip) when the applicant was on the priority register (绿色通道) at receipt; null otherwise.</summary>
    public string? Priority { get; init; }
}

/// <summary>One page of a case search, newest first, with the number of matching cases.</summary>
public sealed record CasePage(IReadOnlyList<CaseSummary> Items, int Total, int Page, int PageSize);

/// <summary>The applicant as accepted at the window.</summary>
/// <param name="IdType">111 (resident ID) or 001 (unified social credit code).</param>
public sealed record CaseApplicant(string Name, string IdType, string IdNumber, string? Phone, string? Address);

/// <summary>An open task of the case, with the actions it offers now.</summary>
/// <param name="ActivityId">The flow's activity that waits on the task (null when its bookmark is gone meanwhile).</param>
/// <param name="Payload">The task bookmark's payload as the activity stored it (stage, materials owed, ...).</param>
/// <param name="Actions">What the task accepts now; completing it with anything else is a 400.</param>
/// <param name="DueProvisional">The due date rests on a year without its holiday notice (暂按法定节假日计算).</param>
public sealed record CurrentStep(
    string TaskId, string StepName, string Department, string Role, string? Assignee, string Status, DateTimeOffset? DueAt, string Kind,
    string? ActivityId, JsonNode? Payload, IReadOnlyList<OfferedAction> Actions, bool DueProvisional);

/// <summary>Where the flow waits now (a person, a timer, the outbox), for the diagram.</summary>
/// <param name="Kind">The bookmark name.</param>
public sealed record FlowPosition(string ActivityId, string Kind);

/// <summary>
/// A case as clerks, reviewers, auditors and its applicant see it. The case-file parts (materials to corrections)
/// are the case file's own JSON for now; typed case-file records replace them.
/// </summary>
/// <param name="Materials">The material checklist.</param>
/// <param name="Pauses">Time-limit pauses (corrections, supplements).</param>
/// <param name="Steps">What happened, step by step.</param>
/// <param name="Parallel">The parallel branches with each department's decision.</param>
/// <param name="Tolerance">The tolerance-gap commitment.</param>
/// <param name="CertificateUses">The e-certificate lookups made for the case.</param>
/// <param name="Waybill">The postal delivery of the result.</param>
/// <param name="Rating">The applicant's rating and its rectification.</param>
/// <param name="Result">The decision and the issued result.</param>
/// <param name="Corrections">Corrections requested and supplied.</param>
/// <param name="Incidents">Steps that faulted and wait for a retry (the case shows as 异常 while there are any).</param>
/// <param name="PromisedDueProvisional">The promised date rests on a year without its holiday notice (暂按法定节假日计算).</param>
/// <param name="StatutoryDueProvisional">The statutory date rests on a year without its holiday notice.</param>
/// <param name="Extensions">Extensions of the limit (延期, 《行政许可法》第四十二条).</param>
/// <param name="ApplicantNotices">What the applicant was told about the clock (延期, special procedures).</param>
public sealed record CaseView(
    string CaseId, string CaseNumber, string MatterCode, string MatterName, string Department, string Status, string Warning,
    CaseApplicant Applicant, string Channel, DateTimeOffset ReceivedAt, DateTimeOffset? AcceptedAt, DateTimeOffset? PromisedDue,
    DateTimeOffset? StatutoryDue, DateTimeOffset? CompletedAt, IReadOnlyList<CurrentStep> CurrentSteps, IReadOnlyList<FlowPosition> Positions,
    IReadOnlyList<CaseMaterial> Materials, IReadOnlyList<Pause> Pauses, IReadOnlyList<CaseStep> Steps, ParallelRecord? Parallel, ToleranceRecord? Tolerance,
    IReadOnlyList<CertificateUse> CertificateUses, WaybillRecord? Waybill, RatingRecord? Rating, IssuedResult? Result, IReadOnlyList<CorrectionNotice> Corrections,
    IReadOnlyList<IncidentView> Incidents, bool PromisedDueProvisional, bool StatutoryDueProvisional,
    IReadOnlyList<Extension> Extensions, IReadOnlyList<ApplicantNotice> ApplicantNotices)
{
    /// <summary>The priority kind (green, key-enterprise, vip) when the applicant was on the priority register (绿色通道) at receipt; null otherwise.</summary>
    public string? Priority { get; init; }

    /// <summary>The hall whose window accepted the case (受理地); null online.</summary>
    public string? Hall { get; init; }

    /// <summary>通办: the accepting hall's region, the owner, the hand-over's receipt and limit, the originals' waybill and the result's collection.</summary>
    public HandOverRecord? HandOver { get; init; }
}
