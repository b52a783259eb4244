using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;
using static GovFlow.Workflows.Tests.Flows;

namespace GovFlow.Workflows.Tests;

/// <summary>C# is off unless the operator turns it on, and when on it cannot reach the server.</summary>
[TestFixture]
public class CSharpSandboxTests
{
    private static readonly ExpressionOptions On = new() { CSharp = new CSharpOptions { Enabled = true, TimeLimit = TimeSpan.FromMilliseconds(300) } };

    private static WorkflowEngine Engine(ExpressionOptions? expressions, StringWriter? output = null) =>
        new(options: new WorkflowEngineOptions { Out = output ?? new StringWriter(), Expressions = expressions });

    private static WorkflowDefinition RunCSharp(string script) =>
        Definition(Sequence("s", Activity("Elsa.RunCSharp", "cs", ("script", Literal(script, "String")))), variables: [Variable("Count", "Int32", 4)]);

    [Test]
    public void A_definition_with_RunCSharp_is_refused_while_CSharp_is_off()
    {
        var ex = Assert.Throws<WorkflowCompileException>(() => Engine(null).Compiler.Compile(RunCSharp("return 1;")));
        var problem = ex!.Problems.Single(p => p.IsError);
        Assert.That(problem.Path, Is.EqualTo("s/cs.script"));
        Assert.That(problem.Node?.Id, Is.EqualTo("cs"));
        Assert.That(problem.Message, Does.StartWith("活动“cs”（Elsa.RunCSharp）").And.Contain("未开启 C# 脚本").And.Contain("GovFlow:Expressions:CSharp:Enabled"));
    }

    [Test]
    public void A_CSharp_expression_anywhere_is_refused_while_CSharp_is_off()
    {
        var d = Definition(Sequence("s", WriteLine("a", "x"), Activity("Elsa.WriteLine", "w", ("text", CSharp("return \"hi\";", "String")))));
        var ex = Assert.Throws<WorkflowCompileException>(() => Engine(null).Compiler.Compile(d));
        Assert.That(ex!.Problems.Single(p => p.IsError).Path, Is.EqualTo("s/w.text"));
        Assert.That(ex.Problems.Single(p => p.IsError).Message, Does.StartWith("活动“w”（Elsa.WriteLine）"));
    }

    [Test]
    public async Task A_definition_run_anyway_faults_at_the_CSharp_activity()
    {
        var engine = Engine(null);
        var state = await engine.StartAsync(RunCSharp("return 1;"));
        Assert.That(state.Incidents.Single().ActivityId, Is.EqualTo("cs"));
        Assert.That(state.Incidents.Single().Message, Does.Contain("未开启 C# 脚本"));
    }

    [TestCase("System.Diagnostics.Process.Start(\"sh\", \"-c 'touch /tmp/owned'\"); return 1;", "System.Diagnostics")]
    [TestCase("System.IO.File.WriteAllText(\"/tmp/owned\", \"x\"); return 1;", "System.IO.File")]
    [TestCase("using System.IO; File.WriteAllText(\"/tmp/owned\", \"x\"); return 1;", "System.IO")]
    [TestCase("return typeof(string).Assembly.GetType(\"System.IO.File\");", "System.Reflection.Assembly")]
    [TestCase("return typeof(string);", "System.Type")]
    [TestCase("var t = \"x\".GetType(); return t.Name;", "System.Type")]
    [TestCase("return Type.GetType(\"System.IO.File\");", "System.Type")]
    [TestCase("dynamic d = \"x\"; return d.Length;", "dynamic")]
    [TestCase("var v = Variables.Count; return v.GetType();", "dynamic .GetType")]
    [TestCase("return Context.Id;", "GovFlow.Workflows.Runtime.ActivityExecutionContext")]
    [TestCase("Environment.Exit(1); return 1;", "System.Environment")]
    [TestCase("System.Threading.Thread.Sleep(10000); return 1;", "System.Threading.Thread")]
    [TestCase("return new System.Net.Http.HttpClient();", "System.Net")]
    [TestCase("return System.Text.RegularExpressions.Regex.IsMatch(new string('a', 40) + \"!\", \"^(a+)+$\");", "System.Text.RegularExpressions.Regex")]
    [TestCase("System.Threading.Tasks.Task.Delay(int.MaxValue).Wait(); return 1;", "System.Threading.Tasks.Task.Wait")]
    [TestCase("return System.Threading.Tasks.Task.Run(() => 1).Result;", "System.Threading.Tasks.Task<TResult>.Result")]
    [TestCase("System.Threading.Tasks.Task.Delay(int.MaxValue).GetAwaiter().GetResult(); return 1;", "System.Runtime.CompilerServices.TaskAwaiter")]
    [TestCase("Action a = () => {}; return a.Method;", "System.Delegate")]
    public void A_script_that_reaches_out_is_refused_naming_the_symbol(string script, string symbol)
    {
        var ex = Assert.Throws<WorkflowCompileException>(() => Engine(On).Compiler.Compile(RunCSharp(script)));
        var message = ex!.Problems.Single(p => p.IsError).Message;
        Assert.That(message, Does.Contain("不允许的 " + symbol).Or.Contain("C# does not compile"), message);
        Assert.That(message, Does.Contain(symbol), message);
        Assert.That(File.Exists("/tmp/owned"), Is.False);
    }

