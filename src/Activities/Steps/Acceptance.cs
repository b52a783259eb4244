using System.Text.Json.Nodes;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Supervision;
using GovFlow.Activities.Services;
using GovFlow.Activities.Tasks;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Activities.Steps;

/// <summary>
/// 一窗受理: checks the acceptance conditions and the material checklist. Everything present → Accepted;
/// only non-main, tolerance-allowed materials missing with a signed commitment → ToleranceAccepted;
/// otherwise the applicant is told once, completely, what is missing (一次性告知), the clock stops, and the step
/// waits for the supplement before accepting (or completes NeedsCorrection when told not to wait).
/// The window clerk's refusal (data.acceptance = "notAccepted" with reasons) → NotAccepted. An application the window
/// cannot decide on receipt (data.acceptance = "pending", e.g. one applied for online) waits for the window's decision
/// (受理, 不予受理, or 补正告知 through the checklist) for five working days; undecided by then, it counts as accepted
/// on receipt (《行政许可法》第三十二条).
/// </summary>
[Activity("GovFlow.Acceptance", "政务服务", "One-window acceptance", DisplayNameZh = "一窗受理", Kind = ActivityKind.Task,
    Outcomes = ["Accepted", "NotAccepted", "NeedsCorrection", "ToleranceAccepted"])]
[Input("department", typeof(string), DisplayNameZh = "受理窗口", Required = true)]
[Input("waitForSupplement", typeof(bool), DisplayNameZh = "等待补正", DefaultValue = "true")]
[Output("missingMaterials", typeof(List<string>))]
public sealed class Acceptance(ActivityNode node, ActivityBuildContext build) : Activity(node, build), ICaseOutcomes
{
    /// <inheritdoc />
    public IEnumerable<string> OutcomesTaken(Matters.ServiceMatter? matter)
    {
        yield return "Accepted";
        yield return "NotAccepted";
        if (_wait is { IsLiteral: true } wait && wait.Expression.Value?.GetValue<bool>() == false) yield return "NeedsCorrection";
        if (matter?.Tolerance is not null) yield return "ToleranceAccepted";
    }

    /// <inheritdoc />
    public bool GivesFinalStatus(string outcome, Matters.ServiceMatter? matter) => outcome == "NotAccepted";

    /// <summary>Bookmark of a case waiting for corrected materials.</summary>
    public const string CorrectionBookmark = "GovFlow.Correction";

    /// <summary>Timer of the applicant's time to supply (the matter's correction limit); when it fires the application is withdrawn.</summary>
    public const string CorrectionDeadlineBookmark = "GovFlow.CorrectionDeadline";

    /// <summary>The window receives the materials the applicant was told to supply (一次性告知), or the applicant withdraws.</summary>
    public static readonly TaskContract Correction = new()
    {
        Bookmark = CorrectionBookmark, DefaultStepName = "补正材料", Role = "window",
        Actions =
        [
            TaskActionSpec.Stays("supply", "材料已补齐", "Materials supplied", OpinionRule.Optional, fields: [new TaskField(TaskFields.Materials, true, "补齐的材料")]),
            TaskActionSpec.Completes("withdraw", "申请人撤回", "Applicant withdraws", "NotAccepted", OpinionRule.Optional, danger: true, endsCase: true)
        ]
    };

    /// <summary>Bookmark of the window's acceptance decision on an application it did not decide on receipt.</summary>
    public const string DecisionBookmark = "GovFlow.AcceptanceDecision";

    /// <summary>Timer of Art. 32: when it fires the undecided application counts as accepted on receipt.</summary>
    public const string DeemedBookmark = "GovFlow.AcceptanceDeemed";

    /// <summary>The working days the window has to decide (《行政许可法》第三十二条).</summary>
    public const int DecisionWorkingDays = 5;

    private const string Article32 = "《中华人民共和国行政许可法》第三十二条";

