using System.Text.Json.Nodes;
using GovFlow.Activities.Matters;
using GovFlow.Host.Api.Contracts;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;
using GovFlow.Workflows.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Api;

/// <summary>Policy staff's definitions: list, versions, import (validated), export, publish and retract.</summary>
public static class DefinitionEndpoints
{
    /// <summary>Maps /api/definitions.</summary>
    public static void MapDefinitions(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/definitions").WithTags("Definitions");
        var read = group.MapGroup("").RequireAuthorization(p => p.RequireRole(Roles.Policy, Roles.Auditor));
        var write = group.MapGroup("").RequireAuthorization(p => p.RequireRole(Roles.Policy));
        read.MapGet("/", List);
        read.MapGet("/{definitionId}/versions", Versions);
        read.MapGet("/{definitionId}/compare", Compare);
        read.MapGet("/{definitionId}/publish-impact", PublishImpactOf);
        read.MapGet("/{definitionId}/retract-impact", RetractImpactOf);
        read.MapGet("/{definitionId}/export", Export).Produces<JsonObject>(StatusCodes.Status200OK, "application/json");
        write.MapPost("/import", Import).Accepts<JsonObject>("application/json").ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        write.MapPost("/{definitionId}/publish", Publish);
        write.MapPost("/{definitionId}/retract", Retract);
        write.MapGet("/{definitionId}/migration", PreviewMigration);
        write.MapPost("/{definitionId}/migration", Migrate);
    }

    private static async Task<Ok<MigrationPreview>> PreviewMigration(string definitionId, int? to, InMemoryWorkflowDefinitionStore store, CaseMigrations migrations, HttpContext http)
    {
        var target = Target(store, definitionId, to);
        return TypedResults.Ok(new MigrationPreview(definitionId, target.Version, await migrations.PreviewAsync(definitionId, target, http.RequestAborted)));
    }

    private static async Task<Ok<MigrationResult>> Migrate(string definitionId, MigrationRequest body, InMemoryWorkflowDefinitionStore store, CaseMigrations migrations, HttpContext http)
    {
        var target = Target(store, definitionId, body.To);
        var (moved, refused) = await migrations.MigrateAsync(definitionId, target, body.CaseIds, Caller.From(http.User).UserName, http.RequestAborted);
        return TypedResults.Ok(new MigrationResult(definitionId, target.Version, moved, refused));
    }

    // Cases move to a named version, or to the published one.
    private static WorkflowDefinition Target(InMemoryWorkflowDefinitionStore store, string definitionId, int? version) =>
        (version is { } v ? store.Find(definitionId, v) : store.Find(definitionId, VersionSelector.Published))
        ?? throw new NotFoundException(version is null ? $"流程定义“{definitionId}”没有已发布的版本" : $"没有流程定义“{definitionId}”的第 {version} 版");

    private static Ok<IEnumerable<DefinitionSummary>> List(InMemoryWorkflowDefinitionStore store) => TypedResults.Ok(store.DefinitionIds.Select(id =>
    {
        var versions = store.VersionsOf(id);
        var latest = versions[^1];
        return new DefinitionSummary(id, latest.Name, latest.Version, versions.FirstOrDefault(v => v.IsPublished)?.Version, DefinitionVersions.SafeMatter(latest)?.Code);
    }).OrderBy(d => d.DefinitionId, StringComparer.Ordinal).AsEnumerable());

