using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace GovFlow.Workflows.Runtime;

/// <summary>
/// One event in a workflow instance's execution journal, with Elsa's log-record fields, the actor, and a
/// SHA-256 hash chained to the previous record so that any later change to the journal is detectable.
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

    /// <summary>SHA-256 (hex) of this record's fields and <see cref="PreviousHash"/>.</summary>
    public string Hash { get; set; } = "";

    /// <summary>Computes the hash this record should have.</summary>
    public string ComputeHash()
    {
        // A length-prefixed field list keeps "ab"+"c" and "a"+"bc" apart without escaping rules.
        var sb = new StringBuilder(256);
        void Field(string? s) => sb.Append(s?.Length ?? -1).Append(':').Append(s).Append('|');
        Field(PreviousHash);
        Field(Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field(Timestamp.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field(WorkflowInstanceId);
        Field(ActivityInstanceId);
        Field(ParentActivityInstanceId);
        Field(ActivityId);
        Field(NodeId);
        Field(ActivityType);
        Field(ActivityTypeVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field(ActivityName);
        Field(EventName);
        Field(Actor);
        Field(Message);
        Field(Payload?.ToJsonString());
        var chars = sb.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(chars));
        try
        {
            var text = ArrayPool<char>.Shared.Rent(chars);
            try
            {
                sb.CopyTo(0, text, 0, chars);
                var n = Encoding.UTF8.GetBytes(text, 0, chars, buffer, 0);
                Span<byte> hash = stackalloc byte[32];
                SHA256.HashData(buffer.AsSpan(0, n), hash);
                return Convert.ToHexStringLower(hash);
            }
            finally { ArrayPool<char>.Shared.Return(text); }
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
    }
}

/// <summary>Result of checking a journal's hash chain.</summary>
/// <param name="Valid">Whether every record's hash and link is intact.</param>
/// <param name="Entries">How many records were checked.</param>
/// <param name="FirstBrokenSequence">Sequence of the first record that does not verify, or null.</param>
public sealed record JournalVerification(bool Valid, int Entries, long? FirstBrokenSequence);

/// <summary>Appends hash-chained records and verifies chains.</summary>
public sealed class Journal
{
    private readonly List<JournalRecord> _records = [];

    /// <summary>Continues a chain: the last sequence and hash written before this run.</summary>
    public Journal(long lastSequence = 0, string lastHash = "")
    {
        LastSequence = lastSequence;
        LastHash = lastHash;
    }

    /// <summary>Sequence of the newest record.</summary>
    public long LastSequence { get; private set; }

    /// <summary>Hash of the newest record.</summary>
    public string LastHash { get; private set; }

    /// <summary>Records appended during this run (earlier ones are with the host).</summary>
    public IReadOnlyList<JournalRecord> Records => _records;

    /// <summary>Appends a record, numbering and chaining it.</summary>
    public JournalRecord Append(JournalRecord record)
    {
        record.Sequence = ++LastSequence;
        record.PreviousHash = LastHash;
        record.Hash = record.ComputeHash();
        LastHash = record.Hash;
        _records.Add(record);
        return record;
    }

    /// <summary>Checks a whole journal, in sequence order, from its first record.</summary>
    public static JournalVerification Verify(IReadOnlyList<JournalRecord> records)
    {
        var previous = "";
        long expected = records.Count > 0 ? records[0].Sequence : 1;
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            if (r.Sequence != expected + i || r.PreviousHash != previous || r.ComputeHash() != r.Hash)
                return new JournalVerification(false, records.Count, r.Sequence);
            previous = r.Hash;
        }
        return new JournalVerification(true, records.Count, null);
    }
}
