using GovFlow.Activities.Calendar;
using GovFlow.Activities.Cases;
using GovFlow.Host.Api.Contracts;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Api;

/// <summary>
/// 电子监察 for supervisors (all) and department heads (their department's): the red cards of overdue cases, and the
/// steps past their own limit.
/// </summary>
public static class SupervisionEndpoints
{
    /// <summary>Maps /api/supervision.</summary>
    public static void MapSupervision(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/supervision/red-cards", RedCardsOf).WithTags("Supervision").RequireAuthorization(p => p.RequireRole(Roles.Auditor, Roles.Reviewer, Roles.Window));
        app.MapGet("/api/supervision/step-overruns", StepOverrunsOf).WithTags("Supervision").RequireAuthorization(p => p.RequireRole(Roles.Auditor, Roles.Reviewer, Roles.Window));
    }

    // A step past its own limit is flagged whatever the case's light: a case in time can hide a step that is not.
    private static async Task<Results<Ok<List<StepOverrunView>>, ForbidHttpResult>> StepOverrunsOf(HttpContext http, GovFlowDb db, WorkingCalendar calendar, TimeProvider clock)
    {
        var caller = Caller.From(http.User);
        if (!caller.Has(Roles.Auditor) && !caller.IsHead) return TypedResults.Forbid();
        var now = clock.GetUtcNow();
        var tasks = db.Tasks.AsNoTracking().Where(t => (t.Status == TaskStatuses.Open || t.Status == TaskStatuses.Claimed) && t.DueAt < now);
        if (!caller.Has(Roles.Auditor)) tasks = tasks.Where(t => t.Department == caller.Department);
        var rows = await tasks.OrderBy(t => t.DueAt).Take(200)
            .Join(db.Cases.AsNoTracking(), t => t.CaseId, c => c.Id, (t, c) => new { Task = t, Case = c }).ToListAsync();
        var lights = WarningLights.At(calendar, now);
        return TypedResults.Ok(rows.Select(r => new StepOverrunView(r.Task.Id, r.Case.Id, r.Case.CaseNumber, r.Case.MatterName, r.Task.StepName, r.Task.Department,
            r.Task.Assignee, r.Task.DueAt!.Value, WorkingDaysOver(calendar, r.Task.DueAt.Value, now), lights.Of(r.Case))).ToList());
    }

    private static int? WorkingDaysOver(WorkingCalendar calendar, DateTimeOffset due, DateTimeOffset now)
    {
        try { return calendar.WorkingDaysBetween(ChinaTime.Date(due), ChinaTime.Date(now)); }
        catch (CalendarYearMissingException) { return null; }
    }

    private static async Task<Results<Ok<List<RedCardView>>, ForbidHttpResult>> RedCardsOf(HttpContext http, GovFlowDb db)
    {
        var caller = Caller.From(http.User);
        if (!caller.Has(Roles.Auditor) && !caller.IsHead) return TypedResults.Forbid();
        var cards = db.RedCards.AsNoTracking();
        if (!caller.Has(Roles.Auditor)) cards = cards.Where(c => c.Department == caller.Department);
        var rows = await cards.OrderByDescending(c => c.IssuedAt).Take(200).ToListAsync();
        return TypedResults.Ok(rows.Select(c => new RedCardView(c.CaseId, c.CaseNumber, c.MatterName, c.Department, c.PromisedDue, c.IssuedAt)).ToList());
    }
}