    private static async Task<Ok<IEnumerable<DefinitionVersionView>>> Versions(string definitionId, InMemoryWorkflowDefinitionStore store, GovFlowDb db, HttpContext http)
    {
        if (store.VersionsOf(definitionId) is not { Count: > 0 } versions) throw new NotFoundException($"没有流程定义“{definitionId}”");
        var rows = await db.Definitions.AsNoTracking().Where(d => d.DefinitionId == definitionId)
            .Select(d => new { d.Id, d.CreatedAt, d.CreatedBy, d.UpdatedAt, d.UpdatedBy, d.PublishedAt, d.PublishedBy, d.RetractedAt, d.RetractedBy })
            .ToDictionaryAsync(d => d.Id, StringComparer.Ordinal, http.RequestAborted);
        var open = await OpenCasesAsync(db, definitionId, http.RequestAborted);
        return TypedResults.Ok(versions.Select(v =>
        {
            var r = rows.GetValueOrDefault(v.Id!);
            // A version is retired once it was published and no longer is; a file shipped published has no record of it.
            var state = v.IsPublished ? "published" : r?.PublishedAt is not null || r?.RetractedAt is not null ? "retired" : "draft";
            return new DefinitionVersionView(v.Id, v.Version, v.IsPublished, v.IsLatest, v.Name, state, r?.CreatedAt, r?.CreatedBy, r?.UpdatedAt, r?.UpdatedBy,
                r?.PublishedAt, r?.PublishedBy, r?.RetractedAt, r?.RetractedBy, open.GetValueOrDefault(v.Id!));
        }).ToList().AsEnumerable());
    }

