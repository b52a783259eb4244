using System.Text.Json.Nodes;

// A record documents the parameters whose name does not say it all, not every one.
#pragma warning disable CS1573

namespace GovFlow.Host.Api.Contracts;

/// <summary>One record of a case's hash-chained journal.</summary>
/// <param name="Payload">The event's data as the engine recorded it.</param>
/// <param name="PreviousHash">The hash of the record before, which this record's hash covers.</param>
public sealed record JournalRecordView(
    long Sequence, DateTimeOffset Timestamp, string ActivityId, string ActivityType, string? ActivityName, string EventName, string? Actor,
    string? Message, JsonNode? Payload, string Hash, string PreviousHash);

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
