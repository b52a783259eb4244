using System.Text.Json.Nodes;
using GovFlow.Activities.Matters;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;
using GovFlow.Workflows.Serialization;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.ElsaApi;

/// <summary>Why a publish from Studio was refused: the matter validator's problems, each naming where it is.</summary>
/// <param name="Problems">The problems, path and message.</param>
public sealed class PublishRefusedException(IReadOnlyList<(string Path, string Message)> Problems) : Exception($"{Problems.Count} problem(s)")
{
    /// <summary>The problems.</summary>
    public IReadOnlyList<(string Path, string Message)> Problems { get; } = Problems;
}

/// <summary>
/// What Studio does to definitions, on GovFlow's definitions store and with GovFlow's rules: a save keeps what
/// Studio does not show (the matter in <c>customProperties["govflow:matter"]</c>, unknown top-level properties,
/// options it left out); a publish runs the matter validator and refuses with its problems; only drafts no case
/// runs are deleted; names are unique.
/// </summary>
public sealed class StudioDesigner(GovFlowDb db, InMemoryWorkflowDefinitionStore store, MatterCatalog catalog, MatterValidator validator, TimeProvider clock, DefinitionLimits limits, IHttpContextAccessor http)
{
    // Who acts, as the versions list shows it (Studio's bearer token names the GovFlow user).
    private string Actor => http.HttpContext?.User.Identity?.Name is { Length: > 0 } name ? name : "Elsa Studio";

    // Properties this API adds to its answers (Studio echoes some back); they are not part of the definition.
    private static readonly string[] Decorations = ["links", "providerName", "materializerName", "isMaterializerAvailable"];

    /// <summary>The versions <paramref name="versionOptions"/> names (Elsa's VersionOptions as text).</summary>
    public static Func<WorkflowDefinition, bool> Versions(string? versionOptions, string fallback = "Latest") => (string.IsNullOrWhiteSpace(versionOptions) ? fallback : versionOptions.Trim()).ToLowerInvariant() switch
    {
        "latest" => v => v.IsLatest,
        "published" => v => v.IsPublished,
        "latestorpublished" => v => v.IsLatest || v.IsPublished,
        "latestandpublished" => v => v.IsLatest && v.IsPublished,
        "draft" => v => !v.IsPublished,
        "allversions" => _ => true,
        var text when int.TryParse(text, out var n) => v => v.Version == n,
        _ => throw new InputException("versionOptions", $"无法识别的版本选项“{versionOptions}”（Latest、Published、LatestOrPublished、LatestAndPublished、Draft、AllVersions 或版本号）")
    };

