using GovFlow.Activities.Cases;

// A record documents the parameters whose name does not say it all, not every one.
#pragma warning disable CS1573

namespace GovFlow.Host.Api.Contracts;

/// <summary>An applicant's progress lookup (查询办件进度): the case number and the applicant's ID number.</summary>
/// <param name="CaseNumber">办件编号.</param>
/// <param name="IdNumber">The applicant's ID number or credit code, as on the application.</param>
public sealed record ProgressLookup(string? CaseNumber, string? IdNumber);

/// <summary>A rating from the public page: the case is found by its number and the applicant's ID number.</summary>
/// <param name="Level">1 (非常满意) to 5 (非常不满意).</param>
/// <param name="Channel">pc unless given (app, sms, window ...).</param>
public sealed record PublicRating(string? CaseNumber, string? IdNumber, int? Level, string? Comment, string? Channel);

/// <summary>A rating from a signed-in applicant.</summary>
/// <param name="Level">1 (非常满意) to 5 (非常不满意).</param>
/// <param name="Channel">pc unless given.</param>
public sealed record RatingBody(int? Level, string? Comment, string? Channel);

/// <summary>A rating taken; levels 4 and 5 are bad ratings, which open a rectification.</summary>
public sealed record RatingAccepted(string CaseNumber, int Level, bool Bad);

/// <summary>A step of the case as the applicant sees it.</summary>
/// <param name="At">When the step ended (ISO 8601), or null while it is open.</param>
public sealed record ProgressStep(string? Step, string? Action, string? At);

/// <summary>
/// An applicant's view of their case. The case-file parts (corrections, the waybill's status, the rating's level)
/// are the case file's own JSON for now; typed case-file records replace them.
/// </summary>
/// <param name="Waybill">The postal delivery's status, or null.</param>
/// <param name="Rating">The level the applicant rated, or null.</param>
/// <param name="CanRate">The case is finished and waits for the applicant's rating.</param>
public sealed record ProgressView(
    string CaseId, string CaseNumber, string MatterName, string Department, string Status, DateTimeOffset ReceivedAt, DateTimeOffset? PromisedDue,
    DateTimeOffset? CompletedAt, IReadOnlyList<ProgressStep> Steps, IReadOnlyList<CorrectionNotice> Corrections, string? Waybill, int? Rating, bool CanRate);
