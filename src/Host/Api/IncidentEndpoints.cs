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

    private static async Task<Ok<List<IncidentView>>> List(string? status, GovFlowDb db)
    {
        var wanted = string.IsNullOrEmpty(status) ? IncidentStatuses.Open : status;
        if (wanted is not (IncidentStatuses.Open or IncidentStatuses.Resolved)) throw new InputException("status", "状态只能是 Open（待处理）或 Resolved（已重试）");
        var rows = await db.Incidents.AsNoTracking().Where(i => i.Status == wanted).OrderByDescending(i => i.OccurredAt).Take(200).ToListAsync();
        return TypedResults.Ok(rows.Select(View).ToList());
    }

    private static async Task<Ok<IncidentRetried>> Retry(string id, HttpContext http, GovFlowDb db, CaseService service)
    {
        var incident = await service.RetryAsync(id, Caller.From(http.User).UserName, http.RequestAborted);
        var status = await db.Cases.AsNoTracking().Where(c => c.Id == incident.CaseId).Select(c => c.Status).FirstOrDefaultAsync();
        return TypedResults.Ok(new IncidentRetried(View(incident), status));
    }

    /// <summary>An incident as the API shows it.</summary>
    public static IncidentView View(IncidentRecord i) => new(
        i.Id, i.CaseId, i.CaseNumber, i.ActivityId, i.ActivityType, i.Message, i.Actor, i.OccurredAt, i.Attempts, i.Status, i.ResolvedBy, i.ResolvedAt);
}
