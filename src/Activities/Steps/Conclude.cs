using GovFlow.Activities.Cases;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Activities.Steps;

/// <summary>办结: closes the case as approved (容缺通过 when materials came under tolerance) or refused.</summary>
[Activity("GovFlow.Conclude", "政务服务", "Conclude", DisplayNameZh = "办结")]
[Input("decision", typeof(string), DisplayNameZh = "办结结果", Options = ["approved", "refused"], DefaultValue = "approved")]
[Input("department", typeof(string), DisplayNameZh = "办结部门")]
public sealed class Conclude(ActivityNode node, ActivityBuildContext build) : Activity(node, build), ICaseOutcomes
{
    /// <inheritdoc />
    public IEnumerable<string> OutcomesTaken(Matters.ServiceMatter? matter) => ["Done"];

    /// <summary>办结 gives the case its final status, so the flow may end after it.</summary>
    public bool GivesFinalStatus(string outcome, Matters.ServiceMatter? matter) => true;

    private readonly Input? _decision = build.Input(node, "decision");
    private readonly Input? _department = build.Input(node, "department");

    /// <inheritdoc />
    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var file = context.Case();
        var approved = (context.Evaluate(_decision) as string ?? "approved") != "refused";
        await context.CloseCaseAsync(!approved ? CaseStatus.Refused
            : file.Tolerance is { Supplied: true } ? CaseStatus.CompletedWithTolerance
            : CaseStatus.Completed);
        file.CompletedAt = context.Workflow.Now;
        file.RecordStep("办结", approved ? "pass" : "reject", context.Workflow.Actor, approved ? "准予办结" : "不予办结", context.Workflow.Now, context.Workflow.Now,
            context.Evaluate(_department) as string);
        await context.CompleteAsync();
    }
}
