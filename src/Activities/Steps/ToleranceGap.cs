using System.Text.Json.Nodes;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Tasks;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Activities.Steps;

/// <summary>
/// 容缺受理: records the applicant's signed commitment and the missing non-main materials with a supplement
/// deadline no later than the promised limit, then waits. All supplied → Supplied (the case ends 容缺通过 when
/// approved); deadline passed → Expired (the case is returned or suspended as the matter says) and the broken
/// commitment goes to the credit record, which refuses tolerance next time.
/// </summary>
[Activity("GovFlow.ToleranceGap", "政务服务", "Tolerance-gap acceptance", DisplayNameZh = "容缺受理", Outcomes = ["Supplied", "Expired"])]
[Input("supplementLimitWorkingDays", typeof(int), DisplayNameZh = "补齐期限（工作日）")]
[Input("onExpiry", typeof(string), DisplayNameZh = "逾期处理", Options = ["terminate", "suspend"])]
public sealed class ToleranceGap(ActivityNode node, ActivityBuildContext build) : Activity(node, build), ICaseOutcomes
{
    /// <inheritdoc />
    public IEnumerable<string> OutcomesTaken(Matters.ServiceMatter? matter) => ["Supplied", "Expired"];

    /// <summary>An expiry that terminates withdraws the case (final); one that suspends it must lead on.</summary>
    public bool GivesFinalStatus(string outcome, Matters.ServiceMatter? matter) =>
        outcome == "Expired" && (_onExpiry is { IsLiteral: true } e ? e.Expression.Text : matter?.Tolerance?.OnExpiry ?? "terminate") != "suspend";

    /// <summary>Bookmark of a supplement.</summary>
    public const string SupplementBookmark = "GovFlow.ToleranceSupplement";

    /// <summary>Timer bookmark of the deadline.</summary>
    public const string DeadlineBookmark = "GovFlow.ToleranceDeadline";

    /// <summary>
    /// Timer bookmark of the reminder before the deadline (the matter's <see cref="Matters.ToleranceRules.RemindBeforeWorkingDays"/>);
    /// it goes with the step when the materials come in first.
    /// </summary>
    public const string ReminderBookmark = "GovFlow.ToleranceReminder";

    /// <summary>The journal event of a reminder, on which the host texts the applicant.</summary>
    public const string ReminderEvent = "ToleranceReminder";

    /// <summary>The window receives materials accepted under tolerance, before the committed deadline.</summary>
    public static readonly TaskContract Supplement = new()
    {
        Bookmark = SupplementBookmark, DefaultStepName = "补齐容缺材料", Role = "window",
        Actions = [TaskActionSpec.Stays("supply", "材料已补齐", "Materials supplied", OpinionRule.Optional, fields: [new TaskField(TaskFields.Materials, true, "补齐的材料")])]
    };

    private readonly Input? _limit = build.Input(node, "supplementLimitWorkingDays");
    private readonly Input? _onExpiry = build.Input(node, "onExpiry");

