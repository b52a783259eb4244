using GovFlow.Activities.Tasks;

// A record documents the parameters whose name does not say it all, not every one.
#pragma warning disable CS1573

namespace GovFlow.Host.Api.Contracts;

/// <summary>An inbox task with its time left and the actions it offers now.</summary>
/// <param name="Kind">The task's bookmark name (GovFlow.ReviewTask, GovFlow.Correction, ...).</param>
/// <param name="WorkingDaysLeft">Working days until due (negative when overdue), or null without a due date or holiday data.</param>
/// <param name="Warning">green, yellow (due within two working days) or red (overdue).</param>
/// <param name="Status">Open or Claimed.</param>
/// <param name="Actions">What the task accepts now.</param>
/// <param name="DueProvisional">The due date, days left and light rest on a year without its holiday notice (暂按法定节假日计算).</param>
public sealed record TaskView(
    string TaskId, string CaseId, string CaseNumber, string MatterCode, string MatterName, string ApplicantName, string StepName, string Department,
    string? Assignee, string Kind, DateTimeOffset? DueAt, int? WorkingDaysLeft, string Warning, string Status, IReadOnlyList<OfferedAction> Actions,
    bool DueProvisional)
{
    /// <summary>The priority kind (green, key-enterprise, vip) when the applicant was on the priority register (绿色通道) at receipt; null otherwise.</summary>
    public string? Priority { get; init; }
}

/// <summary>One page of the inbox by due date; <paramref name="HasMore"/> says whether a next page exists (the inbox is not counted).</summary>
public sealed record TaskPage(IReadOnlyList<TaskView> Items, int Page, int PageSize, bool HasMore);

/// <summary>The inbox's tasks per light.</summary>
public sealed record TaskCounts(int Total, int Green, int Yellow, int Red);

/// <summary>A task after a claim or a release.</summary>
/// <param name="Assignee">Who holds it now (null when released).</param>
public sealed record TaskClaim(string TaskId, string Status, string? Assignee);

/// <summary>A department head's reassignment of a task.</summary>
/// <param name="Assignee">The handler who gets it: of the task's department and role.</param>
public sealed record TaskReassignment(string? Assignee);

/// <summary>A completed task and where its case stands after the step.</summary>
public sealed record TaskCompleted(string TaskId, string? CaseId, string? CaseNumber, string? Status);
