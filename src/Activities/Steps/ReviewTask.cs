using System.Text.Json.Nodes;
using GovFlow.Activities.Cases;
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

    /// <summary>All actions.</summary>
    public static readonly IReadOnlyList<string> All = [Approve, Reject, Return, RequestCorrection, Transfer];

    /// <summary>
    /// Checks an action and its fields: the action must be known; every action except approve needs an opinion;
    /// transfer needs an assignee; requestCorrection needs the missing materials.
    /// </summary>
    public static void Validate(Dictionary<string, object?> fields)
    {
        var action = StepInput.RequiredText(fields, "action", $"choose an action: {string.Join(", ", All)}");
        if (!All.Contains(action)) throw new BookmarkInputException("action", $"'{action}' is not an action; choose one of {string.Join(", ", All)}");
        if (action != Approve && StepInput.Text(fields, "opinion") is null)
            throw new BookmarkInputException("opinion", "an opinion is required for every action except approve");
        if (StepInput.Text(fields, "opinion") is { Length: > 2000 }) throw new BookmarkInputException("opinion", "the opinion is longer than 2000 characters");
        if (action == Transfer && StepInput.Text(fields, "assignee") is null)
            throw new BookmarkInputException("assignee", "name the handler to transfer to");
        if (action == RequestCorrection && StepInput.TextList(fields, "missingMaterials").Count == 0)
            throw new BookmarkInputException("missingMaterials", "list every missing material (一次性告知)");
    }
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
public sealed class ReviewTask : Activity
{
    /// <summary>Bookmark of an inbox task.</summary>
    public const string TaskBookmark = "GovFlow.ReviewTask";

    /// <summary>Bookmark of a review waiting for corrected materials.</summary>
    public const string SupplementBookmark = "GovFlow.ReviewSupplement";

    private readonly Input? _step;
    private readonly Input? _department;
    private readonly Input? _role;
    private readonly Input? _limit;
    private readonly Input? _assignee;

    /// <summary>Reads the inputs; a step without a name cannot be shown in an inbox.</summary>
    public ReviewTask(ActivityNode node, ActivityBuildContext build) : base(node, build)
    {
        _step = build.Input(node, "stepName", typeof(string));
        _department = build.Input(node, "department", typeof(string));
        _role = build.Input(node, "role", typeof(string));
        _limit = build.Input(node, "limitWorkingDays", typeof(int));
        _assignee = build.Input(node, "assignee", typeof(string));
        if (_step is null) build.Problem("a review task needs a step name", property: "stepName");
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
    protected override void ValidateResume(ActivityExecutionContext context, Bookmark bookmark, object? input)
    {
        var fields = StepInput.Fields(input);
        if (bookmark.Name == SupplementBookmark)
        {
            if (StepInput.TextList(fields, "materials").Count == 0) throw new BookmarkInputException("materials", "list the materials that were supplied");
            return;
        }
        ReviewActions.Validate(fields);
    }

    /// <inheritdoc />
    protected override ValueTask ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, object? input)
    {
        var fields = StepInput.Fields(input);
        var file = context.Case();
        var now = context.Workflow.Now;
        var step = StepName(context);
        var started = ChinaTime.ParseMoment(bookmark.Payload?["startedAt"]) ?? bookmark.CreatedAt;
        if (bookmark.Name == SupplementBookmark)
        {
            foreach (var m in StepInput.TextList(fields, "materials"))
                file.List("supplements").Add(new JsonObject { ["material"] = m, ["at"] = now.ToString("O"), ["by"] = context.Workflow.Actor });
            file.EndPause(now);
            file.Status = CaseStatus.InReview;
            OpenTask(context, bookmark.Payload?["assignee"]?.GetValue<string>(), started);
            return ValueTask.CompletedTask;
        }

        var action = StepInput.Text(fields, "action")!;
        var opinion = StepInput.Text(fields, "opinion");
        var extra = new JsonObject { ["department"] = context.Evaluate(_department) as string };
        context.SetOutput("decision", action);
        context.SetOutput("opinion", opinion);
        switch (action)
        {
            case ReviewActions.Approve:
                file.RecordStep(step, "pass", context.Workflow.Actor, opinion ?? "同意", started, now, extra);
                return context.CompleteAsync("Approved");
            case ReviewActions.Reject:
                file.RecordStep(step, "reject", context.Workflow.Actor, opinion, started, now, extra);
                file.Status = CaseStatus.Refused;
                return context.CompleteAsync("Rejected");
            case ReviewActions.Return:
                extra["returnTo"] = StepInput.Text(fields, "returnTo");
                file.RecordStep(step, "return", context.Workflow.Actor, opinion, started, now, extra);
                return context.CompleteAsync("Returned");
            case ReviewActions.Transfer:
                var assignee = StepInput.Text(fields, "assignee")!;
                extra["assignee"] = assignee;
                file.RecordStep(step, "transfer", context.Workflow.Actor, opinion, started, now, extra);
                OpenTask(context, assignee, started);
                return ValueTask.CompletedTask;
            default: // requestCorrection
                var missing = StepInput.TextList(fields, "missingMaterials");
                extra["materials"] = new JsonArray(missing.Select(m => (JsonNode?)m).ToArray());
                file.RecordStep(step, "requestCorrection", context.Workflow.Actor, opinion, started, now, extra);
                file.List("corrections").Add(new JsonObject { ["materials"] = extra["materials"]!.DeepClone(), ["notifiedAt"] = now.ToString("O"), ["by"] = context.Workflow.Actor, ["step"] = step });
                file.StartPause("Correction", opinion!, "《中华人民共和国行政许可法》第三十二条", now);
                file.Status = CaseStatus.Correction;
                context.CreateBookmark(SupplementBookmark, new JsonObject
                {
                    ["caseNumber"] = file.Input.CaseNumber, ["stepName"] = step, ["department"] = context.Evaluate(_department) as string,
                    ["materials"] = extra["materials"]!.DeepClone(), ["startedAt"] = started.ToString("O"), ["assignee"] = bookmark.Payload?["assignee"]?.GetValue<string>()
                });
                return ValueTask.CompletedTask;
        }
    }

    private string StepName(ActivityExecutionContext context) => context.Evaluate(_step) as string ?? Name ?? Id;

    private void OpenTask(ActivityExecutionContext context, string? assignee, DateTimeOffset started)
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
            ["dueAt"] = context.DueInWorkingDays(limit).ToString("O"),
            ["startedAt"] = started.ToString("O")
        });
    }
}
