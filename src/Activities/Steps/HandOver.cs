using System.Text.Json.Nodes;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Services;
using GovFlow.Activities.Tasks;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Activities.Steps;

/// <summary>
/// 受理转交 (通办). Leg <c>toOwner</c>, right after acceptance: a case accepted at a hall outside the owning
/// department's region goes to that department electronically, whose clerks sign for it (签收) within the
/// hand-over's own limit (one working day unless set); paper originals the matter requires are posted from the
/// accepting hall to the owner. A case accepted in the owner's own region passes straight through. Leg
/// <c>resultBack</c>, after the decision: the result goes where the applicant chose at acceptance (data
/// <c>delivery</c>, <see cref="ResultDelivery"/>): <c>pickup</c> hands it back to the accepting hall, whose window marks it collected;
/// otherwise the step completes ByPost for the flow's mailing step.
/// </summary>
[Activity("GovFlow.HandOver", "政务服务", "Hand over (handle anywhere)", DisplayNameZh = "受理转交", Kind = ActivityKind.Task, Outcomes = ["Done", "ByPost"])]
[Input("leg", typeof(string), DisplayNameZh = "环节", Options = [ToOwner, ResultBack], DefaultValue = ToOwner)]
[Input("department", typeof(string), DisplayNameZh = "承办部门", Required = true)]
[Input("limitWorkingDays", typeof(int), DisplayNameZh = "转交时限（工作日）", DefaultValue = "1")]
[Input("originals", typeof(bool), DisplayNameZh = "寄递纸质原件")]
[Input("address", typeof(string), DisplayNameZh = "原件收件地址")]
[Input("receiver", typeof(string), DisplayNameZh = "原件收件人")]
[Input("phone", typeof(string), DisplayNameZh = "收件人电话")]
public sealed class HandOver(ActivityNode node, ActivityBuildContext build) : Activity(node, build), ICaseOutcomes
{
    /// <summary>The leg after acceptance: the case goes to the owning department.</summary>
    public const string ToOwner = "toOwner";

    /// <summary>The leg after the decision: the result goes where the applicant chose.</summary>
    public const string ResultBack = "resultBack";

    /// <summary>Bookmark of the owner's receipt task.</summary>
    public const string ReceiptBookmark = "GovFlow.HandOver";

    /// <summary>Bookmark of the accepting hall's task to hand the result to the applicant.</summary>
    public const string CollectionBookmark = "GovFlow.ResultCollection";

    /// <summary>The hand-over's limit when the flow sets none: one working day.</summary>
    public const int DefaultLimitWorkingDays = 1;

    /// <summary>The owner's clerks sign for the case.</summary>
    public static readonly TaskContract Receipt = new()
    {
        Bookmark = ReceiptBookmark, DefaultStepName = "受理转交签收", Role = "reviewer",
        Actions = [TaskActionSpec.Completes("receive", "确认接收", "Confirm receipt", "Done", OpinionRule.Optional)]
    };

    /// <summary>The accepting hall's window hands the result to the applicant.</summary>
    public static readonly TaskContract Collection = new()
    {
        Bookmark = CollectionBookmark, DefaultStepName = "结果领取", Role = "window",
        Actions = [TaskActionSpec.Completes("collected", "申请人已领取", "Collected by the applicant", "Done", OpinionRule.Optional)]
    };

    private readonly Input? _leg = build.Input(node, "leg");
    private readonly Input? _owner = build.Input(node, "department");
    private readonly Input? _limit = build.Input(node, "limitWorkingDays");
    private readonly Input? _originals = build.Input(node, "originals");
    private readonly Input? _address = build.Input(node, "address");
    private readonly Input? _receiver = build.Input(node, "receiver");
    private readonly Input? _phone = build.Input(node, "phone");

    // The leg as the flow writes it: the outcomes a configured step can take depend on it.
    private string DeclaredLeg => _leg is { IsLiteral: true } l ? l.Expression.Value?.GetValue<string>() ?? ToOwner : ToOwner;

