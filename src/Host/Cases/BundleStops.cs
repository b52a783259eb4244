using System.Text.Json.Nodes;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Matters;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Host.Cases;

/// <summary>
/// 一件事一次办 with the refusal rule <see cref="BundleRules.StopAll"/>: when one member case ends refused (不予许可 or
/// 不予受理), every other member the bundle still waits for is ended at once in the same unit of work — its case file
/// becomes 撤件/终止 (<see cref="CaseStatus.Withdrawn"/>), its own journal says who ended it and why, its tasks and timers
/// are cancelled, and its end resumes the bundle's wait for it, so the bundle goes on to its refusal end.
/// There is no notice or SMS kind for a terminated case; the applicant learns of it from the bundle's refusal notice.
/// </summary>
internal sealed class BundleStops(WorkflowRuntime runtime)
{
    /// <summary>The journal event on a member ended because another member was refused.</summary>
    public const string EventName = "BundleMemberTerminated";

    /// <summary>Ends the refused member's siblings when the step left a member case refused and its bundle's rule says so.</summary>
    public async ValueTask AfterStepAsync(WorkflowStep step, CancellationToken cancellationToken)
    {
        if (step.State.Properties[WorkflowRuntime.ParentProperty]?.GetValue<string>() is not { } parentId) return;
        if (step.State.Properties[CaseFile.PropertyName] is not JsonObject data) return;
        var status = CaseFile.Read(data).Status;
        if (status is not (CaseStatus.Refused or CaseStatus.NotAccepted)) return;
        if (await runtime.Store.FindAsync(parentId, cancellationToken) is not { Status: WorkflowStatus.Running } parent) return;
        var others = WorkflowRuntime.WaitingChildren(parent).Where(id => id != step.State.Id).ToList();
        if (others.Count == 0 || StepServices.MatterOf(runtime.DefinitionOf(parent))?.Bundle?.Refusal != BundleRules.StopAll) return;
        var refused = StepServices.MatterOf(step.Definition)?.Name ?? step.Definition.Name ?? "";
        var decision = status == CaseStatus.Refused ? "不予许可" : "不予受理";
        foreach (var child in others)
            await runtime.CancelAsync(child, _ => Termination(refused, decision, step.State.CorrelationId), step.Actor, cancellationToken);
    }

    private static WorkflowAmendment Termination(string refused, string decision, string? refusedCase)
    {
        var reason = $"因一件事中「{refused}」{decision}，本事项终止办理";
        return new WorkflowAmendment(EventName, new JsonObject { ["refusedMatter"] = refused, ["refusedCase"] = refusedCase, ["decision"] = decision, ["status"] = CaseStatus.Withdrawn },
            reason, workflow =>
            {
                var file = CaseFile.Of(workflow);
                file.Status = CaseStatus.Withdrawn;
                file.RecordStep("终止办理", "Withdrawn", workflow.Actor, reason, workflow.Now, workflow.Now);
            });
    }
}