    [Test]
    public async Task An_endless_loop_times_out()
    {
        var state = await Engine(On).StartAsync(RunCSharp("var i = 0; while (true) { i++; } return i;"));
        Assert.That(state.Incidents.Single().Message, Does.Contain("C# 脚本运行超过 300 毫秒").And.Contain("C# script exceeded 300 ms"));
    }

    [Test]
    public async Task A_loop_that_swallows_the_timeout_still_ends()
    {
        var state = await Engine(On).StartAsync(RunCSharp("while (true) { try { while (true) { } } catch (Exception) { } } return 1;"));
        Assert.That(state.Incidents.Single().Message, Does.Contain("C# script exceeded 300 ms"));
    }

    [Test]
    public async Task Awaiting_something_endless_times_out()
    {
        var state = await Engine(On).StartAsync(RunCSharp("await System.Threading.Tasks.Task.Delay(int.MaxValue); return 1;"));
        Assert.That(state.Incidents.Single().Message, Does.Contain("C# script exceeded 300 ms"));
    }

    [Test]
    public async Task Unbounded_recursion_faults_instead_of_killing_the_process()
    {
        var state = await Engine(On).StartAsync(RunCSharp("int F(int n) => F(n + 1) + 1; return F(0);"));
        Assert.That(state.Incidents.Single().Message, Does.Contain("C# script recursed too deep"));
        var lambda = await Engine(On).StartAsync(RunCSharp("Func<int, int> f = null; f = n => f(n + 1) + 1; return f(0);"));
        Assert.That(lambda.Incidents.Single().Message, Does.Contain("C# script recursed too deep"));
    }

    [Test]
    public async Task Allowed_scripts_still_run_with_Elsa_globals()
    {
        var output = new StringWriter();
        var d = Definition(Sequence("s",
            Activity("Elsa.RunCSharp", "cs", ("script", Literal("Variables.Count = (int)Variables.Count + 1; var xs = new List<int> { 1, 2, 3 }; return xs.Select(x => x * 2).Sum() + (int)Variables.Count;", "String")), ("result", Output("Result-id"))),
            Activity("Elsa.WriteLine", "w", ("text", CSharp("return $\"{Variables.Result} {Variables.Count.ToString()} {string.Join(\",\", Enumerable.Range(1, 3))}\";", "String")))),
            variables: [Variable("Count", "Int32", 4), Variable("Result")]);
        var state = await Engine(On, output).StartAsync(d);
        Assert.That(state.Incidents, Is.Empty, () => state.Incidents[0].Message);
        Assert.That(WorkflowFileRunner.SplitLines(output.ToString()), Is.EqualTo(new[] { "17 5 1,2,3" }));
    }
}
