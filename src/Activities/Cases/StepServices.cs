using System.Runtime.CompilerServices;
using GovFlow.Activities.Calendar;
using GovFlow.Activities.Matters;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Activities.Cases;

/// <summary>Services every GovFlow activity may use, from the run's service provider with sensible defaults.</summary>
public static class StepServices
{
    private static readonly ConditionalWeakTable<WorkflowDefinition, ServiceMatter?> Matters = new();
    private static readonly Lazy<WorkingCalendar> DefaultCalendar = new(() => WorkingCalendar.Load());

    /// <summary>The matter of the running definition (null for a flow that is not a matter).</summary>
    public static ServiceMatter? Matter(this ActivityExecutionContext context) => MatterOf(context.Workflow.Workflow.Definition);

    /// <summary>The matter a definition version carries, read once per version (null for a flow that is not a matter).</summary>
    public static ServiceMatter? MatterOf(WorkflowDefinition definition) => Matters.GetValue(definition, MatterJson.Read);

    /// <summary>The working-day calendar.</summary>
    public static WorkingCalendar Calendar(this ActivityExecutionContext context) =>
        context.Workflow.Services.GetService(typeof(WorkingCalendar)) as WorkingCalendar ?? DefaultCalendar.Value;

    /// <summary>The case file.</summary>
    public static CaseFile Case(this ActivityExecutionContext context) => CaseFile.Of(context.Workflow);

    /// <summary>
    /// Gives the case its final status and ends the rest of it: every other branch's task, timer and service call
    /// is cancelled and journaled (a refusal in one department leaves nothing open in the others). What the flow
    /// does next from this step (notice, posting, rating) opens after this and is not touched.
    /// </summary>
    public static async ValueTask CloseCaseAsync(this ActivityExecutionContext context, string finalStatus)
    {
        if (!CaseStatus.IsFinal(finalStatus)) throw new ArgumentException($"“{finalStatus}” is not a final status.", nameof(finalStatus));
        var file = context.Case();
        file.Status = finalStatus;
        var cancelled = await context.Workflow.CancelWaitingElsewhereAsync(context, $"办件已办结（{finalStatus}），其余待办随之撤销");
        if (cancelled.Count > 0)
            context.Journal("OpenWorkCancelled", new System.Text.Json.Nodes.JsonObject
            {
                ["status"] = finalStatus,
                ["activities"] = new System.Text.Json.Nodes.JsonArray([.. cancelled.Select(c => (System.Text.Json.Nodes.JsonNode?)c.Activity.Id)])
            });
    }

    /// <summary>Due moment of a working-day limit counted from now.</summary>
    public static DateTimeOffset DueInWorkingDays(this ActivityExecutionContext context, int days) =>
        ChinaTime.EndOfWorkingDays(context.Calendar(), context.Workflow.Now, days);
}