    /// <summary>When each version was first saved, by version id.</summary>
    public async Task<Dictionary<string, DateTimeOffset>> CreatedAtAsync(IReadOnlyCollection<string> versionIds, CancellationToken cancellationToken)
    {
        var rows = await db.Definitions.AsNoTracking().Where(d => versionIds.Contains(d.Id)).Select(d => new { d.Id, d.CreatedAt }).ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.Id, r => r.CreatedAt, StringComparer.Ordinal);
    }

    /// <summary>Whether no other definition's latest version has this name.</summary>
    public bool IsNameUnique(string name, string? definitionId) =>
        !store.DefinitionIds.Where(id => id != definitionId).Any(id => string.Equals(store.Find(id, VersionSelector.Latest)?.Name?.Trim(), name.Trim(), StringComparison.Ordinal));

    /// <summary>
    /// Saves Studio's model as the definition's draft (a new version when the latest is published), keeping what the
    /// model lacks from the latest version; with <paramref name="publish"/> the draft is then published (or refused).
    /// </summary>
    /// <exception cref="InputException">The model is not a readable definition, or its name is taken.</exception>
    /// <exception cref="PublishRefusedException">Publishing was asked and the matter validator found problems (the draft is saved).</exception>
    public async Task<(WorkflowDefinition Saved, bool AlreadyPublished)> SaveAsync(JsonObject model, bool publish, CancellationToken cancellationToken)
    {
        var definition = Read(model);
        if (definition.Name is { Length: > 0 } name && !IsNameUnique(name, definition.DefinitionId))
            throw new InputException("name", $"已有名为“{name.Trim()}”的流程定义，请换一个名称");
        if (definition.DefinitionId is { } id && store.Find(id, VersionSelector.Latest) is { } previous) KeepWhatStudioLeftOut(definition, previous);
        var saved = store.SaveDraft(definition);
        await DefinitionVersions.StageAsync(db, saved, clock, Actor);
        await db.CommitAsync(cancellationToken);
        if (!publish) return (saved, false);
        return (await PublishAsync(saved.DefinitionId!, cancellationToken), false);
    }

    /// <summary>Publishes the latest version after the matter validator passes it; returns it.</summary>
    /// <exception cref="NotFoundException">No such definition.</exception>
    /// <exception cref="PublishRefusedException">The validator's problems.</exception>
    public async Task<WorkflowDefinition> PublishAsync(string definitionId, CancellationToken cancellationToken)
    {
        var target = store.Find(definitionId, VersionSelector.Latest) ?? throw new NotFoundException($"没有流程定义“{definitionId}”");
        if (target.IsPublished) return target;
        var problems = validator.Validate(target, $"{definitionId}.json")
            .Select(p => (p.Path, p.Message)).ToList();
        var matter = DefinitionVersions.SafeMatter(target);
        // One matter, one definition: publishing a second definition under a code would silently replace the first.
        if (matter is not null && catalog.Find(matter.Code) is { } other && other.Definition.DefinitionId != definitionId)
            problems.Add(($"$.customProperties['{MatterJson.PropertyName}'].code", $"事项编码 {matter.Code} 已由流程定义“{other.Definition.DefinitionId}”使用"));
        if (problems.Count > 0) throw new PublishRefusedException(problems);
        var before = store.Find(definitionId, VersionSelector.Published)?.Id;
        var published = store.Publish(definitionId, target.Version);
        await DefinitionVersions.StagePublicationAsync(db, store.VersionsOf(definitionId), before, clock, Actor);
        await db.CommitAsync(cancellationToken);
        if (matter is not null) catalog.Publish(new CatalogEntry($"{definitionId}.json", published, matter));
        return published;
    }

    /// <summary>Retracts the published version: new cases cannot start; open ones finish on their version.</summary>
    public async Task<WorkflowDefinition> RetractAsync(string definitionId, CancellationToken cancellationToken)
    {
        if (store.VersionsOf(definitionId).Count == 0) throw new NotFoundException($"没有流程定义“{definitionId}”");
        var before = store.Find(definitionId, VersionSelector.Published)?.Id;
        store.Retract(definitionId);
        catalog.Withdraw(definitionId);
        await DefinitionVersions.StagePublicationAsync(db, store.VersionsOf(definitionId), before, clock, Actor);
        await db.CommitAsync(cancellationToken);
        return store.Find(definitionId, VersionSelector.Latest)!;
    }

    /// <summary>A new draft with the content of an earlier version.</summary>
    public async Task<WorkflowDefinition> RevertAsync(string definitionId, int version, CancellationToken cancellationToken)
    {
        var source = store.Find(definitionId, version) ?? throw new NotFoundException($"没有流程定义“{definitionId}”的第 {version} 版");
        var copy = WorkflowJson.Read(WorkflowJson.ToJson(source), $"{definitionId}.json");
        var saved = store.SaveDraft(copy);
        await DefinitionVersions.StageAsync(db, saved, clock, Actor);
        await db.CommitAsync(cancellationToken);
        return saved;
    }

    /// <summary>
    /// Deletes a definition that was never put to work (no version published, no case on any version), or one
    /// draft version (<paramref name="versionId"/>) that is not published and no case runs.
    /// </summary>
    /// <exception cref="ConflictException">A version is published or a case uses it.</exception>
    public async Task DeleteAsync(string definitionId, string? versionId, CancellationToken cancellationToken)
    {
        var versions = store.VersionsOf(definitionId);
        var doomed = versions.Where(v => versionId is null || v.Id == versionId).ToList();
        if (doomed.Count == 0) throw new NotFoundException(versionId is null ? $"没有流程定义“{definitionId}”" : $"没有流程定义版本“{versionId}”");
        if (doomed.FirstOrDefault(v => v.IsPublished) is { } live)
            throw new ConflictException($"第 {live.Version} 版已发布，不能删除；请先撤回");
        var ids = doomed.Select(v => v.Id!).ToList();
        if (await db.Instances.AnyAsync(i => ids.Contains(i.DefinitionVersionId), cancellationToken))
            throw new ConflictException("已有办件使用该流程定义，不能删除");
        foreach (var v in doomed) store.Remove(definitionId, v.Id!);
        await db.Definitions.Where(d => ids.Contains(d.Id)).ExecuteDeleteAsync(cancellationToken);
        foreach (var v in store.VersionsOf(definitionId)) await DefinitionVersions.StageAsync(db, v, clock);
        await db.CommitAsync(cancellationToken);
    }

    /// <summary>The definition as Studio receives it: Elsa 3 JSON with a node id on every activity, and the links the caller may follow.</summary>
    public static JsonObject Model(WorkflowDefinition d, DateTimeOffset? createdAt, bool canDesign)
    {
        var o = WorkflowJson.ToJson(d);
        o.Remove("$schema");
        if (!o.ContainsKey("createdAt") && createdAt is { } at) o["createdAt"] = at;
        o["isReadonly"] = !canDesign;
        if (!o.ContainsKey("isSystem")) o["isSystem"] = false;
        o["providerName"] = "GovFlow";
        o["materializerName"] = "Json";
        o["isMaterializerAvailable"] = true;
        if (o["root"] is JsonObject root) NodeIds.Fill(root, NodeIds.WorkflowNodeId);
        o["links"] = System.Text.Json.JsonSerializer.SerializeToNode(Links(d.DefinitionId!, canDesign), StudioJson.Options);
        return o;
    }

    /// <summary>The links of one definition: none for a read-only caller.</summary>
    public static IReadOnlyList<StudioLink> Links(string definitionId, bool canDesign) => canDesign
        ? [StudioApi.Link($"workflow-definitions/{Uri.EscapeDataString(definitionId)}/publish", "publish", "POST"),
           StudioApi.Link($"workflow-definitions/{Uri.EscapeDataString(definitionId)}/retract", "retract", "POST")]
        : [];

    private WorkflowDefinition Read(JsonObject model)
    {
        var copy = (JsonObject)model.DeepClone();
        foreach (var key in Decorations) copy.Remove(key);
        // Studio's create dialog sends no ids; an empty one means the same.
        foreach (var key in (string[])["definitionId", "id"])
            if (copy[key] is JsonValue v && v.TryGetValue<string>(out var text) && text.Length == 0) copy.Remove(key);
        try { return WorkflowJson.Read(copy, "studio", limits); }
        catch (DefinitionLimitExceededException ex) { throw new InputException($"GovFlow:Definitions:{ex.Limit}", ex.Problem); }
        catch (WorkflowFormatException ex) { throw new InputException(ex.JsonPath, ex.Problem); }
    }

    // Studio's model has no place for GovFlow's top-level additions and may drop custom properties and options it
    // does not know; what the model does carry wins.
    private static void KeepWhatStudioLeftOut(WorkflowDefinition saved, WorkflowDefinition previous)
    {
        saved.Schema ??= previous.Schema;
        foreach (var (key, value) in previous.Extras)
            if (!saved.Extras.ContainsKey(key) && !Decorations.Contains(key)) saved.Extras[key] = value?.DeepClone();
        saved.CustomProperties = Merge(previous.CustomProperties, saved.CustomProperties, saved.ExplicitNulls.Contains("customProperties"));
        saved.Options = Merge(previous.Options, saved.Options, saved.ExplicitNulls.Contains("options"));
    }

    private static JsonObject? Merge(JsonObject? previous, JsonObject? given, bool explicitNull)
    {
        if (previous is null) return given;
        if (given is null && explicitNull) return null;
        var merged = (JsonObject?)given?.DeepClone() ?? [];
        foreach (var (key, value) in previous)
            if (!merged.ContainsKey(key)) merged[key] = value?.DeepClone();
        return merged;
    }
}

