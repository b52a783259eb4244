using System.Text.Json.Nodes;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Supervision;
using GovFlow.Activities.Tasks;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Activities.Steps;

/// <summary>The actions a handler can take on a review task.</summary>
public static class ReviewActions
{
    /// <summary>通过.</summary>
    public const string Approve = "approve";
    /// <summary>不予通过.</summary>
    public const string Reject = "reject";
    /// <summary>退回.</summary>
    public const string Return = "return";
    /// <summary>要求补正.</summary>
    public const string RequestCorrection = "requestCorrection";
    /// <summary>转办.</summary>
    public const string Transfer = "transfer";
    /// <summary>材料已补齐.</summary>
    public const string Supply = "supply";
    /// <summary>延期 (《行政许可法》第四十二条).</summary>
    public const string Extend = "extend";
    /// <summary>启动特别程序 (《行政许可法》第四十五条).</summary>
    public const string StartSpecialProcedure = "startSpecialProcedure";
    /// <summary>特别程序结束.</summary>
    public const string EndSpecialProcedure = "endSpecialProcedure";
}

/// <summary>
/// A human review step (审查/审核/审批) of a department with its own working-day limit. Creates an inbox task
/// (a bookmark); the handler approves, rejects, returns it to an earlier step, requests correction (the clock
/// stops until the supplement) or transfers it to another handler.
/// </summary>
[Activity("GovFlow.ReviewTask", "政务服务", "Review task", DisplayNameZh = "审查审批", Kind = ActivityKind.Task,
    Outcomes = ["Approved", "Rejected", "Returned"])]
[Input("stepName", typeof(string), DisplayNameZh = "环节名称", Required = true)]
[Input("department", typeof(string), DisplayNameZh = "办理部门", Required = true)]
[Input("role", typeof(string), DisplayNameZh = "岗位", DefaultValue = "reviewer")]
[Input("limitWorkingDays", typeof(int), DisplayNameZh = "环节时限（工作日）")]
[Input("assignee", typeof(string), DisplayNameZh = "指定办理人")]
[Output("decision", typeof(string))]
[Output("opinion", typeof(string))]
public sealed class ReviewTask : Activity, ICaseOutcomes
{
    /// <summary>Approval must lead on (it is the step's way forward); a refusal may end the flow, as it gives the case its final status; a return is offered only where it is connected.</summary>
    public IEnumerable<string> OutcomesTaken(Matters.ServiceMatter? matter) => ["Approved", "Rejected"];

    /// <inheritdoc />
    public bool GivesFinalStatus(string outcome, Matters.ServiceMatter? matter) => outcome == "Rejected";

    /// <summary>Bookmark of an inbox task.</summary>
    public const string TaskBookmark = "GovFlow.ReviewTask";

    /// <summary>Bookmark of a review waiting for corrected materials.</summary>
    public const string SupplementBookmark = "GovFlow.ReviewSupplement";

    /// <summary>Bookmark of a review stopped for a special procedure (听证, 检验, 专家评审, ...).</summary>
    public const string SpecialProcedureBookmark = "GovFlow.SpecialProcedure";

    private const string ExtensionBasis = "《中华人民共和国行政许可法》第四十二条";

    // The law's clock actions belong to administrative licences (事项类型 01), the matters 行政许可法 governs.
    private static readonly string[] LicenceActions = [ReviewActions.Extend, ReviewActions.StartSpecialProcedure];

    /// <summary>The review task: approve, reject, return, request correction (the clock stops) or transfer.</summary>
    public static readonly TaskContract Contract = new()
    {
        Bookmark = TaskBookmark, DefaultStepName = "审查", Role = "reviewer",
        Actions =
        [
            TaskActionSpec.Completes(ReviewActions.Approve, "通过", "Approve", "Approved", OpinionRule.Optional),
            TaskActionSpec.Completes(ReviewActions.Reject, "不予通过", "Reject", "Rejected", OpinionRule.Required, danger: true),
            TaskActionSpec.Completes(ReviewActions.Return, "退回", "Return", "Returned", OpinionRule.Required, fields: [new TaskField(TaskFields.ReturnTo, false, "退回环节")]),
            TaskActionSpec.Stays(ReviewActions.RequestCorrection, "要求补正", "Request correction", OpinionRule.Required, fields: [new TaskField(TaskFields.Materials, true, "需补正的材料")]),
            TaskActionSpec.Stays(ReviewActions.Transfer, "转办", "Transfer", OpinionRule.Required, fields: [new TaskField(TaskFields.Assignee, true, "转办给")]),
            TaskActionSpec.Stays(ReviewActions.Extend, "延期", "Extend the limit", OpinionRule.Required,
                fields: [new TaskField(TaskFields.Days, true, "延长工作日"), new TaskField(TaskFields.Approver, true, "批准人")]),
            TaskActionSpec.Stays(ReviewActions.StartSpecialProcedure, "启动特别程序", "Start a special procedure", OpinionRule.Required,
                fields: [new TaskField(TaskFields.Procedure, true, "特别程序"), new TaskField(TaskFields.Days, true, "预计工作日")])
        ]
    };

