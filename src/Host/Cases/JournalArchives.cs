using System.IO.Compression;
using System.Text.Json;
using GovFlow.Activities.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace GovFlow.Host.Cases;

/// <summary>
/// The journal retention policy: <c>GovFlow:Retention:ArchiveAfterDays</c> (off when unset or 0; fractions of a
/// day allowed), <c>GovFlow:Retention:SweepMinutes</c> (how often the archiver looks, default 60) and
/// <c>GovFlow:Retention:BatchSize</c> (cases looked at per query, default 200).
/// </summary>
public sealed record JournalRetentionOptions(TimeSpan? ArchiveAfter, int SweepMinutes, int BatchSize)
{
    /// <summary>The options from configuration.</summary>
    public static JournalRetentionOptions From(IConfiguration configuration)
    {
        var days = configuration.GetValue("GovFlow:Retention:ArchiveAfterDays", 0d);
        return new JournalRetentionOptions(days > 0 ? TimeSpan.FromDays(days) : null,
            Math.Max(1, configuration.GetValue("GovFlow:Retention:SweepMinutes", 60)), Math.Clamp(configuration.GetValue("GovFlow:Retention:BatchSize", 200), 1, 5000));
    }
}

/// <summary>What an archive row holds, in clear: the case's journal records (of each of its instances) and its legacy snapshots.</summary>
/// <param name="CaseId">The case, so an archive copied onto another case's row does not pass for it.</param>
/// <param name="Journal">The records, by instance then sequence.</param>
/// <param name="Snapshots">The case snapshots written before the case file was sealed into the journal.</param>
public sealed record JournalArchiveContent(string CaseId, IReadOnlyList<JournalEntry> Journal, IReadOnlyList<CaseSnapshot> Snapshots);

/// <summary>An archive opened: its content, or what is wrong with it in words an auditor reads.</summary>
/// <param name="Content">The content; empty when it could not be opened.</param>
/// <param name="Problem">Null when the row opens and matches its digest.</param>
public sealed record OpenedJournalArchive(JournalArchiveContent Content, string? Problem);

