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
            TaskActionSpec.Stays(ReviewActions.Transfer, "转办", "Transfer", OpinionRule.Required, fields: [new TaskField(TaskFields.Assignee, true, "转办给")])
        ]
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
    protected override void ValidateResume(ActivityExecutionContext context, Bookmark bookmark, object? input) =>
        (bookmark.Name == SupplementBookmark ? SupplementContract : Contract).Check(bookmark, input);

    /// <inheritdoc />
    protected override ValueTask ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, object? input)
    {
        var command = TaskCommand.From(input);
        var file = context.Case();
        var now = context.Workflow.Now;
        var step = StepName(context);
        var started = ChinaTime.ParseMoment(bookmark.Payload?["startedAt"]) ?? bookmark.CreatedAt;
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
                [TaskFields.ReturnTo] = ReturnTargets()
            })
        });
    }
}
