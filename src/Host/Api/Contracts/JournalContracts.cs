using System.Text.Json.Nodes;
using GovFlow.Workflows.Runtime;

// A record documents the parameters whose name does not say it all, not every one.
#pragma warning disable CS1573

namespace GovFlow.Host.Api.Contracts;

/// <summary>One record of a case's hash-chained journal.</summary>
/// <param name="Payload">The event's data as the engine recorded it, with ID and phone numbers masked (the export keeps them).</param>
/// <param name="PreviousHash">The hash of the record before, which this record's hash covers.</param>
/// <param name="Algorithm">The hash's algorithm: SM3, or SHA-256 for records written before.</param>
public sealed record JournalRecordView(
    long Sequence, DateTimeOffset Timestamp, string ActivityId, string ActivityType, string? ActivityName, string EventName, string? Actor,
    string? Message, JsonNode? Payload, string Hash, string PreviousHash, string Algorithm);

/// <summary>A reveal of an applicant's personal data, as auditors see it.</summary>
public sealed record RevealView(string UserName, string Role, string Reason, DateTimeOffset At);

/// <summary>Why someone reveals an applicant's full personal data.</summary>
/// <param name="Reason">A reason picked (核对身份, 联系申请人, 邮寄送达…) or typed; required, at most 200 characters.</param>
public sealed record RevealRequest(string? Reason);

/// <summary>The record (or, for cases journaled before case files were sealed, the snapshot) a replay read the case from.</summary>
public sealed record ReplayStep(long UpToSequence, DateTimeOffset At);

/// <summary>The case as it stood after journal record <paramref name="UpTo"/>.</summary>
/// <param name="CaseFile">The case file then (its own JSON).</param>
/// <param name="Step">The nearest sealed case file (or snapshot) at or before the record, or null before the first.</param>
/// <param name="Last">The record replayed to.</param>
/// <param name="Hashed">
/// Whether the case file comes from a record inside the hash chain (a <c>CaseFileRecorded</c> record); false for
/// cases journaled before, whose replay reads unhashed snapshots.
/// </param>
public sealed record ReplayView(long UpTo, string Status, JsonNode? CaseFile, ReplayStep? Step, JournalRecordView Last, bool Hashed);

/// <summary>A case journal's audit: its hash chain to the head kept with the instance, and its SM2 checkpoints.</summary>
/// <param name="Valid">The chain verifies to its head and the server's key signed it up to there.</param>
/// <param name="Entries">Records checked.</param>
/// <param name="FirstBrokenSequence">The first record changed, missing, or beyond the head; null when the chain holds.</param>
/// <param name="Problem">What is wrong (Chinese, for the auditor); null when valid.</param>
/// <param name="SignedUpTo">The last record a valid checkpoint covers, with every record before it.</param>
/// <param name="Checkpoints">Each checkpoint and whether its signature and hash hold.</param>
/// <param name="KeyId">The id of the public key verified with (<c>GET /api/journal/public-key</c>).</param>
public sealed record JournalAuditView(bool Valid, int Entries, long? FirstBrokenSequence, string? Problem, long? SignedUpTo, IReadOnlyList<CheckpointCheck> Checkpoints, string KeyId);

/// <summary>The public key that verifies GovFlow's journal checkpoints.</summary>
/// <param name="Algorithm">Always <c>SM2</c> (curve sm2p256v1, SM3 digest, default user id).</param>
/// <param name="KeyId">The key's id, as checkpoints name it.</param>
/// <param name="Pem">The key as PEM (SubjectPublicKeyInfo), for <c>verify-journal --public-key</c>, OpenSSL or GmSSL.</param>
public sealed record JournalPublicKeyView(string Algorithm, string KeyId, string Pem);

/// <summary>
/// A case's journal exported for offline audit: every record with every hashed field, the chain head, and the
/// checkpoints. <c>dotnet run --project src/Host -- verify-journal FILE --public-key KEY.pem</c> verifies it.
/// </summary>
/// <param name="Format">The export's format, <c>govflow-journal/1</c>.</param>
/// <param name="Head">The chain head kept with the instance's state.</param>
/// <param name="Records">The records, as the engine hashed them.</param>
/// <param name="Checkpoints">The SM2-signed heads.</param>
/// <param name="KeyId">The id of the key that signed them; verify with a public key obtained separately.</param>
public sealed record JournalExport(string Format, string CaseId, string CaseNumber, string InstanceId, JournalHead Head,
    IReadOnlyList<JournalRecord> Records, IReadOnlyList<JournalCheckpoint> Checkpoints, string KeyId, DateTimeOffset ExportedAt)
{
    /// <summary>The format this version writes and reads.</summary>
    public const string CurrentFormat = "govflow-journal/1";
}
