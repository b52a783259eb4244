using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace GovFlow.Workflows.Runtime;

/// <summary>
/// One event in a workflow instance's execution journal, with Elsa's log-record fields, the actor, and a
/// hash chained to the previous record so that any later change to the journal is detectable. Each record names
/// its hash algorithm: SM3 for new records, SHA-256 for those written before GovFlow adopted SM3.
/// </summary>
public sealed class JournalRecord
{
    /// <summary>Position in the instance's journal, from 1.</summary>
    public long Sequence { get; set; }

    /// <summary>When it happened.</summary>
    public DateTimeOffset Timestamp { get; set; }

    /// <summary>Workflow instance id.</summary>
    public string WorkflowInstanceId { get; set; } = "";

    /// <summary>Activity execution id.</summary>
    public string ActivityInstanceId { get; set; } = "";

    /// <summary>Parent activity execution id.</summary>
    public string? ParentActivityInstanceId { get; set; }

    /// <summary>Activity id.</summary>
    public string ActivityId { get; set; } = "";

    /// <summary>Runtime node id.</summary>
    public string NodeId { get; set; } = "";

    /// <summary>Activity type.</summary>
    public string ActivityType { get; set; } = "";

    /// <summary>Activity type version.</summary>
    public int ActivityTypeVersion { get; set; }

    /// <summary>Activity name.</summary>
    public string? ActivityName { get; set; }

    /// <summary>Started, Resumed, Suspended, Completed, Faulted, Canceled, or a domain event.</summary>
    public string EventName { get; set; } = "";

    /// <summary>Who caused it (a user name, <c>system</c>, <c>scheduler</c>).</summary>
    public string? Actor { get; set; }

    /// <summary>Human-readable message.</summary>
    public string? Message { get; set; }

    /// <summary>Event data (outcomes, opinion, decision, ...).</summary>
    public JsonNode? Payload { get; set; }

    /// <summary>Hash of the previous record (empty for the first).</summary>
    public string PreviousHash { get; set; } = "";

    /// <summary>The hash (hex, 32 bytes) of this record's fields and <see cref="PreviousHash"/>, by <see cref="Algorithm"/>.</summary>
    public string Hash { get; set; } = "";

    /// <summary>
    /// The hash algorithm of <see cref="Hash"/>: <see cref="JournalAlgorithms.Sm3"/> (new records) or
    /// <see cref="JournalAlgorithms.Sha256"/> (chains written before).
    /// </summary>
    public string Algorithm { get; set; } = JournalAlgorithms.Sm3;

    /// <summary>Computes the hash this record should have, from its fields and <see cref="PreviousHash"/>.</summary>
    public string ComputeHash()
    {
        Span<byte> previous = stackalloc byte[32];
        if (PreviousHash.Length == 64 && Convert.FromHexString(PreviousHash, previous, out _, out _) != OperationStatus.Done)
            return "";
        return Convert.ToHexStringLower(ComputeHash(previous));
    }