    /// <inheritdoc />
    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var matter = context.Matter() ?? throw new InvalidOperationException("GovFlow.ToleranceGap needs a service matter.");
        var rules = matter.Tolerance ?? throw new InvalidOperationException($"Matter '{matter.Name}' does not allow tolerance-gap acceptance.");
        var file = context.Case();
        var missing = file.Tolerance?.Missing?.ToList()
                      ?? Checklist.Evaluate(context, matter).Where(l => l.Missing).Select(l => l.Material.Name).ToList();
        var notAllowed = missing.Where(m => matter.Materials.FirstOrDefault(x => x.Name == m) is not { Main: false, ToleranceAllowed: true }).ToList();
        if (notAllowed.Count > 0) throw new InvalidOperationException($"Tolerance cannot cover main or non-tolerance materials: {string.Join("、", notAllowed)}.");
        var limit = context.Evaluate(_limit) as int? ?? (int)rules.SupplementLimit.InWorkingDays();
        var deadline = context.DueInWorkingDays(Math.Min(limit, (int)matter.PromisedLimit.InWorkingDays()));
        var tolerance = file.Edit(CaseParts.Tolerance, t =>
        {
            t.Missing = missing;
            t.Deadline = deadline;
            t.OnExpiry = context.Evaluate(_onExpiry) as string ?? rules.OnExpiry;
            t.NoticeAt = context.Workflow.Now;
            t.Supplied = false;
        });
        context.Journal("ToleranceNotice", CaseFile.ToJson(tolerance));
        if (missing.Count == 0) return Supplied(context);
        OpenSupplement(context, missing, deadline.ToString("O"));
        context.CreateBookmark(DeadlineBookmark, new JsonObject { ["deadline"] = deadline.ToString("O") }, deadline);
        if (ReminderAt(context.Calendar(), deadline, rules.RemindBeforeWorkingDays) is { } remindAt && remindAt > context.Workflow.Now)
            context.CreateBookmark(ReminderBookmark, new JsonObject { ["remindAt"] = remindAt.ToString("O") }, remindAt);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The start of the working day <paramref name="workingDays"/> working days before the deadline's day (China time),
    /// so the applicant has those days left to bring the materials; null when no reminder is wanted.
    /// </summary>
    public static DateTimeOffset? ReminderAt(Calendar.WorkingCalendar calendar, DateTimeOffset deadline, int workingDays)
    {
        if (workingDays <= 0) return null;
        var day = ChinaTime.Date(deadline);
        for (var left = workingDays; left > 0;)
        {
            day = day.AddDays(-1);
            if (calendar.IsWorkingDay(day)) left--;
        }
        return ChinaTime.ToMoment(day.ToDateTime(calendar.Hours.MorningStart));
    }

    /// <inheritdoc />
    protected override JsonNode? DescribeResume(Bookmark bookmark, object? input) => TaskContracts.Decision(bookmark, input);

    /// <inheritdoc />
    protected override void ValidateResume(ActivityExecutionContext context, Bookmark bookmark, object? input)
    {
        if (bookmark.Name == SupplementBookmark) Supplement.Check(bookmark, input);
    }

    private void OpenSupplement(ActivityExecutionContext context, IReadOnlyList<string> owed, string deadline) =>
        context.CreateBookmark(SupplementBookmark, new JsonObject
        {
            ["caseNumber"] = context.Case().Input.CaseNumber, ["materials"] = new JsonArray(owed.Select(m => (JsonNode?)m).ToArray()), ["deadline"] = deadline,
            [TaskContract.OfferedProperty] = Supplement.Offer(this, new Dictionary<string, IReadOnlyList<string>> { [TaskFields.Materials] = owed })
        });

    /// <inheritdoc />
    protected override async ValueTask ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, object? input)
    {
        var file = context.Case();
        if (bookmark.Name == ReminderBookmark)
        {
            // Still waiting (a supply would have completed the step and taken this timer with it): the host texts
            // the applicant on this event what is owed and by when.
            var reminded = file.Edit(CaseParts.Tolerance, t => t.RemindedAt = context.Workflow.Now);
            context.Journal(ReminderEvent, CaseFile.ToJson(reminded));
            return;
        }
        if (bookmark.Name == DeadlineBookmark)
        {
            var expired = file.Edit(CaseParts.Tolerance, t => t.Expired = true);
            if (expired.OnExpiry == "suspend") file.Status = CaseStatus.Suspended;
            else await context.CloseCaseAsync(CaseStatus.Withdrawn);
            file.BrokenCommitment = true;
            context.Journal("ToleranceExpired", CaseFile.ToJson(expired));
            await context.CompleteAsync("Expired");
            return;
        }
        var supplied = TaskCommand.From(input).Materials ?? [];
        foreach (var m in supplied)
            file.Add(CaseParts.Supplements, new MaterialSupplied { Material = m, At = context.Workflow.Now, By = context.Workflow.Actor });
        var have = file.Supplements.Select(s => s.Material).ToHashSet();
        var tolerance = file.Tolerance!;
        var still = (tolerance.Missing ?? []).Where(m => !have.Contains(m)).ToList();
        if (still.Count > 0)
        {
            OpenSupplement(context, still, tolerance.Deadline!.Value.ToString("O"));
            return;
        }
        await Supplied(context);
    }

    private static ValueTask Supplied(ActivityExecutionContext context)
    {
        var file = context.Case();
        file.Edit(CaseParts.Tolerance, t =>
        {
            t.Supplied = true;
            t.SuppliedAt = context.Workflow.Now;
        });
        return context.CompleteAsync("Supplied");
    }
}
