using System.Text.Json.Nodes;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Writes a line of text to the workflow's standard output.</summary>
[Activity("Elsa.WriteLine", "Primitives", "Write Line", DisplayNameZh = "输出一行")]
[Input("text", typeof(string), DisplayNameZh = "文本")]
public sealed class WriteLine(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _text = build.Input(node, "text");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.Workflow.Out.WriteLine(context.Evaluate(_text) as string);
        return context.CompleteAsync();
    }
}

/// <summary>Assigns a value to a variable (looked up by id, then by name).</summary>
[Activity("Elsa.SetVariable", "Primitives", "Set Variable", DisplayNameZh = "设置变量")]
[Input("variable", typeof(object), UiHint = "variable-picker")]
[Input("value", typeof(object))]
public sealed class SetVariable : Activity
{
    private readonly string? _variableId;
    private readonly string? _variableName;
    private readonly Input? _value;

    /// <summary>Reads the variable reference and value.</summary>
    public SetVariable(ActivityNode node, ActivityBuildContext build) : base(node, build)
    {
        var v = node.Raw("variable");
        _variableId = v is JsonObject o ? JsonAccess.GetString(o, "id") : JsonAccess.AsString(v);
        _variableName = v is JsonObject o2 ? JsonAccess.GetString(o2, "name") : null;
        if (_variableId is null && _variableName is null) build.Problem("SetVariable names no variable", property: "variable");
        _value = build.Input(node, "value");
    }

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var slot = (_variableId is null ? null : context.FindVariable(_variableId))
                   ?? (_variableName is null ? null : context.FindVariable(_variableName))
                   ?? throw new InvalidOperationException($"Variable '{_variableName ?? _variableId}' is not declared in scope.");
        slot.Set(context.Evaluate(_value));
        return context.CompleteAsync();
    }
}

/// <summary>Sets an output of the nearest workflow (or workflow used as an activity) that declares it.</summary>
[Activity("Elsa.SetOutput", "Primitives", "Set Output", DisplayNameZh = "设置输出")]
[Input("outputName", typeof(string))]
[Input("outputValue", typeof(object))]
public sealed class SetOutput(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _name = build.Input(node, "outputName");
    private readonly Input? _value = build.Input(node, "outputValue");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var name = context.Evaluate(_name) as string ?? throw new InvalidOperationException("SetOutput needs an output name.");
        var value = context.Evaluate(_value);
        for (var c = context.Parent; c != null; c = c.Parent)
            if (c.Activity is CompositeActivity composite && composite.DeclaresOutput(name))
            {
                composite.SetCompositeOutput(c, name, value);
                return context.CompleteAsync();
            }
        context.Workflow.Output[name] = value;
        return context.CompleteAsync();
    }
}

/// <summary>Sets the workflow instance's name.</summary>
[Activity("Elsa.SetName", "Primitives", "Set Name", DisplayNameZh = "设置实例名称")]
[Input("value", typeof(string))]
public sealed class SetName(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _value = build.Input(node, "value");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.Workflow.Name = context.Evaluate(_value) as string;
        return context.CompleteAsync();
    }
}

/// <summary>Sets the workflow instance's correlation id.</summary>
[Activity("Elsa.Correlate", "Primitives", "Correlate", DisplayNameZh = "设置关联号")]
[Input("correlationId", typeof(string))]
public sealed class Correlate(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _id = build.Input(node, "correlationId");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.Workflow.CorrelationId = context.Evaluate(_id) as string;
        return context.CompleteAsync();
    }
}

/// <summary>Marks where a flowchart starts.</summary>
[Activity("Elsa.Start", "Flow", "Start", DisplayNameZh = "开始")]
public sealed class Start(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context) => context.CompleteAsync();
}

/// <summary>Ends the containing flowchart at once, whatever else is still running in it.</summary>
[Activity("Elsa.End", "Flow", "End", DisplayNameZh = "结束", Outcomes = [])]
public sealed class End(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    /// <inheritdoc />
    public override bool IsTerminal => true;

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context) => context.CompleteAsync();
}

/// <summary>Ends the whole workflow: clears the scheduler and bookmarks; the instance finishes.</summary>
[Activity("Elsa.Finish", "Primitives", "Finish", DisplayNameZh = "完成工作流", Outcomes = [])]
public sealed class Finish(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    /// <inheritdoc />
    public override bool IsTerminal => true;

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.Workflow.Finish();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Completes the nearest workflow used as an activity (or the workflow) with the given outcomes.</summary>
[Activity("Elsa.Complete", "Composition", "Complete", DisplayNameZh = "以结果结束", Outcomes = [])]
[Input("outcomes", typeof(List<string>), UiHint = "outcome-picker")]
public sealed class Complete(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _outcomes = build.Input(node, "outcomes");

    /// <inheritdoc />
    public override bool IsTerminal => true;

    /// <inheritdoc />
    protected internal override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var outcomes = context.Evaluate(_outcomes) as List<string> is { Count: > 0 } list ? list : Outcomes.Done;
        await context.SendSignalAsync(new CompleteCompositeSignal(outcomes));
        await context.CompleteAsync();
    }
}

/// <summary>Faults the workflow with a code and message.</summary>
[Activity("Elsa.Fault", "Primitives", "Fault", DisplayNameZh = "故障", Outcomes = [])]
[Input("code", typeof(string))]
[Input("category", typeof(string))]
[Input("faultType", typeof(string))]
[Input("message", typeof(string))]
public sealed class Fault(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _code = build.Input(node, "code");
    private readonly Input? _category = build.Input(node, "category");
    private readonly Input? _type = build.Input(node, "faultType");
    private readonly Input? _message = build.Input(node, "message");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context) =>
        throw new FaultException(
            context.Evaluate(_code) as string ?? "0",
            context.Evaluate(_category) as string ?? "General",
            context.Evaluate(_type) as string ?? "System",
            context.Evaluate(_message) as string ?? "Fault");
}

/// <summary>Runs a JavaScript script; its value is the result, setOutcome(s) picks the outcomes.</summary>
[Activity("Elsa.RunJavaScript", "Scripting", "Run JavaScript", DisplayNameZh = "运行 JavaScript")]
[Input("script", typeof(string), UiHint = "code")]
[Output("result", typeof(object))]
public sealed class RunJavaScript(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _script = build.Input(node, "script");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var result = JavaScriptEvaluator.Run(context.Evaluate(_script) as string ?? "", context, out var outcomes);
        context.SetOutput("result", result);
        return context.CompleteAsync(outcomes ?? Outcomes.Done);
    }
}

/// <summary>Runs a C# script; its value is the result.</summary>
[Activity("Elsa.RunCSharp", "Scripting", "Run C#", DisplayNameZh = "运行 C#")]
[Input("script", typeof(string), UiHint = "code")]
[Output("result", typeof(object))]
public sealed class RunCSharp(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _script = build.Input(node, "script");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.SetOutput("result", CSharpEvaluator.Run(context.Evaluate(_script) as string ?? "", context));
        return context.CompleteAsync();
    }
}
