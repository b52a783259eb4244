using System.Text;
using System.Text.Json;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Tests;

/// <summary>The journal's chain: SM3 for new records, SHA-256 chains written before still verifying, and the chain head.</summary>
public class JournalChainTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-12-03T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    [Test]
    public void Sm3_gives_the_standard_test_vector()
    {
        // GB/T 32905-2016, appendix A.1: SM3("abc").
        Assert.That(Convert.ToHexStringLower(JournalAlgorithms.Sm3Hash(Encoding.ASCII.GetBytes("abc"))),
            Is.EqualTo("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"));
    }

    [Test]
    public void New_records_are_chained_with_SM3_and_verify()
    {
        var journal = Chain(4);
        Assert.Multiple(() =>
        {
            Assert.That(journal.Records.Select(r => r.Algorithm), Is.All.EqualTo(JournalAlgorithms.Sm3));
            Assert.That(Journal.Verify(journal.Records, new JournalHead(journal.LastSequence, journal.LastHash)).Valid, Is.True);
        });
        // The same record labelled SHA-256 no longer matches: the label decides the algorithm and cannot be swapped.
        var relabelled = journal.Records.ToList();
        relabelled[1].Algorithm = JournalAlgorithms.Sha256;
        Assert.That(Journal.Verify(relabelled).FirstBrokenSequence, Is.EqualTo(2));
    }

    [Test]
    public void A_SHA256_chain_written_before_SM3_still_verifies_and_still_detects_changes()
    {
        // Written by GovFlow's journal before SM3 (commit 7e798e3), byte for byte.
        var records = JsonSerializer.Deserialize<List<JournalRecord>>(File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "sha256-journal.json")), JsonSerializerOptions.Web)!;
        foreach (var r in records) r.Algorithm = JournalAlgorithms.Sha256;
        Assert.That(Journal.Verify(records, new JournalHead(6, records[^1].Hash)), Is.EqualTo(new JournalVerification(true, 6, null)));

        records[4].Payload = System.Text.Json.Nodes.JsonNode.Parse("""{"outcomes":["Rejected"]}""");
        Assert.That(Journal.Verify(records).FirstBrokenSequence, Is.EqualTo(5));
    }

    [Test]
    public void A_chain_continued_after_SHA256_records_mixes_algorithms_and_verifies()
    {
        var records = JsonSerializer.Deserialize<List<JournalRecord>>(File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "sha256-journal.json")), JsonSerializerOptions.Web)!;
        foreach (var r in records) r.Algorithm = JournalAlgorithms.Sha256;
        var journal = new Journal(records[^1].Sequence, records[^1].Hash);
        journal.Append(Record("Started"));
        var all = records.Concat(journal.Records).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(all[^1].Algorithm, Is.EqualTo(JournalAlgorithms.Sm3));
            Assert.That(Journal.Verify(all, new JournalHead(7, journal.LastHash)).Valid, Is.True);
        });
    }

    [Test]
    public void Deleting_the_last_records_is_detected_against_the_chain_head()
    {
        var journal = Chain(5);
        var head = new JournalHead(journal.LastSequence, journal.LastHash);
        var truncated = journal.Records.Take(3).ToList();

        Assert.That(Journal.Verify(truncated).Valid, Is.True, "without its head a truncated chain looks whole: that is the gap closed here");
        var verification = Journal.Verify(truncated, head);
        Assert.Multiple(() =>
        {
            Assert.That(verification.Valid, Is.False);
            Assert.That(verification.FirstBrokenSequence, Is.EqualTo(4));
            Assert.That(verification.Problem, Does.Contain("末尾的记录被删除"));
        });
        Assert.That(Journal.Verify(journal.Records.Take(4).ToList(), new JournalHead(4, "00")).Valid, Is.False, "a head whose hash differs from the last record's");
    }

    [Test]
    public void A_record_naming_an_unknown_algorithm_does_not_verify()
    {
        var journal = Chain(2);
        journal.Records[0].Algorithm = "MD5";
        Assert.That(Journal.Verify(journal.Records).FirstBrokenSequence, Is.EqualTo(1));
    }

    private static Journal Chain(int count)
    {
        var journal = new Journal();
        for (var i = 0; i < count; i++) journal.Append(Record(i % 2 == 0 ? "Started" : "Completed"));
        return journal;
    }

    private static JournalRecord Record(string eventName) => new()
    {
        Timestamp = At, WorkflowInstanceId = "0193a1b2c3d47e8f9a0b1c2d3e4f5a6b", ActivityInstanceId = "2", ActivityId = "review", NodeId = "flow:review",
        ActivityType = "GovFlow.ReviewTask", ActivityTypeVersion = 1, ActivityName = "初审", EventName = eventName, Actor = "王审核"
    };
}

/// <summary>GovFlow's SM3 against the standard and against BouncyCastle's.</summary>
public class Sm3Tests
{
    [TestCase("abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")]
    [TestCase("abcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcd", "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732")]
    public void Gives_the_standard_test_vectors(string message, string digest) =>
        Assert.That(Convert.ToHexStringLower(Sm3.Hash(System.Text.Encoding.ASCII.GetBytes(message))), Is.EqualTo(digest));

    [Test]
    public void Agrees_with_BouncyCastle_at_every_length_across_block_boundaries()
    {
        var random = new Random(32905);
        for (var length = 0; length <= 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            var reference = new Org.BouncyCastle.Crypto.Digests.SM3Digest();
            reference.BlockUpdate(data, 0, data.Length);
            var expected = new byte[32];
            reference.DoFinal(expected, 0);
            Assert.That(Sm3.Hash(data), Is.EqualTo(expected), $"length {length}");
        }
    }
}
