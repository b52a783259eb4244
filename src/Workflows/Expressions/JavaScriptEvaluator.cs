using System.Collections;
using System.Text.RegularExpressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;
using Jurassic;
using Jurassic.Library;

namespace GovFlow.Workflows.Expressions;

/// <summary>
/// JavaScript expressions on Jurassic with Elsa's helpers: <c>getX()</c>/<c>setX(v)</c> for variables,
/// <c>getX()</c> for workflow inputs, <c>getOutputFromActivity()</c> for activity outputs, plus
/// getVariable, setVariable, getInput, getOutputFrom, setOutcome(s) and a few utilities.
/// A script may end in an expression or <c>return</c> a value (it is then run as a function body).
/// Scripts are compiled once per thread and cached by their text.
/// </summary>
public sealed partial class JavaScriptEvaluator : IExpressionEvaluator
{
    /// <summary>The shared instance.</summary>
    public static readonly JavaScriptEvaluator Instance = new();

    [ThreadStatic] private static Host? _host;

    /// <inheritdoc />
    public string? Validate(Expression expression)
    {
        var script = expression.Text;
        if (string.IsNullOrWhiteSpace(script)) return null;
        try { HostForThread.Compile(script); return null; }
        catch (Exception ex) when (ex is JavaScriptException or Jurassic.Compiler.SyntaxErrorException) { return $"JavaScript does not compile: {ex.Message}"; }
    }

    /// <inheritdoc />
    public object? Evaluate(Expression expression, ActivityExecutionContext context) => Run(expression.Text ?? "", context, out _);

    /// <summary>Runs a script; <paramref name="outcomes"/> receives what setOutcome(s) chose, if anything.</summary>
    public static object? Run(string script, ActivityExecutionContext context, out IReadOnlyList<string>? outcomes)
    {
        outcomes = null;
        if (string.IsNullOrWhiteSpace(script)) return null;
        var host = HostForThread;
        var previous = host.Current;
        var previousOutcomes = host.Outcomes;
        host.Current = context;
        host.Outcomes = null;
        try
        {
            var compiled = host.Compile(script);
            var variables = VariablesObjectPattern().IsMatch(script) ? host.ExposeVariables(context) : null;
            var result = compiled.Evaluate(host.Engine);
            if (variables != null) host.WriteBackVariables(context, variables.Value.Object, variables.Value.Before);
            outcomes = host.Outcomes;
            return host.FromJs(result);
        }
        catch (Exception ex) when (ex is JavaScriptException or Jurassic.Compiler.SyntaxErrorException)
        {
            throw new InvalidOperationException($"JavaScript error: {ex.Message}", ex);
        }
        finally
        {
            host.Current = previous;
            host.Outcomes = previousOutcomes;
        }
    }

    private static Host HostForThread => _host ??= new Host();

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

    private sealed class Host
    {
        private readonly Dictionary<string, CompiledEval> _scripts = new(StringComparer.Ordinal);
        private readonly HashSet<string> _accessors = new(StringComparer.Ordinal);

        public Host()
        {
            Engine = new ScriptEngine();
            Engine.SetGlobalFunction("getVariable", new Func<string, object>(name => ToJs(Ctx.FindVariable(name)?.Value)));
            Engine.SetGlobalFunction("setVariable", new Action<string, object>((name, value) =>
                (Ctx.FindVariable(name) ?? throw new InvalidOperationException($"setVariable: no variable '{name}' in scope.")).Set(FromJs(value))));
            Engine.SetGlobalFunction("getInput", new Func<string, object>(name => ToJs(Ctx.Workflow.GetInput(name))));
            Engine.SetGlobalFunction("getOutputFrom", new Func<string, object, object>((activity, output) =>
                ToJs(ActivityOutput(activity, output is string s ? s : "Output"))));
            Engine.SetGlobalFunction("getWorkflowInstanceId", new Func<string>(() => Ctx.Workflow.InstanceId));
            Engine.SetGlobalFunction("getWorkflowDefinitionId", new Func<string>(() => Ctx.Workflow.Workflow.Definition.DefinitionId ?? ""));
            Engine.SetGlobalFunction("getCorrelationId", new Func<object>(() => (object?)Ctx.Workflow.CorrelationId ?? Null.Value));
            Engine.SetGlobalFunction("setCorrelationId", new Action<string>(v => Ctx.Workflow.CorrelationId = v));
            Engine.SetGlobalFunction("getWorkflowInstanceName", new Func<object>(() => (object?)Ctx.Workflow.Name ?? Null.Value));
            Engine.SetGlobalFunction("setWorkflowInstanceName", new Action<string>(v => Ctx.Workflow.Name = v));
            Engine.SetGlobalFunction("setOutcome", new Action<string>(v => Outcomes = [v]));
            Engine.SetGlobalFunction("setOutcomes", new Action<object>(v => Outcomes = (FromJs(v) as IEnumerable ?? Array.Empty<object>()).Cast<object?>().Select(x => Values.ToText(x) ?? "").ToList()));
            Engine.SetGlobalFunction("isNullOrWhiteSpace", new Func<object, bool>(v => string.IsNullOrWhiteSpace(FromJs(v) as string)));
            Engine.SetGlobalFunction("isNullOrEmpty", new Func<object, bool>(v => string.IsNullOrEmpty(FromJs(v) as string)));
            Engine.SetGlobalFunction("newGuidString", new Func<string>(() => Guid.NewGuid().ToString()));
            Engine.SetGlobalFunction("__coalesce", new Func<object, object, object>((a, b) => a is Undefined or Null or null ? b : a));
            Engine.SetGlobalFunction("toJson", new Func<object, string>(v => Values.ToJson(FromJs(v))?.ToJsonString() ?? "null"));
        }

