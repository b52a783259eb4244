using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Runtime;
using static GovFlow.Workflows.Tests.Flows;

namespace GovFlow.Workflows.Tests;

/// <summary>Scripts on Jint: Elsa's modern JavaScript runs as written, and no script can take the host down.</summary>
[TestFixture]
public class JavaScriptSandboxTests
{
    private static async Task<(WorkflowState State, IReadOnlyList<string> Lines)> RunScript(string script, ScriptLimits? limits = null, params System.Text.Json.Nodes.JsonObject[] variables)
    {
        var output = new StringWriter();
        var engine = new WorkflowEngine(options: new WorkflowEngineOptions { Out = output, Expressions = new ExpressionOptions { JavaScript = limits ?? ScriptLimits.Default } });
        var state = await engine.StartAsync(Definition(Sequence("s",
            Activity("Elsa.RunJavaScript", "js", ("script", Literal(script, "String")), ("result", Output("Result-id"))),
            WriteLineJs("w", "toJson(getResult())")), variables: [Variable("Result"), .. variables]));
        return (state, WorkflowFileRunner.SplitLines(output.ToString()));
    }

    private static async Task<string> Result(string script, params System.Text.Json.Nodes.JsonObject[] variables)
    {
        var (state, lines) = await RunScript(script, null, variables);
        Assert.That(state.Incidents, Is.Empty, () => state.Incidents[0].Message);
        return lines.Single();
    }

