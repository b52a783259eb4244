using System.Text.Json.Nodes;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Expressions;

/// <summary>An expression as written in Elsa JSON: <c>{"type": "...", "value": ...}</c>.</summary>
/// <param name="Type">Expression language: Literal, Object, Json, Variable, Input, JavaScript or CSharp.</param>
/// <param name="Value">The expression's value as written.</param>
public sealed record Expression(string Type, JsonNode? Value)
{
    /// <summary>The value as text (the script of a JavaScript or C# expression).</summary>
    public string? Text => Value is JsonValue v ? Values.ToText(Values.FromJson(v)) : Value?.ToJsonString();
}

/// <summary>Evaluates one expression language.</summary>
public interface IExpressionEvaluator
{
    /// <summary>Checks the expression once when the workflow is compiled; returns a problem or null.</summary>
    string? Validate(Expression expression) => null;

    /// <summary>Evaluates the expression in the context of an activity execution.</summary>
    object? Evaluate(Expression expression, ActivityExecutionContext context);
}

/// <summary>The expression languages known to the engine, by Elsa's type names.</summary>
public sealed class ExpressionEvaluators
{
    private readonly Dictionary<string, IExpressionEvaluator> _evaluators = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates the registry with every built-in language: JavaScript with the given limits, C# only if allowed.</summary>
    public static ExpressionEvaluators CreateDefault(ExpressionOptions? options = null)
    {
        options ??= ExpressionOptions.Default;
        var r = new ExpressionEvaluators { Options = options };
        r.Register("Literal", LiteralEvaluator.Instance);
        r.Register("Object", ObjectEvaluator.Instance);
        r.Register("Json", ObjectEvaluator.Instance);
        r.Register("Variable", VariableEvaluator.Instance);
        r.Register("Input", InputEvaluator.Instance);
        r.Register("JavaScript", options.JavaScript == ScriptLimits.Default ? JavaScriptEvaluator.Instance : new JavaScriptEvaluator(options.JavaScript));
        r.Register("CSharp", options.CSharp == CSharpOptions.Default ? CSharpEvaluator.Instance : new CSharpEvaluator(options.CSharp));
        r.Register("Liquid", LiquidEvaluator.Instance);
        return r;
    }

    /// <summary>The settings the built-in languages were created with.</summary>
    public ExpressionOptions Options { get; private init; } = ExpressionOptions.Default;

    /// <summary>Adds or replaces a language.</summary>
    public void Register(string type, IExpressionEvaluator evaluator) => _evaluators[type] = evaluator;

    /// <summary>Finds the evaluator of a language.</summary>
    public IExpressionEvaluator? Find(string type) => _evaluators.GetValueOrDefault(type);
}

/// <summary>A constant: the JSON value itself.</summary>
public sealed class LiteralEvaluator : IExpressionEvaluator
{
    /// <summary>The shared instance.</summary>
    public static readonly LiteralEvaluator Instance = new();

    /// <inheritdoc />
    public object? Evaluate(Expression expression, ActivityExecutionContext context) => Values.FromJson(expression.Value);
}

/// <summary>JSON text (or a JSON value) parsed into an object or list.</summary>
public sealed class ObjectEvaluator : IExpressionEvaluator
{
    /// <summary>The shared instance.</summary>
    public static readonly ObjectEvaluator Instance = new();

    /// <inheritdoc />
    public string? Validate(Expression expression)
    {
        if (expression.Value is not JsonValue v || !v.TryGetValue<string>(out var s) || string.IsNullOrWhiteSpace(s)) return null;
        try { JsonNode.Parse(s); return null; }
        catch (System.Text.Json.JsonException ex) { return $"the Object expression is not valid JSON: {ex.Message.Split(" Path:")[0]}"; }
    }

    /// <inheritdoc />
    public object? Evaluate(Expression expression, ActivityExecutionContext context)
    {
        if (expression.Value is JsonValue v && v.TryGetValue<string>(out var s))
            return string.IsNullOrWhiteSpace(s) ? null : Values.FromJson(JsonNode.Parse(s));
        return Values.FromJson(expression.Value);
    }
}

/// <summary>The value of a variable named (or identified) by the expression.</summary>
public sealed class VariableEvaluator : IExpressionEvaluator
{
    /// <summary>The shared instance.</summary>
    public static readonly VariableEvaluator Instance = new();

    /// <inheritdoc />
    public object? Evaluate(Expression expression, ActivityExecutionContext context)
    {
        var key = expression.Value switch
        {
            JsonObject o => Model.JsonAccess.GetString(o, "id") ?? Model.JsonAccess.GetString(o, "name"),
            _ => expression.Text
        };
        return key is null ? null : context.FindVariable(key)?.Value;
    }
}

/// <summary>The value of a workflow input named by the expression.</summary>
public sealed class InputEvaluator : IExpressionEvaluator
{
    /// <summary>The shared instance.</summary>
    public static readonly InputEvaluator Instance = new();

    /// <inheritdoc />
    public object? Evaluate(Expression expression, ActivityExecutionContext context) =>
        expression.Text is { } name ? context.Workflow.GetInput(name) : null;
}

/// <summary>Stands in for an expression that could not be compiled: evaluating it faults the activity with the reason.</summary>
public sealed class FaultingEvaluator(string reason) : IExpressionEvaluator
{
    /// <inheritdoc />
    public object? Evaluate(Expression expression, ActivityExecutionContext context) => throw new InvalidOperationException(reason);
}
