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

    /// <summary>Creates the registry with every built-in language: JavaScript and Liquid with the given limits, C# only if allowed.</summary>
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
        r.Register("Liquid", options.Liquid is null ? LiquidEvaluator.Instance : new LiquidEvaluator(options.Liquid));
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

/// <summary>
/// Elsa's Variable expression: its value is the JSON of a variable reference (<c>{"id": ..., "name": ...}</c>, as an
/// object or as JSON text) resolved by id, falling back to the name; a bare variable name is read too.
/// </summary>
public sealed class VariableEvaluator : IExpressionEvaluator
{
    /// <summary>The shared instance.</summary>
    public static readonly VariableEvaluator Instance = new();

    /// <inheritdoc />
    public object? Evaluate(Expression expression, ActivityExecutionContext context)
    {
        // As in Elsa, an expression that names nothing reads as null; one that names a variable out of scope faults.
        if (Reference(expression) is not { } reference) return null;
        var (id, name) = reference;
        var slot = (id is null ? null : context.FindVariable(id)) ?? (name is null ? null : context.FindVariable(name));
        if (slot is null)
            throw new InvalidOperationException($"变量“{name ?? id}”不存在（Variable expression: no variable with id '{id}' or name '{name}' is in scope）。");
        return slot.Value;
    }

    /// <summary>The id and name the expression refers to, or null when it names nothing.</summary>
    private static (string? Id, string? Name)? Reference(Expression expression)
    {
        var value = expression.Value;
        if (value is JsonValue v && v.TryGetValue<string>(out var text))
        {
            var trimmed = text.Trim();
            if (trimmed.Length == 0) return null;
            if (!trimmed.StartsWith('{')) return (null, trimmed);
            try { value = JsonNode.Parse(trimmed); }
            catch (System.Text.Json.JsonException) { return (null, trimmed); }
        }
        if (value is not JsonObject o) return null;
        var id = Model.JsonAccess.GetString(o, "id");
        var name = Model.JsonAccess.GetString(o, "name");
        return id is null && name is null ? null : (id, name);
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
