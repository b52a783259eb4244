using System.Text.Json.Nodes;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;

namespace GovFlow.Workflows.Runtime;

/// <summary>
/// An activity whose body is a whole workflow definition: the workflow itself (<see cref="WorkflowRoot"/>)
/// or a workflow used as an activity (<see cref="WorkflowDefinitionActivity"/>). It declares the
/// definition's variables, receives Complete signals, and owns the definition's declared outputs.
/// </summary>
public abstract class CompositeActivity : Activity
{
    /// <summary>Compiles the definition's root as this composite's body.</summary>
    protected CompositeActivity(ActivityNode node, ActivityBuildContext build, WorkflowDefinition definition) : base(node, build)
    {
        Definition = definition;
        if (!build.EnterDefinition(definition))
        {
            build.Problem($"workflow '{definition.Name}' uses itself as an activity (directly or through others)");
            return;
        }
        try { Body = build.CompileDefinitionRoot(definition, this); }
        finally { build.LeaveDefinition(); }
    }

    /// <summary>The definition.</summary>
    public WorkflowDefinition Definition { get; }

    /// <summary>The definition's root activity.</summary>
    public Activity? Body { get; }

    /// <inheritdoc />
    public override IEnumerable<Activity> Children => Body is null ? [] : [Body];

    /// <summary>Whether the definition declares an output of this name.</summary>
    public bool DeclaresOutput(string name)
    {
        foreach (var o in Definition.Outputs)
            if (string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    /// <summary>Stores a value for one of the definition's declared outputs.</summary>
    public abstract void SetCompositeOutput(ActivityExecutionContext context, string name, object? value);

    /// <summary>Declares the definition's variables on the composite's execution.</summary>
    protected static void DeclareVariables(WorkflowDefinition definition, List<VariableSlot> slots)
    {
        foreach (var v in definition.Variables)
        {
            var slot = new VariableSlot(v.Id, v.Name, v.TypeName, v.IsArray, null);
            slot.Set(Values.FromJson(v.Value));
            slots.Add(slot);
        }
    }

    /// <inheritdoc />
    protected internal override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child) =>
        FinishAsync(context, Outcomes.Done);

    /// <inheritdoc />
    protected internal override async ValueTask<bool> OnSignalAsync(ActivityExecutionContext context, ActivitySignal signal, ActivityExecutionContext sender)
    {
        if (signal is not CompleteCompositeSignal complete) return false;
        await FinishAsync(context, complete.Outcomes);
        return true;
    }

    /// <summary>Completes the composite with outcomes.</summary>
    protected virtual ValueTask FinishAsync(ActivityExecutionContext context, IReadOnlyList<string> outcomes) => context.CompleteAsync(outcomes);
}

/// <summary>The workflow itself: declares variables and inputs, runs the root, writes declared outputs to the workflow output.</summary>
public sealed class WorkflowRoot : CompositeActivity
{
    internal WorkflowRoot(ActivityNode node, ActivityBuildContext build, WorkflowDefinition definition) : base(node, build, definition) { }

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var wf = context.Workflow;
        context.Slots = wf.RootVariables;
        if (wf.RootVariables.Count == 0) DeclareVariables(Definition, wf.RootVariables);
        foreach (var input in Definition.Inputs)
            if (wf.Input.TryGetValue(input.Name, out var raw))
                wf.Input[input.Name] = Values.Convert(raw, Values.TypeOf(input.Type, input.IsArray));
        if (Body is null) return context.CompleteAsync();
        context.Schedule(Body);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override void SetCompositeOutput(ActivityExecutionContext context, string name, object? value) =>
        context.Workflow.Output[Canonical(name)] = value;

    private string Canonical(string name) => Definition.Outputs.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase))?.Name ?? name;
}

/// <summary>
/// A workflow definition used as an activity (Elsa's WorkflowDefinitionActivity): its inputs become variables
/// of the inner run, its declared outputs are copied to the activity's outputs, a Complete inside chooses its outcomes.
/// </summary>
public sealed class WorkflowDefinitionActivity : CompositeActivity
{
    private readonly List<(ArgumentDefinition Argument, Input? Input)> _inputs = [];

    /// <summary>Compiles the used definition.</summary>
    public WorkflowDefinitionActivity(ActivityNode node, ActivityBuildContext build, WorkflowDefinition definition) : base(node, build, definition)
    {
        foreach (var argument in definition.Inputs)
            _inputs.Add((argument, build.Input(node, Naming.Camelize(argument.Name), Values.TypeOf(argument.Type, argument.IsArray))));
    }

    /// <inheritdoc />
    public override Type? StateType => typeof(Dictionary<string, object?>);

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var slots = new List<VariableSlot>();
        // The inputs are declared as variables so that getInput1() inside reads the composite's input, not the parent's.
        foreach (var (argument, input) in _inputs)
        {
            var slot = new VariableSlot(argument.Name, argument.Name, argument.Type, argument.IsArray, null);
            slot.Set(input?.Evaluate(context));
            slots.Add(slot);
        }
        DeclareVariables(Definition, slots);
        context.Slots = slots;
        context.State = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        if (Body is null) return FinishAsync(context, Outcomes.Done);
        context.Schedule(Body);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override void SetCompositeOutput(ActivityExecutionContext context, string name, object? value)
    {
        var outputs = context.State as Dictionary<string, object?> ?? new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        outputs[name] = value;
        context.State = outputs;
    }

    /// <inheritdoc />
    protected override ValueTask FinishAsync(ActivityExecutionContext context, IReadOnlyList<string> outcomes)
    {
        if (context.State is Dictionary<string, object?> outputs)
            foreach (var output in Definition.Outputs)
                if (outputs.TryGetValue(output.Name, out var value))
                    context.SetOutput(Naming.Camelize(output.Name), value);
        return context.CompleteAsync(outcomes);
    }

    /// <inheritdoc />
    protected internal override JsonNode? SaveState(object? state) => Values.ToJson(state);

    /// <inheritdoc />
    protected internal override object? LoadState(JsonNode? json) =>
        Values.FromJson(json) is Dictionary<string, object?> d ? new Dictionary<string, object?>(d, StringComparer.OrdinalIgnoreCase) : null;
}
