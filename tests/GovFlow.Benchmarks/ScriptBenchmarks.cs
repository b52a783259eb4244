using BenchmarkDotNet.Attributes;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Runtime;
using GovFlow.Workflows.Serialization;

namespace GovFlow.Benchmarks;

/// <summary>
/// One JavaScript evaluation in an activity's context, the script already parsed: two variable reads through
/// Elsa's accessors, a loop over a ten-item list and a string built from both. Written in ES5 so the same
/// script ran on Jurassic for the comparison in the README.
/// </summary>
[MemoryDiagnoser]
public class ScriptBenchmarks
{
    private const string Script = "var xs = getItems(); var s = 0; for (var i = 0; i < xs.length; i++) { s += xs[i]; } return getName() + ':' + s;";

    private ActivityExecutionContext _context = null!;

    [GlobalSetup]
    public void Setup()
    {
        var workflow = new WorkflowEngine().Compiler.Compile(WorkflowJson.Read(
            "{\"id\":\"js\",\"definitionId\":\"js\",\"name\":\"js\",\"root\":{\"type\":\"Elsa.Sequence\",\"version\":1,\"id\":\"s\",\"activities\":[]}}"));
        var instance = new WorkflowExecutionContext(workflow, "bench", new WorkflowRunOptions { Out = TextWriter.Null }, new Journal(), 0);
        instance.RootVariables.Add(new VariableSlot("n", "Name", "String", false, "王五"));
        instance.RootVariables.Add(new VariableSlot("i", "Items", "Object", false, Enumerable.Range(1, 10).Cast<object?>().ToList()));
        _context = new ActivityExecutionContext("a", workflow.Root, null, instance);
        if (Evaluate() is not "王五:55") throw new InvalidOperationException("The benchmark script does not compute what it should.");
    }

    /// <summary>Evaluates the script once.</summary>
    [Benchmark]
    public object? Evaluate_script() => Evaluate();

    private object? Evaluate() => JavaScriptEvaluator.Run(Script, _context, out _);
}
