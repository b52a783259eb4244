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
        var rows = await PriorityFirstAsync(query, (p - 1) * size, size + 1);
        var items = rows.Take(size).ToList();
        var actions = await OfferedActions.OfTasksAsync(db, items, http.RequestAborted);
        return TypedResults.Ok(new TaskPage(items.Select(t => View(t, actions.GetValueOrDefault(t.Id) ?? [], calendar, lights)).ToList(), p, size, rows.Count > size));
    }

    // Sums the tally rows kept as the steps commit (InboxTallies) rather than counting the tasks: a department's
    // tasks are a few rows per due day, whatever their number. The lights come from the same rule as a task's.
    private static async Task<Ok<TaskCounts>> Counts(string? scope, string? matter, string? step, string? status, HttpContext http, GovFlowDb db, WorkingCalendar calendar, TimeProvider clock)
    {
        var lights = WarningLights.At(calendar, clock.GetUtcNow());
        var caller = Caller.From(http.User);
        scope = Scope(caller, scope);
        var tallies = db.TaskTallies.AsQueryable();
        tallies = scope switch
        {
            "mine" => tallies.Where(t => t.Assignee == caller.UserName),
            "department" => tallies.Where(t => t.Department == caller.Department),
            _ => tallies
        };
        if (!string.IsNullOrWhiteSpace(matter)) tallies = tallies.Where(t => t.MatterCode == matter);
        if (!string.IsNullOrWhiteSpace(step)) tallies = tallies.Where(t => t.StepName == step);
        var open = Statuses(status);
        if (open is [var only]) tallies = tallies.Where(t => t.Status == only);
        var moments = await tallies.GroupBy(t => new { t.DueAt, t.YellowFrom })
            .Select(g => new { g.Key.DueAt, g.Key.YellowFrom, Count = g.Sum(t => t.Count) }).ToListAsync(http.RequestAborted);
        int green = 0, yellow = 0, red = 0;
        foreach (var m in moments)
            switch (lights.OfTask(m.DueAt, m.YellowFrom))
            {
                case "red": red += m.Count; break;
                case "yellow": yellow += m.Count; break;
                default: green += m.Count; break;
            }
        return TypedResults.Ok(new TaskCounts(green + yellow + red, green, yellow, red));
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

    /// <summary>
    /// 绿色通道 first, then by due, on the server, so a priority task on a later page is never hidden behind ordinary ones.
    /// Two reads rather than one ORDER BY on "has a priority": that expression no index serves, so the database sorted a
    /// whole department's open tasks (seconds at 1,000,000) for every page; each read here walks an index in due order.
    /// </summary>
    private static async Task<List<TaskRecord>> PriorityFirstAsync(IQueryable<TaskRecord> query, int skip, int take)
    {
        var rows = await PriorityTasks(query).Skip(skip).Take(take).ToListAsync();
        if (rows.Count == take) return rows;
        // Where the priority tasks end: on this page, or (a later page than theirs) counted, which their index keeps small.
        var before = rows.Count > 0 || skip == 0 ? skip + rows.Count : await PriorityTasks(query).CountAsync();
        rows.AddRange(await OrdinaryTasks(query).Skip(Math.Max(0, skip - before)).Take(take - rows.Count).ToListAsync());
        return rows;
    }

    /// <summary>
    /// The 绿色通道 tasks of an inbox in page order. A range (Priority &gt; '') rather than IS NOT NULL: for a range
    /// SQLite walks the priority index; for IS NOT NULL it took the due-date index and filtered a department's every
    /// task (0.35 s a page at 200,000).
    /// </summary>
    internal static IQueryable<TaskRecord> PriorityTasks(IQueryable<TaskRecord> inbox) =>
        inbox.Where(t => string.Compare(t.Priority, "") > 0).OrderBy(t => t.DueAt).ThenBy(t => t.Id);

    /// <summary>The other tasks of an inbox in page order, walked along the priority index's null range to the page's end.</summary>
    internal static IQueryable<TaskRecord> OrdinaryTasks(IQueryable<TaskRecord> inbox) =>
        inbox.Where(t => t.Priority == null).OrderBy(t => t.DueAt).ThenBy(t => t.Id);

    /// <summary>The open tasks the caller's inbox lists, filtered as asked (unordered: see <see cref="PriorityTasks"/>).</summary>
    internal static IQueryable<TaskRecord> Inbox(GovFlowDb db, Caller caller, string? scope, string? matter, string? step, string? status, string? warning, WarningLights lights)
    {
        scope = Scope(caller, scope);
        var query = db.Tasks.Where(t => t.Status == TaskStatuses.Open || t.Status == TaskStatuses.Claimed);
        query = scope switch
        {
            "mine" => query.Where(t => t.Assignee == caller.UserName),
            "department" => query.Where(t => t.Department == caller.Department),
            _ => query
        };
        if (!string.IsNullOrWhiteSpace(matter)) query = query.Where(t => t.MatterCode == matter);
        if (!string.IsNullOrWhiteSpace(step)) query = query.Where(t => t.StepName == step);
        var open = Statuses(status);
        if (open is [var only]) query = query.Where(t => t.Status == only);
        return string.IsNullOrEmpty(warning) ? query : lights.Showing(query, warning);
    }

    // The inbox's scope, checked against the caller: the list and the counts answer the same question.
    private static string Scope(Caller caller, string? scope)
    {
        scope ??= "department";
        if (scope is not ("mine" or "department" or "all")) throw new InputException("scope", "范围只能是 mine（我的）、department（本部门）或 all（全部）");
        if (scope == "all" && !caller.Has(Roles.Auditor)) throw new ForbiddenException();
        return scope;
    }

    // The task statuses a status filter shows: both open ones without a filter.
    private static string[] Statuses(string? status) => status switch
    {
        null or "" => [TaskStatuses.Open, TaskStatuses.Claimed],
        "claimed" => [TaskStatuses.Claimed],
        "unclaimed" => [TaskStatuses.Open],
        _ => throw new InputException("status", "状态只能是 claimed（已签收）或 unclaimed（未签收）")
    };

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