    private static async Task<string> Fault(string script, ScriptLimits? limits = null)
    {
        var (state, _) = await RunScript(script, limits);
        Assert.That(state.Status, Is.EqualTo(WorkflowStatus.Finished).Or.EqualTo(WorkflowStatus.Running));
        Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Faulted));
        var incident = state.Incidents.Single();
        Assert.That(incident.ActivityId, Is.EqualTo("js"));
        return incident.Message;
    }

    [TestCase("return [1, 2, 3].map(x => x * 2).filter(x => x > 2).reduce((a, b) => a + b, 0);", "10")]
    [TestCase("const o = { a: { b: null } }; return o.a?.b?.c ?? 'none';", "\"none\"")]
    [TestCase("return `Hello ${getName() ?? 'nobody'}, ${getMissing() ?? 'n/a'}`;", "\"Hello Wang, n/a\"")]
    [TestCase("const { a, b: [first, ...rest] } = { a: 1, b: [2, 3, 4] }; return { a, first, rest };", "{\"a\":1,\"first\":2,\"rest\":[3,4]}")]
    [TestCase("const xs = [3, 1, 2]; return [...xs, ...[0]].sort().join('-') + ' ' + Math.max(...xs);", "\"0-1-2-3 3\"")]
    [TestCase("return JSON.parse(JSON.stringify({ n: [1, { m: true }] })).n[1].m;", "true")]
    [TestCase("const d = new Date(Date.UTC(2026, 0, 31)); d.setUTCDate(d.getUTCDate() + 1); return d.toISOString().slice(0, 10);", "\"2026-02-01\"")]
    [TestCase("return Object.entries({ x: 1, y: 2 }).flatMap(([k, v]) => [k, v]).includes('y') && [1, [2, [3]]].flat(2).length === 3;", "true")]
    public async Task Modern_JavaScript_runs_as_written(string script, string expected) =>
        Assert.That(await Result(script, Variable("Name", "String", "Wang")), Is.EqualTo(expected));

    [Test]
    public async Task An_endless_loop_faults_the_activity_with_the_limit_it_hit()
    {
        var message = await Fault("while (true) {}");
        Assert.That(message, Does.Contain("脚本执行语句超过 100000 条").And.Contain("script exceeded 100000 statements"));
    }

    [Test]
    public async Task An_endless_loop_faults_the_activity_after_the_time_limit()
    {
        var message = await Fault("while (true) {}", new ScriptLimits { MaxStatements = int.MaxValue });
        Assert.That(message, Does.Contain("脚本运行超过 200 毫秒").And.Contain("script exceeded 200 ms"));
    }

    [Test]
    public async Task Declarations_of_one_script_do_not_reach_the_next()
    {
        Assert.That(await Result("const o = 1; let p = 2; class C {} o + p"), Is.EqualTo("3"));
        Assert.That(await Result("var o = typeof p; o"), Is.EqualTo("\"undefined\""));
    }

    [Test]
    public async Task Unbounded_recursion_faults_the_activity_instead_of_overflowing_the_stack()
    {
        var message = await Fault("function f(n) { return f(n + 1) + 1; } return f(0);");
        Assert.That(message, Does.Contain("脚本递归深度超过 200 层").And.Contain("script exceeded recursion depth 200"));
        // The thread that ran it is still fine, and so is its engine.
        Assert.That(await Result("return 1 + 1;"), Is.EqualTo("2"));
    }

    [Test]
    public async Task Allocating_without_end_faults_the_activity_at_the_memory_limit()
    {
        var limits = new ScriptLimits { TimeLimit = TimeSpan.FromSeconds(30), MaxStatements = int.MaxValue };
        var message = await Fault("const xs = []; for (let i = 0; ; i++) xs.push({ i, text: 'x'.repeat(100) + i });", limits);
        Assert.That(message, Does.Contain("脚本占用内存超过 4 MB").And.Contain("script exceeded 4 MB of memory"));
    }

    [Test]
    public async Task A_long_script_faults_the_activity_at_the_statement_limit()
    {
        var limits = new ScriptLimits { TimeLimit = TimeSpan.FromSeconds(30), MaxStatements = 1_000 };
        var message = await Fault("let n = 0; for (let i = 0; i < 10000; i++) { n += i; } return n;", limits);
        Assert.That(message, Does.Contain("脚本执行语句超过 1000 条").And.Contain("script exceeded 1000 statements"));
    }

    [Test]
    public async Task One_script_cannot_poison_the_engine_for_the_next()
    {
        await Result("Array.prototype.map = function () { return 'poisoned'; }; Object.prototype.leak = 1; getVariable = null; JSON.parse = null; "
                     + "Math.max = () => 0; var secret = '身份证号'; function helper() { return secret; } globalThis.other = 2; 1");
        await Result("implicit = '身份证号'; const { a, b: [c] } = { a: 1, b: [2] }; (function () { return this; })().viaThis = 3; return a + c;");
        Assert.That(await Result(
            "[1].map(x => x)[0] === 1 && ({}).leak === undefined && typeof getVariable === 'function' && typeof JSON.parse === 'function' "
            + "&& Math.max(1, 2) === 2 && typeof secret !== 'string' && typeof helper !== 'function' && typeof other === 'undefined' "
            + "&& typeof implicit === 'undefined' && typeof viaThis === 'undefined'"), Is.EqualTo("true"));
        var (state, _) = await RunScript("return eval('globalThis');");
        Assert.That(state.Incidents.Single().Message, Does.StartWith("JavaScript error"));
    }

    [TestCase("typeof System === 'undefined' && typeof importNamespace === 'undefined' && typeof clrHelper === 'undefined'")]
    [TestCase("typeof getName().GetType === 'undefined' && typeof getVariable.Method === 'undefined'")]
    public async Task Scripts_see_no_dotnet_types(string script) =>
        Assert.That(await Result("return " + script + ";", Variable("Name", "String", "王五")), Is.EqualTo("true"));

    [Test]
    public void The_limits_come_from_the_evaluator_the_workflow_was_compiled_with()
    {
        var limits = new ScriptLimits { MaxStatements = 7 };
        var evaluators = ExpressionEvaluators.CreateDefault(new ExpressionOptions { JavaScript = limits });
        Assert.That(((JavaScriptEvaluator)evaluators.Find("JavaScript")!).Limits, Is.EqualTo(limits));
        Assert.That(ExpressionEvaluators.CreateDefault().Find("JavaScript"), Is.SameAs(JavaScriptEvaluator.Instance));
    }

    [Test]
    public async Task Values_round_trip_between_dotnet_and_JavaScript()
    {
        var (state, _) = await RunScript(
            "const o = getObj(); return { n: o.n + 1, f: o.f * 2, s: o.s + '!', b: !o.b, list: o.list.concat([4]), nested: o.nested, date: new Date(Date.UTC(2026, 1, 3)) };",
            null, Variable("Obj", "Object", new Dictionary<string, object?> { ["n"] = 1, ["f"] = 1.25, ["s"] = "文", ["b"] = false, ["list"] = new List<object?> { 1, 2, 3 }, ["nested"] = new Dictionary<string, object?> { ["k"] = "v" } }));
        Assert.That(state.Incidents, Is.Empty, () => state.Incidents[0].Message);
        var result = state.Variables.Single(v => v.Name == "Result").Value!.AsObject();
        Assert.That(result.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }),
            Is.EqualTo("{\"n\":2,\"f\":2.5,\"s\":\"文!\",\"b\":true,\"list\":[1,2,3,4],\"nested\":{\"k\":\"v\"},\"date\":\"2026-02-03T00:00:00.0000000Z\"}"));
    }
}
