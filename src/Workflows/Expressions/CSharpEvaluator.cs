using System.Diagnostics;
using System.Dynamic;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace GovFlow.Workflows.Expressions;

/// <summary>
/// C# expressions with Roslyn scripting, like Elsa's: <c>Variables.X</c> reads and writes variables,
/// <c>Input.X</c> reads workflow inputs, <c>Output.X</c> sets workflow outputs. Off unless
/// <see cref="CSharpOptions.Enabled"/>: C# compiles to code of the host, so only trusted authors may use it. When on,
/// a script may only use the types <see cref="CSharpSandbox"/> allows (checked on the compiled symbols, so reflection,
/// files, processes and the network are refused at compile time), and runs with a time limit and a stack check.
/// Compiled scripts are cached by their text, at most 256 of them.
/// </summary>
public sealed class CSharpEvaluator(CSharpOptions options) : IExpressionEvaluator
{
    /// <summary>The evaluator with the default options (off).</summary>
    public static readonly CSharpEvaluator Instance = new(CSharpOptions.Default);

    /// <summary>Why a definition with C# is refused while C# is off.</summary>
    public const string DisabledMessage =
        "本系统未开启 C# 脚本（仅限受信任的作者，需运维设置 GovFlow:Expressions:CSharp:Enabled=true）(C# expressions are turned off on this server; the operator may enable them for trusted authors only)";

    private static readonly BoundedCache<Lazy<CompiledScript>> Scripts = new(256);

    private static readonly ScriptOptions Compilation = ScriptOptions.Default
        .WithReferences(typeof(object).Assembly, typeof(Enumerable).Assembly, typeof(List<>).Assembly, typeof(LinkedList<>).Assembly,
            typeof(JsonNode).Assembly, typeof(Regex).Assembly, typeof(DynamicObject).Assembly,
            typeof(Microsoft.CSharp.RuntimeBinder.Binder).Assembly, typeof(CSharpEvaluator).Assembly)
        .WithImports("System", "System.Linq", "System.Collections.Generic")
        .WithAllowUnsafe(false)
        .WithEmitDebugInformation(false);

    /// <summary>A C# problem as reported for a definition: naming the activity, since one definition may hold many scripts.</summary>
    public static string ForActivity(ActivityNode node, string problem) => $"活动“{node.Name ?? node.Id}”（{node.Type}）：{problem}";

    /// <summary>Whether C# may be used and for how long a script may run.</summary>
    public CSharpOptions Options { get; } = options;

    /// <inheritdoc />
    public string? Validate(Expression expression) => Check(expression.Text);

    /// <summary>Checks a script once at compilation: null when it may run, else the problem (C# off, a compile error, a refused symbol).</summary>
    public string? Check(string? script)
    {
        if (!Options.Enabled) return DisabledMessage;
        if (string.IsNullOrWhiteSpace(script)) return null;
        return Compile(script).Problem;
    }

    /// <inheritdoc />
    public object? Evaluate(Expression expression, ActivityExecutionContext context) => Execute(expression.Text ?? "", context);

    /// <summary>Runs a script with the C# evaluator of the activity's workflow (and so its settings).</summary>
    public static object? Run(string script, ActivityExecutionContext context) => For(context).Execute(script, context);

    /// <summary>The C# evaluator the workflow of <paramref name="context"/> was compiled with.</summary>
    public static CSharpEvaluator For(ActivityExecutionContext context) =>
        context.Workflow.Workflow.Evaluators?.Find("CSharp") as CSharpEvaluator ?? Instance;

    /// <summary>Runs a script in an activity's context.</summary>
    public object? Execute(string script, ActivityExecutionContext context)
    {
        if (!Options.Enabled) throw new InvalidOperationException(DisabledMessage);
        if (string.IsNullOrWhiteSpace(script)) return null;
        var compiled = Compile(script);
        if (compiled.Problem is { } problem) throw new InvalidOperationException(problem);
        var limit = Options.TimeLimit;
        var milliseconds = limit.TotalMilliseconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture);
        var timeout = $"C# 脚本运行超过 {milliseconds} 毫秒 (C# script exceeded {milliseconds} ms)";
        using var budget = CSharpScriptGuard.Begin(Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency), timeout);
        try
        {
            var run = compiled.Runner!(new CSharpGlobals(context));
            // The guard stops loops and calls; this catches a script that awaits something that never ends.
            if (!run.Wait(limit + TimeSpan.FromSeconds(1))) throw new ScriptLimitException(timeout);
            return run.Result;
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count == 1)
        {
            throw Translate(ex.InnerExceptions[0]);
        }
        catch (InsufficientExecutionStackException ex)
        {
            throw Translate(ex);
        }
    }

    private static Exception Translate(Exception ex) => ex switch
    {
        InsufficientExecutionStackException => new ScriptLimitException("C# 脚本递归过深，栈空间不足 (C# script recursed too deep)", ex),
        _ => ex
    };

    private static CompiledScript Compile(string script) =>
        Scripts.GetOrAdd(script, s => new Lazy<CompiledScript>(() => CompiledScript.Create(s))).Value;

    /// <summary>A script checked and compiled once: either its runner or why it cannot run.</summary>
    private sealed record CompiledScript(ScriptRunner<object?>? Runner, string? Problem)
    {
        public static CompiledScript Create(string script)
        {
            var original = CSharpScript.Create<object?>(script, Compilation, typeof(CSharpGlobals));
            var compilation = original.GetCompilation();
            var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (errors.Count > 0)
                return new CompiledScript(null, "C# does not compile: " + string.Join("; ", errors.Select(e => e.GetMessage(System.Globalization.CultureInfo.InvariantCulture))));
            var tree = compilation.SyntaxTrees.Single();
            var model = compilation.GetSemanticModel(tree);
            if (CSharpSandbox.FindRefused(tree, model) is { } refused)
                return new CompiledScript(null, $"C# 脚本使用了不允许的 {refused} (the C# script uses {refused}, which is not allowed)");
            var guarded = new CSharpGuardRewriter(model).Visit(tree.GetRoot()).ToFullString();
            var runnable = CSharpScript.Create<object?>(guarded, Compilation, typeof(CSharpGlobals));
            var again = runnable.Compile().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (again.Count > 0)
                return new CompiledScript(null, "C# cannot be guarded: " + string.Join("; ", again.Select(e => e.GetMessage(System.Globalization.CultureInfo.InvariantCulture))));
            return new CompiledScript(runnable.CreateDelegate(), null);
        }
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

    /// <summary>The activity execution; outside the allow-list, so a sandboxed script cannot reach it.</summary>
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