        public ScriptEngine Engine { get; }

        public ActivityExecutionContext? Current { get; set; }

        public IReadOnlyList<string>? Outcomes { get; set; }

        private ActivityExecutionContext Ctx => Current ?? throw new InvalidOperationException("No activity is being evaluated.");

        public CompiledEval Compile(string script)
        {
            if (_scripts.TryGetValue(script, out var compiled)) return compiled;
            try { compiled = CompiledEval.Compile(new StringScriptSource(script)); }
            catch (Exception ex) when (ex is JavaScriptException or Jurassic.Compiler.SyntaxErrorException)
            {
                // Elsa runs scripts that 'return' at top level; as a function body they do the same here.
                var body = JsCompat.Rewrite(script) ?? script;
                try { compiled = CompiledEval.Compile(new StringScriptSource(body)); }
                catch (Exception again) when (again is JavaScriptException or Jurassic.Compiler.SyntaxErrorException)
                {
                    compiled = CompiledEval.Compile(new StringScriptSource("(function(){\n" + body + "\n})()"));
                }
            }
            foreach (Match m in AccessorPattern().Matches(script))
                DefineAccessor(m.Groups[1].Value, m.Groups[2].Value);
            _scripts[script] = compiled;
            return compiled;
        }

        /// <summary>Elsa's <c>variables</c> object: every variable in scope by name, written back after the script.</summary>
        public (ObjectInstance Object, Dictionary<string, System.Text.Json.Nodes.JsonNode?> Before)? ExposeVariables(ActivityExecutionContext context)
        {
            var o = Engine.Object.Construct();
            var before = new Dictionary<string, System.Text.Json.Nodes.JsonNode?>(StringComparer.Ordinal);
            foreach (var v in context.VisibleVariables())
            {
                if (before.ContainsKey(v.Name)) continue;
                before[v.Name] = Values.ToJson(v.Value);
                o[v.Name] = ToJs(v.Value);
            }
            Engine.SetGlobalValue("variables", o);
            return (o, before);
        }

        /// <summary>Stores the values a script assigned through <c>variables.X = ...</c>.</summary>
        public void WriteBackVariables(ActivityExecutionContext context, ObjectInstance o, Dictionary<string, System.Text.Json.Nodes.JsonNode?> before)
        {
            foreach (var (name, old) in before)
            {
                var now = FromJs(o[name]);
                if (!System.Text.Json.Nodes.JsonNode.DeepEquals(Values.ToJson(now), old)) context.FindVariable(name)?.Set(now);
            }
        }

        private void DefineAccessor(string verb, string name)
        {
            var function = verb + name;
            if (BuiltIns.Contains(function) || !_accessors.Add(function)) return;
            if (verb == "get")
                Engine.SetGlobalFunction(function, new Func<object>(() => ToJs(Resolve(name))));
            else
                Engine.SetGlobalFunction(function, new Action<object>(value =>
                    (Ctx.FindVariable(name) ?? throw new InvalidOperationException($"set{name}: no variable '{name}' in scope.")).Set(FromJs(value))));
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

        public object ToJs(object? value) => value switch
        {
            null => Null.Value,
            string or bool or int or double => value,
            long or float or decimal or short or byte => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture),
            IDictionary<string, object?> d => ToJsObject(d),
            IEnumerable e and not string => Engine.Array.New(e.Cast<object?>().Select(ToJs).ToArray()),
            _ => Values.ToText(value) ?? (object)Null.Value
        };

        private ObjectInstance ToJsObject(IDictionary<string, object?> d)
        {
            var o = Engine.Object.Construct();
            foreach (var (k, v) in d) o[k] = ToJs(v);
            return o;
        }

        public object? FromJs(object? value) => value switch
        {
            null or Undefined or Null => null,
            ConcatenatedString cs => cs.ToString(),
            ArrayInstance a => a.ElementValues.Select(FromJs).ToList(),
            FunctionInstance => null,
            DateInstance date => date.Value,
            ObjectInstance o => o.Properties.Where(p => p.IsEnumerable).ToDictionary(p => p.Key.ToString()!, p => FromJs(p.Value)),
            _ => value
        };
    }
}
