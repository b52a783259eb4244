using System.Collections;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Acornima.Ast;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;
using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;

namespace GovFlow.Workflows.Expressions;

/// <summary>
/// JavaScript expressions on Jint (the engine Elsa uses) with Elsa's helpers: <c>getX()</c>/<c>setX(v)</c> for
/// variables, <c>getX()</c> for workflow inputs, <c>getOutputFromActivity()</c> for activity outputs, plus
/// getVariable, setVariable, getInput, getOutputFrom, setOutcome(s), the <c>variables</c> object and a few utilities.
/// A script may end in an expression or <c>return</c> a value (it is then run as a function body).
/// Every evaluation runs in a sandbox: no .NET types, and the <see cref="ScriptLimits"/> of this evaluator.
/// Scripts are parsed once and shared by all threads; each thread keeps its own engine (Jint's are not thread-safe).
/// </summary>
public sealed partial class JavaScriptEvaluator(ScriptLimits limits) : IExpressionEvaluator
{
    /// <summary>The evaluator with the default limits.</summary>
    public static readonly JavaScriptEvaluator Instance = new(ScriptLimits.Default);

    private static readonly BoundedCache<ParsedScript> Scripts = new(1024);

    [ThreadStatic] private static Host? _host;

    /// <summary>The limits every evaluation runs with.</summary>
    public ScriptLimits Limits { get; } = limits;

    /// <inheritdoc />
    public string? Validate(Expression expression)
    {
        var script = expression.Text;
        if (string.IsNullOrWhiteSpace(script)) return null;
        try { Parse(script); return null; }
        catch (JavaScriptCompileException ex) { return ex.Message; }
    }

    /// <inheritdoc />
    public object? Evaluate(Expression expression, ActivityExecutionContext context) => Execute(expression.Text ?? "", context, out _);

    /// <summary>Runs a script with the JavaScript evaluator of the activity's workflow (and so its limits).</summary>
    public static object? Run(string script, ActivityExecutionContext context, out IReadOnlyList<string>? outcomes) =>
        For(context).Execute(script, context, out outcomes);

    /// <summary>The JavaScript evaluator the workflow of <paramref name="context"/> was compiled with.</summary>
    public static JavaScriptEvaluator For(ActivityExecutionContext context) =>
        context.Workflow.Workflow.Evaluators?.Find("JavaScript") as JavaScriptEvaluator ?? Instance;

    /// <summary>Runs a script; <paramref name="outcomes"/> receives what setOutcome(s) chose, if anything.</summary>
    public object? Execute(string script, ActivityExecutionContext context, out IReadOnlyList<string>? outcomes)
    {
        outcomes = null;
        if (string.IsNullOrWhiteSpace(script)) return null;
        ParsedScript parsed;
        try { parsed = Parse(script); }
        catch (JavaScriptCompileException ex) { throw new InvalidOperationException($"JavaScript error: {ex.Message}", ex); }
        var host = HostFor(Limits);
        var previous = host.Current;
        var previousOutcomes = host.Outcomes;
        host.Current = context;
        host.Outcomes = null;
        try
        {
            host.DefineAccessors(parsed.Accessors);
            var variables = parsed.UsesVariablesObject ? host.ExposeVariables(context) : null;
            var result = host.Engine.Evaluate(parsed.Prepared);
            if (variables != null) host.WriteBackVariables(context, variables.Value.Object, variables.Value.Before);
            outcomes = host.Outcomes;
            return host.FromJs(result);
        }
        catch (JavaScriptException ex)
        {
            throw new InvalidOperationException($"JavaScript error: {ex.Message}", ex);
        }
        catch (Exception ex) when (LimitMessage(ex) is { } message)
        {
            // An engine stopped mid-script may hold a half-unwound call stack; the next evaluation gets a fresh one.
            _host = null;
            throw new ScriptLimitException(message, ex);
        }
        finally
        {
            host.Current = previous;
            host.Outcomes = previousOutcomes;
            if (parsed.MayLeaveGlobals && previous is null && ReferenceEquals(_host, host)) host.Sweep();
        }
    }

    private string? LimitMessage(Exception ex) => ex switch
    {
        TimeoutException or RegexMatchTimeoutException =>
            $"脚本运行超过 {Limits.TimeLimit.TotalMilliseconds:0} 毫秒 (script exceeded {Limits.TimeLimit.TotalMilliseconds:0} ms)",
        StatementsCountOverflowException =>
            $"脚本执行语句超过 {Limits.MaxStatements} 条 (script exceeded {Limits.MaxStatements} statements)",
        MemoryLimitExceededException =>
            $"脚本占用内存超过 {Megabytes(Limits.MemoryLimitBytes)} (script exceeded {Megabytes(Limits.MemoryLimitBytes)} of memory)",
        RecursionDepthOverflowException =>
            $"脚本递归深度超过 {Limits.MaxRecursionDepth} 层 (script exceeded recursion depth {Limits.MaxRecursionDepth})",
        InsufficientExecutionStackException =>
            $"脚本递归过深，栈空间不足 (script ran out of stack)",
        _ => null
    };

