using System.Text.Json;
using System.Text.Json.Nodes;
using GovFlow.Activities.Matters;
using GovFlow.Activities.Supervision;
using GovFlow.Host.Api.Contracts;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using GovFlow.Host.Simulators;
using GovFlow.Workflows.Runtime;
using GovFlow.Workflows.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Api;

/// <summary>
/// What GovFlow's own designer asks as policy staff type: the validator's problems for a definition being edited
/// (each at its matter field or flow node), and the lists the matter editor picks from.
/// </summary>
public static class DesignerEndpoints
{
    /// <summary>Maps <c>POST /api/definitions/validate</c> and <c>GET /api/designer/lookups</c>.</summary>
    public static void MapDesigner(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/definitions/validate", Validate).WithTags("Definitions")
            .RequireAuthorization(p => p.RequireRole(Roles.Policy))
            .Accepts<JsonObject>("application/json").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        app.MapGet("/api/designer/lookups", Lookups).WithTags("Designer").RequireAuthorization(p => p.RequireRole(Roles.Policy));
        app.MapPost("/api/definitions/drafts", SaveDraft).WithTags("Definitions")
            .RequireAuthorization(p => p.RequireRole(Roles.Policy))
            .Accepts<JsonObject>("application/json").ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
    }

    // A draft is work in progress: it is kept with its problems (the designer shows them; publishing refuses them),
    // as long as it reads as a definition and says whose it is. A new matter is named by its code and may not take
    // over another definition; a new version names the definition it belongs to.
    private static async Task<Ok<DesignerDraft>> SaveDraft(HttpRequest request, GovFlowDb db, InMemoryWorkflowDefinitionStore store, MatterValidator validator, TimeProvider clock, DefinitionLimits limits)
    {
        var definition = await DefinitionEndpoints.ReadRawAsync(request, limits, "designer.json");
        var matter = DefinitionVersions.SafeMatter(definition);
        if (definition.Id is null)
        {
            if (matter is not { Code.Length: > 0 }) throw new InputException("code", "请先填写事项的基本编码：新事项以它命名");
            definition.DefinitionId ??= matter.Code;
            if (store.VersionsOf(definition.DefinitionId) is { Count: > 0 } taken)
                throw new ConflictException($"编码 {definition.DefinitionId} 已由“{taken[^1].Name}”使用，请换一个事项编码，或在事项目录中编辑那个事项");
        }
        else if (definition.DefinitionId is null || store.FindVersion(definition.Id)?.DefinitionId != definition.DefinitionId)
            throw new ConflictException("这份草稿所属的流程定义已不存在或已改名，请重新打开事项再修改");
        var saved = store.SaveDraft(definition);
        await DefinitionVersions.StageAsync(db, saved, clock, Caller.From(request.HttpContext.User).UserName);
        await db.CommitAsync();
        var problems = validator.Validate(saved, "designer.json").Count;
        return TypedResults.Ok(new DesignerDraft(saved.DefinitionId!, saved.Id!, saved.Version, problems));
    }

    // Read raw like an import (same size and UTF-8 limits, same reader), so what validates here imports there.
    private static async Task<Ok<DefinitionCheck>> Validate(HttpRequest request, MatterValidator validator, MatterCatalog catalog, DefinitionLimits limits)
    {
        var definition = await DefinitionEndpoints.ReadRawAsync(request, limits, "designer.json");
        var problems = validator.Validate(definition, "designer.json")
            .Select(p => new DefinitionProblem(p.Path, p.Field, p.ActivityId, p.Message)).ToList();
        // Publishing refuses a code another definition's matter has; saying so while typing saves a refused publish.
        if (DefinitionVersions.SafeMatter(definition) is { Code.Length: > 0 } matter && catalog.Find(matter.Code) is { } other
            && other.Definition.DefinitionId != definition.DefinitionId)
            problems.Add(new($"$.customProperties['{MatterJson.PropertyName}'].code", "code", null,
                $"事项编码 {matter.Code} 已由事项“{other.Matter.Name}”使用，请换一个编码"));
        return TypedResults.Ok(new DefinitionCheck(problems));
    }

    private static async Task<Ok<DesignerLookups>> Lookups(GovFlowDb db, MatterCatalog catalog, Workflows.Expressions.ExpressionEvaluators evaluators, HttpContext http)
    {
        var registered = (await db.Departments.AsNoTracking().Where(d => d.Active).ToListAsync(http.RequestAborted))
            .Select(d => new DepartmentOption(d.Name, d.Uscc, d.IsHall ? "hall" : null));
        // The departments the published matters name come too, so a matter is edited with its own departments even
        // where the administrator has not registered them (yet).
        var named = catalog.Entries.Select(e => e.Matter).SelectMany(m =>
            m.JointDepartments.Select(j => new DepartmentOption(j.Name, j.Uscc, null))
                .Append(new DepartmentOption(m.Department, m.DepartmentUscc, null))
                .Concat(m.Steps.Where(s => s.Department is { Length: > 0 }).Select(s => new DepartmentOption(s.Department!, null, null)))
                .Concat((m.Parallel?.Members ?? []).Append(m.Parallel?.Lead ?? "").Select(d => new DepartmentOption(d, null, null))));
        var departments = registered.Concat(named).Where(d => !string.IsNullOrWhiteSpace(d.Name))
            .GroupBy(d => d.Name).Select(g => g.First() with { Uscc = g.Select(d => d.Uscc).FirstOrDefault(u => u != null) })
            .OrderBy(d => d.Name, StringComparer.Ordinal).ToList();
        var certificates = CertificateTypes(catalog);
        var fields = MatterCaseFields.For(catalog.Entries.Select(e => e.Matter), certificates.Select(c => (c.Code, c.Name)))
            .Select(f => new CaseField(f.Name, f.Label, f.Type)).ToList();
        return TypedResults.Ok(new DesignerLookups(
            departments, certificates, fields,
            new MatterCodeTables(MatterCodes.Types, MatterCodes.Levels, MatterCodes.ServiceObjects, MatterCodes.HandlingForms, MatterCodes.CaseTypes),
            [new(nameof(TimeUnit.WD), "工作日"), new(nameof(TimeUnit.ND), "自然日"), new(nameof(TimeUnit.WH), "工作小时")],
            // The posts whose inboxes hold a step's task.
            [new(Roles.Window, Roles.Names[Roles.Window]), new(Roles.Reviewer, Roles.Names[Roles.Reviewer])],
            (JsonObject)JsonSerializer.SerializeToNode(new ServiceMatter(), MatterJson.Options)!,
            // C# only where the operator turned it on: the designer offers what this host will run.
            evaluators.Options.CSharp.Enabled ? ["Literal", "JavaScript", "Liquid", "CSharp"] : ["Literal", "JavaScript", "Liquid"]));
    }

    // The certificate library's types, and the ones the catalog's matters name (a result they issue, a material a
    // certificate replaces) under the name the matter gives it when the library does not know the code.
    private static List<CodeName> CertificateTypes(MatterCatalog catalog)
    {
        var types = new SortedDictionary<string, string>(SimulatedWorld.CertificateTypeNames.ToDictionary(), StringComparer.Ordinal);
        foreach (var m in catalog.Entries.Select(e => e.Matter))
        {
            if (m.Result is { CertificateType.Length: > 0 } r) types.TryAdd(r.CertificateType, r.Name);
            foreach (var x in m.Materials.Where(x => x.CertificateType is { Length: > 0 })) types.TryAdd(x.CertificateType!, x.Name);
        }
        return types.Select(t => new CodeName(t.Key, t.Value)).ToList();
    }
}
