using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Services;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Activities.Steps;

/// <summary>
/// 邮寄: creates a waybill for the result (or for paper materials between halls) and follows it until it is
/// delivered, returned or fails. A bad address or an unreachable mailing service fails at once, so a clerk can act.
/// </summary>
[Activity("GovFlow.SendByPost", "政务服务", "Send by post", DisplayNameZh = "邮寄送达", Outcomes = ["Delivered", "Returned", "Failed"])]
[Input("item", typeof(string), DisplayNameZh = "邮寄物品", Options = ["result", "materials"], DefaultValue = "result")]
[Input("address", typeof(string), DisplayNameZh = "收件地址")]
[Input("receiver", typeof(string), DisplayNameZh = "收件人")]
[Input("phone", typeof(string), DisplayNameZh = "联系电话")]
[Output("waybill", typeof(string))]
public sealed partial class SendByPost(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    /// <summary>Bookmark waiting for tracking updates.</summary>
    public const string TrackingBookmark = "GovFlow.Waybill";

    private readonly Input? _item = build.Input(node, "item");
    private readonly Input? _address = build.Input(node, "address");
    private readonly Input? _receiver = build.Input(node, "receiver");
    private readonly Input? _phone = build.Input(node, "phone");

    [GeneratedRegex(@"(省|自治区|市|区|县|镇|乡|街道|路|街|号|村)")]
    private static partial Regex AddressPattern();

    /// <summary>Whether an address looks deliverable (a region or street word and enough detail).</summary>
    public static bool LooksDeliverable(string? address) => address is { Length: >= 8 } a && AddressPattern().IsMatch(a);

    /// <inheritdoc />
    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var file = context.Case();
        var input = file.Input;
        var address = context.Evaluate(_address) as string ?? input.Applicant.Address;
        var waybill = file.Edit(CaseParts.Waybill, w =>
        {
            w.Item = context.Evaluate(_item) as string ?? "result";
            w.Address = address;
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

    /// <inheritdoc />
    protected override void ValidateResume(ActivityExecutionContext context, Bookmark bookmark, object? input)
    {
        if (bookmark.IsServiceCall()) return;
        var status = StepInput.RequiredText(StepInput.Fields(input), "status", "give the waybill status");
        if (status is not ("created" or "collected" or "inTransit" or "delivered" or "returned" or "failed"))
            throw new BookmarkInputException("status", $"“{status}”不是邮件状态");
    }

    /// <inheritdoc />
    protected override ValueTask ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, object? input)
    {
        if (bookmark.IsServiceCall()) return WaybillCreated(context, ServiceCalls.ReplyOf(input));
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
                context.CreateBookmark(TrackingBookmark, bookmark.Payload?.DeepClone() as JsonObject);
                return ValueTask.CompletedTask;
        }
    }

    private static ValueTask WaybillCreated(ActivityExecutionContext context, ServiceReply reply)
    {
        if (!reply.Ok) return FailAsync(context, "Failed", reply.Refused ? "邮政拒收地址：" + reply.Error : reply.Error!);
        var created = reply.As<Waybill>();
        context.Case().Edit(CaseParts.Waybill, w => w.Number = created.Number);
        Track(context.Case(), created.Status, created.Detail, created.UpdatedAt);
        context.SetOutput("waybill", created.Number);
        context.CreateBookmark(TrackingBookmark, new JsonObject { ["waybill"] = created.Number, ["caseNumber"] = context.Case().Input.CaseNumber });
        return ValueTask.CompletedTask;
    }

    private static void Track(CaseFile file, string status, string? detail, DateTimeOffset at) =>
        file.Edit(CaseParts.Waybill, w =>
        {
            w.Status = status;
            w.History.Add(new WaybillEvent { Status = status, Detail = detail, At = at });
        });

    private static ValueTask FailAsync(ActivityExecutionContext context, string outcome, string reason)
    {
        context.Case().Edit(CaseParts.Waybill, w =>
        {
            w.Status = outcome == "Returned" ? "returned" : "failed";
            w.Problem = reason;
        });
        context.Journal("MailingProblem", new JsonObject { ["outcome"] = outcome, ["reason"] = reason });
        return context.CompleteAsync(outcome);
    }
}
