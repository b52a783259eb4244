using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Fluid;
using Fluid.Filters;
using Fluid.Values;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Expressions;

/// <summary>
/// Liquid templates on Fluid, the engine Elsa's Liquid module uses, with the same filters (Fluid's array, string,
/// number and miscellaneous filters plus Elsa's <c>base64</c> and <c>keys</c>), no HTML encoding, and the members
/// Elsa registers: <c>Variables</c>, <c>Input</c>, <c>CorrelationId</c>, <c>WorkflowDefinitionId</c>,
/// <c>WorkflowDefinitionVersionId</c>, <c>WorkflowDefinitionVersion</c>, <c>WorkflowInstanceId</c>. GovFlow adds
/// <c>Workflow</c> (the same fields, and <c>Name</c>) and <c>Activities.&lt;name or id&gt;.&lt;output&gt;</c>.
/// Rendering runs in the sandbox of <see cref="LiquidLimits"/>. A template that does not parse is a compile problem
/// (Elsa would render the parse error as the text).
/// </summary>
public sealed class LiquidEvaluator : IExpressionEvaluator
{
    private const int CacheLimit = 4_096;
    private static readonly FluidParser Parser = new();
    private static readonly ConcurrentDictionary<string, IFluidTemplate> Templates = new(StringComparer.Ordinal);
    private readonly TemplateOptions _options;

    /// <summary>The shared instance with the default limits.</summary>
    public static readonly LiquidEvaluator Instance = new(LiquidLimits.Default);

    /// <summary>Creates an evaluator with its sandbox limits.</summary>
    public LiquidEvaluator(LiquidLimits limits)
    {
        Limits = limits;
        _options = CreateOptions(limits);
    }

    /// <summary>The sandbox limits.</summary>
    public LiquidLimits Limits { get; }

    /// <inheritdoc />
    public string? Validate(Expression expression)
    {
        var text = expression.Text;
        if (string.IsNullOrWhiteSpace(text)) return null;
        return Parser.TryParse(text, out _, out var error) ? null : $"Liquid 模板无法解析：{error}";
    }

    /// <inheritdoc />
    public object? Evaluate(Expression expression, ActivityExecutionContext context)
    {
        var text = expression.Text;
        // Elsa renders a blank template as null, not as an empty string.
        if (string.IsNullOrWhiteSpace(text)) return null;
        var template = Parse(text);
        var deadline = new Deadline(Limits.TimeoutMilliseconds);
        var templateContext = new TemplateContext(_options)
        {
            CultureInfo = CultureInfo.InvariantCulture,
            Now = () => context.Workflow.Now,
            MaxSteps = Limits.MaxSteps
        };
        deadline.AttachTo(templateContext);
        LiquidMembers.Expose(templateContext, context, deadline);
        using var writer = new LimitedWriter(Limits.MaxOutputCharacters, deadline);
        try
        {
            var rendering = template.RenderAsync(writer, NullEncoder.Default, templateContext);
            if (!rendering.IsCompletedSuccessfully) rendering.AsTask().GetAwaiter().GetResult();
        }
        catch (LiquidLimitException ex)
        {
            throw new InvalidOperationException(ex.Message, ex);
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("maximum number of statements", StringComparison.OrdinalIgnoreCase)
                                                   || ex.Message.Contains("recursion", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Liquid 模板超出执行步数或嵌套上限（{Limits.MaxSteps} 步、{Limits.MaxRecursion} 层）：{ex.Message}", ex);
        }
        return writer.ToString();
    }

    private static IFluidTemplate Parse(string text)
    {
        if (Templates.TryGetValue(text, out var cached)) return cached;
        if (!Parser.TryParse(text, out var template, out var error))
            throw new InvalidOperationException($"Liquid 模板无法解析：{error}");
        // A bounded cache: definitions are few, but a template built from data must not grow it without end.
        if (Templates.Count >= CacheLimit) Templates.Clear();
        Templates[text] = template;
        return template;
    }

    private static TemplateOptions CreateOptions(LiquidLimits limits)
    {
        var options = new TemplateOptions { CultureInfo = CultureInfo.InvariantCulture, MaxRecursion = limits.MaxRecursion };
        options.Filters.WithArrayFilters().WithStringFilters().WithNumberFilters().WithMiscFilters();
        options.Filters.AddFilter("base64", LiquidFilters.Base64);
        options.Filters.AddFilter("keys", LiquidFilters.Keys);
        foreach (var (name, filter) in options.Filters.ToList())
            options.Filters.AddFilter(name, (input, arguments, context) =>
            {
                Deadline.Check(context);
                return filter(input, arguments, context);
            });
        options.Assigned = (name, value, context) =>
        {
            Deadline.Check(context);
            return value;
        };
        options.MemberAccessStrategy.Register<LiquidMembers.Lookup, FluidValue>((lookup, name) => lookup.Get(name));
        return options;
    }