/// <summary>
/// Packs a finished case's journal into its archive row and reads it back: every reader of a case's journal (the
/// history, the replay, the export, the verification, the studio) goes through <see cref="EntriesAsync"/> or
/// <see cref="ReadAsync"/>, so an archived case reads exactly as before.
/// </summary>
public static class JournalArchives
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The row for <paramref name="content"/>: JSON, its SM3, Brotli, then sealed with <paramref name="protector"/> (when there is one).</summary>
    public static JournalArchiveRecord Pack(JournalArchiveContent content, string instanceId, PersonalDataProtector? protector, DateTimeOffset now)
    {
        var clear = JsonSerializer.SerializeToUtf8Bytes(content, Json);
        using var compressed = new MemoryStream();
        using (var brotli = new BrotliStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) brotli.Write(clear);
        var (stored, keyVersion) = protector is null ? (compressed.ToArray(), null) : protector.ProtectBytes(compressed.ToArray());
        var own = content.Journal.Where(e => e.InstanceId == instanceId).Select(e => e.Sequence).ToList();
        return new JournalArchiveRecord
        {
            CaseId = content.CaseId, InstanceId = instanceId, Records = content.Journal.Count, FirstSequence = own.Count > 0 ? own.Min() : 0, LastSequence = own.Count > 0 ? own.Max() : 0,
            Snapshots = content.Snapshots.Count, Digest = Digest(clear), Content = stored, KeyVersion = keyVersion, ArchivedAt = now
        };
    }

    /// <summary>Opens <paramref name="row"/>: unseals, decompresses and checks the digest; a row that fails any of them is reported, not thrown.</summary>
    public static OpenedJournalArchive Open(JournalArchiveRecord row, PersonalDataProtector? protector)
    {
        var empty = new JournalArchiveContent(row.CaseId, [], []);
        byte[] clear;
        try
        {
            var compressed = row.KeyVersion is null ? row.Content
                : (protector ?? throw new PersonalDataKeyException("未配置个人信息密钥，无法打开归档的日志")).UnprotectBytes(row.Content, row.KeyVersion);
            using var brotli = new BrotliStream(new MemoryStream(compressed), CompressionMode.Decompress);
            using var output = new MemoryStream();
            brotli.CopyTo(output);
            clear = output.ToArray();
        }
        catch (Exception ex) when (ex is PersonalDataKeyException or InvalidDataException or IOException)
        {
            return new OpenedJournalArchive(empty, "归档的日志无法解密或解压：密钥不对，或归档已被改动");
        }
        if (!string.Equals(Digest(clear), row.Digest, StringComparison.OrdinalIgnoreCase))
            return new OpenedJournalArchive(Deserialize(clear) ?? empty, "归档的日志与其 SM3 摘要不符：归档已被改动");
        if (Deserialize(clear) is not { } content || content.CaseId != row.CaseId)
            return new OpenedJournalArchive(empty, "归档的日志不属于这件办件，或内容已损坏");
        return new OpenedJournalArchive(content, null);
    }

    /// <summary>The archive of case <paramref name="caseId"/> opened, or null when its journal is not archived.</summary>
    public static async Task<OpenedJournalArchive?> ReadAsync(GovFlowDb db, string caseId, CancellationToken cancellationToken = default)
    {
        var row = await db.JournalArchives.AsNoTracking().FirstOrDefaultAsync(a => a.CaseId == caseId, cancellationToken);
        return row is null ? null : Open(row, db.Protector);
    }

    /// <summary>
    /// The journal records of instance <paramref name="instanceId"/> (of case <paramref name="caseId"/>, when known),
    /// up to <paramref name="upTo"/>, by sequence: those archived and those still in the table, and what is wrong
    /// with the archive, if anything.
    /// </summary>
    public static async Task<(List<JournalEntry> Entries, string? Problem)> EntriesAsync(GovFlowDb db, string instanceId, string? caseId, long? upTo = null, CancellationToken cancellationToken = default)
    {
        var query = db.Journal.AsNoTracking().Where(j => j.InstanceId == instanceId);
        if (upTo is { } last) query = query.Where(j => j.Sequence <= last);
        var entries = await query.OrderBy(j => j.Sequence).ToListAsync(cancellationToken);
        // Records from sequence 1 on mean nothing of this instance was archived (the archiver takes a journal whole).
        if (entries.Count > 0 && entries[0].Sequence == 1) return (entries, null);
        caseId ??= await db.Instances.AsNoTracking().Where(i => i.Id == instanceId).Select(i => i.CaseId).FirstOrDefaultAsync(cancellationToken);
        if (caseId is null || await ReadAsync(db, caseId, cancellationToken) is not { } archive) return (entries, null);
        var archived = archive.Content.Journal.Where(e => e.InstanceId == instanceId && (upTo is null || e.Sequence <= upTo)).ToList();
        var after = archived.Count > 0 ? archived[^1].Sequence : 0;
        return ([.. archived, .. entries.Where(e => e.Sequence > after)], archive.Problem);
    }

    /// <summary>The SM3 (hex, lower case) of the clear content.</summary>
    public static string Digest(ReadOnlySpan<byte> clear) => Convert.ToHexString(Workflows.Runtime.Sm3.Hash(clear)).ToLowerInvariant();

    private static JournalArchiveContent? Deserialize(byte[] clear)
    {
        try { return JsonSerializer.Deserialize<JournalArchiveContent>(clear, Json); }
        catch (JsonException) { return null; }
    }
}

/// <summary>
/// Moves the journals of cases finished longer ago than <see cref="JournalRetentionOptions.ArchiveAfter"/> into their
/// archive rows, in batches, each case in its own transaction (on SQLite through the group commit like a step).
/// A case qualifies when it is decided (办结, 不予许可, 不予受理, 撤件), none of its instances changed since the
/// cut-off, and nothing of it is open (no bookmark, such as a rating still awaited, and no open task).
/// </summary>
/// <remarks>
/// Two nodes may run it at once: the archive row's key is the case, and the transaction also bumps the case
/// instance's concurrency stamp and deletes the very rows it read, so the second archiver of a case (or a step
/// committed meanwhile) fails its transaction and changes nothing.
/// </remarks>
public sealed class JournalArchiver(IServiceScopeFactory scopes, JournalRetentionOptions options, TimeProvider clock, ILogger<JournalArchiver> logger)
{
    private static readonly string[] Decided = [CaseStatus.Completed, CaseStatus.CompletedWithTolerance, CaseStatus.Refused, CaseStatus.NotAccepted, CaseStatus.Withdrawn];
    private static readonly string[] OpenTasks = [TaskStatuses.Open, TaskStatuses.Claimed];

