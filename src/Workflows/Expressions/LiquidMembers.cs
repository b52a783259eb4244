using Fluid;
using Fluid.Values;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Expressions;

/// <summary>The values a Liquid template sees, read from the running activity when a template asks for them.</summary>
internal static class LiquidMembers
{
    /// <summary>Puts Elsa's members (and GovFlow's Workflow and Activities) on a template context.</summary>
    public static void Expose(TemplateContext template, ActivityExecutionContext context, LiquidEvaluator.Deadline deadline)
    {
        var workflow = context.Workflow;
        var definition = workflow.Workflow.Definition;
        var options = template.Options;
        template.SetValue("Variables", new ObjectValue(new Lookup(deadline, name => context.FindVariable(name) is { } slot ? Fluid(slot.Value, options) : NilValue.Instance)));
        template.SetValue("Input", new ObjectValue(new Lookup(deadline, name => workflow.Input.TryGetValue(name, out var v) ? Fluid(v, options) : NilValue.Instance)));
        template.SetValue("Activities", new ObjectValue(new Lookup(deadline, name => Outputs(context, name, options))));
        template.SetValue("CorrelationId", Fluid(workflow.CorrelationId, options));
        template.SetValue("WorkflowDefinitionId", Fluid(definition.DefinitionId, options));
        template.SetValue("WorkflowDefinitionVersionId", Fluid(definition.Id, options));
        template.SetValue("WorkflowDefinitionVersion", Fluid(definition.Version, options));
        template.SetValue("WorkflowInstanceId", Fluid(workflow.InstanceId, options));
        template.SetValue("Workflow", Fluid(new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Id"] = workflow.InstanceId,
            ["InstanceId"] = workflow.InstanceId,
            ["Name"] = workflow.Name,
            ["CorrelationId"] = workflow.CorrelationId,
            ["DefinitionId"] = definition.DefinitionId,
            ["DefinitionVersionId"] = definition.Id,
            ["Version"] = definition.Version
        }, options));
    }

    private static FluidValue Outputs(ActivityExecutionContext context, string nameOrId, TemplateOptions options)
    {
        var workflow = context.Workflow;
        foreach (var activity in workflow.Workflow.FindByName(nameOrId).Concat(workflow.Workflow.Activities.Where(a => a.Id == nameOrId)))
            if (workflow.ActivityOutputs.TryGetValue(activity.NodeId, out var outputs))
                return Fluid(new Dictionary<string, object?>(outputs, StringComparer.OrdinalIgnoreCase), options);
        return NilValue.Instance;
    }

    private static FluidValue Fluid(object? value, TemplateOptions options) => value is null ? NilValue.Instance : FluidValue.Create(value, options);

    /// <summary>An object whose members are looked up by name only when a template reads them.</summary>
    internal sealed class Lookup(LiquidEvaluator.Deadline deadline, Func<string, FluidValue> get)
    {
        /// <summary>The member's value, or nil.</summary>
        public FluidValue Get(string name)
        {
            deadline.Check();
            return get(name);
        }
    }
}
