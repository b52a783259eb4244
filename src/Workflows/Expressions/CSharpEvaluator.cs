using System.Collections.Concurrent;
using System.Dynamic;
using GovFlow.Workflows.Runtime;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace GovFlow.Workflows.Expressions;

/// <summary>
/// C# expressions with Roslyn scripting, like Elsa's: <c>Variables.X</c> reads and writes variables,
/// <c>Input.X</c> reads workflow inputs, <c>Output.X</c> sets workflow outputs. Each script is compiled
/// once (the first use costs about a second) and the delegate is cached by the script's text.
/// </summary>
public sealed class CSharpEvaluator : IExpressionEvaluator
{
    /// <summary>The shared instance.</summary>
    public static readonly CSharpEvaluator Instance = new();

    private static readonly ConcurrentDictionary<string, Lazy<ScriptRunner<object?>>> Scripts = new(StringComparer.Ordinal);

    private static readonly ScriptOptions Options = ScriptOptions.Default
        .AddReferences(typeof(object).Assembly, typeof(Enumerable).Assembly, typeof(DynamicObject).Assembly,
            typeof(Microsoft.CSharp.RuntimeBinder.Binder).Assembly, typeof(CSharpEvaluator).Assembly)
        .AddImports("System", "System.Linq", "System.Collections.Generic");

    /// <inheritdoc />
    public object? Evaluate(Expression expression, ActivityExecutionContext context) => Run(expression.Text ?? "", context);

    /// <summary>Runs a script in an activity's context.</summary>
    public static object? Run(string script, ActivityExecutionContext context)
    {
        if (string.IsNullOrWhiteSpace(script)) return null;
        var runner = Scripts.GetOrAdd(script, s => new Lazy<ScriptRunner<object?>>(() => Compile(s))).Value;
        return runner(new CSharpGlobals(context)).GetAwaiter().GetResult();
    }

    private static ScriptRunner<object?> Compile(string script)
    {
        var compiled = CSharpScript.Create<object?>(script, Options, typeof(CSharpGlobals));
        var errors = compiled.Compile().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
            throw new InvalidOperationException("C# does not compile: " + string.Join("; ", errors.Select(e => e.GetMessage(System.Globalization.CultureInfo.InvariantCulture))));
        return compiled.CreateDelegate();
    }
}

/// <summary>What a C# expression sees.</summary>
public sealed class CSharpGlobals(ActivityExecutionContext context)
{
    /// <summary>Variables in scope, by name.</summary>
    public dynamic Variables { get; } = new Accessor(
        name => context.FindVariable(name)?.Value,
        (name, value) => (context.FindVariable(name) ?? throw new InvalidOperationException($"No variable '{name}' in scope.")).Set(value));

    /// <summary>Workflow inputs, by name.</summary>
    public dynamic Input { get; } = new Accessor(name => context.Workflow.GetInput(name), (name, _) => throw new InvalidOperationException($"Input '{name}' is read-only."));

    /// <summary>Workflow outputs, by name.</summary>
    public dynamic Output { get; } = new Accessor(
        name => context.Workflow.Output.GetValueOrDefault(name),
        (name, value) => context.Workflow.Output[name] = value);

    /// <summary>The activity execution, for advanced scripts.</summary>
    public ActivityExecutionContext Context { get; } = context;

    private sealed class Accessor(Func<string, object?> get, Action<string, object?> set) : DynamicObject
    {
        public override bool TryGetMember(GetMemberBinder binder, out object? result)
        {
            result = get(binder.Name);
            return true;
        }

        public override bool TrySetMember(SetMemberBinder binder, object? value)
        {
            set(binder.Name, value);
            return true;
        }
    }
}