    /// <summary>A special procedure under way: the clerk who started it ends it, and the step's clock goes on.</summary>
    public static readonly TaskContract SpecialProcedureContract = new()
    {
        Bookmark = SpecialProcedureBookmark, DefaultStepName = "特别程序", Role = "reviewer",
        Actions = [TaskActionSpec.Stays(ReviewActions.EndSpecialProcedure, "特别程序结束", "End the special procedure", OpinionRule.Required)]
    };

    /// <summary>The applicant's corrected materials, received by the window for the review that asked for them.</summary>
    public static readonly TaskContract SupplementContract = new()
    {
        Bookmark = SupplementBookmark, DefaultStepName = "补正材料", Role = "window",
        Actions = [TaskActionSpec.Stays(ReviewActions.Supply, "材料已补齐", "Materials supplied", OpinionRule.Optional, fields: [new TaskField(TaskFields.Materials, true, "补齐的材料")])]
    };

    private readonly Input? _step;
    private readonly Input? _department;
    private readonly Input? _role;
    private readonly Input? _limit;
    private readonly Input? _assignee;

    /// <summary>Reads the inputs (the compiler refuses a step without its name or department: it cannot be shown in an inbox).</summary>
    public ReviewTask(ActivityNode node, ActivityBuildContext build) : base(node, build)
    {
        _step = build.Input(node, "stepName");
        _department = build.Input(node, "department");
        _role = build.Input(node, "role");
        _limit = build.Input(node, "limitWorkingDays");
        _assignee = build.Input(node, "assignee");
    }

    /// <inheritdoc />
    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var file = context.Case();
        if (file.Status is CaseStatus.Received or CaseStatus.Accepted) file.Status = CaseStatus.InReview;
        OpenTask(context, context.Evaluate(_assignee) as string, context.Workflow.Now);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected override JsonNode? DescribeResume(Bookmark bookmark, object? input) => TaskContracts.Decision(bookmark, input);

    /// <inheritdoc />
    protected override void ValidateResume(ActivityExecutionContext context, Bookmark bookmark, object? input)
    {
        var command = (bookmark.Name switch { SupplementBookmark => SupplementContract, SpecialProcedureBookmark => SpecialProcedureContract, _ => Contract }).Check(bookmark, input);
        if (command.Action == ReviewActions.Extend)
        {
            var left = ExtensionLeft(context);
            if (!int.TryParse(command.Days, out var days) || days < 1 || days > left)
                throw new BookmarkInputException(TaskFields.Days, left > 0
                    ? $"延期须为 1 至 {left} 个工作日（{ExtensionBasis}：延长不超过 {CaseClock.ExtensionCap(context.Matter())} 个工作日）"
                    : $"本件已延期至法定上限，不能再延期（{ExtensionBasis}）");
        }
        if (command.Action == ReviewActions.StartSpecialProcedure && (!int.TryParse(command.Days, out var expected) || expected is < 1 or > 365))
            throw new BookmarkInputException(TaskFields.Days, "请填写特别程序预计所需的工作日（1 至 365）");
    }

