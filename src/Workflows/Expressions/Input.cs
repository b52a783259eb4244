using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Expressions;

/// <summary>A compiled activity input: an expression, its evaluator and the type the activity wants.</summary>
public sealed class Input
{
    private readonly bool _isLiteral;
    private readonly bool _literalReady;
    private readonly object? _literal;

    /// <summary>Creates an input.</summary>
    public Input(string name, Expression expression, IExpressionEvaluator evaluator, Type targetType, string? typeName)
    {
        Name = name;
        Expression = expression;
        Evaluator = evaluator;
        TargetType = targetType;
        TypeName = typeName;
        _isLiteral = evaluator is LiteralEvaluator;
        if (_isLiteral)
        {
            // Literals are converted once here, so running a flow does not parse "00:00:05" or "True" again.
            try { _literal = Values.Convert(Values.FromJson(expression.Value), targetType); _literalReady = true; }
            catch (InvalidCastException) { _literalReady = false; }
        }
    }

    /// <summary>The input's property name.</summary>
    public string Name { get; }

    /// <summary>The expression.</summary>
    public Expression Expression { get; }

    /// <summary>The evaluator of the expression's language.</summary>
    public IExpressionEvaluator Evaluator { get; }

    /// <summary>The CLR type the activity expects.</summary>
    public Type TargetType { get; }

    /// <summary>The Elsa type name written in the file.</summary>
    public string? TypeName { get; }

    /// <summary>Whether the input is a constant.</summary>
    public bool IsLiteral => _isLiteral;

    /// <summary>Evaluates the input and converts it to <see cref="TargetType"/>.</summary>
    public object? Evaluate(ActivityExecutionContext context)
    {
        if (_literalReady) return _literal;
        var raw = Evaluator.Evaluate(Expression, context);
        try { return Values.Convert(raw, TargetType); }
        catch (InvalidCastException ex) { throw new InvalidOperationException($"Input '{Name}': {ex.Message}", ex); }
    }
}