    /// <summary>
    /// The record's algorithm over the previous hash (binary; zeros for the first record) and a length-prefixed UTF-8
    /// encoding of every field. The instance id is bound once, by the first record, rather than repeated in every
    /// record. The encoding is the one SHA-256 chains were written with, so they keep verifying; the algorithm's name
    /// is not in it because a record relabelled with another algorithm no longer matches its hash anyway.
    /// </summary>
    internal byte[] ComputeHash(ReadOnlySpan<byte> previousHash)
    {
        var payload = Payload?.ToJsonString();
        var instance = Sequence == 1 ? WorkflowInstanceId : null;
        var max = 32 + 8 + 8 + 4 + 4 * 12 + Encoding.UTF8.GetMaxByteCount(
            (instance?.Length ?? 0) + ActivityInstanceId.Length + (ParentActivityInstanceId?.Length ?? 0) + ActivityId.Length + NodeId.Length + ActivityType.Length
            + (ActivityName?.Length ?? 0) + EventName.Length + (Actor?.Length ?? 0) + (Message?.Length ?? 0) + (payload?.Length ?? 0));
        var rented = max > 1024 ? ArrayPool<byte>.Shared.Rent(max) : null;
        var buffer = rented is null ? stackalloc byte[1024] : rented;
        try
        {
            var n = 0;
            previousHash.CopyTo(buffer);
            n += 32;
            BinaryPrimitives.WriteInt64LittleEndian(buffer[n..], Sequence); n += 8;
            // Milliseconds: what every store keeps, so a journal read back from any database still verifies.
            BinaryPrimitives.WriteInt64LittleEndian(buffer[n..], Timestamp.ToUnixTimeMilliseconds()); n += 8;
            BinaryPrimitives.WriteInt32LittleEndian(buffer[n..], ActivityTypeVersion); n += 4;
            n = Field(buffer, n, instance);
            n = Field(buffer, n, ActivityInstanceId);
            n = Field(buffer, n, ParentActivityInstanceId);
            n = Field(buffer, n, ActivityId);
            n = Field(buffer, n, NodeId);
            n = Field(buffer, n, ActivityType);
            n = Field(buffer, n, ActivityName);
            n = Field(buffer, n, EventName);
            n = Field(buffer, n, Actor);
            n = Field(buffer, n, Message);
            n = Field(buffer, n, payload);
            return JournalAlgorithms.Hash(Algorithm, buffer[..n]);
        }
        finally
        {
            if (rented != null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static int Field(Span<byte> buffer, int n, string? value)
    {
        // -1 marks null, so that null and "" hash differently.
        if (value is null) { BinaryPrimitives.WriteInt32LittleEndian(buffer[n..], -1); return n + 4; }
        var written = Encoding.UTF8.GetBytes(value, buffer[(n + 4)..]);
        BinaryPrimitives.WriteInt32LittleEndian(buffer[n..], written);
        return n + 4 + written;
    }
}

/// <summary>The hash algorithms a journal record may name.</summary>
public static class JournalAlgorithms
{
    /// <summary>SM3 (GB/T 32905), what every new record is hashed with.</summary>
    public const string Sm3 = "SM3";

    /// <summary>SHA-256, what chains written before SM3 use.</summary>
    public const string Sha256 = "SHA-256";

    /// <summary>The 32-byte digest of <paramref name="data"/> by <paramref name="algorithm"/>.</summary>
    /// <exception cref="NotSupportedException">For an algorithm GovFlow does not know.</exception>
    public static byte[] Hash(string algorithm, ReadOnlySpan<byte> data) => algorithm switch
    {
        Sm3 => Sm3Hash(data),
        Sha256 => SHA256.HashData(data),
        _ => throw new NotSupportedException($"Unknown journal hash algorithm '{algorithm}'.")
    };

    /// <summary>SM3 of <paramref name="data"/>.</summary>
    public static byte[] Sm3Hash(ReadOnlySpan<byte> data) => Runtime.Sm3.Hash(data);
}

/// <summary>Where an instance's journal ends, as kept with the instance's state (its chain head).</summary>
/// <param name="Sequence">Sequence of the newest record.</param>
/// <param name="Hash">Its hash.</param>
public sealed record JournalHead(long Sequence, string Hash);

/// <summary>Result of checking a journal's hash chain.</summary>
/// <param name="Valid">Whether every record's hash and link is intact and the chain ends at its head.</param>
/// <param name="Entries">How many records were checked.</param>
/// <param name="FirstBrokenSequence">Sequence of the first record that does not verify (or is missing), or null.</param>
/// <param name="Problem">What is wrong, in words an auditor reads; null when valid.</param>
public sealed record JournalVerification(bool Valid, int Entries, long? FirstBrokenSequence, string? Problem = null);

/// <summary>Appends hash-chained records and verifies chains.</summary>
public sealed class Journal
{
    private readonly List<JournalRecord> _records = [];
    private byte[]? _last;

    /// <summary>Continues a chain: the last sequence and hash written before this run (empty for a new instance).</summary>
    public Journal(long lastSequence = 0, string lastHash = "")
    {
        LastSequence = lastSequence;
        LastHash = lastHash;
        if (lastHash.Length == 64) _last = Convert.FromHexString(lastHash);
    }

    /// <summary>Sequence of the newest record.</summary>
    public long LastSequence { get; private set; }

    /// <summary>Hash of the newest record (empty before the first).</summary>
    public string LastHash { get; private set; }

    /// <summary>Records appended during this run (earlier ones are with the host).</summary>
    public IReadOnlyList<JournalRecord> Records => _records;

    /// <summary>Appends a record, numbering and chaining it (with SM3, whatever the chain used before).</summary>
    public JournalRecord Append(JournalRecord record)
    {
        record.Algorithm = JournalAlgorithms.Sm3;
        record.Sequence = ++LastSequence;
        record.PreviousHash = LastHash;
        _last = record.ComputeHash(_last ?? new byte[32]);
        record.Hash = Convert.ToHexStringLower(_last);
        LastHash = record.Hash;
        _records.Add(record);
        return record;
    }

    /// <summary>
    /// Checks a whole journal, in sequence order, from its first record; with <paramref name="head"/> (the chain head
    /// kept with the instance's state) also that the chain ends there, so records deleted from its end are noticed.
    /// </summary>
    public static JournalVerification Verify(IReadOnlyList<JournalRecord> records, JournalHead? head = null)
    {
        var instance = records.Count > 0 ? records[0].WorkflowInstanceId : "";
        var previous = "";
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            if (r.Sequence != i + 1)
                return new JournalVerification(false, records.Count, i + 1, $"缺少第 {i + 1} 条日志");
            if (r.PreviousHash != previous || r.WorkflowInstanceId != instance || !Matches(r))
                return new JournalVerification(false, records.Count, r.Sequence, $"第 {r.Sequence} 条日志与其哈希不符，已被改动");
            previous = r.Hash;
        }
        if (head is not null)
        {
            var last = records.Count;
            if (head.Sequence > last)
                return new JournalVerification(false, records.Count, last + 1, $"日志应有 {head.Sequence} 条，只剩 {last} 条：末尾的记录被删除");
            if (head.Sequence < last || (last > 0 && records[^1].Hash != head.Hash))
                return new JournalVerification(false, records.Count, Math.Min(head.Sequence + 1, last), $"日志的末条与实例状态记下的链头（第 {head.Sequence} 条）不符");
        }
        return new JournalVerification(true, records.Count, null);
    }

    private static bool Matches(JournalRecord r)
    {
        try
        {
            return r.ComputeHash() == r.Hash;
        }
        catch (NotSupportedException)
        {
            // A record naming an algorithm GovFlow does not know cannot be vouched for.
            return false;
        }
    }
}
