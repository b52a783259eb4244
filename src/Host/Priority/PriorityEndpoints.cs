using GovFlow.Host.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GovFlow.Host.Priority;

/// <summary>The priority register over HTTP: policy staff mark, extend and revoke; auditors read.</summary>
public static class PriorityEndpoints
{
    /// <summary>Maps /api/priority-applicants.</summary>
    public static void MapPriority(this IEndpointRouteBuilder app)
    {
        var register = app.MapGroup("/api/priority-applicants").WithTags("Priority").RequireAuthorization(p => p.RequireRole(Roles.Policy, Roles.Auditor));
        register.MapGet("/", List);
        register.MapPost("/", Mark).RequireAuthorization(p => p.RequireRole(Roles.Policy));
        register.MapPut("/{id}", Change).RequireAuthorization(p => p.RequireRole(Roles.Policy));
        register.MapPost("/{id}/revoke", Revoke).RequireAuthorization(p => p.RequireRole(Roles.Policy));
    }

    private static async Task<Ok<List<PriorityApplicantView>>> List(bool? all, PriorityRegister register, CancellationToken cancellationToken) =>
        TypedResults.Ok(await register.ListAsync(all == true, cancellationToken));

    private static async Task<Created<PriorityApplicantView>> Mark(PriorityApplicantInput body, HttpContext http, PriorityRegister register)
    {
        var row = await register.MarkAsync(body, Caller.From(http.User).UserName, http.RequestAborted);
        return TypedResults.Created($"/api/priority-applicants/{row.Id}", row);
    }

    private static async Task<Ok<PriorityApplicantView>> Change(string id, PriorityApplicantChange body, HttpContext http, PriorityRegister register) =>
        TypedResults.Ok(await register.ChangeAsync(id, body, Caller.From(http.User).UserName, http.RequestAborted));

    private static async Task<Ok<PriorityApplicantView>> Revoke(string id, HttpContext http, PriorityRegister register) =>
        TypedResults.Ok(await register.RevokeAsync(id, Caller.From(http.User).UserName, http.RequestAborted));
}
