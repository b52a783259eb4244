using System.Text.Json;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Tests;

/// <summary>SM2-signed checkpoints: an auditor verifies a journal with the public key alone.</summary>
public class JournalCheckpointTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-12-03T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly JournalSigner Server = JournalSigner.Generate();

    [Test]
    public void An_SM3_journal_checkpointed_with_SM2_verifies_with_the_exported_public_key_alone()
    {
        var (records, head, checkpoints) = SignedJournal(6, signEvery: 3);
        var auditorsKey = JournalPublicKey.Parse(Server.PublicKey.ToPem());

        var audit = JournalAudit.Verify(records, head, checkpoints, auditorsKey);
        Assert.Multiple(() =>
        {
            Assert.That(audit.Valid, Is.True, audit.Problem);
            Assert.That(audit.SignedUpTo, Is.EqualTo(6));
            Assert.That(audit.Checkpoints.Select(c => c.Sequence), Is.EqualTo(new long[] { 3, 6 }));
            Assert.That(Server.PublicKey.ToPem(), Does.StartWith("-----BEGIN PUBLIC KEY-----"));
            Assert.That(auditorsKey.KeyId, Is.EqualTo(Server.PublicKey.KeyId));
        });
    }

    [Test]
    public void Rehashing_the_whole_chain_is_caught_by_the_signed_checkpoint()
    {
        var (records, _, checkpoints) = SignedJournal(4, signEvery: 4);
        // Someone with write access changes record 2 and rehashes every record and the head: the chain alone verifies.
        var rewritten = new Journal();
        foreach (var r in records)
            rewritten.Append(new JournalRecord
            {
                Timestamp = r.Timestamp, WorkflowInstanceId = r.WorkflowInstanceId, ActivityInstanceId = r.ActivityInstanceId, ActivityId = r.ActivityId,
                NodeId = r.NodeId, ActivityType = r.ActivityType, EventName = r.EventName, Actor = r.Sequence == 2 ? "mallory" : r.Actor
            });
        var head = new JournalHead(rewritten.LastSequence, rewritten.LastHash);
        Assert.That(Journal.Verify(rewritten.Records, head).Valid, Is.True);

        var audit = JournalAudit.Verify(rewritten.Records, head, checkpoints, Server.PublicKey);
        Assert.Multiple(() =>
        {
            Assert.That(audit.Valid, Is.False);
            Assert.That(audit.SignedUpTo, Is.Null);
            Assert.That(audit.Checkpoints.Single(), Is.EqualTo(new CheckpointCheck(4, checkpoints[0].SignedAt, true, false)));
            Assert.That(audit.Problem, Does.Contain("签名后日志被改写"));
        });
    }

    [Test]
    public void A_checkpoint_signed_by_another_key_or_altered_does_not_count()
    {
        var (records, head, checkpoints) = SignedJournal(2, signEvery: 2);
        var stranger = JournalSigner.Generate();
        Assert.That(JournalAudit.Verify(records, head, checkpoints, stranger.PublicKey).Valid, Is.False);

        var forged = checkpoints[0] with { SignedAt = checkpoints[0].SignedAt.AddDays(1) };
        var audit = JournalAudit.Verify(records, head, [forged], Server.PublicKey);
        Assert.That(audit.Checkpoints.Single().SignatureValid, Is.False);
        Assert.That(audit.Problem, Does.Contain("签名无效"));
    }

    [Test]
    public void Records_after_the_last_checkpoint_are_reported_unsigned()
    {
        var (records, head, checkpoints) = SignedJournal(5, signEvery: 3);
        var audit = JournalAudit.Verify(records, head, checkpoints, Server.PublicKey);
        Assert.Multiple(() =>
        {
            Assert.That(audit.SignedUpTo, Is.EqualTo(3));
            Assert.That(audit.Valid, Is.False);
            Assert.That(audit.Problem, Is.EqualTo("第 4 条至第 5 条日志没有服务器签名"));
        });
    }

    [Test]
    public void A_SHA256_chain_from_before_signing_is_valid_and_reported_unsigned()
    {
        var records = JsonSerializer.Deserialize<List<JournalRecord>>(File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "sha256-journal.json")), JsonSerializerOptions.Web)!;
        foreach (var r in records) r.Algorithm = JournalAlgorithms.Sha256;
        var audit = JournalAudit.Verify(records, new JournalHead(6, records[^1].Hash), [], Server.PublicKey);
        Assert.That((audit.Valid, audit.SignedUpTo), Is.EqualTo((true, (long?)null)));
    }

    [Test]
    public void The_private_key_round_trips_through_its_hex_form()
    {
        var again = JournalSigner.FromPrivateKeyHex(Server.PrivateKeyHex());
        Assert.That(again.PublicKey.ToPem(), Is.EqualTo(Server.PublicKey.ToPem()));
        Assert.That(() => JournalSigner.FromPrivateKeyHex("00"), Throws.TypeOf<FormatException>());
        Assert.That(() => JournalPublicKey.Parse("not a key"), Throws.TypeOf<FormatException>());
    }

    private static (IReadOnlyList<JournalRecord> Records, JournalHead Head, List<JournalCheckpoint> Checkpoints) SignedJournal(int count, int signEvery)
    {
        var journal = new Journal();
        var checkpoints = new List<JournalCheckpoint>();
        for (var i = 1; i <= count; i++)
        {
            journal.Append(new JournalRecord
            {
                Timestamp = At.AddSeconds(i), WorkflowInstanceId = "case-1", ActivityInstanceId = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ActivityId = "review", NodeId = "flow:review", ActivityType = "GovFlow.ReviewTask", EventName = i % 2 == 0 ? "Completed" : "Started", Actor = "王审核"
            });
            if (i % signEvery == 0) checkpoints.Add(Server.Sign("case-1", journal.LastSequence, journal.LastHash, At.AddSeconds(i)));
        }
        return (journal.Records, new JournalHead(journal.LastSequence, journal.LastHash), checkpoints);
    }
}
