using System.Text.Json;
using GovFlow.Host.Persistence;
using GovFlow.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Cases;

/// <summary>
/// A case's journal as stored: the records of its own instance and the chain head kept with the instance's state,
/// so verification notices records deleted from the end as well as records changed or removed in between. Records
/// moved to the case's archive by the retention policy are read from there; <see cref="ArchiveProblem"/> says when the
/// archive row does not open or match its digest.
/// </summary>
public sealed record CaseJournal(string InstanceId, IReadOnlyList<JournalEntry> Entries, JournalHead Head, IReadOnlyList<JournalCheckpoint> Checkpoints, string? ArchiveProblem = null)
{
    /// <summary>Reads the journal of <paramref name="record"/>'s instance.</summary>
    public static async Task<CaseJournal> LoadAsync(GovFlowDb db, CaseRecord record, CancellationToken cancellationToken = default)
    {
        var (entries, problem) = await JournalArchives.EntriesAsync(db, record.InstanceId, record.Id, cancellationToken: cancellationToken);
        var state = await db.Instances.AsNoTracking().Where(i => i.Id == record.InstanceId).Select(i => i.StateJson).FirstOrDefaultAsync(cancellationToken);
        var checkpoints = await db.Checkpoints.AsNoTracking().Where(c => c.InstanceId == record.InstanceId).OrderBy(c => c.Sequence).ToListAsync(cancellationToken);
        return new CaseJournal(record.InstanceId, entries, HeadOf(state), [.. checkpoints.Select(c => c.ToCheckpoint())], problem);
    }

    /// <summary>The engine's records, to verify.</summary>
    public IReadOnlyList<JournalRecord> Records => [.. Entries.Select(e => e.ToRecord())];

    /// <summary>Checks the chain, that it ends at the instance's head, and the checkpoints with <paramref name="key"/>.</summary>
    public JournalAuditResult Audit(JournalPublicKey key) =>
        JournalAudit.Verify(Records, Head, Checkpoints, key) is var audit && ArchiveProblem is not null ? audit with { Valid = false, Problem = ArchiveProblem } : audit;

    // Only the two head fields are needed; the rest of the state (variables, contexts) is not worth materialising.
    private static JournalHead HeadOf(string? stateJson)
    {
        if (string.IsNullOrEmpty(stateJson)) return new JournalHead(0, "");
        using var document = JsonDocument.Parse(stateJson);
        var root = document.RootElement;
        var sequence = root.TryGetProperty("journalSequence", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt64() : 0;
        var hash = root.TryGetProperty("journalHash", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() ?? "" : "";
        return new JournalHead(sequence, hash);
    }
}