    /// <inheritdoc />
    public IEnumerable<string> OutcomesTaken(Matters.ServiceMatter? matter) => DeclaredLeg == ResultBack ? ["Done", "ByPost"] : ["Done"];

    /// <inheritdoc />
    public bool GivesFinalStatus(string outcome, Matters.ServiceMatter? matter) => false;

    /// <inheritdoc />
    protected override ValueTask ExecuteAsync(ActivityExecutionContext context) =>
        (context.Evaluate(_leg) as string ?? ToOwner) == ResultBack ? SendResultBack(context) : SendToOwner(context);

    private ValueTask SendToOwner(ActivityExecutionContext context)
    {
        var file = context.Case();
        var input = file.Input;
        var now = context.Workflow.Now;
        var owner = Owner(context);
        var hall = input.AcceptingWindow;
        // Online applications and the owner's own windows need no hand-over; nor does a hall in the owner's region.
        var local = hall is null || hall == owner || (input.AcceptingRegion is { } region && region == input.OwnerRegion);
        var record = file.Edit(CaseParts.HandOver, h =>
        {
            h.AcceptingHall = hall;
            h.AcceptingRegion = input.AcceptingRegion;
            h.AcceptingRegionName = input.AcceptingRegionName;
            h.Owner = owner;
            h.OwnerRegion = input.OwnerRegion;
            h.Status = local ? "local" : "pending";
        });
        if (local)
        {
            file.RecordStep("受理转交", "pass", "system", "本地受理，无需转交", now, now, owner);
            context.Journal("HandOverSkipped", new JsonObject { ["hall"] = hall, ["owner"] = owner }, "本地受理，无需转交");
            return context.CompleteAsync("Done");
        }

        var limit = context.Get(_limit, DefaultLimitWorkingDays);
        var due = context.DueInWorkingDays(limit);
        var originals = context.Get(_originals, context.Matter()?.Materials.Any(m => m.Originals > 0) ?? false)
            ? context.Matter()?.Materials.Where(m => m.Originals > 0).Select(m => m.Name).ToList() ?? []
            : [];
        file.Edit(CaseParts.HandOver, h =>
        {
            h.SentAt = now;
            h.DueAt = due;
            h.LimitWorkingDays = limit;
            h.Originals = originals;
        });
        context.Journal("HandedOver", new JsonObject
        {
            ["hall"] = hall, ["hallRegion"] = record.AcceptingRegion, ["owner"] = owner, ["ownerRegion"] = record.OwnerRegion,
            ["limitWorkingDays"] = limit, ["dueAt"] = due.ToString("O"), ["originals"] = new JsonArray([.. originals.Select(o => (JsonNode?)o)])
        }, $"{hall}受理，转交{owner}，须于{limit}个工作日内签收");
        context.CreateBookmark(ReceiptBookmark, new JsonObject
        {
            ["caseNumber"] = input.CaseNumber, ["stepName"] = Receipt.DefaultStepName, ["department"] = owner, ["role"] = Receipt.Role,
            ["limitWorkingDays"] = limit, ["dueAt"] = due.ToString("O"), ["startedAt"] = now.ToString("O"), ["from"] = hall,
            [TaskContract.OfferedProperty] = Receipt.Offer(this)
        });
        if (originals.Count > 0) PostOriginals(context, hall!, owner);
        return ValueTask.CompletedTask;
    }

    // The originals travel by post while the case itself is already with the owner; their waybill goes on the case.
    private void PostOriginals(ActivityExecutionContext context, string hall, string owner)
    {
        var address = context.Evaluate(_address) as string;
        if (!SendByPost.LooksDeliverable(address))
        {
            OriginalsProblem(context, $"承办部门收件地址不完整，纸质原件未寄出：{address ?? "（空）"}");
            return;
        }
        context.CallService("mail.create", new WaybillRequest(context.Case().Input.CaseNumber, "materials", hall,
            context.Evaluate(_receiver) as string ?? owner, context.Evaluate(_phone) as string, address!));
    }

    private static void OriginalsProblem(ActivityExecutionContext context, string reason)
    {
        context.Case().Edit(CaseParts.HandOver, h => h.OriginalsProblem = reason);
        context.Journal("MailingProblem", new JsonObject { ["item"] = "materials", ["reason"] = reason }, reason);
    }

