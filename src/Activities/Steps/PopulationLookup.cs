using System.Text.Json.Nodes;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Services;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Activities.Steps;

/// <summary>
/// 人口库核验: looks the applicant up in the population database with a stated reason. The record found is kept in
/// the case file, where instant-approval rules read it as <c>population.*</c> (age, hukou, criminal record, cars
/// registered) instead of what the applicant declared. Every use is journaled (who, when, why, which case).
/// </summary>
[Activity("GovFlow.PopulationLookup", "政务服务", "Population lookup", DisplayNameZh = "人口库核验", Outcomes = ["Found", "NotFound", "Unavailable"])]
[Input("useReason", typeof(string), DisplayNameZh = "查询事由", Required = true)]
[Input("idNumber", typeof(string), DisplayNameZh = "公民身份号码")]
[Output("resident", typeof(object))]
public sealed class PopulationLookup : Activity
{
    private readonly Input? _reason;
    private readonly Input? _idNumber;

    /// <summary>Reads the inputs and checks the literal reason.</summary>
    public PopulationLookup(ActivityNode node, ActivityBuildContext build) : base(node, build)
    {
        _reason = build.Input(node, "useReason");
        _idNumber = build.Input(node, "idNumber");
        if (_reason is null) build.Problem("a population lookup needs a use reason (查询事由)", property: "useReason");
        else if (_reason.IsLiteral && JsonAccess.AsString(_reason.Expression.Value) is { Length: > 200 } r)
            build.Problem($"the use reason has {r.Length} characters; at most 200", property: "useReason");
    }

    /// <inheritdoc />
    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var input = context.Case().Input;
        var reason = context.Evaluate(_reason) as string;
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 200) throw new InvalidOperationException("A population lookup needs a use reason of at most 200 characters.");
        var idNumber = context.Evaluate(_idNumber) as string ?? input.Applicant.IdNumber;
        var use = new PopulationUse { IdNumber = idNumber, Reason = reason, By = context.Workflow.Actor, At = context.Workflow.Now, CaseNumber = input.CaseNumber };
        context.CallService("population.lookup", new ResidentQuery(idNumber, reason, input.CaseNumber, context.Workflow.Actor), memo: (JsonObject)CaseFile.ToJson(use));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected override async ValueTask ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, object? input)
    {
        var reply = ServiceCalls.ReplyOf(input);
        var use = CaseFile.FromJson<PopulationUse>(bookmark.Memo());
        if (!reply.Ok) (use.Outcome, use.Why) = ("Unavailable", reply.Error);
        else if (reply.Result is JsonObject resident)
        {
            use.Outcome = "Found";
            use.Data = resident.DeepClone();
            context.SetOutput("resident", Values.FromJson(resident));
        }
        else (use.Outcome, use.Why) = ("NotFound", "人口库无此人");
        context.Case().Set(CaseParts.Population, use);
        context.Journal("PopulationUsed", CaseFile.ToJson(use));
        await context.CompleteAsync(use.Outcome);
    }
}
