using System.Text.Json.Nodes;
using GovFlow.Host.Cases;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;
using GovFlow.Workflows.Serialization;

namespace GovFlow.Host.ElsaApi;

/// <summary>Studio's workflow definitions: the list, one definition, save, publish, retract, import, export, delete, revert.</summary>
public static class StudioDefinitions
{
    /// <summary>A definition in Studio's list.</summary>
    /// <param name="Id">Version id.</param>
    /// <param name="DefinitionId">Definition id.</param>
    /// <param name="Name">Name.</param>
    /// <param name="Description">Description.</param>
    /// <param name="Version">Version number.</param>
    /// <param name="ToolVersion">The Studio version that last saved it, if recorded.</param>
    /// <param name="IsLatest">Newest version.</param>
    /// <param name="IsPublished">Published version.</param>
    /// <param name="ProviderName">Where it is kept.</param>
    /// <param name="MaterializerName">How it is turned into a workflow (Elsa JSON).</param>
    /// <param name="IsMaterializerAvailable">Whether the server can run it.</param>
    /// <param name="CreatedAt">When this version was first saved.</param>
    /// <param name="IsReadonly">Whether the caller may change it.</param>
    /// <param name="IsSystem">GovFlow has no system workflows.</param>
    /// <param name="Links">What the caller may do with it.</param>
    public sealed record Summary(string Id, string DefinitionId, string? Name, string? Description, int Version, string? ToolVersion, bool IsLatest, bool IsPublished,
        string ProviderName, string MaterializerName, bool IsMaterializerAvailable, DateTimeOffset? CreatedAt, bool IsReadonly, bool IsSystem, IReadOnlyList<StudioLink> Links);

    /// <summary>Studio's save: the definition model and whether to publish it.</summary>
    /// <param name="Model">The definition in Elsa 3 JSON.</param>
    /// <param name="Publish">Publish after saving.</param>
    public sealed record SaveRequest(JsonObject? Model, bool? Publish);

    /// <summary>The answer to a save or publish.</summary>
    /// <param name="WorkflowDefinition">The definition as saved.</param>
    /// <param name="AlreadyPublished">Whether it was published before this call.</param>
    /// <param name="ConsumingWorkflowCount">Definitions using it as an activity (GovFlow updates none).</param>
    public sealed record SaveResponse(JsonObject WorkflowDefinition, bool AlreadyPublished, int ConsumingWorkflowCount);

    /// <summary>Definitions named in a bulk request.</summary>
    /// <param name="DefinitionIds">Definition ids.</param>
    public sealed record BulkRequest(IReadOnlyList<string>? DefinitionIds);

    /// <summary>What a bulk publish did.</summary>
    /// <param name="Published">Published now.</param>
    /// <param name="AlreadyPublished">Already published.</param>
    /// <param name="NotFound">Unknown ids.</param>
    /// <param name="Skipped">Refused by the matter validator.</param>
    /// <param name="UpdatedConsumers">Definitions using them (none in GovFlow).</param>
    public sealed record BulkPublishResponse(IReadOnlyList<string> Published, IReadOnlyList<string> AlreadyPublished, IReadOnlyList<string> NotFound, IReadOnlyList<string> Skipped, IReadOnlyList<string> UpdatedConsumers);

    /// <summary>What a bulk retract did.</summary>
    /// <param name="Retracted">Retracted now.</param>
    /// <param name="AlreadyRetracted">Had no published version.</param>
    /// <param name="NotFound">Unknown ids.</param>
    /// <param name="Skipped">Never skipped; Elsa's shape.</param>
    public sealed record BulkRetractResponse(IReadOnlyList<string> Retracted, IReadOnlyList<string> AlreadyRetracted, IReadOnlyList<string> NotFound, IReadOnlyList<string> Skipped);

    /// <summary>Definition versions named in a bulk request.</summary>
    /// <param name="Ids">Version ids.</param>
    public sealed record BulkVersionsRequest(IReadOnlyList<string>? Ids);

    /// <summary>How many were deleted.</summary>
    /// <param name="Deleted">Count.</param>
    public sealed record DeleteResponse(long Deleted);

