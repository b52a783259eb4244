using System.Text.Json.Nodes;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Services;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Activities.Steps;

/// <summary>Sends a message (SMS) to the applicant; an unreachable service does not stop the case.</summary>
[Activity("GovFlow.Notify", "政务服务", "Notify applicant", DisplayNameZh = "短信通知", Outcomes = ["Done", "Unavailable"])]
[Input("message", typeof(string), DisplayNameZh = "内容（可用 {caseNumber} {name} {matter} {status}）", Required = true)]
[Input("phone", typeof(string), DisplayNameZh = "手机号")]
public sealed class Notify : Activity
{
    private readonly Input? _message;
    private readonly Input? _phone;

    /// <summary>Reads the inputs.</summary>
    public Notify(ActivityNode node, ActivityBuildContext build) : base(node, build)
    {
        _message = build.Input(node, "message");
        _phone = build.Input(node, "phone");
        if (_message is null) build.Problem("a notification needs a message", property: "message");
    }

    /// <inheritdoc />
    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var file = context.Case();
        var input = file.Input;
        var phone = context.Evaluate(_phone) as string ?? input.Applicant.Phone;
        var text = (context.Evaluate(_message) as string ?? "")
            .Replace("{caseNumber}", input.CaseNumber, StringComparison.Ordinal).Replace("{name}", input.Applicant.Name, StringComparison.Ordinal)
            .Replace("{matter}", context.Matter()?.Name ?? "", StringComparison.Ordinal).Replace("{status}", file.Status, StringComparison.Ordinal);
        var record = new NoticeSent { Phone = phone, Message = text, At = context.Workflow.Now };
        if (string.IsNullOrWhiteSpace(phone))
        {
            record.Error = "申请人未留手机号";
            file.Add(CaseParts.Notifications, record);
            await context.CompleteAsync("Unavailable");
            return;
        }
        context.CallService("notify.send", new { phone, message = text }, memo: (JsonObject)CaseFile.ToJson(record));
    }

    /// <inheritdoc />
    protected override async ValueTask ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, object? input)
    {
        var reply = ServiceCalls.ReplyOf(input);
        var record = CaseFile.FromJson<NoticeSent>(bookmark.Memo());
        if (!reply.Ok) record.Error = reply.Error;
        context.Case().Add(CaseParts.Notifications, record);
        await context.CompleteAsync(reply.Ok ? "Done" : "Unavailable");
    }
}
