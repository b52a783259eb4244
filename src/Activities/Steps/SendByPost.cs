using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Services;
using GovFlow.Activities.Tasks;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Activities.Steps;

/// <summary>
/// 邮寄: creates a waybill for the result (or for paper materials between halls) and follows it until it is
/// delivered, returned or fails. A bad address or an unreachable mailing service fails at once, so a clerk can act.
/// The result goes the way the applicant chose at acceptance (<see cref="ResultDelivery"/>): by post, or a window
/// task 窗口领取 until it is collected. With <c>onProblem</c> = task, a returned or failed letter becomes a window
/// task here (重新寄送, 修改地址后寄送, 改为窗口领取) instead of leaving by the Returned or Failed outcome.
/// </summary>
[Activity("GovFlow.SendByPost", "政务服务", "Send by post", DisplayNameZh = "邮寄送达", Outcomes = ["Delivered", "Returned", "Failed"])]
[Input("item", typeof(string), DisplayNameZh = "邮寄物品", Options = ["result", "materials"], DefaultValue = "result")]
[Input("address", typeof(string), DisplayNameZh = "收件地址")]
[Input("receiver", typeof(string), DisplayNameZh = "收件人")]
[Input("phone", typeof(string), DisplayNameZh = "联系电话")]
[Input("onProblem", typeof(string), DisplayNameZh = "邮寄异常时", Options = ["outcome", "task"], DefaultValue = "outcome")]
[Output("waybill", typeof(string))]
public sealed partial class SendByPost(ActivityNode node, ActivityBuildContext build) : Activity(node, build), ICaseOutcomes
{
    /// <summary>
    /// Delivered always; Returned and Failed only where the flow handles them: a result posted with onProblem = task
    /// keeps its problems as its own window task and leaves only once delivered or collected.
    /// </summary>
    public IEnumerable<string> OutcomesTaken(Matters.ServiceMatter? matter) =>
        HandlesProblems ? ["Delivered"] : ["Delivered", "Returned", "Failed"];

    /// <summary>No outcome of the mailing gives the case its final status.</summary>
    public bool GivesFinalStatus(string outcome, Matters.ServiceMatter? matter) => false;

    private bool HandlesProblems =>
        _onProblem is { IsLiteral: true } p && p.Expression.Text == "task" && (_item is null || _item is { IsLiteral: true } i && i.Expression.Text == "result");

    /// <summary>Bookmark waiting for tracking updates.</summary>
    public const string TrackingBookmark = "GovFlow.Waybill";

    /// <summary>
    /// The tracking bookmark's payload property holding the status the case file last recorded, so the sweep tells a
    /// moved waybill from the bookmark alone without reading the case file (absent on bookmarks of older versions).
    /// </summary>
    public const string KnownStatusProperty = "status";

    /// <summary>The window task of a result the applicant collects (窗口领取).</summary>
    public const string PickupBookmark = "GovFlow.Pickup";

    /// <summary>The window task of a letter returned or undeliverable (邮寄异常处理).</summary>
    public const string ProblemBookmark = "GovFlow.MailingProblem";

    /// <summary>The applicant collects the result at the window; the clerk marks it collected.</summary>
    public static readonly TaskContract Pickup = new()
    {
        Bookmark = PickupBookmark, DefaultStepName = "窗口领取", Role = "window",
        Actions = [TaskActionSpec.Completes("collected", "已领取", "Collected", "Delivered", OpinionRule.Optional)]
    };

    /// <summary>A returned or undeliverable letter: post it again, to a corrected address, or hand it over at the window.</summary>
    public static readonly TaskContract Problem = new()
    {
        Bookmark = ProblemBookmark, DefaultStepName = "邮寄异常处理", Role = "window",
        Actions =
        [
            TaskActionSpec.Stays("resend", "重新寄送", "Send again", OpinionRule.Optional),
            // The new address travels as the opinion: the task command has no address field, and the clerk writes it down anyway.
            TaskActionSpec.Stays("readdress", "修改地址后寄送", "Send to a new address", OpinionRule.Required),
            TaskActionSpec.Stays("pickup", "改为窗口领取", "Collect at the window", OpinionRule.Optional)
        ]
    };

