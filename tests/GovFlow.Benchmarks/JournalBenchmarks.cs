using BenchmarkDotNet.Attributes;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Benchmarks;

/// <summary>
/// The cost of the hash chain alone: appending the 24 records a 10-activity sequence writes (SM3), one record hashed
/// with SM3 against SHA-256 (what chains were written with before), and signing one SM2 checkpoint (once per step).
/// </summary>
[MemoryDiagnoser]
public class JournalBenchmarks
{
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private readonly JournalSigner _signer = JournalSigner.Generate();
    private JournalRecord _sm3 = null!;
    private JournalRecord _sha256 = null!;

    [GlobalSetup]
    public void Setup()
    {
        var journal = new Journal();
        _sm3 = journal.Append(Record(0));
        _sha256 = journal.Append(Record(1));
        _sha256.Algorithm = JournalAlgorithms.Sha256;
    }

    /// <summary>24 records, each SM3 hashed and chained.</summary>
    [Benchmark]
    public string Append_24_chained_records()
    {
        var journal = new Journal();
        for (var i = 0; i < 24; i++) journal.Append(Record(i));
        return journal.LastHash;
    }

    /// <summary>One typical record's hash with SM3.</summary>
    [Benchmark]
    public string Hash_one_record_SM3() => _sm3.ComputeHash();

    /// <summary>The same record's hash with SHA-256.</summary>
    [Benchmark(Baseline = true)]
    public string Hash_one_record_SHA256() => _sha256.ComputeHash();

    /// <summary>One SM2 checkpoint over a chain head.</summary>
    [Benchmark]
    public string Sign_one_SM2_checkpoint() => _signer.Sign("4f1c0e7a9b2d4c3e8f6a1b2c3d4e5f60", 24, _sm3.Hash, _now).Signature;

    private JournalRecord Record(int i) => new()
    {
        Timestamp = _now, WorkflowInstanceId = "4f1c0e7a9b2d4c3e8f6a1b2c3d4e5f60", ActivityInstanceId = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ParentActivityInstanceId = "2", ActivityId = "w1", NodeId = "Workflow1:s:w1", ActivityType = "Elsa.WriteLine", ActivityTypeVersion = 1,
        EventName = i % 2 == 0 ? "Started" : "Completed", Actor = "system"
    };
}
