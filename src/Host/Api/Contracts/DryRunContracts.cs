// A record documents the parameters whose name does not say it all, not every one.
#pragma warning disable CS1573

using System.Text.Json;
using System.Text.Json.Nodes;

namespace GovFlow.Host.Api.Contracts;

/// <summary>
/// A dry run (试运行) of a definition, saved or not: the flow runs with a sample application, simulated services and a
/// clock that jumps, and nothing is stored.
/// </summary>
/// <param name="Definition">The whole Elsa 3 workflow definition, as the designer holds it (the matter in its customProperties).</param>
/// <param name="Application">The sample application (收件).</param>
/// <param name="StartAt">When the application is received; now when absent.</param>
/// <param name="Decisions">
/// What the handlers decide, in order: each human task takes the first unused decision naming its activity id, step name
/// or activity name, else the first unused decision naming no step; a task with none gets the default (its approving
/// action, one working day after it opened) unless <paramref name="StopAtUndecided"/>.
/// </param>
/// <param name="StopAtUndecided">Stop at the first task no decision is given for instead of approving it.</param>
public sealed record DryRunRequest(JsonObject Definition, DryRunApplication? Application, DateTimeOffset? StartAt, IReadOnlyList<DryRunDecision>? Decisions, bool StopAtUndecided = false);

/// <summary>The sample application.</summary>
/// <param name="Applicant">name, idType (111 or 001), idNumber, phone, address; a person of the simulated city when absent.</param>
/// <param name="Materials">The names of the materials handed in.</param>
/// <param name="Data">Form fields the flow's rules read (age, ...).</param>
/// <param name="Channel">window, pc, mobile, courier or selfService.</param>
public sealed record DryRunApplication(JsonObject? Applicant, IReadOnlyList<string>? Materials, Dictionary<string, JsonElement>? Data, string? Channel);

/// <summary>A handler's decision for a human task.</summary>
/// <param name="Step">The task's activity id, step name or activity name; null for the next task whatever it is.</param>
/// <param name="Outcome">The action (approve, reject, return, requestCorrection, ...) or the outcome it leads to (Approved, Returned, ...).</param>
/// <param name="AfterWorkingDays">How many working days after the task opened it is decided (1 when absent; 0 is the same day).</param>
/// <param name="Opinion">The opinion; 试运行 when absent.</param>
/// <param name="ReturnTo">For a return: the step returned to.</param>
public sealed record DryRunDecision(string? Step, string Outcome, int? AfterWorkingDays = null, string? Opinion = null, string? ReturnTo = null);

/// <summary>What the dry run did.</summary>
/// <param name="Status">The case's status at the end (final or current).</param>
/// <param name="StoppedBecause">Why the run stopped.</param>
/// <param name="Path">The flow's nodes (top-level activities) in the order they started.</param>
/// <param name="Tasks">Every human task opened, with its limit and what was decided.</param>
/// <param name="DueDates">The case's due dates.</param>
/// <param name="Journal">The journal, in order.</param>
/// <param name="Calls">The outside services called (certificate lookups, SMS, EMS waybills, ratings).</param>
/// <param name="StartedAt">When the application was received.</param>
/// <param name="EndedAt">The simulated clock at the end.</param>
public sealed record DryRunResult(DryRunStatus Status, DryRunStop StoppedBecause, IReadOnlyList<DryRunPathStep> Path, IReadOnlyList<DryRunTask> Tasks,
    DryRunDueDates DueDates, IReadOnlyList<DryRunJournalEntry> Journal, IReadOnlyList<DryRunCall> Calls, DateTimeOffset StartedAt, DateTimeOffset EndedAt);

/// <summary>A case status.</summary>
/// <param name="Code">Received, InReview, Completed, Refused, ...</param>
/// <param name="Name">Its Chinese name (审查中, 已办结, ...).</param>
public sealed record DryRunStatus(string Code, string Name);

/// <summary>Why a dry run stopped.</summary>
/// <param name="Code">finished, waitingForDecision, waitingForEvent, faulted, limit or invalidDecision.</param>
/// <param name="Message">The reason in Chinese.</param>
/// <param name="ActivityId">The activity it stopped at, if any.</param>
public sealed record DryRunStop(string Code, string Message, string? ActivityId);

/// <summary>A node the flow passed.</summary>
public sealed record DryRunPathStep(string ActivityId, string? Name, string Type, DateTimeOffset At);

/// <summary>A human task of the dry run.</summary>
/// <param name="StepName">The step the task is (初审, 审核, ...).</param>
/// <param name="Kind">The task's kind (its bookmark name).</param>
/// <param name="LimitWorkingDays">The step's limit in working days, when it has one.</param>
/// <param name="DueAt">The end of the step's limit on the working calendar.</param>
/// <param name="Outcome">The action taken, closedByFlow when the flow closed the task itself (a deemed decision, a lapsed deadline), or null while open.</param>
/// <param name="OutcomeName">The action's Chinese label.</param>
public sealed record DryRunTask(string ActivityId, string? Name, string StepName, string Kind, string? Department, string Role, DateTimeOffset CreatedAt,
    int? LimitWorkingDays, DateTimeOffset? DueAt, string? Outcome, string? OutcomeName, DateTimeOffset? CompletedAt);

/// <summary>The case's due dates.</summary>
/// <param name="Promised">The promised limit's due moment (承诺时限).</param>
/// <param name="Statutory">The statutory limit's due moment (法定时限).</param>
/// <param name="CompletedAt">When the case was concluded, if it was.</param>
/// <param name="OnTime">Whether it was (or still is) within the promised limit.</param>
public sealed record DryRunDueDates(DateTimeOffset? Promised, DateTimeOffset? Statutory, DateTimeOffset? CompletedAt, bool? OnTime);

/// <summary>One journal record.</summary>
/// <param name="Actor">Who: 系统, 申请人, 定时任务, 试运行 (the handlers).</param>
/// <param name="Event">The event in Chinese (开始, 完成, 等待, 继续, 出错) or a domain event's name.</param>
/// <param name="Detail">The record's message, or its outcomes.</param>
public sealed record DryRunJournalEntry(DateTimeOffset At, string Actor, string? ActivityId, string? ActivityName, string Event, string? Detail);

/// <summary>An outside service call the flow made, answered by the simulators.</summary>
/// <param name="Service">电子证照库, 短信平台, 邮政寄递, 好差评.</param>
/// <param name="Operation">What was asked, in Chinese.</param>
/// <param name="Detail">What was asked and answered.</param>
public sealed record DryRunCall(DateTimeOffset At, string Service, string Operation, string Detail);
