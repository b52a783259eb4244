using GovFlow.Workflows.Runtime;
using GovFlow.Host.Api.Contracts;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Api;

/// <summary>The exceptions list (异常办件): faulted steps with their error, and the retry that runs them again.</summary>
public static class IncidentEndpoints
{
    /// <summary>Maps /api/incidents.</summary>
    public static void MapIncidents(this IEndpointRouteBuilder app)
    {
        var incidents = app.MapGroup("/api/incidents").WithTags("Incidents").RequireAuthorization(p => p.RequireRole(Roles.Auditor));
        incidents.MapGet("/", List);
        incidents.MapPost("/{id}/retry", Retry);
    }

    private static async Task<Ok<List<IncidentView>>> List(string? status, GovFlowDb db, InMemoryWorkflowDefinitionStore definitions)
    {
        var wanted = string.IsNullOrEmpty(status) ? IncidentStatuses.Open : status;
        if (wanted is not (IncidentStatuses.Open or IncidentStatuses.Resolved)) throw new InputException("status", "状态只能是 Open（待处理）或 Resolved（已重试）");
        var rows = await db.Incidents.AsNoTracking().Where(i => i.Status == wanted).OrderByDescending(i => i.OccurredAt).Take(200).ToListAsync();
        return TypedResults.Ok(await ViewsAsync(rows, db, definitions));
    }

    private static async Task<Ok<IncidentRetried>> Retry(string id, HttpContext http, GovFlowDb db, CaseService service, InMemoryWorkflowDefinitionStore definitions)
    {
        var incident = await service.RetryAsync(id, Caller.From(http.User).UserName, http.RequestAborted);
        var status = await db.Cases.AsNoTracking().Where(c => c.Id == incident.CaseId).Select(c => c.Status).FirstOrDefaultAsync();
        return TypedResults.Ok(new IncidentRetried((await ViewsAsync([incident], db, definitions))[0], status));
    }

    /// <summary>
    /// Incidents as the API shows them. A supervisor knows a step by its name, not its id in the flow: the name is read
    /// from the definition version the case runs on (a faulted step may never have run, so its journal may not name it).
    /// </summary>
    public static async Task<List<IncidentView>> ViewsAsync(IReadOnlyCollection<IncidentRecord> rows, GovFlowDb db, InMemoryWorkflowDefinitionStore definitions, CancellationToken cancellationToken = default)
    {
        if (rows.Count == 0) return [];
        var instanceIds = rows.Select(i => i.InstanceId).Distinct().ToList();
        var versions = await db.Instances.AsNoTracking().Where(x => instanceIds.Contains(x.Id))
            .Select(x => new { x.Id, x.DefinitionVersionId }).ToDictionaryAsync(x => x.Id, x => x.DefinitionVersionId, cancellationToken);
        string? StepName(IncidentRecord i) => versions.TryGetValue(i.InstanceId, out var version) ? definitions.ActivityName(version, i.ActivityId) : null;
        return [.. rows.Select(i => new IncidentView(
            i.Id, i.CaseId, i.CaseNumber, i.ActivityId, i.ActivityType, PersonalData.MaskText(i.Message), i.Actor, i.OccurredAt, i.Attempts, i.Status, i.ResolvedBy, i.ResolvedAt,
            StepName(i)))];
    }
}
