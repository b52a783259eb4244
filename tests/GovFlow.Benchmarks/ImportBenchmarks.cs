using System.Text;
using BenchmarkDotNet.Attributes;
using GovFlow.Workflows.Runtime;
using GovFlow.Workflows.Serialization;

namespace GovFlow.Benchmarks;

/// <summary>
/// Importing a 1 MB definition (1,500 activities, within the 2 MB and 2,000-activity limits): reading it with the
/// limits checked, and reading it and compiling it, as the host's import does before the matter's own checks.
/// </summary>
[MemoryDiagnoser]
public class ImportBenchmarks
{
    private WorkflowCompiler _compiler = null!;

    /// <summary>The definition, as UTF-8 bytes.</summary>
    public static byte[] OneMegabyte { get; } = Build(1_500, 1024 * 1024);

    [GlobalSetup]
    public void Setup() => _compiler = new WorkflowEngine().Compiler;

    /// <summary>Size, depth and activity count checked, the model built.</summary>
    [Benchmark]
    public object Read_1_MB() => WorkflowJson.Read(OneMegabyte, "import.json");

    /// <summary>Read, then compiled into the activity tree (every input parsed, the flowchart's graph analysed).</summary>
    [Benchmark]
    public object Read_and_compile_1_MB() => _compiler.Compile(WorkflowJson.Read(OneMegabyte, "import.json"));

    // A chain of WriteLines whose texts make the file the wanted size.
    private static byte[] Build(int activities, int bytes)
    {
        var textLength = bytes / activities / 3 - 60;
        var text = new string('办', textLength);
        var json = new StringBuilder("{\"id\":\"big\",\"definitionId\":\"big\",\"name\":\"1 MB\",\"root\":{\"type\":\"Elsa.Flowchart\",\"version\":1,\"id\":\"f\",\"activities\":[");
        for (var i = 0; i < activities; i++)
            json.Append(i == 0 ? "" : ",").Append("{\"type\":\"Elsa.WriteLine\",\"version\":1,\"id\":\"w").Append(i)
                .Append("\",\"metadata\":{\"designer\":{\"position\":{\"x\":").Append(i * 10).Append(",\"y\":0}}},\"text\":{\"typeName\":\"String\",\"expression\":{\"type\":\"Literal\",\"value\":\"")
                .Append(text).Append("\"}}}");
        json.Append("],\"connections\":[");
        for (var i = 1; i < activities; i++)
            json.Append(i == 1 ? "" : ",").Append("{\"source\":{\"activity\":\"w").Append(i - 1).Append("\",\"port\":\"Done\"},\"target\":{\"activity\":\"w").Append(i).Append("\",\"port\":\"In\"}}");
        json.Append("]}}");
        return Encoding.UTF8.GetBytes(json.ToString());
    }
}