    private static string Megabytes(long bytes) => (bytes / 1024d / 1024d).ToString("0.##", CultureInfo.InvariantCulture) + " MB";

    private static Host HostFor(ScriptLimits limits)
    {
        var host = _host;
        if (host is null || !ReferenceEquals(host.Limits, limits) && host.Limits != limits) _host = host = new Host(limits);
        return host;
    }

    private static ParsedScript Parse(string script) => Scripts.GetOrAdd(script, ParsedScript.Create);

    [GeneratedRegex(@"\b(get|set)([A-Za-z_]\w*)\s*\(")]
    private static partial Regex AccessorPattern();

    [GeneratedRegex(@"\bvariables\s*[.\[]")]
    private static partial Regex VariablesObjectPattern();

    [GeneratedRegex(@"^(\w+?)From(\w+)$")]
    private static partial Regex OutputAccessorPattern();

    private static readonly HashSet<string> BuiltIns = new(StringComparer.Ordinal)
    {
        "getVariable", "setVariable", "getInput", "getOutputFrom", "getWorkflowInstanceId", "getWorkflowDefinitionId",
        "getCorrelationId", "setCorrelationId", "getWorkflowInstanceName", "setWorkflowInstanceName", "setOutcome", "setOutcomes"
    };

    /// <summary>A script parsed once, with the accessors it calls and whether it uses the <c>variables</c> object.</summary>
    private sealed record ParsedScript(Prepared<Script> Prepared, IReadOnlyList<(string Verb, string Name)> Accessors, bool UsesVariablesObject, bool MayLeaveGlobals)
    {
        public static ParsedScript Create(string script)
        {
            Prepared<Script>? prepared = null;
            // A block keeps let, const and class declarations to this evaluation: each thread's engine is reused,
            // and its global scope would otherwise carry them into the next script (which may redeclare them).
            try { prepared = Engine.PrepareScript("{\n" + script + "\n}"); }
            catch (ScriptPreparationException) { }
            // Elsa runs scripts that 'return' at top level; as a function body they do the same here, and their
            // var declarations stay in the function instead of landing on the global object.
            if (prepared is not { Program: { } program } || GlobalLeaks.ReturnsAtTopLevel(program))
            {
                try { prepared = Engine.PrepareScript("(function(){\n" + script + "\n})()"); }
                catch (ScriptPreparationException ex) { throw new JavaScriptCompileException($"JavaScript does not compile: {(ex.InnerException ?? ex).Message}", ex); }
            }
            var accessors = AccessorPattern().Matches(script)
                .Select(m => (m.Groups[1].Value, m.Groups[2].Value))
                .Where(a => !BuiltIns.Contains(a.Item1 + a.Item2))
                .Distinct().ToList();
            var usesVariables = VariablesObjectPattern().IsMatch(script);
            // The variables object is a global the evaluation sets, so it is cleared after it too.
            return new ParsedScript(prepared.Value, accessors, usesVariables, usesVariables || prepared.Value.Program is not { } parsed || GlobalLeaks.Possible(parsed));
        }
    }

    private sealed class JavaScriptCompileException(string message, Exception inner) : Exception(message, inner);

    private sealed class Host
    {
        private readonly HashSet<string> _accessors = new(StringComparer.Ordinal);