    // Cases not finished, per the version they run on: a case's own instance (not its children), still running.
    private static async Task<Dictionary<string, int>> OpenCasesAsync(GovFlowDb db, string definitionId, CancellationToken cancellationToken)
    {
        var running = WorkflowStatus.Running.ToString();
        var rows = await db.Instances.AsNoTracking()
            .Where(i => i.DefinitionId == definitionId && i.Status == running && i.CaseId != null)
            .Join(db.Cases.AsNoTracking(), i => i.CaseId, c => c.Id, (i, c) => new { i.DefinitionVersionId, i.Id, c.InstanceId })
            .Where(x => x.Id == x.InstanceId)
            .GroupBy(x => x.DefinitionVersionId).Select(g => new { g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.Key, r => r.Count, StringComparer.Ordinal);
    }

    private static Ok<DefinitionChanges> Compare(string definitionId, int from, int to, InMemoryWorkflowDefinitionStore store, ActivityRegistry registry) =>
        TypedResults.Ok(DefinitionComparison.Compare(VersionOf(store, definitionId, from), VersionOf(store, definitionId, to), registry));

    private static WorkflowDefinition VersionOf(InMemoryWorkflowDefinitionStore store, string definitionId, int version) =>
        store.Find(definitionId, version) ?? throw new NotFoundException($"没有流程定义“{definitionId}”的第 {version} 版");

    // What publishing a version changes: new cases start on it, open cases stay on theirs (the migration preview can move them).
    private static async Task<Ok<PublishImpact>> PublishImpactOf(string definitionId, int? version, InMemoryWorkflowDefinitionStore store, MatterValidator validator, ActivityRegistry registry, GovFlowDb db, HttpContext http)
    {
        var target = version is { } v ? VersionOf(store, definitionId, v)
            : store.VersionsOf(definitionId).LastOrDefault() ?? throw new NotFoundException($"没有流程定义“{definitionId}”");
        var published = store.Find(definitionId, VersionSelector.Published);
        var open = await OpenCasesAsync(db, definitionId, http.RequestAborted);
        var staying = ByVersion(store, open.Where(o => o.Key != target.Id));
        var refusal = Refusal(validator, target)?.Message;
        return TypedResults.Ok(new PublishImpact(definitionId, "publish", target.Version, published?.Version,
            published?.Id == target.Id ? "unchanged" : "starts", staying.Sum(s => s.Count), staying,
            staying.Count > 0 ? $"/api/definitions/{Uri.EscapeDataString(definitionId)}/migration?to={target.Version}" : null, refusal,
            published is not null && published.Id != target.Id ? DefinitionComparison.Compare(published, target, registry) : null));
    }

    // What retracting changes: the matter takes no new applications; every open case finishes on its version.
    private static async Task<Ok<PublishImpact>> RetractImpactOf(string definitionId, InMemoryWorkflowDefinitionStore store, GovFlowDb db, HttpContext http)
    {
        if (store.VersionsOf(definitionId).Count == 0) throw new NotFoundException($"没有流程定义“{definitionId}”");
        var published = store.Find(definitionId, VersionSelector.Published);
        var open = ByVersion(store, await OpenCasesAsync(db, definitionId, http.RequestAborted));
        return TypedResults.Ok(new PublishImpact(definitionId, "retract", null, published?.Version, published is null ? "unchanged" : "refused",
            open.Sum(s => s.Count), open, null, null, null));
    }

    // Checked again with this server's settings: a version imported while C# was allowed must not go live after it was turned off.
    // The validator that checks every change in the designer guards publishing too (drafts may be saved with problems),
    // with this server's settings: a version imported while C# was allowed must not go live after it was turned off.
    private static (string Path, string Message)? Refusal(MatterValidator validator, WorkflowDefinition target) =>
        validator.Validate(target, $"v{target.Version}") is { Count: > 0 } problems
            ? (problems[0].Path, $"第 {target.Version} 版无法发布：{problems[0].Message}{(problems.Count > 1 ? $"（共 {problems.Count} 处问题，请在设计器中查看）" : "")}")
            : null;

    private static List<VersionCases> ByVersion(InMemoryWorkflowDefinitionStore store, IEnumerable<KeyValuePair<string, int>> open) =>
        [.. open.Select(o => new VersionCases(store.FindVersion(o.Key)?.Version ?? 0, o.Value)).OrderBy(v => v.Version)];

    // The Elsa JSON as GovFlow writes it (the file Elsa Studio imports), hence text rather than a re-serialized object.
    private static ContentHttpResult Export(string definitionId, int? version, InMemoryWorkflowDefinitionStore store)
    {
        var d = (version is { } v ? store.Find(definitionId, v) : store.Find(definitionId, VersionSelector.PublishedOrLatest))
                ?? throw new NotFoundException($"没有流程定义“{definitionId}”{(version is null ? "" : $"的第 {version} 版")}");
        return TypedResults.Text(WorkflowJson.Write(d), "application/json", System.Text.Encoding.UTF8);
    }

    // The body is read raw: the Elsa reader accepts what a JSON binder would not (a BOM, legacy shapes) and names the
    // JSON path of a problem. It is read only up to the size limit, so an oversized file costs no more than that.
    private static async Task<Results<Created<DefinitionDraft>, ValidationProblem>> Import(HttpRequest request, GovFlowDb db, InMemoryWorkflowDefinitionStore store, MatterValidator validator, TimeProvider clock, DefinitionLimits limits)
    {
        var definition = await ReadRawAsync(request, limits, "import.json");
        var problems = validator.Validate(definition, "import.json");
        if (problems.Count > 0)
            return TypedResults.ValidationProblem(problems.GroupBy(p => p.Path).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()),
                title: $"流程定义有 {problems.Count} 处问题", detail: string.Join("；", problems.Select(p => p.Message)));
        var saved = store.SaveDraft(definition);
        await DefinitionVersions.StageAsync(db, saved, clock, Caller.From(request.HttpContext.User).UserName);
        await db.CommitAsync();
        return TypedResults.Created($"/api/definitions/{saved.DefinitionId}/versions", new DefinitionDraft(saved.DefinitionId, saved.Id, saved.Version, saved.IsPublished));
    }

    /// <summary>Reads a definition from a raw request body, refusing what is too large, not UTF-8 or not a definition.</summary>
    /// <exception cref="PayloadTooLargeException">The body is over <see cref="DefinitionLimits.MaxBytes"/>.</exception>
    /// <exception cref="InputException">The body is not UTF-8 or not a readable definition; names the JSON path.</exception>
    internal static async Task<WorkflowDefinition> ReadRawAsync(HttpRequest request, DefinitionLimits limits, string source) =>
        ReadDefinition((await ReadBodyAsync(request, limits.MaxBytes, () => TooLarge(limits))).Span, source, limits);