/// <summary>
/// Gives every activity a node id as Elsa and GovFlow's engine do (the root under the workflow, <c>Workflow1:id</c>;
/// a nested one <c>parentNodeId:id</c>); Studio's designer needs them, and the journal's records name the same nodes.
/// </summary>
public static class NodeIds
{
    /// <summary>The node id of the workflow itself, the root's parent.</summary>
    public const string WorkflowNodeId = "Workflow1";

    /// <summary>Fills missing node ids under <paramref name="activity"/>, keeping those already written.</summary>
    public static void Fill(JsonObject activity, string? parentNodeId)
    {
        var id = Text(activity["id"]) ?? "";
        var nodeId = Text(activity["nodeId"]) is { Length: > 0 } written ? written : parentNodeId is null ? id : $"{parentNodeId}:{id}";
        activity["nodeId"] = nodeId;
        foreach (var (key, value) in activity.ToList())
            if (key is not ("customProperties" or "metadata")) Visit(value, nodeId);
    }

    private static void Visit(JsonNode? node, string parentNodeId)
    {
        switch (node)
        {
            // An activity is an object with a type and an id (expressions have no id; connections name activities by a string).
            case JsonObject o when Text(o["type"]) is not null && Text(o["id"]) is not null:
                Fill(o, parentNodeId);
                break;
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                    if (key is not ("customProperties" or "metadata")) Visit(value, parentNodeId);
                break;
            case JsonArray a:
                foreach (var item in a.ToList()) Visit(item, parentNodeId);
                break;
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}

/// <summary>How Studio's answers are written when built by hand: camelCase, as the rest of the API.</summary>
public static class StudioJson
{
    /// <summary>The options.</summary>
    public static readonly System.Text.Json.JsonSerializerOptions Options = new(System.Text.Json.JsonSerializerDefaults.Web);
}
