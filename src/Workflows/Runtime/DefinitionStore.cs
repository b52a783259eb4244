using GovFlow.Workflows.Model;

namespace GovFlow.Workflows.Runtime;

/// <summary>Which version of a definition to use.</summary>
public enum VersionSelector
{
    /// <summary>The published version.</summary>
    Published,
    /// <summary>The newest version, draft or not.</summary>
    Latest,
    /// <summary>The published version, else the newest.</summary>
    PublishedOrLatest
}

/// <summary>Lookups over any definition source.</summary>
public static class WorkflowDefinitionSourceExtensions
{
    /// <summary>
    /// The name an activity has in one version of a flow (初审, 邮寄送达...), or null when the version or the activity
    /// is unknown or unnamed: what people read where the engine knows only the activity's id.
    /// </summary>
    public static string? ActivityName(this IWorkflowDefinitionSource source, string versionId, string activityId) =>
        source.FindVersion(versionId)?.Root?.Descendants().FirstOrDefault(a => a.Id == activityId)?.Name;
}

/// <summary>Where the engine finds definitions (for workflow-as-activity and child workflows). The host backs it with its database.</summary>
public interface IWorkflowDefinitionSource
{
    /// <summary>A version by its version id.</summary>
    WorkflowDefinition? FindVersion(string versionId);

    /// <summary>A version of a definition.</summary>
    WorkflowDefinition? Find(string definitionId, VersionSelector selector);

    /// <summary>A specific version number of a definition.</summary>
    WorkflowDefinition? Find(string definitionId, int version);

    /// <summary>Every version of every definition usable as an activity.</summary>
    IEnumerable<WorkflowDefinition> UsableAsActivities();
}

/// <summary>
/// Definitions with versions held in memory: each definition has numbered versions, at most one published;
/// the newest is the latest. Used by the command line and tests, and as the host's cache.
/// </summary>
public sealed class InMemoryWorkflowDefinitionStore : IWorkflowDefinitionSource
{
    private readonly Dictionary<string, List<WorkflowDefinition>> _byDefinition = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>All definition ids.</summary>
    public IReadOnlyList<string> DefinitionIds { get { lock (_lock) return [.. _byDefinition.Keys]; } }

    /// <summary>
    /// Adds a version as read from a file. With <paramref name="publish"/> it becomes the published version
    /// (Elsa's import); otherwise the file's isPublished flag is honoured (Elsa's folder provider).
    /// A file without ids gets new ones, so every import of it is a new definition.
    /// </summary>
    public WorkflowDefinition Add(WorkflowDefinition definition, bool? publish = null)
    {
        lock (_lock)
        {
            definition.DefinitionId ??= Guid.NewGuid().ToString("N")[..16];
            definition.Id ??= Guid.NewGuid().ToString("N")[..16];
            var versions = Versions(definition.DefinitionId);
            versions.RemoveAll(v => v.Version == definition.Version || v.Id == definition.Id);
            versions.Add(definition);
            versions.Sort((a, b) => a.Version.CompareTo(b.Version));
            if (publish ?? definition.IsPublished) PublishLocked(definition);
            Relabel(versions);
            return definition;
        }
    }

    /// <summary>Saves a draft: replaces the latest version if it is an unpublished draft, else adds version latest+1.</summary>
    public WorkflowDefinition SaveDraft(WorkflowDefinition definition)
    {
        lock (_lock)
        {
            definition.DefinitionId ??= Guid.NewGuid().ToString("N")[..16];
            var versions = Versions(definition.DefinitionId);
            var latest = versions.LastOrDefault();
            if (latest is { IsPublished: false })
            {
                definition.Version = latest.Version;
                definition.Id = latest.Id;
                versions[^1] = definition;
            }
            else
            {
                definition.Version = (latest?.Version ?? 0) + 1;
                definition.Id = Guid.NewGuid().ToString("N")[..16];
                versions.Add(definition);
            }
            definition.IsPublished = false;
            Relabel(versions);
            return definition;
        }
    }

    /// <summary>Publishes a version (the latest when none is named); the previously published version is retracted.</summary>
    public WorkflowDefinition Publish(string definitionId, int? version = null)
    {
        lock (_lock)
        {
            // An unknown id must leave no trace: an empty entry would break every listing after it.
            var versions = _byDefinition.GetValueOrDefault(definitionId) ?? [];
            var target = (version is null ? versions.LastOrDefault() : versions.FirstOrDefault(v => v.Version == version))
                         ?? throw new KeyNotFoundException($"Definition {definitionId} has no version {version?.ToString() ?? "(latest)"}.");
            PublishLocked(target);
            return target;
        }
    }

    /// <summary>Retracts the published version; new instances cannot start until another is published.</summary>
    public void Retract(string definitionId)
    {
        lock (_lock)
            foreach (var v in _byDefinition.GetValueOrDefault(definitionId) ?? []) v.IsPublished = false;
    }

    /// <summary>
    /// Removes one version (a draft nobody runs: the caller checks); the definition goes when its last version does,
    /// and the newest remaining version becomes the latest.
    /// </summary>
    public bool Remove(string definitionId, string versionId)
    {
        lock (_lock)
        {
            if (!_byDefinition.TryGetValue(definitionId, out var versions) || versions.RemoveAll(v => v.Id == versionId) == 0) return false;
            if (versions.Count == 0) _byDefinition.Remove(definitionId);
            else Relabel(versions);
            return true;
        }
    }

    /// <summary>All versions of a definition, oldest first.</summary>
    public IReadOnlyList<WorkflowDefinition> VersionsOf(string definitionId)
    {
        lock (_lock) return _byDefinition.TryGetValue(definitionId, out var list) ? [.. list] : [];
    }

    /// <inheritdoc />
    public WorkflowDefinition? FindVersion(string versionId)
    {
        lock (_lock) return _byDefinition.Values.SelectMany(v => v).FirstOrDefault(v => v.Id == versionId);
    }

    /// <inheritdoc />
    public WorkflowDefinition? Find(string definitionId, VersionSelector selector)
    {
        lock (_lock)
        {
            if (!_byDefinition.TryGetValue(definitionId, out var versions)) return null;
            return selector switch
            {
                VersionSelector.Published => versions.FirstOrDefault(v => v.IsPublished),
                VersionSelector.Latest => versions.LastOrDefault(),
                _ => versions.FirstOrDefault(v => v.IsPublished) ?? versions.LastOrDefault()
            };
        }
    }

    /// <inheritdoc />
    public WorkflowDefinition? Find(string definitionId, int version)
    {
        lock (_lock) return _byDefinition.TryGetValue(definitionId, out var versions) ? versions.FirstOrDefault(v => v.Version == version) : null;
    }

    /// <inheritdoc />
    public IEnumerable<WorkflowDefinition> UsableAsActivities()
    {
        lock (_lock) return _byDefinition.Values.SelectMany(v => v).Where(v => v.UsableAsActivity).ToList();
    }

    private List<WorkflowDefinition> Versions(string definitionId)
    {
        if (!_byDefinition.TryGetValue(definitionId, out var versions))
            _byDefinition[definitionId] = versions = [];
        return versions;
    }

    private void PublishLocked(WorkflowDefinition target)
    {
        foreach (var v in Versions(target.DefinitionId!)) v.IsPublished = ReferenceEquals(v, target);
    }

    private static void Relabel(List<WorkflowDefinition> versions)
    {
        for (var i = 0; i < versions.Count; i++) versions[i].IsLatest = i == versions.Count - 1;
    }
}