    /// <summary>Archives every qualifying case; returns how many were archived by this call (0 when the policy is off).</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        if (options.ArchiveAfter is not { } age) return 0;
        var cutoff = clock.GetUtcNow() - age;
        var archived = 0;
        var records = 0L;
        var after = "";
        while (!cancellationToken.IsCancellationRequested)
        {
            List<string> batch;
            using (var scope = scopes.CreateScope())
                batch = await CandidatesAsync(scope.ServiceProvider.GetRequiredService<GovFlowDb>(), cutoff, after, cancellationToken);
            if (batch.Count == 0) break;
            after = batch[^1];
            foreach (var caseId in batch)
                if (await ArchiveAsync(caseId, cutoff, cancellationToken) is { } moved)
                {
                    archived++;
                    records += moved;
                }
            logger.LogInformation("Journal retention: {Archived} case(s) archived so far ({Records} journal records moved), up to case {CaseId}", archived, records, after);
        }
        return archived;
    }

    // Keyset-paged by case id, so a case that could not be archived (a race lost) is not looked at again in this sweep.
    private async Task<List<string>> CandidatesAsync(GovFlowDb db, DateTimeOffset cutoff, string after, CancellationToken cancellationToken) =>
        await db.Cases.AsNoTracking()
            .Where(c => c.Id.CompareTo(after) > 0 && Decided.Contains(c.Status))
            .Where(c => !db.JournalArchives.Any(a => a.CaseId == c.Id))
            .Where(c => !db.Instances.Any(i => (i.Id == c.InstanceId || i.CaseId == c.Id) && i.UpdatedAt >= cutoff))
            .Where(c => !db.Bookmarks.Any(b => b.InstanceId == c.InstanceId || db.Instances.Any(i => i.CaseId == c.Id && i.Id == b.InstanceId)))
            .Where(c => !db.Tasks.Any(t => t.CaseId == c.Id && OpenTasks.Contains(t.Status)))
            .OrderBy(c => c.Id).Select(c => c.Id).Take(options.BatchSize).ToListAsync(cancellationToken);

    /// <summary>
    /// Archives case <paramref name="caseId"/> if it still qualifies at <paramref name="cutoff"/>; returns the journal
    /// records moved, or null when it was not archived (no longer qualifies, nothing to move, or another archiver won).
    /// </summary>
    public async Task<int?> ArchiveAsync(string caseId, DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        var record = await db.Cases.AsNoTracking().FirstOrDefaultAsync(c => c.Id == caseId, cancellationToken);
        if (record is null || !Decided.Contains(record.Status)) return null;
        var instances = await db.Instances.Where(i => i.Id == record.InstanceId || i.CaseId == record.Id).ToListAsync(cancellationToken);
        if (instances.Any(i => i.UpdatedAt >= cutoff) || instances.FirstOrDefault(i => i.Id == record.InstanceId) is not { } own) return null;
        var ids = instances.Select(i => i.Id).ToList();
        if (await db.Bookmarks.AnyAsync(b => ids.Contains(b.InstanceId), cancellationToken)
            || await db.Tasks.AnyAsync(t => t.CaseId == caseId && OpenTasks.Contains(t.Status), cancellationToken)) return null;
        var entries = await db.Journal.Where(j => ids.Contains(j.InstanceId)).OrderBy(j => j.InstanceId).ThenBy(j => j.Sequence).ToListAsync(cancellationToken);
        var snapshots = await db.Snapshots.Where(s => s.CaseId == caseId).OrderBy(s => s.UpToSequence).ToListAsync(cancellationToken);
        if (entries.Count == 0 && snapshots.Count == 0) return null;
        db.JournalArchives.Add(JournalArchives.Pack(new JournalArchiveContent(caseId, entries, snapshots), own.Id, db.Protector, clock.GetUtcNow()));
        db.Journal.RemoveRange(entries);
        db.Snapshots.RemoveRange(snapshots);
        // A step of this case committed since the read (or another archiver's bump) makes this transaction fail whole.
        own.Stamp = CaseProjection.NewStamp();
        try
        {
            await db.CommitAsync(cancellationToken);
            return entries.Count;
        }
        catch (DbUpdateException ex)
        {
            logger.LogDebug("Journal of case {CaseId} not archived: {Reason}", caseId, ex.Message);
            return null;
        }
    }
}

/// <summary>The Quartz job of the journal retention policy; never runs twice at once in a node (nor across a cluster).</summary>
[DisallowConcurrentExecution]
public sealed class JournalArchiveJob(JournalArchiver archiver) : IJob
{
    /// <summary>The job's key.</summary>
    public static readonly JobKey Key = new("journal-archive", "govflow");

    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await archiver.SweepAsync(cancellationToken);
}