        public Host(ScriptLimits limits)
        {
            Limits = limits;
            Engine = new Engine(o =>
            {
                o.TimeoutInterval(limits.TimeLimit);
                o.MaxStatements(limits.MaxStatements);
                o.LimitMemory(limits.MemoryLimitBytes);
                o.LimitRecursion(limits.MaxRecursionDepth);
                // Recursion through built-ins (sort comparers, toString, getters) is not counted by the depth limit.
                o.Constraints.StackOverflowGuard = true;
                o.Constraints.RegexTimeout = limits.TimeLimit;
                // eval and Function(...) would reach the global object without a trace in the script's syntax (see GlobalLeaks).
                o.DisableStringCompilation();
                o.Interop.Enabled = false;
                o.Interop.AllowGetType = false;
                o.Interop.AllowSystemReflection = false;
            });
            Function("getVariable", a => ToJs(Ctx.FindVariable(Text(a, 0))?.Value));
            Function("setVariable", a =>
            {
                var name = Text(a, 0);
                (Ctx.FindVariable(name) ?? throw new InvalidOperationException($"setVariable: no variable '{name}' in scope.")).Set(FromJs(Arg(a, 1)));
                return JsValue.Undefined;
            });
            Function("getInput", a => ToJs(Ctx.Workflow.GetInput(Text(a, 0))));
            Function("getOutputFrom", a => ToJs(ActivityOutput(Text(a, 0), Arg(a, 1) is JsString s ? s.ToString() : "Output")));
            Function("getWorkflowInstanceId", _ => Ctx.Workflow.InstanceId);
            Function("getWorkflowDefinitionId", _ => Ctx.Workflow.Workflow.Definition.DefinitionId ?? "");
            Function("getCorrelationId", _ => Ctx.Workflow.CorrelationId is { } c ? c : JsValue.Null);
            Function("setCorrelationId", a => { Ctx.Workflow.CorrelationId = Text(a, 0); return JsValue.Undefined; });
            Function("getWorkflowInstanceName", _ => Ctx.Workflow.Name is { } n ? n : JsValue.Null);
            Function("setWorkflowInstanceName", a => { Ctx.Workflow.Name = Text(a, 0); return JsValue.Undefined; });
            Function("setOutcome", a => { Outcomes = [Text(a, 0)]; return JsValue.Undefined; });
            Function("setOutcomes", a =>
            {
                Outcomes = (FromJs(Arg(a, 0)) as IEnumerable ?? Array.Empty<object>()).Cast<object?>().Select(x => Values.ToText(x) ?? "").ToList();
                return JsValue.Undefined;
            });
            Function("isNullOrWhiteSpace", a => string.IsNullOrWhiteSpace(FromJs(Arg(a, 0)) as string));
            Function("isNullOrEmpty", a => string.IsNullOrEmpty(FromJs(Arg(a, 0)) as string));
            Function("newGuidString", _ => Guid.NewGuid().ToString());
            Function("toJson", a => Values.ToJson(FromJs(Arg(a, 0)))?.ToJsonString() ?? "null");
            Harden();
        }

        private readonly HashSet<string> _baseline = new(StringComparer.Ordinal);

        public ScriptLimits Limits { get; }

        public Engine Engine { get; }

        public ActivityExecutionContext? Current { get; set; }

        public IReadOnlyList<string>? Outcomes { get; set; }

        private ActivityExecutionContext Ctx => Current ?? throw new InvalidOperationException("No activity is being evaluated.");

        private void Function(string name, Func<JsValue[], JsValue> body)
        {
            var function = new ClrFunction(Engine, name, (_, args) => body(args));
            if (_baseline.Count == 0)
            {
                Engine.SetValue(name, function);
                return;
            }
            // An accessor defined after hardening gets the same protection as the built-ins.
            Freeze(function, new HashSet<ObjectInstance>(ReferenceEqualityComparer.Instance));
            Engine.Global.DefineOwnProperty(name, new PropertyDescriptor(function, PropertyFlag.AllForbidden));
            _baseline.Add(name);
        }

        /// <summary>
        /// The engine serves every workflow evaluated on this thread, so nothing one script does may reach the next:
        /// the built-ins and helpers are frozen and read-only (assigning to them silently does nothing, as in sloppy
        /// JavaScript), and <see cref="Sweep"/> clears the globals a script declared.
        /// </summary>
        private void Harden()
        {
            var global = Engine.Global;
            var seen = new HashSet<ObjectInstance>(ReferenceEqualityComparer.Instance) { global };
            foreach (var (key, descriptor) in global.GetOwnProperties().ToList())
            {
                Freeze(descriptor.Value, seen);
                if (descriptor.IsDataDescriptor() && descriptor.Configurable)
                    global.DefineOwnProperty(key, new PropertyDescriptor(descriptor.Value, descriptor.Enumerable ? PropertyFlag.OnlyEnumerable : PropertyFlag.AllForbidden));
                _baseline.Add(key.ToString());
            }
        }

        private void Freeze(JsValue? value, HashSet<ObjectInstance> seen)
        {
            if (value is not ObjectInstance o || !seen.Add(o)) return;
            foreach (var (_, descriptor) in o.GetOwnProperties().ToList())
            {
                Freeze(descriptor.Value, seen);
                Freeze(descriptor.Get, seen);
                Freeze(descriptor.Set, seen);
            }
            Engine.Invoke(Engine.Intrinsics.Object.Get("freeze"), JsValue.Undefined, [o]);
        }

        /// <summary>Removes (or, for <c>var</c> bindings, which cannot be removed, empties) the globals the last script declared.</summary>
        public void Sweep()
        {
            var global = Engine.Global;
            foreach (var (key, _) in global.GetOwnProperties().ToList())
                if (!_baseline.Contains(key.ToString()) && !global.Delete(key))
                    global.Set(key, JsValue.Undefined);
        }

        private static JsValue Arg(JsValue[] args, int i) => i < args.Length ? args[i] : JsValue.Undefined;

