using System.Text.Json.Nodes;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Services;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Activities.Steps;

/// <summary>
/// 电子证照 lookup: finds the holder's certificate of a type with a stated use reason. A valid, issued certificate of
/// the same holder satisfies the certificate-replaceable material (免证办) and its data can prefill the form.
/// Every use is recorded (who, when, why, which case).
/// </summary>
[Activity("GovFlow.CertificateLookup", "政务服务", "Certificate lookup", DisplayNameZh = "电子证照调取", Outcomes = ["Found", "NotFound", "Invalid", "Unavailable"])]
[Input("certificateType", typeof(string), DisplayNameZh = "证照类型代码", Required = true)]
[Input("useReason", typeof(string), DisplayNameZh = "用证事由", Required = true)]
[Input("material", typeof(string), DisplayNameZh = "替代材料")]
[Input("holderCode", typeof(string), DisplayNameZh = "持证主体代码")]
[Input("holderType", typeof(string), DisplayNameZh = "持证主体类型", Options = ["111", "001"])]
[Output("certificate", typeof(object))]
public sealed class CertificateLookup : Activity
{
    private readonly Input? _type;
    private readonly Input? _reason;
    private readonly Input? _material;
    private readonly Input? _holderCode;
    private readonly Input? _holderType;

    /// <summary>Reads the inputs and checks the literal ones.</summary>
    public CertificateLookup(ActivityNode node, ActivityBuildContext build) : base(node, build)
    {
        _type = build.Input(node, "certificateType");
        _reason = build.Input(node, "useReason");
        _material = build.Input(node, "material");
        _holderCode = build.Input(node, "holderCode");
        _holderType = build.Input(node, "holderType");
        if (_type is null) build.Problem("a certificate lookup needs the certificate type code", property: "certificateType");
        if (_reason is null) build.Problem("a certificate lookup needs a use reason (用证事由)", property: "useReason");
        else if (_reason.IsLiteral && JsonAccess.AsString(_reason.Expression.Value) is { Length: > 200 } r)
            build.Problem($"the use reason has {r.Length} characters; at most 200", property: "useReason");
    }

    /// <inheritdoc />
    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var file = context.Case();
        var input = file.Input;
        var type = context.Evaluate(_type) as string ?? throw new InvalidOperationException("The certificate type is empty.");
        var reason = context.Evaluate(_reason) as string;
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 200) throw new InvalidOperationException("A certificate lookup needs a use reason of at most 200 characters.");
        var holder = context.Evaluate(_holderCode) as string ?? input.Applicant.IdNumber;
        var holderType = context.Evaluate(_holderType) as string ?? input.Applicant.IdType;
        var material = context.Evaluate(_material) as string;
        var use = new CertificateUse
        {
            HolderCode = holder, HolderType = holderType, CertificateType = type, Reason = reason, Material = material,
            By = context.Workflow.Actor, At = context.Workflow.Now, CaseNumber = input.CaseNumber
        };
        context.CallService("certificate.lookup", new CertificateQuery(holder, holderType, type, null, reason, input.CaseNumber, context.Workflow.Actor), memo: (JsonObject)CaseFile.ToJson(use));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected override async ValueTask ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, object? input)
    {
        var reply = ServiceCalls.ReplyOf(input);
        var use = CaseFile.FromJson<CertificateUse>(bookmark.Memo());
        var type = use.CertificateType;
        var holder = use.HolderCode;
        string outcome;
        if (reply.Ok)
        {
            var found = reply.As<List<Certificate>>();
            var today = ChinaTime.Date(context.Workflow.Now);
            var sameHolder = found.Where(c => c.TypeCode == type && c.HolderCode == holder).ToList();
            var valid = sameHolder.FirstOrDefault(c => c.IsValidOn(today));
            if (valid != null)
            {
                outcome = "Found";
                use.CertificateId = valid.Id;
                use.Data = Values.ToJson(valid.Data);
                context.SetOutput("certificate", Values.FromJson(System.Text.Json.JsonSerializer.SerializeToNode(valid, System.Text.Json.JsonSerializerOptions.Web)));
            }
            else
            {
                outcome = found.Count == 0 ? "NotFound" : "Invalid";
                use.Why = found.Count == 0 ? "无该类型证照" : sameHolder.Count == 0 ? "持证主体不一致" : "证照已过期、已注销或未签发";
            }
        }
        else
        {
            outcome = "Unavailable";
            use.Why = reply.Error;
        }
        use.Outcome = outcome;
        context.Case().Add(CaseParts.CertificateUses, use);
        context.Journal("CertificateUsed", CaseFile.ToJson(use));
        await context.CompleteAsync(outcome);
    }
}
