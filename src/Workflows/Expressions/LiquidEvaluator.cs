using System.Globalization;
using System.Text.RegularExpressions;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Expressions;

/// <summary>
/// Liquid templates as Elsa writes them for text: <c>{{ Variables.Name }}</c>, <c>{{ Input.Name }}</c>,
/// <c>{{ Workflow.CorrelationId }}</c> (also InstanceId, Name, DefinitionId), with the filters upcase, downcase,
/// strip, size, append, prepend and default. Tags (<c>{% %}</c>) are not supported and fault with that reason.
/// </summary>
public sealed partial class LiquidEvaluator : IExpressionEvaluator
{
    /// <summary>The shared instance.</summary>
    public static readonly LiquidEvaluator Instance = new();

    [GeneratedRegex(@"\{\{\s*(.+?)\s*\}\}", RegexOptions.Singleline)]
    private static partial Regex Output();

    /// <inheritdoc />
    public string? Validate(Expression expression) =>
        expression.Text?.Contains("{%", StringComparison.Ordinal) == true ? "Liquid tags ({% %}) are not supported; use {{ }} outputs or JavaScript" : null;

    /// <inheritdoc />
    public object? Evaluate(Expression expression, ActivityExecutionContext context)
    {
        var template = expression.Text ?? "";
        if (Validate(expression) is { } problem) throw new InvalidOperationException(problem);
        return Output().Replace(template, m => Values.ToText(Render(m.Groups[1].Value, context)) ?? "");
    }

    private static object? Render(string expression, ActivityExecutionContext context)
    {
        var parts = expression.Split('|');
        var value = Resolve(parts[0].Trim(), context);
        foreach (var raw in parts.Skip(1))
        {
            var filter = raw.Trim();
            var colon = filter.IndexOf(':');
            var name = (colon < 0 ? filter : filter[..colon]).Trim();
            var argument = colon < 0 ? null : Literal(filter[(colon + 1)..].Trim(), context);
            var text = Values.ToText(value);
            value = name switch
            {
                "upcase" => text?.ToUpperInvariant(),
                "downcase" => text?.ToLowerInvariant(),
                "strip" => text?.Trim(),
                "size" => value is System.Collections.ICollection c ? c.Count : text?.Length ?? 0,
                "append" => text + Values.ToText(argument),
                "prepend" => Values.ToText(argument) + text,
                "default" => value is null || text == "" ? argument : value,
                _ => throw new InvalidOperationException($"Liquid filter '{name}' is not supported.")
            };
        }
        return value;
    }

    private static object? Literal(string text, ActivityExecutionContext context) =>
        text.Length >= 2 && (text[0] is '\'' or '"') && text[^1] == text[0] ? text[1..^1]
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n
        : Resolve(text, context);

    private static object? Resolve(string path, ActivityExecutionContext context)
    {
        var segments = path.Split('.');
        object? value = segments[0] switch
        {
            "Variables" when segments.Length > 1 => context.FindVariable(segments[1])?.Value,
            "Input" when segments.Length > 1 => context.Workflow.GetInput(segments[1]),
            "Workflow" when segments.Length > 1 => segments[1] switch
            {
                "CorrelationId" => context.Workflow.CorrelationId,
                "InstanceId" or "Id" => context.Workflow.InstanceId,
                "Name" => context.Workflow.Name,
                "DefinitionId" => context.Workflow.Workflow.Definition.DefinitionId,
                _ => null
            },
            "CorrelationId" => context.Workflow.CorrelationId,
            _ => context.FindVariable(segments[0])?.Value
        };
        var skip = segments[0] is "Variables" or "Input" or "Workflow" ? 2 : 1;
        foreach (var member in segments.Skip(skip))
            value = value is IDictionary<string, object?> d ? d.FirstOrDefault(p => string.Equals(p.Key, member, StringComparison.OrdinalIgnoreCase)).Value : null;
        return value;
    }
}
