using GovFlow.Activities.Cases;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Activities.Steps;

/// <summary>秒批: checks the matter's rules (all must pass) over form and certificate data.</summary>
[Activity("GovFlow.RuleCheck", "政务服务", "Instant approval rules", DisplayNameZh = "秒批规则校验", Outcomes = ["Approved", "ManualReview"])]
[Input("rules", typeof(object), DisplayNameZh = "规则", UiHint = "json")]
[Output("failedRules", typeof(List<string>))]
public sealed class RuleCheck(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _rules = build.Input(node, "rules");

    /// <inheritdoc />
    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var rules = context.Evaluate(_rules) is List<object?> list
            ? list.OfType<Dictionary<string, object?>>().Select(r => (Name: Values.ToText(r.GetValueOrDefault("name")) ?? "", Condition: Values.ToText(r.GetValueOrDefault("condition")) ?? "false")).ToList()
            : context.Matter()?.InstantApprovalRules.Select(r => (r.Name, r.Condition)).ToList() ?? [];
        var failed = new List<string>();
        foreach (var (name, condition) in rules)
        {
            bool passed;
            try { passed = Checklist.Condition(context, condition); }
            catch (InvalidOperationException) { passed = false; }
            if (!passed) failed.Add(name);
        }
        var file = context.Case();
        file.Set(CaseParts.RuleCheck, new RuleCheckRecord { Rules = rules.Count, Failed = failed, At = context.Workflow.Now });
        context.SetOutput("failedRules", failed);
        file.RecordStep("秒批校验", failed.Count == 0 ? "pass" : "manual", "system", failed.Count == 0 ? "规则全部通过，自动审批" : "未通过：" + string.Join("、", failed), context.Workflow.Now, context.Workflow.Now);
        return context.CompleteAsync(rules.Count > 0 && failed.Count == 0 ? "Approved" : "ManualReview");
    }
}
