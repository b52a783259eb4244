using System.Text.Json.Nodes;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Services;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Activities.Steps;

/// <summary>出证: issues the result as an electronic certificate, so later lookups find it.</summary>
[Activity("GovFlow.IssueResult", "政务服务", "Issue result", DisplayNameZh = "出证", Outcomes = ["Issued", "Unavailable"])]
[Input("resultName", typeof(string), DisplayNameZh = "结果名称")]
[Input("certificateType", typeof(string), DisplayNameZh = "证照类型代码")]
[Input("validYears", typeof(int), DisplayNameZh = "有效期（年）")]
[Output("certificate", typeof(object))]
public sealed class IssueResult(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _name = build.Input(node, "resultName");
    private readonly Input? _type = build.Input(node, "certificateType");
    private readonly Input? _years = build.Input(node, "validYears");

    /// <inheritdoc />
    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var file = context.Case();
        var matter = context.Matter();
        var input = file.Input;
        var name = context.Evaluate(_name) as string ?? matter?.Result?.Name ?? matter?.Name ?? "办理结果";
        var type = context.Evaluate(_type) as string ?? matter?.Result?.CertificateType ?? "999";
        var data = input.Data.Where(p => p.Value is string or int or long or double or bool).ToDictionary(p => p.Key, p => Values.ToText(p.Value) ?? "");
        data["caseNumber"] = input.CaseNumber;
        context.CallService("certificate.issue", new CertificateIssue(
            type, name, input.Applicant.IdNumber, input.Applicant.IdType, input.Applicant.Name, matter?.Department ?? "", context.Evaluate(_years) as int?, input.CaseNumber, data),
            memo: (JsonObject)CaseFile.ToJson(new IssuedResult { Name = name, TypeCode = type }));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected override async ValueTask ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, object? input)
    {
        var reply = ServiceCalls.ReplyOf(input);
        var result = CaseFile.FromJson<IssuedResult>(bookmark.Memo());
        var file = context.Case();
        if (!reply.Ok)
        {
            file.Set(CaseParts.Result, new IssuedResult { Name = result.Name, Error = reply.Error });
            await context.CompleteAsync("Unavailable");
            return;
        }
        var certificate = reply.As<Certificate>();
        result.CertificateId = certificate.Id;
        result.Number = certificate.Number;
        result.IssuedAt = context.Workflow.Now;
        file.Set(CaseParts.Result, result);
        context.SetOutput("certificate", Values.FromJson(reply.Result!.DeepClone()));
        context.Journal("ResultIssued", CaseFile.ToJson(result));
        await context.CompleteAsync("Issued");
    }
}