    private readonly Input? _item = build.Input(node, "item");
    private readonly Input? _address = build.Input(node, "address");
    private readonly Input? _receiver = build.Input(node, "receiver");
    private readonly Input? _phone = build.Input(node, "phone");
    private readonly Input? _onProblem = build.Input(node, "onProblem");

    [GeneratedRegex(@"(省|自治区|市|区|县|镇|乡|街道|路|街|号|村)")]
    private static partial Regex AddressPattern();

    /// <summary>Whether an address looks deliverable (a region or street word and enough detail).</summary>
    public static bool LooksDeliverable(string? address) => address is { Length: >= 8 } a && AddressPattern().IsMatch(a);

    /// <inheritdoc />
    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var input = context.Case().Input;
        var item = context.Evaluate(_item) as string ?? "result";
        if (item == "result" && ResultDelivery.Of(input) == ResultDelivery.AtWindow)
        {
            OpenPickup(context);
            return;
        }
        var address = context.Evaluate(_address) as string
            ?? (item == "result" ? Values.ToText(input.Data.GetValueOrDefault(ResultDelivery.AddressField)) is { Length: > 0 } chosen ? chosen : null : null)
            ?? input.Applicant.Address;
        await PostAsync(context, item, address);
    }

    private async ValueTask PostAsync(ActivityExecutionContext context, string item, string? address)
    {
        var file = context.Case();
        var input = file.Input;
        var waybill = file.Edit(CaseParts.Waybill, w =>
        {
            w.Item = item;
            w.Address = address;
            w.Problem = null;
        });
        if (!LooksDeliverable(address))
        {
            await FailAsync(context, "Failed", $"收件地址不完整或无法投递：{address ?? "（空）"}");
            return;
        }
        context.CallService("mail.create", new WaybillRequest(
            input.CaseNumber, waybill.Item!, context.Matter()?.Department ?? "政务服务中心",
            context.Evaluate(_receiver) as string ?? input.Applicant.Name, context.Evaluate(_phone) as string ?? input.Applicant.Phone, address!));
    }

    // The window that took the application hands the result over and sorts out its post; an online application's
    // goes to the implementing department's window.
    private static string? WindowOf(ActivityExecutionContext context) =>
        context.Case().Input.AcceptingWindow ?? context.Matter()?.Department;

    private void OpenPickup(ActivityExecutionContext context) =>
        context.CreateBookmark(PickupBookmark, new JsonObject
        {
            ["caseNumber"] = context.Case().Input.CaseNumber, ["department"] = WindowOf(context),
            [TaskContract.OfferedProperty] = Pickup.Offer(this)
        });

    private void OpenProblem(ActivityExecutionContext context, string reason) =>
        context.CreateBookmark(ProblemBookmark, new JsonObject
        {
            ["caseNumber"] = context.Case().Input.CaseNumber, ["department"] = WindowOf(context), ["problem"] = reason, ["address"] = context.Case().Waybill?.Address,
            [TaskContract.OfferedProperty] = Problem.Offer(this)
        });

    /// <inheritdoc />
    protected override JsonNode? DescribeResume(Bookmark bookmark, object? input) => TaskContracts.Decision(bookmark, input);

    /// <inheritdoc />
    protected override void ValidateResume(ActivityExecutionContext context, Bookmark bookmark, object? input)
    {
        if (bookmark.IsServiceCall()) return;
        if (bookmark.Name == PickupBookmark)
        {
            Pickup.Check(bookmark, input);
            return;
        }
        if (bookmark.Name == ProblemBookmark)
        {
            var command = Problem.Check(bookmark, input);
            if (command.Action == "readdress" && !LooksDeliverable(command.Opinion))
                throw new BookmarkInputException("opinion", "请在意见中填写新的完整收件地址（省市区、街道、门牌号）");
            return;
        }
        var status = StepInput.RequiredText(StepInput.Fields(input), "status", "give the waybill status");
        if (status is not ("created" or "collected" or "inTransit" or "delivered" or "returned" or "failed"))
            throw new BookmarkInputException("status", $"“{status}”不是邮件状态");
    }

    /// <inheritdoc />
    protected override ValueTask ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, object? input)
    {
        if (bookmark.IsServiceCall()) return WaybillCreated(context, ServiceCalls.ReplyOf(input));
        if (bookmark.Name == PickupBookmark) return Collected(context, TaskCommand.From(input));
        if (bookmark.Name == ProblemBookmark) return Resolve(context, TaskCommand.From(input));
        var fields = StepInput.Fields(input);
        var status = StepInput.Text(fields, "status")!;
        Track(context.Case(), status, StepInput.Text(fields, "detail"), context.Workflow.Now);
        switch (status)
        {
            case "delivered":
                context.Case().RecordStep("送达", "pass", "EMS", "已签收", context.Workflow.Now, context.Workflow.Now);
                return context.CompleteAsync("Delivered");
            case "returned":
                return FailAsync(context, "Returned", StepInput.Text(fields, "detail") ?? "邮件退回");
            case "failed":
                return FailAsync(context, "Failed", StepInput.Text(fields, "detail") ?? "投递失败");
            default:
                var payload = bookmark.Payload?.DeepClone() as JsonObject ?? [];
                payload[KnownStatusProperty] = status;
                context.CreateBookmark(TrackingBookmark, payload);
                return ValueTask.CompletedTask;
        }
    }

    private ValueTask WaybillCreated(ActivityExecutionContext context, ServiceReply reply)
    {
        if (!reply.Ok) return FailAsync(context, "Failed", reply.Refused ? "邮政拒收地址：" + reply.Error : reply.Error!);
        var created = reply.As<Waybill>();
        context.Case().Edit(CaseParts.Waybill, w => w.Number = created.Number);
        Track(context.Case(), created.Status, created.Detail, created.UpdatedAt);
        context.SetOutput("waybill", created.Number);
        context.CreateBookmark(TrackingBookmark, new JsonObject { ["waybill"] = created.Number, ["caseNumber"] = context.Case().Input.CaseNumber, [KnownStatusProperty] = created.Status });
        return ValueTask.CompletedTask;
    }

    private static void Track(CaseFile file, string status, string? detail, DateTimeOffset at) =>
        file.Edit(CaseParts.Waybill, w =>
        {
            w.Status = status;
            w.History.Add(new WaybillEvent { Status = status, Detail = detail, At = at });
        });

    private ValueTask FailAsync(ActivityExecutionContext context, string outcome, string reason)
    {
        var waybill = context.Case().Edit(CaseParts.Waybill, w =>
        {
            w.Status = outcome == "Returned" ? "returned" : "failed";
            w.Problem = reason;
        });
        context.Journal("MailingProblem", new JsonObject { ["outcome"] = outcome, ["reason"] = reason });
        if (waybill.Item == "result" && context.Evaluate(_onProblem) as string == "task")
        {
            OpenProblem(context, reason);
            return ValueTask.CompletedTask;
        }
        return context.CompleteAsync(outcome);
    }

    private static ValueTask Collected(ActivityExecutionContext context, TaskCommand command)
    {
        var now = context.Workflow.Now;
        context.Case().RecordStep("窗口领取", "pass", context.Workflow.Actor, command.Opinion ?? "申请人已到窗口领取办理结果", now, now);
        return context.CompleteAsync("Delivered");
    }

    private async ValueTask Resolve(ActivityExecutionContext context, TaskCommand command)
    {
        var file = context.Case();
        var now = context.Workflow.Now;
        var before = file.Waybill?.Address;
        switch (command.Action)
        {
            case "pickup":
                file.RecordStep("邮寄异常处理", "pickup", context.Workflow.Actor, command.Opinion ?? "改为窗口领取", now, now);
                OpenPickup(context);
                break;
            case "readdress":
                file.RecordStep("邮寄异常处理", "readdress", context.Workflow.Actor, $"收件地址由“{before}”改为“{command.Opinion}”", now, now);
                await PostAsync(context, "result", command.Opinion);
                break;
            default:
                file.RecordStep("邮寄异常处理", "resend", context.Workflow.Actor, command.Opinion ?? "重新寄送", now, now);
                await PostAsync(context, "result", before);
                break;
        }
    }
}
