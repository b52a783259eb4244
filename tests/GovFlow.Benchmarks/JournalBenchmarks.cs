using BenchmarkDotNet.Attributes;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Benchmarks;

/// <summary>The cost of the hash chain alone: appending the 24 records a 10-activity sequence writes.</summary>
[MemoryDiagnoser]
public class JournalBenchmarks
{
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    /// <summary>24 records, each SHA-256 hashed and chained.</summary>
    [Benchmark]
    public string Append_24_chained_records()
    {
        var journal = new Journal();
        for (var i = 0; i < 24; i++)
            journal.Append(new JournalRecord
            {
                Timestamp = _now, WorkflowInstanceId = "4f1c0e7a9b2d4c3e8f6a1b2c3d4e5f60", ActivityInstanceId = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ParentActivityInstanceId = "2", ActivityId = "w1", NodeId = "Workflow1:s:w1", ActivityType = "Elsa.WriteLine", ActivityTypeVersion = 1,
                EventName = i % 2 == 0 ? "Started" : "Completed", Actor = "system"
            });
        return journal.LastHash;
    }
}
