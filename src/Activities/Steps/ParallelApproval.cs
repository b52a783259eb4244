using System.Text.Json.Nodes;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Tasks;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Activities.Steps;

/// <summary>
/// 并联审批: the lead department distributes the case and every member department reviews at once. Each answers
/// agree, disagree (reasons required) or agreePending (agree pending higher approval); a member silent past its
/// limit is deemed to agree when the matter says so. Each decision is kept separately.
/// All agree → AllApproved; all disagree → Rejected; otherwise PartiallyApproved.
/// </summary>
[Activity("GovFlow.ParallelApproval", "政务服务", "Parallel approval", DisplayNameZh = "并联审批", Kind = ActivityKind.Task,
    Outcomes = ["AllApproved", "PartiallyApproved", "Rejected"])]
[Input("department", typeof(string), DisplayNameZh = "牵头部门", Required = true)]
[Input("members", typeof(List<string>), DisplayNameZh = "协办部门", Required = true)]
[Input("limitWorkingDays", typeof(int), DisplayNameZh = "协办时限（工作日）")]
[Input("deemedAgreeOnTimeout", typeof(bool), DisplayNameZh = "逾期视为同意")]
[Output("decisions", typeof(object))]
public sealed class ParallelApproval(ActivityNode node, ActivityBuildContext build) : Activity(node, build), ICaseOutcomes
{
    /// <inheritdoc />
    public IEnumerable<string> OutcomesTaken(Matters.ServiceMatter? matter) => ["AllApproved", "PartiallyApproved", "Rejected"];

    /// <inheritdoc />
    public bool GivesFinalStatus(string outcome, Matters.ServiceMatter? matter) => outcome == "Rejected";

    /// <summary>Bookmark of a member department's opinion task.</summary>
    public const string OpinionBookmark = "GovFlow.ParallelOpinion";

    /// <summary>Timer bookmark of the members' limit.</summary>
    public const string TimeoutBookmark = "GovFlow.ParallelTimeout";

    /// <summary>A member department's answer: agree, agree pending its superior's approval, or disagree with reasons.</summary>
    public static readonly TaskContract Opinion = new()
    {
        Bookmark = OpinionBookmark, DefaultStepName = "并联审查", Role = "reviewer",
        Actions =
        [
            TaskActionSpec.Stays("agree", "同意", "Agree", OpinionRule.Optional),
            TaskActionSpec.Stays("agreePending", "同意（待上级审批）", "Agree pending approval", OpinionRule.Optional),
            TaskActionSpec.Stays("disagree", "不同意", "Disagree", OpinionRule.Required, danger: true)
        ]
    };

    // The step's opinion is read by people (case page, replay, notices): the answer in the hall's words, not its code.
    private static string DecisionLabel(string? decision) => Opinion.Actions.FirstOrDefault(a => a.Name == decision)?.Label ?? decision ?? "";

    private readonly Input? _lead = build.Input(node, "department");
    private readonly Input? _members = build.Input(node, "members");
    private readonly Input? _limit = build.Input(node, "limitWorkingDays");
    private readonly Input? _deemed = build.Input(node, "deemedAgreeOnTimeout");

    /// <inheritdoc />
    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var matter = context.Matter();
        var members = context.Evaluate(_members) as List<string> is { Count: > 0 } m ? m : matter?.Parallel?.Members ?? [];
        if (members.Count == 0) throw new InvalidOperationException("Parallel approval needs at least one member department.");
        var lead = context.Evaluate(_lead) as string ?? matter?.Parallel?.Lead ?? "";
        var limit = context.Evaluate(_limit) as int? ?? matter?.Parallel?.MemberLimit.Value ?? 5;
        var deemed = context.Evaluate(_deemed) as bool? ?? matter?.Parallel?.DeemedAgreeOnTimeout ?? true;
        var file = context.Case();
        file.Status = CaseStatus.InReview;
        var due = context.DueInWorkingDays(limit);
        file.Set(CaseParts.Parallel, new ParallelRecord { Lead = lead, Members = members, DueAt = due, StartedAt = context.Workflow.Now, DeemedAgreeOnTimeout = deemed });
        foreach (var member in members)
            context.CreateBookmark(OpinionBookmark, new JsonObject
            {
                ["caseNumber"] = file.Input.CaseNumber, ["stepName"] = "并联审查", ["department"] = member, ["lead"] = lead,
                ["limitWorkingDays"] = limit, ["dueAt"] = due.ToString("O"), ["startedAt"] = context.Workflow.Now.ToString("O"),
                [TaskContract.OfferedProperty] = Opinion.Offer(this)
            });
        if (deemed) context.CreateBookmark(TimeoutBookmark, new JsonObject { ["dueAt"] = due.ToString("O") }, due);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected override JsonNode? DescribeResume(Bookmark bookmark, object? input) => TaskContracts.Decision(bookmark, input);

    /// <inheritdoc />
    protected override void ValidateResume(ActivityExecutionContext context, Bookmark bookmark, object? input)
    {
        if (bookmark.Name == OpinionBookmark) Opinion.Check(bookmark, input);
    }

    /// <inheritdoc />
    protected override ValueTask ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, object? input)
    {
        var file = context.Case();
        var now = context.Workflow.Now;
        var parallel = file.Edit(CaseParts.Parallel, p =>
        {
            if (bookmark.Name == TimeoutBookmark)
                p.Decisions.AddRange(context.Workflow.Bookmarks.Where(b => b.ActivityInstanceId == context.Id && b.Name == OpinionBookmark)
                    .Select(open => new ParallelDecision { Department = open.Payload?["department"]?.GetValue<string>(), Decision = "agree", Deemed = true, Reasons = "逾期未答复，视为同意", At = now }));
            else
            {
                var answer = TaskCommand.From(input);
                p.Decisions.Add(new ParallelDecision { Department = bookmark.Payload?["department"]?.GetValue<string>(), Decision = answer.Action, Reasons = answer.Opinion, By = context.Workflow.Actor, At = now });
            }
        });
        if (bookmark.Name == TimeoutBookmark) context.Workflow.RemoveBookmarks(context, b => b.Name == OpinionBookmark);
        else context.Journal("ParallelOpinion", CaseFile.ToJson(parallel.Decisions[^1]));
        if (context.Workflow.Bookmarks.Any(b => b.ActivityInstanceId == context.Id && b.Name == OpinionBookmark)) return ValueTask.CompletedTask;
        context.Workflow.RemoveBookmarks(context, b => b.Name == TimeoutBookmark);
        var answers = parallel.Decisions.Select(d => d.Decision).ToList();
        var outcome = answers.All(a => a is "agree" or "agreePending") ? "AllApproved" : answers.All(a => a == "disagree") ? "Rejected" : "PartiallyApproved";
        parallel = file.Edit(CaseParts.Parallel, p => p.Outcome = outcome);
        context.SetOutput("decisions", Values.FromJson(CaseFile.ToJson(parallel.Decisions)));
        file.RecordStep("并联审批", outcome, context.Workflow.Actor, string.Join("；", parallel.Decisions.Select(d => $"{d.Department}：{DecisionLabel(d.Decision)}")), parallel.StartedAt, now);
        return outcome == "Rejected" ? RefuseAsync(context) : context.CompleteAsync(outcome);
    }

    private static async ValueTask RefuseAsync(ActivityExecutionContext context)
    {
        await context.CloseCaseAsync(CaseStatus.Refused);
        await context.CompleteAsync("Rejected");
    }
}
