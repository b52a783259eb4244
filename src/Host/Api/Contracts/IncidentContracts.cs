// A record documents the parameters whose name does not say it all, not every one.
#pragma warning disable CS1573

namespace GovFlow.Host.Api.Contracts;

/// <summary>A faulted step (异常) as supervisors see it.</summary>
/// <param name="Step">The activity that faulted (its id in the flow).</param>
/// <param name="StepName">The step's name as the flow calls it (初审, 邮寄送达...), when the case's journal knows it.</param>
/// <param name="Attempts">How many times the step faulted.</param>
/// <param name="Status">Open (waiting for a retry) or Resolved.</param>
public sealed record IncidentView(
    string IncidentId, string CaseId, string CaseNumber, string Step, string ActivityType, string Message, string Actor,
    DateTimeOffset OccurredAt, int Attempts, string Status, string? ResolvedBy, DateTimeOffset? ResolvedAt, string? StepName);

/// <summary>The outcome of a retry: the incident resolved and where the case stands.</summary>
public sealed record IncidentRetried(IncidentView Incident, string? CaseStatus);

/// <summary>A red card (红牌) of 电子监察: a case past its promised date and not decided.</summary>
/// <param name="Department">The department answerable for it.</param>
/// <param name="PromisedDue">The promised date it passed.</param>
public sealed record RedCardView(string CaseId, string CaseNumber, string MatterName, string Department, DateTimeOffset PromisedDue, DateTimeOffset IssuedAt);

/// <summary>A step (an open task) past its own limit, flagged even while its case is in time.</summary>
/// <param name="Assignee">Who holds it (null when unclaimed).</param>
/// <param name="DueAt">The step's due moment.</param>
/// <param name="WorkingDaysOver">Working days past it (0 on the due day itself after the due time).</param>
/// <param name="CaseWarning">The case's own light now (green, yellow or red).</param>
public sealed record StepOverrunView(string TaskId, string CaseId, string CaseNumber, string MatterName, string StepName, string Department, string? Assignee,
    DateTimeOffset DueAt, int? WorkingDaysOver, string CaseWarning);