    private ValueTask SendResultBack(ActivityExecutionContext context)
    {
        var file = context.Case();
        var choice = ResultDelivery.Of(file.Input);
        var record = file.Edit(CaseParts.HandOver, h => h.Collection = choice);
        if (choice == ResultDelivery.ByPost) return context.CompleteAsync("ByPost");
        // The applicant collects where they applied: the accepting hall, or the owner's own window for a local case.
        var hall = record.AcceptingHall ?? file.Input.AcceptingWindow ?? Owner(context);
        context.Journal("ResultSentToHall", new JsonObject { ["hall"] = hall }, $"办理结果送{hall}，由申请人到窗口领取");
        context.CreateBookmark(CollectionBookmark, new JsonObject
        {
            ["caseNumber"] = file.Input.CaseNumber, ["stepName"] = Collection.DefaultStepName, ["department"] = hall, ["role"] = Collection.Role,
            ["startedAt"] = context.Workflow.Now.ToString("O"), [TaskContract.OfferedProperty] = Collection.Offer(this)
        });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected override JsonNode? DescribeResume(Bookmark bookmark, object? input) => TaskContracts.Decision(bookmark, input);

    /// <inheritdoc />
    protected override void ValidateResume(ActivityExecutionContext context, Bookmark bookmark, object? input)
    {
        if (bookmark.Name == ReceiptBookmark) Receipt.Check(bookmark, input);
        if (bookmark.Name == CollectionBookmark) Collection.Check(bookmark, input);
    }

    /// <inheritdoc />
    protected override ValueTask ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, object? input)
    {
        var file = context.Case();
        var now = context.Workflow.Now;
        var actor = context.Workflow.Actor;
        var command = bookmark.IsServiceCall() ? null : TaskCommand.From(input);
        var started = ChinaTime.ParseMoment(bookmark.Payload?["startedAt"]) ?? bookmark.CreatedAt;
        var department = bookmark.Payload?["department"]?.GetValue<string>();
        switch (bookmark.Name)
        {
            case ServiceCalls.BookmarkName:
                var reply = ServiceCalls.ReplyOf(input);
                if (!reply.Ok)
                {
                    OriginalsProblem(context, "纸质原件寄递下单失败：" + reply.Error);
                    return ValueTask.CompletedTask;
                }
                var waybill = reply.As<Waybill>().Number;
                file.Edit(CaseParts.HandOver, h => h.OriginalsWaybill = waybill);
                context.Journal("OriginalsPosted", new JsonObject { ["waybill"] = waybill }, $"纸质原件已寄出，运单号{waybill}");
                return ValueTask.CompletedTask;
            case ReceiptBookmark:
                var due = ChinaTime.ParseMoment(bookmark.Payload?["dueAt"]);
                var late = due is { } d && now > d;
                file.Edit(CaseParts.HandOver, h =>
                {
                    h.Status = "received";
                    h.ReceivedAt = now;
                    h.ReceivedBy = actor;
                });
                file.RecordStep("受理转交签收", "pass", actor, command!.Opinion ?? "已签收", started, now, department);
                context.Journal("HandOverReceived", new JsonObject { ["by"] = actor, ["department"] = department, ["overdue"] = late },
                    late ? $"{department}签收（超过转交时限）" : $"{department}签收");
                return context.CompleteAsync("Done");
            default:
                file.Edit(CaseParts.HandOver, h =>
                {
                    h.CollectedAt = now;
                    h.CollectedBy = actor;
                });
                file.RecordStep("结果领取", "pass", actor, command!.Opinion ?? $"申请人已在{department}领取结果", started, now, department);
                context.Journal("ResultCollected", new JsonObject { ["hall"] = department, ["by"] = actor }, $"申请人已在{department}领取结果");
                return context.CompleteAsync("Done");
        }
    }

    private string Owner(ActivityExecutionContext context) =>
        context.Evaluate(_owner) as string is { Length: > 0 } owner ? owner : context.Matter()?.Department ?? "";
}
