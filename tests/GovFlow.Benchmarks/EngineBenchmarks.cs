using BenchmarkDotNet.Attributes;
using GovFlow.Workflows.Runtime;
using GovFlow.Workflows.Serialization;

namespace GovFlow.Benchmarks;

/// <summary>
/// In-memory engine runs, start to finish, each producing the instance state and a hash-chained journal:
/// a 10-activity sequence and a flowchart with a 4-way fork and a WaitAll join.
/// </summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    private readonly WorkflowRunner _runner = new();
    private readonly WorkflowRunOptions _options = new() { Out = TextWriter.Null };
    private Workflow _sequence = null!;
    private Workflow _forkJoin = null!;

    [GlobalSetup]
    public void Setup()
    {
        var compiler = new WorkflowEngine().Compiler;
        _sequence = compiler.Compile(WorkflowJson.Read(Sequence10));
        _forkJoin = compiler.Compile(WorkflowJson.Read(ForkJoin4));
    }

    /// <summary>Ten WriteLine activities in an Elsa.Sequence.</summary>
    [Benchmark]
    public WorkflowState Sequence_of_10() => _runner.StartAsync(_sequence, new StartWorkflowRequest(), _options).GetAwaiter().GetResult().State;

    /// <summary>Start → FlowFork(A,B,C,D) → four WriteLines → FlowJoin(WaitAll) → WriteLine.</summary>
    [Benchmark]
    public WorkflowState Fork_4_with_WaitAll_join() => _runner.StartAsync(_forkJoin, new StartWorkflowRequest(), _options).GetAwaiter().GetResult().State;

    private static string WriteLine(string id) =>
        "{\"type\":\"Elsa.WriteLine\",\"version\":1,\"id\":\"" + id + "\",\"text\":{\"typeName\":\"String\",\"expression\":{\"type\":\"Literal\",\"value\":\"line " + id + "\"}}}";

    private static string Connection(string from, string to, string port = "Done") =>
        "{\"source\":{\"activity\":\"" + from + "\",\"port\":\"" + port + "\"},\"target\":{\"activity\":\"" + to + "\",\"port\":\"In\"}}";

    private static readonly string Sequence10 =
        "{\"id\":\"seq\",\"definitionId\":\"seq\",\"name\":\"Sequence of 10\",\"root\":{\"type\":\"Elsa.Sequence\",\"version\":1,\"id\":\"s\",\"activities\":["
        + string.Join(",", Enumerable.Range(1, 10).Select(i => WriteLine("w" + i))) + "]}}";

    private static readonly string ForkJoin4 =
        "{\"id\":\"fork\",\"definitionId\":\"fork\",\"name\":\"Fork 4 join\",\"root\":{\"type\":\"Elsa.Flowchart\",\"version\":1,\"id\":\"f\",\"activities\":["
        + "{\"type\":\"Elsa.Start\",\"version\":1,\"id\":\"start\"},"
        + "{\"type\":\"Elsa.FlowFork\",\"version\":1,\"id\":\"fork\",\"branches\":{\"typeName\":\"String[]\",\"expression\":{\"type\":\"Object\",\"value\":\"[\\\"A\\\",\\\"B\\\",\\\"C\\\",\\\"D\\\"]\"}}},"
        + string.Join(",", new[] { "a", "b", "c", "d" }.Select(WriteLine)) + ","
        + "{\"type\":\"Elsa.FlowJoin\",\"version\":1,\"id\":\"join\",\"mode\":{\"typeName\":\"String\",\"expression\":{\"type\":\"Literal\",\"value\":\"WaitAll\"}}},"
        + WriteLine("after") + "],\"connections\":["
        + string.Join(",", Connection("start", "fork"), Connection("fork", "a", "A"), Connection("fork", "b", "B"), Connection("fork", "c", "C"), Connection("fork", "d", "D"),
            Connection("a", "join"), Connection("b", "join"), Connection("c", "join"), Connection("d", "join"), Connection("join", "after"))
        + "]}}";
}
