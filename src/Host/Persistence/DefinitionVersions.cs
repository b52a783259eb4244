using GovFlow.Activities.Matters;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;
using GovFlow.Workflows.Serialization;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Persistence;

/// <summary>
/// Definition versions live in the database; each node's store and catalog follow it. A node that imports,
/// publishes or retracts stores the change with a new stamp; every node (itself included) reads the changed rows
/// on its next poll, so node B serves within seconds what node A published, and every version a case uses stays
/// loadable across restarts.
/// </summary>
public sealed class DefinitionVersions(InMemoryWorkflowDefinitionStore store, MatterCatalog catalog)
{
    private readonly Dictionary<string, string> _seen = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _sync = new(1, 1);

    /// <summary>
    /// Stages a version's row with a new stamp (the caller commits). With <paramref name="savedBy"/> the version's
    /// content was saved by that user: a new version records them as its author, a draft saved over as its last editor.
    /// </summary>
    public static async Task<DefinitionRecord> StageAsync(GovFlowDb db, WorkflowDefinition d, TimeProvider clock, string? savedBy = null)
    {
        var record = await db.Definitions.FindAsync(d.Id);
        if (record is null) db.Definitions.Add(record = new DefinitionRecord { Id = d.Id!, CreatedAt = clock.GetUtcNow(), CreatedBy = savedBy });
        else if (savedBy is not null)
        {
            record.UpdatedAt = clock.GetUtcNow();
            record.UpdatedBy = savedBy;
        }
        record.DefinitionId = d.DefinitionId!;
        record.Version = d.Version;
        record.Name = d.Name ?? "";
        record.IsPublished = d.IsPublished;
        record.IsLatest = d.IsLatest;
        record.Json = WorkflowJson.Write(d);
        record.Stamp = Guid.NewGuid().ToString("N");
        return record;
    }

    /// <summary>
    /// Stages every version of a definition after a publish or a retract (the caller commits), recording who made
    /// a version the published one and who ended one's turn: by retracting it or by publishing another.
    /// <paramref name="publishedBefore"/> is the version id that was published before the change, or null.
    /// </summary>
    public static async Task StagePublicationAsync(GovFlowDb db, IEnumerable<WorkflowDefinition> versions, string? publishedBefore, TimeProvider clock, string actor)
    {
        var now = clock.GetUtcNow();
        foreach (var v in versions)
        {
            var record = await StageAsync(db, v, clock);
            var was = v.Id == publishedBefore;
            if (v.IsPublished && !was)
            {
                record.PublishedAt = now;
                record.PublishedBy = actor;
            }
            else if (!v.IsPublished && was)
            {
                record.RetractedAt = now;
                record.RetractedBy = actor;
            }
        }
    }

    /// <summary>Reads the rows changed since the last sync into the store, and publishes or withdraws their matters; returns how many changed.</summary>
    public async Task<int> SyncAsync(GovFlowDb db, CancellationToken cancellationToken = default)
    {
        await _sync.WaitAsync(cancellationToken);
        try
        {
            var stamps = await db.Definitions.AsNoTracking().Select(d => new { d.Id, d.Stamp }).ToListAsync(cancellationToken);
            var changed = stamps.Where(s => _seen.GetValueOrDefault(s.Id) != s.Stamp).Select(s => s.Id).ToList();
            // A draft deleted on any node (Elsa Studio deletes drafts nobody runs) leaves this node's store too.
            var present = stamps.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
            var removedFrom = new HashSet<string>(StringComparer.Ordinal);
            foreach (var gone in _seen.Keys.Where(id => !present.Contains(id)).ToList())
            {
                if (store.FindVersion(gone) is { DefinitionId: { } definitionId } && store.Remove(definitionId, gone)) removedFrom.Add(definitionId);
                _seen.Remove(gone);
            }
            if (changed.Count == 0 && removedFrom.Count == 0) return 0;
            var rows = await db.Definitions.AsNoTracking().Where(d => changed.Contains(d.Id)).OrderBy(d => d.DefinitionId).ThenBy(d => d.Version).ToListAsync(cancellationToken);
            foreach (var r in rows)
            {
                var d = WorkflowJson.Read(r.Json, r.DefinitionId);
                d.Version = r.Version;
                d.Id = r.Id;
                d.IsPublished = r.IsPublished;
                store.Add(d, r.IsPublished);
                _seen[r.Id] = r.Stamp;
            }
            foreach (var definitionId in rows.Select(r => r.DefinitionId).Concat(removedFrom).Distinct())
            {
                if (store.Find(definitionId, VersionSelector.Published) is { } published && SafeMatter(published) is { } matter)
                    catalog.Publish(new CatalogEntry($"{definitionId}.json", published, matter));
                else catalog.Withdraw(definitionId);
            }
            return rows.Count + removedFrom.Count;
        }
        finally
        {
            _sync.Release();
        }
    }

    /// <summary>The matter of a definition, or none when its matter cannot be read.</summary>
    public static ServiceMatter? SafeMatter(WorkflowDefinition d)
    {
        try { return MatterJson.Read(d); }
        catch (System.Text.Json.JsonException) { return null; }
    }
}

/// <summary>Polls the definitions for changes made on any node (every two seconds unless configured).</summary>
public sealed class DefinitionFollower(IServiceScopeFactory scopes, DefinitionVersions versions, IConfiguration configuration, ILogger<DefinitionFollower> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(configuration.GetValue("GovFlow:Definitions:PollMilliseconds", 2000)));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                using var scope = scopes.CreateScope();
                var changed = await versions.SyncAsync(scope.ServiceProvider.GetRequiredService<GovFlowDb>(), stoppingToken);
                if (changed > 0) logger.LogInformation("Followed {Count} changed definition version(s)", changed);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may be away for a moment; the next poll tries again.
                logger.LogWarning(ex, "Could not follow definition changes");
            }
        }
    }
}