    /// <summary>Maps /workflow-definitions.</summary>
    public static void Map(RouteGroupBuilder read, RouteGroupBuilder write)
    {
        read.MapGet("/workflow-definitions", List);
        read.MapGet("/workflow-definitions/validation/is-name-unique", (string name, string? definitionId, StudioDesigner designer) =>
            TypedResults.Ok(new { isUnique = designer.IsNameUnique(name, string.IsNullOrEmpty(definitionId) ? null : definitionId) }));
        read.MapGet("/workflow-definitions/by-definition-id/{definitionId}", ByDefinitionId);
        read.MapGet("/workflow-definitions/by-id/{id}", ById);
        read.MapGet("/workflow-definitions/many-by-id", ManyById);
        read.MapGet("/workflow-definitions/query/count", (InMemoryWorkflowDefinitionStore store) => TypedResults.Ok(new { count = store.DefinitionIds.Count }));
        read.MapGet("/workflow-definitions/{definitionId}/export", Export);
        write.MapPost("/workflow-definitions", Save);
        write.MapPost("/workflow-definitions/{definitionId}/publish", Publish);
        write.MapPost("/workflow-definitions/{definitionId}/retract", Retract);
        write.MapPost("/workflow-definitions/{definitionId}/revert/{version:int}", Revert);
        write.MapDelete("/workflow-definitions/{definitionId}", Delete);
        write.MapDelete("/workflow-definition-versions/{id}", DeleteVersion);
        write.MapPost("/bulk-actions/publish/workflow-definitions/by-definition-ids", BulkPublish);
        write.MapPost("/bulk-actions/retract/workflow-definitions/by-definition-ids", BulkRetract);
        write.MapPost("/bulk-actions/delete/workflow-definitions/by-definition-id", BulkDelete);
        write.MapPost("/bulk-actions/delete/workflow-definitions/by-id", BulkDeleteVersions);
        write.MapPost("/workflow-definitions/import", Import);
        write.MapPost("/workflow-definitions/import-files", ImportFiles);
    }

    private static async Task<IResult> List(HttpContext http, StudioDesigner designer, InMemoryWorkflowDefinitionStore store,
        string? versionOptions, int? page, int? pageSize, string? searchTerm, bool? isSystem, string? orderBy, string? orderDirection, string[]? definitionIds)
    {
        var wanted = StudioDesigner.Versions(versionOptions);
        var term = searchTerm?.Trim();
        var ids = definitionIds is { Length: > 0 } ? definitionIds.ToHashSet(StringComparer.Ordinal) : null;
        // GovFlow has no system workflows: Studio's "system" tab is empty.
        var all = isSystem == true ? [] : store.DefinitionIds
            .Where(id => ids is null || ids.Contains(id))
            .SelectMany(store.VersionsOf)
            .Where(wanted)
            .Where(d => string.IsNullOrEmpty(term) || Matches(d, term))
            .ToList();
        var descending = string.Equals(orderDirection, "Descending", StringComparison.OrdinalIgnoreCase);
        var byCreation = string.Equals(orderBy, "CreatedAt", StringComparison.OrdinalIgnoreCase)
            ? await designer.CreatedAtAsync([.. all.Select(d => d.Id!)], http.RequestAborted)
            : [];
        IOrderedEnumerable<WorkflowDefinition> ordered = (orderBy ?? "Name").ToLowerInvariant() switch
        {
            "version" => descending ? all.OrderByDescending(d => d.Version) : all.OrderBy(d => d.Version),
            "createdat" => descending ? all.OrderByDescending(d => byCreation.GetValueOrDefault(d.Id!)) : all.OrderBy(d => byCreation.GetValueOrDefault(d.Id!)),
            _ => descending ? all.OrderByDescending(d => d.Name, StringComparer.Ordinal) : all.OrderBy(d => d.Name, StringComparer.Ordinal)
        };
        var design = StudioApi.CanDesign(http);
        var links = design ? [StudioApi.Link("bulk-actions/publish/workflow-definitions/by-definition-ids", "bulk-publish", "POST")] : Array.Empty<StudioLink>();
        var pageOf = StudioPage<WorkflowDefinition>.Of([.. ordered.ThenBy(d => d.DefinitionId, StringComparer.Ordinal).ThenBy(d => d.Version)], page, pageSize, links);
        var created = await designer.CreatedAtAsync([.. pageOf.Items.Select(d => d.Id!)], http.RequestAborted);
        var items = pageOf.Items.Select(d => new Summary(d.Id!, d.DefinitionId!, d.Name, d.Description, d.Version, JsonAccess.GetString(d.Extras, "toolVersion"), d.IsLatest, d.IsPublished,
            "GovFlow", "Json", true, created.TryGetValue(d.Id!, out var at) ? at : null, !design, false, StudioDesigner.Links(d.DefinitionId!, design))).ToList();
        return TypedResults.Ok(new StudioPage<Summary>(items, pageOf.TotalCount, links));
    }