        // Elsa's helpers take names and texts; Jurassic converted whatever came to a string, so does this.
        private string Text(JsValue[] args, int i) => Values.ToText(FromJs(Arg(args, i))) ?? "";

        public void DefineAccessors(IReadOnlyList<(string Verb, string Name)> accessors)
        {
            foreach (var (verb, name) in accessors)
            {
                var function = verb + name;
                if (!_accessors.Add(function)) continue;
                if (verb == "get")
                    Function(function, _ => ToJs(Resolve(name)));
                else
                    Function(function, a =>
                    {
                        (Ctx.FindVariable(name) ?? throw new InvalidOperationException($"set{name}: no variable '{name}' in scope.")).Set(FromJs(Arg(a, 0)));
                        return JsValue.Undefined;
                    });
            }
        }

        /// <summary>Elsa's <c>variables</c> object: every variable in scope by name, written back after the script.</summary>
        public (ObjectInstance Object, Dictionary<string, JsonNode?> Before)? ExposeVariables(ActivityExecutionContext context)
        {
            var o = new JsObject(Engine);
            var before = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            foreach (var v in context.VisibleVariables())
            {
                if (before.ContainsKey(v.Name)) continue;
                before[v.Name] = Values.ToJson(v.Value);
                o.Set(v.Name, ToJs(v.Value));
            }
            Engine.SetValue("variables", o);
            return (o, before);
        }

        /// <summary>Stores the values a script assigned through <c>variables.X = ...</c>.</summary>
        public void WriteBackVariables(ActivityExecutionContext context, ObjectInstance o, Dictionary<string, JsonNode?> before)
        {
            foreach (var (name, old) in before)
            {
                var now = FromJs(o.Get(name));
                if (!JsonNode.DeepEquals(Values.ToJson(now), old)) context.FindVariable(name)?.Set(now);
            }
        }

        private object? Resolve(string name)
        {
            var ctx = Ctx;
            if (ctx.FindVariable(name) is { } variable) return variable.Value;
            if (ctx.Workflow.Input.TryGetValue(name, out var input)) return input;
            var m = OutputAccessorPattern().Match(name);
            return m.Success ? ActivityOutput(m.Groups[2].Value, m.Groups[1].Value) : null;
        }

        private object? ActivityOutput(string activityName, string outputName)
        {
            var wf = Ctx.Workflow;
            object? found = null;
            foreach (var activity in wf.Workflow.FindByName(Naming.Pascalize(activityName)))
                if (wf.ActivityOutputs.TryGetValue(activity.NodeId, out var outputs) && outputs.TryGetValue(outputName, out var value))
                    found = value;
            return found;
        }

        public JsValue ToJs(object? value) => value switch
        {
            null => JsValue.Null,
            string s => s,
            bool b => b ? JsBoolean.True : JsBoolean.False,
            int i => i,
            double d => d,
            long or float or decimal or short or byte or uint or ulong or ushort or sbyte =>
                Convert.ToDouble(value, CultureInfo.InvariantCulture),
            JsonNode node => ToJs(Values.FromJson(node)),
            System.Text.Json.JsonElement element => ToJs(Values.FromJson(JsonNode.Parse(element.GetRawText()))),
            IDictionary<string, object?> d => ToJsObject(d),
            IEnumerable e and not string => new JsArray(Engine, e.Cast<object?>().Select(ToJs).ToArray()),
            _ => Values.ToText(value) is { } text ? text : JsValue.Null
        };

        private JsObject ToJsObject(IDictionary<string, object?> d)
        {
            var o = new JsObject(Engine);
            foreach (var (k, v) in d) o.Set(k, ToJs(v));
            return o;
        }

        public object? FromJs(JsValue value)
        {
            switch (value)
            {
                case null:
                    return null;
                case JsString:
                    return value.ToString();
                case JsBoolean:
                    return value.AsBoolean();
                case JsNumber:
                    // Whole numbers come back as int, as Jurassic gave them, so "3" stays "3" rather than "3.0".
                    var n = value.AsNumber();
                    return n % 1 == 0 && n is >= int.MinValue and <= int.MaxValue && !(n == 0 && double.IsNegative(n)) ? (int)n : n;
                case JsArray array:
                    {
                        var list = new List<object?>((int)array.Length);
                        for (uint i = 0; i < array.Length; i++) list.Add(FromJs(array.Get(i)));
                        return list;
                    }
                case JsDate date:
                    return date.ToDateTime();
                case Jint.Native.Function.Function:
                    return null;
                case ObjectInstance o:
                    {
                        var d = new Dictionary<string, object?>();
                        foreach (var (key, descriptor) in o.GetOwnProperties())
                            if (descriptor.Enumerable && key.IsString()) d[key.ToString()] = FromJs(o.Get(key));
                        return d;
                    }
                default:
                    return value.IsNull() || value.IsUndefined() ? null : value.ToString();
            }
        }
    }
}
