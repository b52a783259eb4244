using GovFlow.Host.Api.Contracts;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Api;

/// <summary>电子监察: the red cards of overdue cases, for supervisors (all) and department heads (their department's).</summary>
public static class SupervisionEndpoints
{
    /// <summary>Maps /api/supervision.</summary>
    public static void MapSupervision(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/supervision/red-cards", RedCardsOf).WithTags("Supervision").RequireAuthorization(p => p.RequireRole(Roles.Auditor, Roles.Reviewer, Roles.Window));

    private static async Task<Results<Ok<List<RedCardView>>, ForbidHttpResult>> RedCardsOf(HttpContext http, GovFlowDb db)
    {
        var caller = Caller.From(http.User);
        if (caller.Role != Roles.Auditor && !caller.IsHead) return TypedResults.Forbid();
        var cards = db.RedCards.AsNoTracking();
        if (caller.Role != Roles.Auditor) cards = cards.Where(c => c.Department == caller.Department);
        var rows = await cards.OrderByDescending(c => c.IssuedAt).Take(200).ToListAsync();
        return TypedResults.Ok(rows.Select(c => new RedCardView(c.CaseId, c.CaseNumber, c.MatterName, c.Department, c.PromisedDue, c.IssuedAt)).ToList());
    }
}