    // The matter's code and name are searched too: policy staff know a matter by them.
    private static bool Matches(WorkflowDefinition d, string term) =>
        new[] { d.Name, d.Description, d.DefinitionId, Persistence.DefinitionVersions.SafeMatter(d)?.Code, Persistence.DefinitionVersions.SafeMatter(d)?.Name }
            .Any(text => text?.Contains(term, StringComparison.OrdinalIgnoreCase) == true);

    private static async Task<IResult> ByDefinitionId(string definitionId, string? versionOptions, HttpContext http, StudioDesigner designer, InMemoryWorkflowDefinitionStore store)
    {
        var wanted = StudioDesigner.Versions(versionOptions, "LatestOrPublished");
        return store.VersionsOf(definitionId).Where(wanted).OrderByDescending(v => v.Version).FirstOrDefault() is { } d
            ? TypedResults.Ok(await ModelAsync(d, http, designer))
            : TypedResults.NotFound();
    }

    private static async Task<IResult> ById(string id, HttpContext http, StudioDesigner designer, InMemoryWorkflowDefinitionStore store) =>
        store.FindVersion(id) is { } d ? TypedResults.Ok(await ModelAsync(d, http, designer)) : TypedResults.NotFound();

    // The file as GovFlow writes it (what GovFlow's own export gives), named as Studio names its downloads.
    private static IResult Export(string definitionId, string? versionOptions, InMemoryWorkflowDefinitionStore store)
    {
        var wanted = StudioDesigner.Versions(versionOptions, "LatestOrPublished");
        var d = store.VersionsOf(definitionId).Where(wanted).OrderByDescending(v => v.Version).FirstOrDefault()
                ?? throw new NotFoundException($"没有流程定义“{definitionId}”");
        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(WorkflowJson.Write(d)), "application/json", $"workflow-definition-{definitionId}.json");
    }

    private static async Task<IResult> Save(SaveRequest body, HttpContext http, StudioDesigner designer)
    {
        if (body.Model is null) throw new InputException("model", "请求中没有流程定义（model）");
        try
        {
            var (saved, already) = await designer.SaveAsync(body.Model, body.Publish == true, http.RequestAborted);
            return TypedResults.Ok(new SaveResponse(await ModelAsync(saved, http, designer), already, 0));
        }
        catch (PublishRefusedException ex) { return Refusal(ex); }
    }

    private static async Task<IResult> Publish(string definitionId, HttpContext http, StudioDesigner designer, InMemoryWorkflowDefinitionStore store)
    {
        var already = store.Find(definitionId, VersionSelector.Latest)?.IsPublished == true;
        try
        {
            var published = await designer.PublishAsync(definitionId, http.RequestAborted);
            return TypedResults.Ok(new SaveResponse(await ModelAsync(published, http, designer), already, 0));
        }
        catch (PublishRefusedException ex) { return Refusal(ex); }
    }

    private static async Task<IResult> Retract(string definitionId, HttpContext http, StudioDesigner designer) =>
        TypedResults.Ok(await ModelAsync(await designer.RetractAsync(definitionId, http.RequestAborted), http, designer));

    private static async Task<IResult> Revert(string definitionId, int version, HttpContext http, StudioDesigner designer) =>
        TypedResults.Ok(await ModelAsync(await designer.RevertAsync(definitionId, version, http.RequestAborted), http, designer));

    private static async Task<IResult> Delete(string definitionId, HttpContext http, StudioDesigner designer)
    {
        await designer.DeleteAsync(definitionId, null, http.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> DeleteVersion(string id, HttpContext http, StudioDesigner designer, InMemoryWorkflowDefinitionStore store)
    {
        var version = store.FindVersion(id) ?? throw new NotFoundException($"没有流程定义版本“{id}”");
        await designer.DeleteAsync(version.DefinitionId!, id, http.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> BulkPublish(BulkRequest body, HttpContext http, StudioDesigner designer, InMemoryWorkflowDefinitionStore store)
    {
        List<string> published = [], already = [], notFound = [], skipped = [];
        foreach (var id in body.DefinitionIds ?? [])
        {
            var latest = store.Find(id, VersionSelector.Latest);
            if (latest is null) notFound.Add(id);
            else if (latest.IsPublished) already.Add(id);
            else
            {
                try { await designer.PublishAsync(id, http.RequestAborted); published.Add(id); }
                catch (PublishRefusedException) { skipped.Add(id); }
            }
        }
        return TypedResults.Ok(new BulkPublishResponse(published, already, notFound, skipped, []));
    }

    private static async Task<IResult> BulkRetract(BulkRequest body, HttpContext http, StudioDesigner designer, InMemoryWorkflowDefinitionStore store)
    {
        List<string> retracted = [], already = [], notFound = [];
        foreach (var id in body.DefinitionIds ?? [])
        {
            var versions = store.VersionsOf(id);
            if (versions.Count == 0) notFound.Add(id);
            else if (!versions.Any(v => v.IsPublished)) already.Add(id);
            else { await designer.RetractAsync(id, http.RequestAborted); retracted.Add(id); }
        }
        return TypedResults.Ok(new BulkRetractResponse(retracted, already, notFound, []));
    }

    // Definitions in use are left alone (the count says how many went), as a single delete would refuse them.
    private static async Task<IResult> BulkDelete(BulkRequest body, HttpContext http, StudioDesigner designer)
    {
        var deleted = 0;
        foreach (var id in body.DefinitionIds ?? [])
        {
            try { await designer.DeleteAsync(id, null, http.RequestAborted); deleted++; }
            catch (Exception ex) when (ex is ConflictException or NotFoundException) { }
        }
        return TypedResults.Ok(new DeleteResponse(deleted));
    }

    private static async Task<IResult> BulkDeleteVersions(BulkVersionsRequest body, HttpContext http, StudioDesigner designer, InMemoryWorkflowDefinitionStore store)
    {
        var deleted = 0;
        foreach (var id in body.Ids ?? [])
        {
            if (store.FindVersion(id) is not { } version) continue;
            try { await designer.DeleteAsync(version.DefinitionId!, id, http.RequestAborted); deleted++; }
            catch (ConflictException) { }
        }
        return TypedResults.Ok(new DeleteResponse(deleted));
    }

    private static async Task<IResult> ManyById(string[]? ids, HttpContext http, StudioDesigner designer, InMemoryWorkflowDefinitionStore store)
    {
        var found = (ids ?? []).Select(store.FindVersion).OfType<WorkflowDefinition>().ToList();
        var created = await designer.CreatedAtAsync([.. found.Select(d => d.Id!)], http.RequestAborted);
        return TypedResults.Ok(StudioList<JsonObject>.Of(found.Select(d => StudioDesigner.Model(d, created.TryGetValue(d.Id!, out var at) ? at : null, StudioApi.CanDesign(http)))));
    }

    // Studio's import sends a definition model: it becomes a draft (a new version when its definition exists).
    private static async Task<IResult> Import(JsonObject model, HttpContext http, StudioDesigner designer)
    {
        var (saved, _) = await designer.SaveAsync(model, false, http.RequestAborted);
        return TypedResults.Ok(await ModelAsync(saved, http, designer));
    }

    private static async Task<IResult> ImportFiles(HttpRequest request, StudioDesigner designer, DefinitionLimits limits)
    {
        if (!request.HasFormContentType) throw new InputException("files", "请以 multipart/form-data 上传流程定义文件");
        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        var imported = new List<string>();
        foreach (var file in form.Files)
        {
            if (file.Length > limits.MaxBytes) throw new PayloadTooLargeException("GovFlow:Definitions:MaxBytes", $"文件“{file.FileName}”超过流程定义大小上限（{limits.MaxBytes} 字节）");
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, request.HttpContext.RequestAborted);
            JsonObject model;
            try { model = JsonNode.Parse(buffer.ToArray()) as JsonObject ?? throw new InputException(file.FileName, $"文件“{file.FileName}”不是流程定义（JSON 对象）"); }
            catch (System.Text.Json.JsonException ex) { throw new InputException(file.FileName, $"文件“{file.FileName}”不是有效的 JSON：{ex.Message}"); }
            var (saved, _) = await designer.SaveAsync(model, false, request.HttpContext.RequestAborted);
            imported.Add(saved.DefinitionId!);
        }
        return TypedResults.Ok(new { count = imported.Count, importedCount = imported.Count, definitionIds = imported });
    }

    private static async Task<JsonObject> ModelAsync(WorkflowDefinition d, HttpContext http, StudioDesigner designer)
    {
        var created = await designer.CreatedAtAsync([d.Id!], http.RequestAborted);
        return StudioDesigner.Model(d, created.TryGetValue(d.Id!, out var at) ? at : null, StudioApi.CanDesign(http));
    }

    // Studio shows each message of a problem's errors to its user; the path is in the message, since the key is not shown.
    private static IResult Refusal(PublishRefusedException ex) => TypedResults.ValidationProblem(
        ex.Problems.GroupBy(p => p.Path).ToDictionary(g => g.Key, g => g.Select(p => $"无法发布：{p.Path}：{p.Message}").ToArray()),
        title: $"流程定义有 {ex.Problems.Count} 处问题，未发布",
        detail: string.Join("; ", ex.Problems.Select(p => $"{p.Path}: {p.Message}")));
}
