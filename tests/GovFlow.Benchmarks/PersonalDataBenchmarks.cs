using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using GovFlow.Host.Security;

namespace GovFlow.Benchmarks;

/// <summary>
/// What SM4 encryption at rest adds to a step: sealing and opening one ID number (a column), one instance state of the
/// size a review step writes (about 10 KB of JSON, encrypted whole), and one keyed SM3 blind index (a lookup key).
/// </summary>
[MemoryDiagnoser]
public class PersonalDataBenchmarks
{
    private readonly PersonalDataProtector _protector = new(new Dictionary<string, byte[]> { ["v1"] = RandomNumberGenerator.GetBytes(16) }, "v1", RandomNumberGenerator.GetBytes(32));
    private const string IdNumber = "44030519491231123X";
    private string _state = "";
    private string _sealedId = "";
    private string _sealedState = "";

    [GlobalSetup]
    public void Setup()
    {
        var state = new StringBuilder("{\"variables\":{");
        for (var i = 0; state.Length < 10_000; i++) state.Append($"\"field{i}\":\"申请人材料 {i} 已核验，经营场所位于深圳市南山区科技园路{i}号\",");
        _state = state.Append("\"applicant\":{\"idNumber\":\"" + IdNumber + "\"}}}").ToString();
        _sealedId = _protector.Protect(IdNumber)!;
        _sealedState = _protector.Protect(_state)!;
    }

    /// <summary>One ID number sealed under the current key.</summary>
    [Benchmark]
    public string? Seal_an_ID_number() => _protector.Protect(IdNumber);

    /// <summary>One sealed ID number opened.</summary>
    [Benchmark]
    public string? Open_an_ID_number() => _protector.Unprotect(_sealedId);

    /// <summary>A 10 KB instance state sealed whole.</summary>
    [Benchmark]
    public string? Seal_a_10_KB_state() => _protector.Protect(_state);

    /// <summary>A sealed 10 KB instance state opened.</summary>
    [Benchmark]
    public string? Open_a_10_KB_state() => _protector.Unprotect(_sealedState);

    /// <summary>The blind index a lookup by ID number computes.</summary>
    [Benchmark]
    public string? Blind_index_of_an_ID_number() => _protector.IdIndex(IdNumber);
}
