using System.Text.Json;
using GovFlow.Activities.Calendar;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Tasks;
using GovFlow.Host.Api.Contracts;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Api;

/// <summary>The inbox: tasks with their lights and actions, counts per light, claim, release and complete.</summary>
public static class TaskEndpoints
{
    /// <summary>Maps /api/tasks.</summary>
    public static void MapTasks(this IEndpointRouteBuilder app)
    {
        var tasks = app.MapGroup("/api/tasks").WithTags("Tasks").RequireAuthorization(p => p.RequireRole(Roles.Window, Roles.Reviewer, Roles.Auditor));
        tasks.MapGet("/", List);
        tasks.MapGet("/counts", Counts);
        tasks.MapPost("/{id}/claim", Claim);
        tasks.MapPost("/{id}/unclaim", Unclaim);
        tasks.MapPost("/{id}/reassign", Reassign);
        tasks.MapPost("/{id}/complete", Complete).WithMetadata(FormDataLimited.Instance);
    }

    private static async Task<Ok<TaskPage>> List(string? scope, string? matter, string? warning, string? step, string? status, int? page, int? pageSize, HttpContext http, GovFlowDb db, WorkingCalendar calendar, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var lights = WarningLights.At(calendar, now);
        var query = Inbox(db, Caller.From(http.User), scope, matter, step, status, warning, lights);
        var (p, size) = CaseEndpoints.Paging(page, pageSize);
        // One row more than a page says whether there is a next page without counting the whole inbox.
        // 绿色通道 first, then by due: on the server, so a priority task on a later page is never hidden behind ordinary ones.
        var rows = await query.OrderBy(t => t.Priority == null).ThenBy(t => t.DueAt).Skip((p - 1) * size).Take(size + 1).ToListAsync();
        var items = rows.Take(size).ToList();
        var actions = await OfferedActions.OfTasksAsync(db, items, http.RequestAborted);
        return TypedResults.Ok(new TaskPage(items.Select(t => View(t, actions.GetValueOrDefault(t.Id) ?? [], calendar, lights)).ToList(), p, size, rows.Count > size));
    }

    private static async Task<Ok<TaskCounts>> Counts(string? scope, string? matter, string? step, string? status, HttpContext http, GovFlowDb db, WorkingCalendar calendar, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var lights = WarningLights.At(calendar, now);
        var query = Inbox(db, Caller.From(http.User), scope, matter, step, status, null, lights);
        var red = await lights.Showing(query, "red").CountAsync();
        var yellow = await lights.Showing(query, "yellow").CountAsync();
        var total = await query.CountAsync();
        return TypedResults.Ok(new TaskCounts(total, total - red - yellow, yellow, red));
    }

    private static async Task<Ok<TaskClaim>> Claim(string id, HttpContext http, GovFlowDb db, CaseService service)
    {
        await Actionable(db, Caller.From(http.User), id);
        var t = await service.ClaimAsync(id, Caller.From(http.User).UserName, http.RequestAborted);
        return TypedResults.Ok(new TaskClaim(t.Id, t.Status, t.Assignee));
    }

    private static async Task<Ok<TaskClaim>> Unclaim(string id, HttpContext http, GovFlowDb db, CaseService service)
    {
        await Actionable(db, Caller.From(http.User), id);
        var caller = Caller.From(http.User);
        var t = await service.UnclaimAsync(id, caller.UserName, caller.IsHead, http.RequestAborted);
        return TypedResults.Ok(new TaskClaim(t.Id, t.Status, t.Assignee));
    }

    private static async Task<Ok<TaskClaim>> Reassign(string id, TaskReassignment body, HttpContext http, GovFlowDb db, CaseService service)
    {
        var caller = Caller.From(http.User);
        await Actionable(db, caller, id);
        if (!caller.IsHead) throw new ForbiddenException();
        if (string.IsNullOrWhiteSpace(body.Assignee)) throw new InputException("assignee", "请选择改派给谁");
        var t = await service.ReassignAsync(id, body.Assignee, http.RequestAborted);
        return TypedResults.Ok(new TaskClaim(t.Id, t.Status, t.Assignee));
    }

    private static async Task<Ok<TaskCompleted>> Complete(string id, TaskAction body, HttpContext http, GovFlowDb db, CaseService service)
    {
        await Actionable(db, Caller.From(http.User), id);
        var result = await service.CompleteAsync(id, body, Caller.From(http.User).UserName, http.RequestAborted);
        return TypedResults.Ok(result.Deserialize<TaskCompleted>(JsonSerializerOptions.Web)!);
    }

    private static IQueryable<TaskRecord> Inbox(GovFlowDb db, Caller caller, string? scope, string? matter, string? step, string? status, string? warning, WarningLights lights)
    {
        scope ??= "department";
        if (scope is not ("mine" or "department" or "all")) throw new InputException("scope", "范围只能是 mine（我的）、department（本部门）或 all（全部）");
        if (scope == "all" && !caller.Has(Roles.Auditor)) throw new ForbiddenException();
        var query = db.Tasks.Where(t => t.Status == TaskStatuses.Open || t.Status == TaskStatuses.Claimed);
        query = scope switch
        {
            "mine" => query.Where(t => t.Assignee == caller.UserName),
            "department" => query.Where(t => t.Department == caller.Department),
            _ => query
        };
        if (!string.IsNullOrWhiteSpace(matter)) query = query.Where(t => t.MatterCode == matter);
        if (!string.IsNullOrWhiteSpace(step)) query = query.Where(t => t.StepName == step);
        query = status switch
        {
            null or "" => query,
            "claimed" => query.Where(t => t.Status == TaskStatuses.Claimed),
            "unclaimed" => query.Where(t => t.Status == TaskStatuses.Open),
            _ => throw new InputException("status", "状态只能是 claimed（已签收）或 unclaimed（未签收）")
        };
        return string.IsNullOrEmpty(warning) ? query : lights.Showing(query, warning);
    }

    private static async Task Actionable(GovFlowDb db, Caller caller, string taskId)
    {
        var task = await db.Tasks.FindAsync(taskId) ?? throw new NotFoundException("没有这项待办");
        if (caller.Role is not (Roles.Window or Roles.Reviewer) || task.Department != caller.Department) throw new ForbiddenException();
    }

    private static TaskView View(TaskRecord t, IReadOnlyList<OfferedAction> actions, WorkingCalendar calendar, WarningLights lights)
    {
        int? left = null;
        try { left = t.DueAt is { } due ? calendar.WorkingDaysBetween(ChinaTime.Date(lights.Now), ChinaTime.Date(due)) : null; }
        catch (CalendarYearMissingException) { }
        var warning = lights.Of(t);
        return new TaskView(t.Id, t.CaseId, t.CaseNumber, t.MatterCode, t.MatterName, t.ApplicantName, t.StepName, t.Department, t.Assignee, t.Kind,
            t.DueAt, left, warning, t.Status, actions,
            ChinaTime.IsProvisional(calendar, t.CreatedAt, t.DueAt) || ChinaTime.IsProvisional(calendar, lights.Now, t.DueAt)) { Priority = t.Priority };
    }
}
