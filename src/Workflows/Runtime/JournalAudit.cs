namespace GovFlow.Workflows.Runtime;

/// <summary>How one checkpoint fared.</summary>
/// <param name="Sequence">The record it claims to cover.</param>
/// <param name="SignedAt">When it was signed.</param>
/// <param name="SignatureValid">Whether the signature is the public key's.</param>
/// <param name="MatchesChain">Whether the record at <paramref name="Sequence"/> exists, verifies, and has the signed hash.</param>
public sealed record CheckpointCheck(long Sequence, DateTimeOffset SignedAt, bool SignatureValid, bool MatchesChain);

/// <summary>An audit of a journal: its chain, its head, and its SM2 checkpoints.</summary>
/// <param name="Valid">The chain verifies to its head, every checkpoint is signed and matches, and the head is signed.</param>
/// <param name="Chain">The chain's own verification.</param>
/// <param name="SignedUpTo">The last record a valid checkpoint covers (with every record before it), or null.</param>
/// <param name="Checkpoints">Each checkpoint, oldest first.</param>
/// <param name="Problem">What is wrong, in words an auditor reads; null when valid.</param>
public sealed record JournalAuditResult(bool Valid, JournalVerification Chain, long? SignedUpTo, IReadOnlyList<CheckpointCheck> Checkpoints, string? Problem);

/// <summary>Verifies a journal with the signer's public key alone (no database, no server).</summary>
public static class JournalAudit
{
    /// <summary>
    /// Checks the chain to <paramref name="head"/>, each checkpoint's signature with <paramref name="key"/> and that
    /// it names a record of the verified chain. A chain with SM3 records is expected to be signed to its head (every
    /// step signs one); chains written before signing existed (SHA-256 only) are reported as unsigned, not invalid.
    /// </summary>
    public static JournalAuditResult Verify(IReadOnlyList<JournalRecord> records, JournalHead head, IReadOnlyList<JournalCheckpoint> checkpoints, JournalPublicKey key)
    {
        var chain = Journal.Verify(records, head);
        // Records before the first broken one verified; a checkpoint can vouch only for those.
        var verifiedUpTo = chain.FirstBrokenSequence is { } broken ? broken - 1 : records.Count;
        var checks = new List<CheckpointCheck>();
        long? signedUpTo = null;
        foreach (var c in checkpoints.OrderBy(c => c.Sequence))
        {
            var signature = c.IsSignedBy(key);
            var matches = c.Sequence >= 1 && c.Sequence <= verifiedUpTo && c.Sequence <= records.Count
                && records[(int)c.Sequence - 1].Hash == c.Hash && records[(int)c.Sequence - 1].WorkflowInstanceId == c.InstanceId;
            checks.Add(new CheckpointCheck(c.Sequence, c.SignedAt, signature, matches));
            if (signature && matches) signedUpTo = Math.Max(signedUpTo ?? 0, c.Sequence);
        }
        var problem = chain.Problem;
        if (problem is null && checks.FirstOrDefault(c => !c.SignatureValid) is { } forged)
            problem = $"第 {forged.Sequence} 条的检查点签名无效（不是该公钥所签，或已被改动）";
        if (problem is null && checks.FirstOrDefault(c => !c.MatchesChain) is { } mismatch)
            problem = $"第 {mismatch.Sequence} 条的检查点与日志不符：签名后日志被改写";
        var expectsSignature = records.Any(r => r.Algorithm == JournalAlgorithms.Sm3);
        if (problem is null && expectsSignature && signedUpTo != head.Sequence)
            problem = signedUpTo is null ? "日志没有任何有效的服务器签名" : $"第 {signedUpTo + 1} 条至第 {head.Sequence} 条日志没有服务器签名";
        return new JournalAuditResult(problem is null, chain, signedUpTo, checks, problem);
    }
}
