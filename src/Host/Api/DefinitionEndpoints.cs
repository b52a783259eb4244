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

    private static Ok<IEnumerable<DefinitionVersionView>> Versions(string definitionId, InMemoryWorkflowDefinitionStore store) =>
        store.VersionsOf(definitionId) is { Count: > 0 } versions
            ? TypedResults.Ok(versions.Select(v => new DefinitionVersionView(v.Id, v.Version, v.IsPublished, v.IsLatest, v.Name)))
            : throw new NotFoundException($"没有流程定义“{definitionId}”");

    // The Elsa JSON as GovFlow writes it (the file Elsa Studio imports), hence text rather than a re-serialized object.
    private static ContentHttpResult Export(string definitionId, int? version, InMemoryWorkflowDefinitionStore store)
    {
        var d = (version is { } v ? store.Find(definitionId, v) : store.Find(definitionId, VersionSelector.PublishedOrLatest))
                ?? throw new NotFoundException($"没有流程定义“{definitionId}”{(version is null ? "" : $"的第 {version} 版")}");
        return TypedResults.Text(WorkflowJson.Write(d), "application/json", System.Text.Encoding.UTF8);
    }

    // The body is read raw: the Elsa reader accepts what a JSON binder would not (a BOM, legacy shapes) and names the
    // JSON path of a problem. It is read only up to the size limit, so an oversized file costs no more than that.
    private static async Task<Results<Created<DefinitionDraft>, ValidationProblem>> Import(HttpRequest request, GovFlowDb db, InMemoryWorkflowDefinitionStore store, ActivityRegistry registry, Workflows.Expressions.ExpressionEvaluators evaluators, TimeProvider clock, DefinitionLimits limits)
    {
        var definition = await ReadRawAsync(request, limits, "import.json");
        var problems = new MatterValidator(new WorkflowCompiler(registry, evaluators, store)).Validate(definition, "import.json");
        if (problems.Count > 0)
            return TypedResults.ValidationProblem(problems.GroupBy(p => p.Path).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()),
                title: $"流程定义有 {problems.Count} 处问题", detail: string.Join("; ", problems.Select(p => $"{p.Path}: {p.Message}")));
        var saved = store.SaveDraft(definition);
        await DefinitionVersions.StageAsync(db, saved, clock);
        await db.CommitAsync();
        return TypedResults.Created($"/api/definitions/{saved.DefinitionId}/versions", new DefinitionDraft(saved.DefinitionId, saved.Id, saved.Version, saved.IsPublished));
    }

    /// <summary>Reads a definition from a raw request body, refusing what is too large, not UTF-8 or not a definition.</summary>
    /// <exception cref="PayloadTooLargeException">The body is over <see cref="DefinitionLimits.MaxBytes"/>.</exception>
    /// <exception cref="InputException">The body is not UTF-8 or not a readable definition; names the JSON path.</exception>
    internal static async Task<WorkflowDefinition> ReadRawAsync(HttpRequest request, DefinitionLimits limits, string source)
    {
        if (request.ContentLength > limits.MaxBytes) throw TooLarge(limits);
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limits.MaxBytes) throw TooLarge(limits);
            buffer.Write(chunk, 0, read);
        }
        // The JSON reader checks UTF-8 only where it reads a string, which would fail later as a server error.
        if (!System.Text.Unicode.Utf8.IsValid(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)))
            throw new InputException("body", "导入的文件不是有效的 UTF-8 文本");
        try { return WorkflowJson.Read(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), source, limits); }
        catch (DefinitionLimitExceededException ex) when (ex.Limit == nameof(DefinitionLimits.MaxBytes)) { throw TooLarge(limits); }
        catch (DefinitionLimitExceededException ex) { throw new InputException($"GovFlow:Definitions:{ex.Limit}", ex.Problem); }
        catch (WorkflowFormatException ex) { throw new InputException(ex.JsonPath, ex.Problem); }
    }

    private static PayloadTooLargeException TooLarge(DefinitionLimits limits) =>
        new("GovFlow:Definitions:MaxBytes", $"流程定义超过 {limits.MaxBytes / 1024.0 / 1024.0:0.##} MB 上限（{limits.MaxBytes} 字节，GovFlow:Definitions:MaxBytes）");

    private static async Task<Ok<DefinitionPublished>> Publish(string definitionId, int? version, GovFlowDb db, InMemoryWorkflowDefinitionStore store, MatterCatalog catalog, WorkflowCompiler compiler, TimeProvider clock)
    {
        // Checked again with this server's settings: a version imported while C# was allowed must not go live after it was turned off.
        if ((version is { } wanted ? store.Find(definitionId, wanted) : store.VersionsOf(definitionId).LastOrDefault()) is { } target
            && compiler.CompileLenient(target).Problems.FirstOrDefault(p => p.IsError) is { } problem)
            throw new InputException(problem.Path, $"第 {target.Version} 版无法发布：{problem.Message}");
        WorkflowDefinition published;
        try { published = store.Publish(definitionId, version); }
        catch (KeyNotFoundException ex) { throw new NotFoundException(ex.Message); }
        foreach (var v in store.VersionsOf(definitionId)) await DefinitionVersions.StageAsync(db, v, clock);
        await db.CommitAsync();
        if (DefinitionVersions.SafeMatter(published) is { } matter) catalog.Publish(new CatalogEntry($"{definitionId}.json", published, matter));
        return TypedResults.Ok(new DefinitionPublished(published.DefinitionId, published.Id, published.Version));
    }

    private static async Task<Ok<DefinitionRetracted>> Retract(string definitionId, GovFlowDb db, InMemoryWorkflowDefinitionStore store, MatterCatalog catalog, TimeProvider clock)
    {
        if (store.VersionsOf(definitionId).Count == 0) throw new NotFoundException($"没有流程定义“{definitionId}”");
        store.Retract(definitionId);
        catalog.Withdraw(definitionId);
        foreach (var v in store.VersionsOf(definitionId)) await DefinitionVersions.StageAsync(db, v, clock);
        await db.CommitAsync();
        return TypedResults.Ok(new DefinitionRetracted(definitionId, null));
    }
}
