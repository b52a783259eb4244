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
/// <param name="Action">The step's action as recorded (approve, reject, requestCorrection ...).</param>
/// <param name="At">When the step ended (ISO 8601), or null while it is open.</param>
/// <param name="Result">The action in plain words (通过, 不通过, 要求补正 ...).</param>
public sealed record ProgressStep(string? Step, string? Action, string? At, string Result);

/// <summary>Materials the applicant still owes: those a correction asked for, or those owed under tolerance (容缺).</summary>
/// <param name="Why">补正 (a correction notice) or 容缺 (accepted on the applicant's commitment).</param>
/// <param name="By">The end of the day by which they must be in, or null when no deadline is known.</param>
/// <param name="SuppliedOnline">Those of them the applicant supplied online, waiting for the window's confirmation (已在线提交，待窗口确认).</param>
public sealed record OwedMaterials(string Why, IReadOnlyList<string> Materials, DateTimeOffset? By, IReadOnlyList<string>? SuppliedOnline = null);

/// <summary>One of a signed-in applicant's cases in their list.</summary>
/// <param name="StatusName">The status in the hall's words (审查中, 不予许可 ...).</param>
/// <param name="Owed">What the applicant still owes, with the deadline; empty when nothing.</param>
public sealed record MyCase(string CaseId, string CaseNumber, string MatterName, string Status, string StatusName, DateTimeOffset ReceivedAt, DateTimeOffset? PromisedDue,
    IReadOnlyList<OwedMaterials> Owed);

/// <summary>A page of a signed-in applicant's cases, newest first.</summary>
public sealed record MyCasePage(IReadOnlyList<MyCase> Items, int Total, int Page, int PageSize);

/// <summary>
/// An applicant's view of their case. The case-file parts (corrections, the waybill's status, the rating's level)
/// are the case file's own JSON for now; typed case-file records replace them.
/// </summary>
/// <param name="Waybill">The postal delivery's status, or null.</param>
/// <param name="Rating">The level the applicant rated, or null.</param>
/// <param name="CanRate">The case is finished and waits for the applicant's rating.</param>
/// <param name="StatusName">The status in the hall's words.</param>
/// <param name="Reasons">For a refusal (不予许可) or not-accepted (不予受理) case, the deciding opinion; otherwise null.</param>
/// <param name="Owed">What the applicant still owes and by when; empty when nothing.</param>
/// <param name="WaybillNumber">The EMS waybill number of the posted result, or null.</param>
public sealed record ProgressView(
    string CaseId, string CaseNumber, string MatterName, string Department, string Status, DateTimeOffset ReceivedAt, DateTimeOffset? PromisedDue,
    DateTimeOffset? CompletedAt, IReadOnlyList<ProgressStep> Steps, IReadOnlyList<CorrectionNotice> Corrections, string? Waybill, int? Rating, bool CanRate,
    string StatusName, string? Reasons, IReadOnlyList<OwedMaterials> Owed, string? WaybillNumber);