    /// <summary>
    /// The clock of one rendering. Fluid offers no hook per statement, so the deadline is checked wherever a template
    /// does work: each write, each filter, each assignment and each member read; the step limit bounds loops that do
    /// none of these.
    /// </summary>
    internal sealed class Deadline(int milliseconds)
    {
        private const string Key = "GovFlow.Liquid.Deadline";
        private readonly long _end = Stopwatch.GetTimestamp() + milliseconds * Stopwatch.Frequency / 1000;

        public void Check()
        {
            if (Stopwatch.GetTimestamp() >= _end)
                throw new LiquidLimitException($"Liquid 模板渲染超时（超过 {milliseconds} 毫秒）。");
        }

        public void AttachTo(TemplateContext context) => context.AmbientValues[Key] = this;

        public static void Check(TemplateContext context)
        {
            if (context.AmbientValues.TryGetValue(Key, out var d) && d is Deadline deadline) deadline.Check();
        }
    }

    /// <summary>Refuses output past the limit as it is written, so a runaway template never holds it all.</summary>
    private sealed class LimitedWriter(int limit, Deadline deadline) : StringWriter(CultureInfo.InvariantCulture)
    {
        public override void Write(char value)
        {
            Check(1);
            base.Write(value);
        }

        public override void Write(string? value)
        {
            Check(value?.Length ?? 0);
            base.Write(value);
        }

        public override void Write(char[] buffer, int index, int count)
        {
            Check(count);
            base.Write(buffer, index, count);
        }

        public override void Write(ReadOnlySpan<char> buffer)
        {
            Check(buffer.Length);
            base.Write(buffer);
        }

        public override Task WriteAsync(char value) { Write(value); return Task.CompletedTask; }

        public override Task WriteAsync(string? value) { Write(value); return Task.CompletedTask; }

        public override Task WriteAsync(char[] buffer, int index, int count) { Write(buffer, index, count); return Task.CompletedTask; }

        public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) { Write(buffer.Span); return Task.CompletedTask; }

        private void Check(int adding)
        {
            deadline.Check();
            if (GetStringBuilder().Length + (long)adding > limit)
                throw new LiquidLimitException($"Liquid 模板输出超过 {limit} 个字符的上限。");
        }
    }

    internal sealed class LiquidLimitException(string message) : Exception(message);
}

/// <summary>Elsa's own Liquid filters.</summary>
internal static class LiquidFilters
{
    /// <summary>Elsa's <c>base64</c>: the UTF-8 bytes of the value's text (objects and arrays as JSON) in Base64.</summary>
    public static ValueTask<FluidValue> Base64(FluidValue input, FilterArguments arguments, TemplateContext context)
    {
        string? text = input.Type switch
        {
            FluidValues.Nil => null,
            FluidValues.Boolean => input.ToBooleanValue() ? "True" : "False",
            FluidValues.Number => input.ToNumberValue().ToString(CultureInfo.InvariantCulture),
            FluidValues.String => input.ToStringValue(),
            _ => Values.ToJson(ToPlain(input, context))?.ToJsonString()
        };
        return new(text is null ? NilValue.Instance : new StringValue(Convert.ToBase64String(Encoding.UTF8.GetBytes(text))));
    }

    /// <summary>Elsa's <c>keys</c>: the keys of an object; anything else faults as in Elsa.</summary>
    public static ValueTask<FluidValue> Keys(FluidValue input, FilterArguments arguments, TemplateContext context)
    {
        if (input is not DictionaryValue && input.ToObjectValue() is not IFluidIndexable && input.ToObjectValue() is not IDictionary<string, object?>)
            throw new InvalidOperationException("Liquid 过滤器 keys 只能用于对象。");
        var keys = input.ToObjectValue() switch
        {
            IFluidIndexable indexable => indexable.Keys,
            IDictionary<string, object?> d => d.Keys,
            _ => []
        };
        return new(new ArrayValue(keys.Select(k => (FluidValue)new StringValue(k)).ToArray()));
    }

    private static object? ToPlain(FluidValue value, TemplateContext context) => value.Type switch
    {
        FluidValues.Array => value.Enumerate(context).Select(v => ToPlain(v, context)).ToList(),
        _ => value.ToObjectValue()
    };
}
