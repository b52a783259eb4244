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

    /// <summary>Due moment of a working-day limit counted from now.</summary>
    public static DateTimeOffset DueInWorkingDays(this ActivityExecutionContext context, int days) =>
        ChinaTime.EndOfWorkingDays(context.Calendar(), context.Workflow.Now, days);
}