    /// <inheritdoc />
    protected override ValueTask ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, object? input)
    {
        var command = TaskCommand.From(input);
        var file = context.Case();
        var now = context.Workflow.Now;
        var step = StepName(context);
        var started = ChinaTime.ParseMoment(bookmark.Payload?["startedAt"]) ?? bookmark.CreatedAt;
        if (bookmark.Name == SpecialProcedureBookmark) return EndSpecialProcedure(context, bookmark, command, started);
        if (bookmark.Name == SupplementBookmark)
        {
            foreach (var m in command.Materials ?? [])
                file.Add(CaseParts.Supplements, new MaterialSupplied { Material = m, At = now, By = context.Workflow.Actor });
            file.EndPause(now);
            file.Status = CaseStatus.InReview;
            var remaining = bookmark.Payload?["remainingWorkingDays"]?.GetValue<int>();
            OpenTask(context, bookmark.Payload?["assignee"]?.GetValue<string>(), started, remaining is { } days ? context.DueInWorkingDays(days) : null);
            return ValueTask.CompletedTask;
        }

        var action = command.Action!;
        var opinion = command.Opinion;
        var record = new CaseStep { Step = step, Handler = context.Workflow.Actor, Opinion = opinion, Start = started, End = now, Department = context.Evaluate(_department) as string };
        context.SetOutput("decision", action);
        context.SetOutput("opinion", opinion);
        switch (action)
        {
            case ReviewActions.Approve:
                record.Action = "pass";
                record.Opinion = opinion ?? "同意";
                file.RecordStep(record);
                return context.CompleteAsync("Approved");
            case ReviewActions.Reject:
                record.Action = "reject";
                file.RecordStep(record);
                return RefuseAsync(context);
            case ReviewActions.Return:
                record.Action = "return";
                record.ReturnTo = command.ReturnTo ?? ReturnTargets().FirstOrDefault();
                file.RecordStep(record);
                return context.CompleteAsync("Returned");
            case ReviewActions.Transfer:
                record.Action = "transfer";
                record.Assignee = command.Assignee!;
                file.RecordStep(record);
                OpenTask(context, record.Assignee, started, ChinaTime.ParseMoment(bookmark.Payload?["dueAt"]));
                return ValueTask.CompletedTask;
            case ReviewActions.Extend:
                return Extend(context, bookmark, command, record, started);
            case ReviewActions.StartSpecialProcedure:
                return StartSpecialProcedure(context, bookmark, command, record, started);
            default: // requestCorrection
                var missing = command.Materials ?? [];
                record.Action = "requestCorrection";
                record.Materials = missing;
                file.RecordStep(record);
                file.Add(CaseParts.Corrections, new CorrectionNotice { Materials = missing, NotifiedAt = now, By = context.Workflow.Actor, Step = step });
                file.StartPause(PauseKind.Correction, opinion!, "《中华人民共和国行政许可法》第三十二条", now);
                file.Status = CaseStatus.Correction;
                context.CreateBookmark(SupplementBookmark, new JsonObject
                {
                    ["caseNumber"] = file.Input.CaseNumber, ["stepName"] = step, ["department"] = context.Evaluate(_department) as string,
                    ["materials"] = new JsonArray([.. missing.Select(m => (JsonNode?)m)]), ["startedAt"] = started.ToString("O"), ["assignee"] = bookmark.Payload?["assignee"]?.GetValue<string>(),
                    ["remainingWorkingDays"] = RemainingWorkingDays(context, bookmark),
                    [TaskContract.OfferedProperty] = SupplementContract.Offer(this, new Dictionary<string, IReadOnlyList<string>> { [TaskFields.Materials] = missing })
                });
                return ValueTask.CompletedTask;
        }
    }

    // Art. 42: the limit grows by the approved days, for the step and the case; the applicant is told the new date.
    private ValueTask Extend(ActivityExecutionContext context, Bookmark bookmark, TaskCommand command, CaseStep record, DateTimeOffset started)
    {
        var file = context.Case();
        var now = context.Workflow.Now;
        var days = int.Parse(command.Days!, System.Globalization.CultureInfo.InvariantCulture);
        var before = CaseDue(context);
        record.Action = "extend";
        file.RecordStep(record);
        file.Add(CaseParts.Extensions, new Extension
        {
            Days = days, Approver = command.Approver!, Reason = command.Opinion!, LegalBasis = ExtensionBasis, Step = record.Step, By = context.Workflow.Actor, At = now
        });
        var after = CaseDue(context);
        var stepDue = ChinaTime.ParseMoment(bookmark.Payload?["dueAt"]) is { } due ? ChinaTime.EndOfWorkingDays(context.Calendar(), due, days) : (DateTimeOffset?)null;
        var text = $"经{command.Approver}批准，本件办理期限延长{days}个工作日，延至{Day(after)}。理由：{command.Opinion}（{ExtensionBasis}）";
        Tell(context, "延期", text);
        context.Journal("Extended", new JsonObject
        {
            ["days"] = days, ["approver"] = command.Approver, ["reason"] = command.Opinion, ["legalBasis"] = ExtensionBasis,
            ["oldDue"] = before?.ToString("O"), ["newDue"] = after?.ToString("O"), ["stepDue"] = stepDue?.ToString("O")
        }, text);
        OpenTask(context, bookmark.Payload?["assignee"]?.GetValue<string>(), started, stepDue);
        return ValueTask.CompletedTask;
    }

    // Art. 45: the clock stops from today until the clerk ends the procedure; the step keeps the days it had left.
    private ValueTask StartSpecialProcedure(ActivityExecutionContext context, Bookmark bookmark, TaskCommand command, CaseStep record, DateTimeOffset started)
    {
        var file = context.Case();
        var days = int.Parse(command.Days!, System.Globalization.CultureInfo.InvariantCulture);
        var procedure = command.Procedure!;
        record.Action = "specialProcedure";
        file.RecordStep(record);
        file.StartPause(SpecialProcedures.ByName[procedure], $"{procedure}：{command.Opinion}", SpecialProcedures.LegalBasis, context.Workflow.Now, days);
        var text = $"本件需{procedure}，预计{days}个工作日，所需时间不计入办理期限。理由：{command.Opinion}（{SpecialProcedures.LegalBasis}）";
        Tell(context, "特别程序开始", text);
        context.Journal("SpecialProcedureStarted", new JsonObject
        {
            ["procedure"] = procedure, ["expectedWorkingDays"] = days, ["reason"] = command.Opinion, ["legalBasis"] = SpecialProcedures.LegalBasis
        }, text);
        context.CreateBookmark(SpecialProcedureBookmark, new JsonObject
        {
            ["caseNumber"] = file.Input.CaseNumber, ["stepName"] = record.Step, ["department"] = context.Evaluate(_department) as string,
            ["role"] = context.Evaluate(_role) as string ?? "reviewer", ["assignee"] = context.Workflow.Actor, ["procedure"] = procedure,
            ["dueAt"] = context.DueInWorkingDays(days).ToString("O"), ["startedAt"] = started.ToString("O"),
            ["taskAssignee"] = bookmark.Payload?["assignee"]?.GetValue<string>(), ["remainingWorkingDays"] = RemainingWorkingDays(context, bookmark),
            [TaskContract.OfferedProperty] = SpecialProcedureContract.Offer(this)
        });
        return ValueTask.CompletedTask;
    }

    private ValueTask EndSpecialProcedure(ActivityExecutionContext context, Bookmark bookmark, TaskCommand command, DateTimeOffset started)
    {
        var file = context.Case();
        var now = context.Workflow.Now;
        var procedure = bookmark.Payload?["procedure"]?.GetValue<string>() ?? "特别程序";
        file.EndPause(now);
        file.RecordStep(new CaseStep
        {
            Step = StepName(context), Action = "specialProcedureEnd", Handler = context.Workflow.Actor, Opinion = command.Opinion, Start = now, End = now,
            Department = context.Evaluate(_department) as string
        });
        var after = CaseDue(context);
        var text = $"{procedure}已结束，本件继续办理，办理期限延至{Day(after)}。结论：{command.Opinion}";
        Tell(context, "特别程序结束", text);
        context.Journal("SpecialProcedureEnded", new JsonObject { ["procedure"] = procedure, ["result"] = command.Opinion, ["newDue"] = after?.ToString("O") }, text);
        var remaining = bookmark.Payload?["remainingWorkingDays"]?.GetValue<int>();
        OpenTask(context, bookmark.Payload?["taskAssignee"]?.GetValue<string>(), started, remaining is { } left ? context.DueInWorkingDays(left) : null);
        return ValueTask.CompletedTask;
    }

    private static int ExtensionLeft(ActivityExecutionContext context) =>
        CaseClock.ExtensionCap(context.Matter()) - context.Case().Extensions.Sum(e => e.Days);

    // The case's promised due moment as the host will count it (the one the applicant was promised).
    private static DateTimeOffset? CaseDue(ActivityExecutionContext context)
    {
        var file = context.Case();
        if (context.Matter() is not { } matter || (file.ReceivedAt ?? file.AcceptedAt) is not { } received) return null;
        return CaseClock.DueDates(context.Calendar(), received, null, matter, file.Pauses, file.Extensions, context.Workflow.Now, file.Priority is not null).Promised;
    }

    private static void Tell(ActivityExecutionContext context, string kind, string text) =>
        context.Case().Add(CaseParts.ApplicantNotices, new ApplicantNotice { Kind = kind, Text = text, At = context.Workflow.Now, By = context.Workflow.Actor });

    private static string Day(DateTimeOffset? at) => at is { } a ? ChinaTime.Date(a).ToString("yyyy年M月d日", System.Globalization.CultureInfo.InvariantCulture) : "（待定）";

    private static async ValueTask RefuseAsync(ActivityExecutionContext context)
    {
        await context.CloseCaseAsync(CaseStatus.Refused);
        await context.CompleteAsync("Rejected");
    }

    // The steps this case has passed (oldest first), which a return may go back to.
    // The step's working days left when its clock stops for a correction: what it gets back when the supplement comes.
    private static int? RemainingWorkingDays(ActivityExecutionContext context, Bookmark task)
    {
        if (ChinaTime.ParseMoment(task.Payload?["dueAt"]) is not { } due) return null;
        return Math.Max(0, context.Calendar().WorkingDaysBetween(ChinaTime.Date(context.Workflow.Now), ChinaTime.Date(due)));
    }

    // Where a return goes: the steps the flow's Returned connections lead to, so the step chosen is the one the
    // case goes back to (offering every earlier step only recorded the choice while the flow went its own way).
    private IReadOnlyList<string> ReturnTargets() =>
        [.. Next("Returned").Select(a => a is ReviewTask review ? review.DeclaredStepName : a.Name ?? a.Id).Distinct()];

    // The step name as the flow writes it (a literal), for other steps to name this one.
    private string DeclaredStepName => _step is { IsLiteral: true } s ? s.Expression.Text ?? Id : Name ?? Id;

    private string StepName(ActivityExecutionContext context) => context.Evaluate(_step) as string ?? Name ?? Id;

    // Every action, except the law's clock actions outside a licence, and an extension once the cap is reached.
    private static string[] OfferedHere(ActivityExecutionContext context)
    {
        var licence = context.Matter()?.Type == "01";
        var decided = CaseStatus.IsFinal(context.Case().Status);
        return [.. Contract.Actions.Select(a => a.Name).Where(a => licence || !LicenceActions.Contains(a)).Where(a => a != ReviewActions.Extend || ExtensionLeft(context) > 0)
            .Where(a => !decided || AfterDecision.Contains(a))];
    }

    // due: the step's due moment when it is reopened (a transfer keeps it, a supplement moves it by the stopped
    // days); a new step counts its limit from now.
    private void OpenTask(ActivityExecutionContext context, string? assignee, DateTimeOffset started, DateTimeOffset? due = null)
    {
        var step = StepName(context);
        var limit = context.Evaluate(_limit) as int? ?? context.Matter()?.Steps.FirstOrDefault(s => s.Name == step)?.Limit.Value ?? 5;
        context.CreateBookmark(TaskBookmark, new JsonObject
        {
            ["caseNumber"] = context.Case().Input.CaseNumber,
            ["stepName"] = step,
            ["department"] = context.Evaluate(_department) as string,
            ["role"] = context.Evaluate(_role) as string ?? "reviewer",
            ["assignee"] = assignee,
            ["limitWorkingDays"] = limit,
            ["dueAt"] = (due ?? context.DueInWorkingDays(limit)).ToString("O"),
            ["startedAt"] = started.ToString("O"),
            [TaskContract.OfferedProperty] = Contract.Offer(this, new Dictionary<string, IReadOnlyList<string>>
            {
                [TaskFields.Materials] = context.Matter()?.Materials.Select(m => m.Name).ToList() ?? [],
                [TaskFields.ReturnTo] = ReturnTargets(),
                [TaskFields.Procedure] = [.. SpecialProcedures.ByName.Keys]
            }, OfferedHere(context))
        });
    }

    // A step after the decision (a mailing problem on a completed case) cannot refuse or ask for corrections: the
    // case's status is final, so those actions would only fault.
    private static readonly string[] AfterDecision = [ReviewActions.Approve, ReviewActions.Return, ReviewActions.Transfer];
}