    /// <summary>The window decides: accept (the checklist then accepts, or tells the applicant once what to correct), or not accept.</summary>
    public static readonly TaskContract Decision = new()
    {
        Bookmark = DecisionBookmark, DefaultStepName = "受理审查", Role = "window",
        Actions =
        [
            TaskActionSpec.Stays("accept", "受理（材料不全则一次性告知补正）", "Accept (or ask for corrections)", OpinionRule.Optional),
            TaskActionSpec.Completes("notAccept", "不予受理", "Do not accept", "NotAccepted", OpinionRule.Required, danger: true, endsCase: true)
        ]
    };

    private readonly Input? _department = build.Input(node, "department");
    private readonly Input? _wait = build.Input(node, "waitForSupplement");

    /// <inheritdoc />
    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var file = context.Case();
        var input = file.Input;
        // An application made by consenting (免申即享's “同意”) carries who consented, when and how; the journal keeps it.
        if (input.Data.GetValueOrDefault("consent") is { } consent) context.Journal("ConsentRecorded", Values.ToJson(consent), "申请人同意以短信回复作为申请");
        if (Values.ToText(input.Data.GetValueOrDefault("acceptance")) == "notAccepted")
        {
            var reasons = Values.ToText(input.Data.GetValueOrDefault("notAcceptedReasons")) ?? "不符合受理条件";
            await Finish(context, "NotAccepted", CaseStatus.NotAccepted, reasons);
            await context.CompleteAsync("NotAccepted");
            return;
        }
        if (Values.ToText(input.Data.GetValueOrDefault("acceptance")) == "pending")
        {
            AwaitDecision(context);
            return;
        }
        await DecideAsync(context, firstTime: true);
    }

    // The decision is a step with Art. 32's limit, counted from receipt; its timer deems the application accepted.
    private void AwaitDecision(ActivityExecutionContext context)
    {
        var file = context.Case();
        var received = file.ReceivedAt ?? context.Workflow.Now;
        var due = ChinaTime.EndOfWorkingDays(context.Calendar(), received, DecisionWorkingDays);
        context.CreateBookmark(DeemedBookmark, new JsonObject { ["deadline"] = due.ToString("O"), ["receivedAt"] = received.ToString("O") }, due);
        context.CreateBookmark(DecisionBookmark, new JsonObject
        {
            ["caseNumber"] = file.Input.CaseNumber,
            ["department"] = file.Input.AcceptingWindow ?? context.Evaluate(_department) as string,
            ["dueAt"] = due.ToString("O"),
            [TaskContract.OfferedProperty] = Decision.Offer(this)
        });
    }

    /// <inheritdoc />
    protected override JsonNode? DescribeResume(Bookmark bookmark, object? input) => TaskContracts.Decision(bookmark, input);

    /// <inheritdoc />
    protected override void ValidateResume(ActivityExecutionContext context, Bookmark bookmark, object? input)
    {
        if (bookmark.Name == CorrectionBookmark) Correction.Check(bookmark, input);
        if (bookmark.Name == DecisionBookmark) Decision.Check(bookmark, input);
    }

    /// <inheritdoc />
    protected override async ValueTask ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, object? input)
    {
        var file = context.Case();
        if (bookmark.Name == DeemedBookmark)
        {
            await DeemAcceptedAsync(context, bookmark);
            return;
        }
        if (bookmark.Name == DecisionBookmark)
        {
            context.Workflow.RemoveBookmarks(context, b => b.Name == DeemedBookmark);
            var decision = TaskCommand.From(input);
            if (decision.Action == "notAccept")
            {
                await Finish(context, "NotAccepted", CaseStatus.NotAccepted, decision.Opinion!);
                await context.CompleteAsync("NotAccepted");
                return;
            }
            await DecideAsync(context, firstTime: true);
            return;
        }
        if (bookmark.Name == CorrectionDeadlineBookmark)
        {
            file.EndPause(context.Workflow.Now);
            await Finish(context, "Withdrawn", CaseStatus.Withdrawn, "逾期未补正，视为撤回申请");
            await context.CompleteAsync("NotAccepted");
            return;
        }
        var command = TaskCommand.From(input);
        if (command.Action == "withdraw")
        {
            file.EndPause(context.Workflow.Now);
            await Finish(context, "Withdrawn", CaseStatus.Withdrawn, "申请人撤回申请");
            await context.CompleteAsync("NotAccepted");
            return;
        }
        foreach (var material in command.Materials ?? [])
            file.Add(CaseParts.Supplements, new MaterialSupplied { Material = material, At = context.Workflow.Now, By = context.Workflow.Actor });
        await DecideAsync(context, firstTime: false);
    }

    // Art. 32: no decision within five working days of receipt, so the application was accepted when it was received.
    private async ValueTask DeemAcceptedAsync(ActivityExecutionContext context, Bookmark timer)
    {
        var file = context.Case();
        context.Workflow.RemoveBookmarks(context, b => b.Name == DecisionBookmark);
        var received = ChinaTime.ParseMoment(timer.Payload?["receivedAt"]) ?? file.ReceivedAt ?? timer.CreatedAt;
        const string reason = "受理机关逾期未作出受理决定，自收到申请材料之日起即为受理（" + Article32 + "）";
        file.Status = CaseStatus.Accepted;
        file.AcceptedAt = received;
        file.RecordStep("受理", "DeemedAccepted", context.Workflow.Actor, reason, received, context.Workflow.Now, context.Evaluate(_department) as string);
        context.Journal("DeemedAccepted", new JsonObject { ["acceptedAt"] = received.ToString("O"), ["legalBasis"] = Article32 }, reason);
        await context.CompleteAsync("Accepted");
    }

    private async ValueTask DecideAsync(ActivityExecutionContext context, bool firstTime)
    {
        var file = context.Case();
        var matter = context.Matter() ?? throw new InvalidOperationException("GovFlow.Acceptance needs a service matter in the definition's customProperties.");
        if (firstTime) RecordWindowLookups(context, file, matter);
        var lines = Checklist.Evaluate(context, matter);
        Checklist.Record(file, lines);
        var missing = lines.Where(l => l.Missing).ToList();
        context.SetOutput("missingMaterials", missing.Select(l => l.Material.Name).ToList());
        if (missing.Count == 0)
        {
            file.EndPause(context.Workflow.Now);
            await Finish(context, "Accepted", CaseStatus.Accepted, firstTime ? "材料齐全，予以受理" : "补正材料齐全，予以受理");
            await context.CompleteAsync("Accepted");
            return;
        }
        if (firstTime && await ToleranceAppliesAsync(context, matter, missing))
        {
            file.Edit(CaseParts.Tolerance, t =>
            {
                t.Missing = [.. missing.Select(l => l.Material.Name)];
                t.Commitment = Values.ToJson(file.Input.Data.GetValueOrDefault("toleranceCommitment"));
            });
            await Finish(context, "ToleranceAccepted", CaseStatus.Accepted, "容缺受理：" + string.Join("、", missing.Select(l => l.Material.Name)));
            await context.CompleteAsync("ToleranceAccepted");
            return;
        }
        // 一次性告知: one complete list of everything missing.
        var notice = new CorrectionNotice { Materials = [.. missing.Select(l => l.Material.Name)], NotifiedAt = context.Workflow.Now, By = context.Workflow.Actor };
        file.Add(CaseParts.Corrections, notice);
        if (!file.IsPaused) file.StartPause(PauseKind.Correction, "补正材料：" + string.Join("、", missing.Select(l => l.Material.Name)), "《中华人民共和国行政许可法》第三十二条", context.Workflow.Now);
        file.Status = CaseStatus.Correction;
        context.Journal("CorrectionRequested", CaseFile.ToJson(notice));
        if (!context.Get(_wait, true))
        {
            await context.CompleteAsync("NeedsCorrection");
            return;
        }
        // The applicant's time runs from the first notice; a partial supply does not give it again.
        var deadline = ChinaTime.ParseMoment(context.Workflow.Bookmarks.FirstOrDefault(b => b.ActivityInstanceId == context.Id && b.Name == CorrectionDeadlineBookmark)?.Payload?["deadline"]);
        if (deadline is null)
        {
            deadline = context.DueInWorkingDays((int)(context.Matter()?.CorrectionLimit ?? new TimeLimit(20, TimeUnit.WD)).InWorkingDays());
            context.CreateBookmark(CorrectionDeadlineBookmark, new JsonObject { ["deadline"] = deadline.Value.ToString("O") }, deadline);
        }
        // The correction goes back to the window, and the clerk, that took the application.
        context.CreateBookmark(CorrectionBookmark, new JsonObject
        {
            ["caseNumber"] = file.Input.CaseNumber,
            ["department"] = file.Input.AcceptingWindow ?? context.Evaluate(_department) as string,
            ["assignee"] = file.Input.AcceptedBy,
            ["deadline"] = deadline.Value.ToString("O"),
            ["materials"] = new JsonArray([.. notice.Materials.Select(m => (JsonNode?)m)]),
            [TaskContract.OfferedProperty] = Correction.Offer(this, new Dictionary<string, IReadOnlyList<string>> { [TaskFields.Materials] = missing.Select(l => l.Material.Name).ToList() })
        });
    }

    // The certificates the window found while taking the application (用证) are the case's certificate uses, so a
    // material one replaces counts as handed in and is never asked for on paper afterwards.
    private static void RecordWindowLookups(ActivityExecutionContext context, CaseFile file, Matters.ServiceMatter matter)
    {
        var input = file.Input;
        foreach (var (name, number) in input.CertifiedMaterials)
        {
            if (matter.Materials.FirstOrDefault(m => m.Name == name) is not { CertificateReplaceable: true } material) continue;
            if (file.CertificateUses.Any(u => u.Material == name && u.Outcome == "Found")) continue;
            file.Add(CaseParts.CertificateUses, new CertificateUse
            {
                HolderCode = input.Applicant.IdNumber, HolderType = input.Applicant.IdType, CertificateType = material.CertificateType, Material = name,
                Reason = $"窗口受理核验{name}", By = input.AcceptedBy ?? context.Workflow.Actor, At = file.ReceivedAt ?? context.Workflow.Now,
                CaseNumber = input.CaseNumber, Outcome = "Found", CertificateId = number
            });
        }
    }

    private static async Task<bool> ToleranceAppliesAsync(ActivityExecutionContext context, Matters.ServiceMatter matter, List<ChecklistLine> missing)
    {
        if (matter.Tolerance is null || missing.Any(l => l.Material.Main || !l.Material.ToleranceAllowed)) return false;
        var input = context.Case().Input;
        if (input.Data.GetValueOrDefault("toleranceCommitment") is null or false) return false;
        if (context.Workflow.Services.GetService(typeof(ICreditRecords)) is ICreditRecords credit
            && await credit.HasBrokenCommitmentAsync(input.Applicant.IdNumber))
        {
            context.Journal("ToleranceRefused", new JsonObject { ["reason"] = "申请人有失信承诺记录" });
            return false;
        }
        return true;
    }

    private async ValueTask Finish(ActivityExecutionContext context, string action, string status, string opinion)
    {
        var file = context.Case();
        if (CaseStatus.IsFinal(status)) await context.CloseCaseAsync(status);
        else file.Status = status;
        file.AcceptedAt = status == CaseStatus.Accepted ? context.Workflow.Now : null;
        file.RecordStep("受理", action, context.Workflow.Actor, opinion, file.ReceivedAt ?? context.Workflow.Now, context.Workflow.Now, context.Evaluate(_department) as string);
    }
}