    /// <summary>
    /// Reads a raw request body only up to <paramref name="maxBytes"/> (so an oversized body costs no more than that),
    /// refusing a larger one and one that is not UTF-8: the JSON reader checks UTF-8 only where it reads a string,
    /// which would fail later as a server error.
    /// </summary>
    internal static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, long maxBytes, Func<PayloadTooLargeException> tooLarge)
    {
        if (request.ContentLength > maxBytes) throw tooLarge();
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBytes) throw tooLarge();
            buffer.Write(chunk, 0, read);
        }
        var body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (!System.Text.Unicode.Utf8.IsValid(body.Span)) throw new InputException("body", "提交的内容不是有效的 UTF-8 文本");
        return body;
    }

    /// <summary>Reads a definition with the definition limits; a problem names its JSON path, under <paramref name="pathPrefix"/> when the definition sits inside a larger body.</summary>
    internal static WorkflowDefinition ReadDefinition(ReadOnlySpan<byte> json, string source, DefinitionLimits limits, string pathPrefix = "")
    {
        try { return WorkflowJson.Read(json, source, limits); }
        catch (DefinitionLimitExceededException ex) when (ex.Limit == nameof(DefinitionLimits.MaxBytes)) { throw TooLarge(limits); }
        catch (DefinitionLimitExceededException ex) { throw new InputException($"GovFlow:Definitions:{ex.Limit}", ex.Problem); }
        catch (WorkflowFormatException ex) { throw new InputException(pathPrefix.Length == 0 ? ex.JsonPath : pathPrefix + ex.JsonPath.TrimStart('$'), DefinitionFormatWords.Of(ex.JsonPath, ex.Problem)); }
    }

    private static PayloadTooLargeException TooLarge(DefinitionLimits limits) =>
        new("GovFlow:Definitions:MaxBytes", $"流程定义超过 {limits.MaxBytes / 1024.0 / 1024.0:0.##} MB 上限（{limits.MaxBytes} 字节，GovFlow:Definitions:MaxBytes）");

    private static async Task<Ok<DefinitionPublished>> Publish(string definitionId, int? version, GovFlowDb db, InMemoryWorkflowDefinitionStore store, MatterCatalog catalog, MatterValidator validator, TimeProvider clock, HttpContext http)
    {
        if ((version is { } wanted ? store.Find(definitionId, wanted) : store.VersionsOf(definitionId).LastOrDefault()) is { } target
            && Refusal(validator, target) is { } refusal)
            throw new InputException(refusal.Path, refusal.Message);
        var before = store.Find(definitionId, VersionSelector.Published)?.Id;
        WorkflowDefinition published;
        try { published = store.Publish(definitionId, version); }
        catch (KeyNotFoundException ex) { throw new NotFoundException(ex.Message); }
        await DefinitionVersions.StagePublicationAsync(db, store.VersionsOf(definitionId), before, clock, Caller.From(http.User).UserName);
        await db.CommitAsync();
        if (DefinitionVersions.SafeMatter(published) is { } matter) catalog.Publish(new CatalogEntry($"{definitionId}.json", published, matter));
        return TypedResults.Ok(new DefinitionPublished(published.DefinitionId, published.Id, published.Version));
    }

    private static async Task<Ok<DefinitionRetracted>> Retract(string definitionId, GovFlowDb db, InMemoryWorkflowDefinitionStore store, MatterCatalog catalog, TimeProvider clock, HttpContext http)
    {
        if (store.VersionsOf(definitionId).Count == 0) throw new NotFoundException($"没有流程定义“{definitionId}”");
        var before = store.Find(definitionId, VersionSelector.Published)?.Id;
        store.Retract(definitionId);
        catalog.Withdraw(definitionId);
        await DefinitionVersions.StagePublicationAsync(db, store.VersionsOf(definitionId), before, clock, Caller.From(http.User).UserName);
        await db.CommitAsync();
        return TypedResults.Ok(new DefinitionRetracted(definitionId, null));
    }
}
