using System.Text.Json.Nodes;
using GovFlow.Activities.Calendar;
using GovFlow.Activities.Cases;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using GovFlow.Workflows.Runtime;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Api;

/// <summary>Sign-in, cases, the inbox, and the journal with its verification and replay.</summary>
public static class CaseEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static void MapCaseApi(this IEndpointRouteBuilder app, bool demo)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Auth");
        auth.MapPost("/login", async (LoginRequest body, GovFlowDb db, HttpContext http) =>
        {
            if (string.IsNullOrWhiteSpace(body.UserName)) throw new InputException("userName", "the user name is required");
            if (string.IsNullOrEmpty(body.Password)) throw new InputException("password", "the password is required");
            var user = await db.Users.FindAsync(body.UserName.Trim());
            if (user is null || !Passwords.Verify(body.Password, user.PasswordHash))
                return Results.Problem("The user name or password is wrong.", statusCode: 401, title: "Sign-in failed");
            await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, Caller.Principal(user));
            return Results.Ok(Me(user));
        }).AllowAnonymous();
        auth.MapPost("/logout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.NoContent();
        }).AllowAnonymous();
        auth.MapGet("/me", async (HttpContext http, GovFlowDb db) =>
            await db.Users.FindAsync(Caller.From(http.User).UserName) is { } u ? Results.Ok(Me(u)) : Results.Unauthorized()).RequireAuthorization();
        if (demo)
            app.MapGet("/api/demo/users", (Simulators.SimulatedWorld world) => DemoUsers.All.Append(DemoUsers.Applicant(world))
                    .Select(u => new { u.UserName, password = DemoUsers.Password, u.Role, u.Department, u.DisplayName }))
                .AllowAnonymous().WithTags("Auth");

        var cases = app.MapGroup("/api/cases").WithTags("Cases").RequireAuthorization();
        cases.MapPost("/", async (CaseSubmission body, HttpContext http, CaseService service) =>
        {
            var result = await service.SubmitAsync(body, http.Request.Headers["Idempotency-Key"].FirstOrDefault(), Caller.From(http.User).UserName, http.RequestAborted);
            return Results.Created($"/api/cases/{result["caseId"]}", result);
        }).RequireAuthorization(p => p.RequireRole(Roles.Window));
        cases.MapGet("/{id}", async (string id, HttpContext http, GovFlowDb db) =>
        {
            var record = await Visible(db, Caller.From(http.User), id);
            var tasks = await db.Tasks.Where(t => t.CaseId == id && (t.Status == TaskStatuses.Open || t.Status == TaskStatuses.Claimed)).OrderBy(t => t.CreatedAt).ToListAsync();
            var waiting = await db.Bookmarks.Where(b => b.InstanceId == record.InstanceId).Select(b => new { b.Id, b.ActivityId, b.Name, b.PayloadJson }).ToListAsync();
            return Results.Ok(CaseView(record, tasks, waiting.Select(b => (b.Id, b.ActivityId, b.Name, b.PayloadJson)).ToList()));
        });
        cases.MapGet("/", async (string? matter, string? status, string? warning, string? q, int? page, int? pageSize, HttpContext http, GovFlowDb db) =>
        {
            var caller = Caller.From(http.User);
            if (caller.Role is Roles.Policy or Roles.Applicant) return Results.Forbid();
            var query = db.Cases.AsQueryable();
            if (caller.Role == Roles.Reviewer) query = query.Where(c => c.Department == caller.Department || db.Tasks.Any(t => t.CaseId == c.Id && t.Department == caller.Department));
            if (!string.IsNullOrWhiteSpace(matter)) query = query.Where(c => c.MatterCode == matter);
            if (!string.IsNullOrWhiteSpace(status)) query = query.Where(c => c.Status == status);
            if (!string.IsNullOrWhiteSpace(warning)) query = query.Where(c => c.WarningLevel == Capitalize(warning));
            if (!string.IsNullOrWhiteSpace(q)) query = query.Where(c => c.CaseNumber.Contains(q) || c.ApplicantName.Contains(q));
            var (p, size) = Paging(page, pageSize);
            var total = await query.CountAsync();
            var items = await query.OrderByDescending(c => c.ReceivedAt).Skip((p - 1) * size).Take(size).ToListAsync();
            return Results.Ok(new { items = items.Select(c => Summary(c)), total, page = p, pageSize = size });
        });
        cases.MapGet("/{id}/journal", async (string id, HttpContext http, GovFlowDb db) =>
        {
            var record = await Visible(db, Caller.From(http.User), id, auditOnly: true);
            var records = await db.Journal.Where(j => j.InstanceId == record.InstanceId).OrderBy(j => j.Sequence).ToListAsync();
            return Results.Ok(records.Select(JournalView));
        });
        cases.MapGet("/{id}/journal/verify", async (string id, HttpContext http, GovFlowDb db) =>
        {
            var record = await Visible(db, Caller.From(http.User), id, auditOnly: true);
            var records = await db.Journal.Where(j => j.InstanceId == record.InstanceId).OrderBy(j => j.Sequence).ToListAsync();
            var v = Journal.Verify(records.Select(r => r.ToRecord()).ToList());
            return Results.Ok(new { valid = v.Valid, entries = v.Entries, firstBrokenSequence = v.FirstBrokenSequence });
        });
        cases.MapGet("/{id}/replay", async (string id, long? upTo, HttpContext http, GovFlowDb db) =>
        {
            if (upTo is null or < 1) throw new InputException("upTo", "upTo is the journal sequence to replay to (1 or more)");
            var record = await Visible(db, Caller.From(http.User), id, auditOnly: true);
            var snapshot = await db.Snapshots.Where(s => s.CaseId == id && s.UpToSequence <= upTo).OrderByDescending(s => s.UpToSequence).FirstOrDefaultAsync();
            var records = await db.Journal.Where(j => j.InstanceId == record.InstanceId && j.Sequence <= upTo).OrderBy(j => j.Sequence).ToListAsync();
            if (records.Count == 0 || records[^1].Sequence < upTo) throw new InputException("upTo", $"the journal of case {record.CaseNumber} has {records.Count} records");
            return Results.Ok(new
            {
                upTo, status = snapshot?.Status ?? CaseStatus.Received, caseFile = JsonNode.Parse(snapshot?.CaseFileJson ?? "{}"),
                step = snapshot is null ? null : new { snapshot.UpToSequence, at = snapshot.At },
                last = JournalView(records[^1])
            });
        });

        // The window looks up an applicant's certificates before accepting, so replaceable materials tick themselves.
        app.MapGet("/api/certificates", async (string? holderCode, string? holderType, string? type, string? reason, HttpContext http, Activities.Services.ICertificateService certificates) =>
        {
            if (string.IsNullOrWhiteSpace(holderCode)) throw new InputException("holderCode", "the holder's ID number or credit code is required");
            if (string.IsNullOrWhiteSpace(type)) throw new InputException("type", "the certificate type code is required");
            if (string.IsNullOrWhiteSpace(reason) || reason.Length > 200) throw new InputException("reason", "a use reason (用证事由) of at most 200 characters is required");
            try
            {
                var found = await certificates.LookupAsync(new Activities.Services.CertificateQuery(holderCode.Trim().ToUpperInvariant(), holderType ?? "111", type, null, reason, null, Caller.From(http.User).UserName), null, http.RequestAborted);
                return Results.Ok(found);
            }
            catch (Activities.Services.ServiceUnavailableException ex)
            {
                return Results.Problem(ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "电子证照库暂不可用");
            }
        }).RequireAuthorization(p => p.RequireRole(Roles.Window)).WithTags("Certificates");

        var tasks = app.MapGroup("/api/tasks").WithTags("Tasks").RequireAuthorization(p => p.RequireRole(Roles.Window, Roles.Reviewer, Roles.Auditor));
        tasks.MapGet("/", async (string? scope, string? matter, string? warning, string? step, string? status, int? page, int? pageSize, HttpContext http, GovFlowDb db, WorkingCalendar calendar, TimeProvider clock) =>
        {
            var now = clock.GetUtcNow();
            var yellowUntil = YellowUntil(calendar, now);
            var query = Inbox(db, Caller.From(http.User), scope, matter, step, status, warning, now, yellowUntil);
            var (p, size) = Paging(page, pageSize);
            // One row more than a page says whether there is a next page without counting the whole inbox.
            var rows = await query.OrderBy(t => t.DueAt).Skip((p - 1) * size).Take(size + 1).ToListAsync();
            return Results.Ok(new { items = rows.Take(size).Select(t => TaskView(t, calendar, now, yellowUntil)), page = p, pageSize = size, hasMore = rows.Count > size });
        });
        tasks.MapGet("/counts", async (string? scope, string? matter, string? step, string? status, HttpContext http, GovFlowDb db, WorkingCalendar calendar, TimeProvider clock) =>
        {
            var now = clock.GetUtcNow();
            var yellowUntil = YellowUntil(calendar, now);
            var query = Inbox(db, Caller.From(http.User), scope, matter, step, status, null, now, yellowUntil);
            var red = await query.CountAsync(t => t.DueAt < now);
            var yellow = await query.CountAsync(t => t.DueAt >= now && t.DueAt <= yellowUntil);
            var total = await query.CountAsync();
            return Results.Ok(new { total, green = total - red - yellow, yellow, red });
        });
        tasks.MapPost("/{id}/claim", async (string id, HttpContext http, GovFlowDb db, CaseService service) =>
        {
            await Actionable(db, Caller.From(http.User), id);
            var t = await service.ClaimAsync(id, Caller.From(http.User).UserName, http.RequestAborted);
            return Results.Ok(new { taskId = t.Id, t.Status, t.Assignee });
        });
        tasks.MapPost("/{id}/unclaim", async (string id, HttpContext http, GovFlowDb db, CaseService service) =>
        {
            await Actionable(db, Caller.From(http.User), id);
            var t = await service.UnclaimAsync(id, Caller.From(http.User).UserName, http.RequestAborted);
            return Results.Ok(new { taskId = t.Id, t.Status, t.Assignee });
        });
        tasks.MapPost("/{id}/complete", async (string id, TaskAction body, HttpContext http, GovFlowDb db, CaseService service) =>
        {
            await Actionable(db, Caller.From(http.User), id);
            return Results.Ok(await service.CompleteAsync(id, body, Caller.From(http.User).UserName, http.RequestAborted));
        });
    }

    /// <summary>Sign-in request.</summary>
    public sealed record LoginRequest(string? UserName, string? Password);

    private static object Me(UserRecord u) => new { u.UserName, u.Role, u.Department, u.DisplayName };

    private static async Task<CaseRecord> Visible(GovFlowDb db, Caller caller, string id, bool auditOnly = false)
    {
        var record = await db.Cases.FindAsync(id) ?? throw new NotFoundException($"No case {id}.");
        var allowed = caller.Role switch
        {
            Roles.Auditor or Roles.Window => true,
            Roles.Reviewer => record.Department == caller.Department || await db.Tasks.AnyAsync(t => t.CaseId == id && t.Department == caller.Department),
            Roles.Applicant => !auditOnly && record.ApplicantIdNumber == caller.IdNumber,
            _ => false
        };
        // Another applicant's case does not exist as far as an applicant can tell.
        if (!allowed && caller.Role == Roles.Applicant) throw new NotFoundException($"No case {id}.");
        if (!allowed) throw new ForbiddenException();
        return record;
    }

    private static IQueryable<TaskRecord> Inbox(GovFlowDb db, Caller caller, string? scope, string? matter, string? step, string? status, string? warning, DateTimeOffset now, DateTimeOffset yellowUntil)
    {
        scope ??= "department";
        if (scope is not ("mine" or "department" or "all")) throw new InputException("scope", "scope is mine, department or all");
        if (scope == "all" && caller.Role != Roles.Auditor) throw new ForbiddenException();
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
            _ => throw new InputException("status", "status is claimed or unclaimed")
        };
        return warning switch
        {
            null or "" => query,
            "red" => query.Where(t => t.DueAt < now),
            "yellow" => query.Where(t => t.DueAt >= now && t.DueAt <= yellowUntil),
            "green" => query.Where(t => t.DueAt == null || t.DueAt > yellowUntil),
            _ => throw new InputException("warning", "warning is green, yellow or red")
        };
    }

    private static async Task Actionable(GovFlowDb db, Caller caller, string taskId)
    {
        var task = await db.Tasks.FindAsync(taskId) ?? throw new NotFoundException($"No task {taskId}.");
        if (caller.Role is not (Roles.Window or Roles.Reviewer) || task.Department != caller.Department) throw new ForbiddenException();
    }

    private static DateTimeOffset YellowUntil(WorkingCalendar calendar, DateTimeOffset now)
    {
        try { return ChinaTime.EndOfWorkingDays(calendar, now, 2); }
        catch (CalendarYearMissingException) { return now.AddDays(2); }
    }

    private static object TaskView(TaskRecord t, WorkingCalendar calendar, DateTimeOffset now, DateTimeOffset yellowUntil)
    {
        int? left = null;
        try { left = t.DueAt is { } due ? calendar.WorkingDaysBetween(ChinaTime.Date(now), ChinaTime.Date(due)) : null; }
        catch (CalendarYearMissingException) { }
        var warning = t.DueAt is null || t.DueAt > yellowUntil ? "green" : t.DueAt < now ? "red" : "yellow";
        return new
        {
            taskId = t.Id, t.CaseId, t.CaseNumber, t.MatterCode, t.MatterName, t.ApplicantName, t.StepName, t.Department, t.Assignee, t.Kind,
            dueAt = t.DueAt, workingDaysLeft = left, warning, status = t.Status
        };
    }

    private static object Summary(CaseRecord c) => new
    {
        caseId = c.Id, c.CaseNumber, c.MatterCode, c.MatterName, c.Department, c.ApplicantName, c.Channel, c.ReceivedAt, c.AcceptedAt,
        c.PromisedDue, c.StatutoryDue, c.CompletedAt, c.Status, warning = c.WarningLevel.ToLowerInvariant()
    };

    private static object CaseView(CaseRecord c, List<TaskRecord> open, List<(string Id, string ActivityId, string Name, string? PayloadJson)> waiting)
    {
        var byId = waiting.ToDictionary(w => w.Id);
        var file = JsonNode.Parse(c.CaseFileJson)!.AsObject();
        return new
        {
            caseId = c.Id, c.CaseNumber, c.MatterCode, c.MatterName, c.Department, c.Status, warning = c.WarningLevel.ToLowerInvariant(),
            applicant = new { name = c.ApplicantName, idType = c.ApplicantIdType, idNumber = c.ApplicantIdNumber, phone = c.ApplicantPhone, address = c.ApplicantAddress },
            c.Channel, c.ReceivedAt, c.AcceptedAt, c.PromisedDue, c.StatutoryDue, c.CompletedAt,
            currentSteps = open.Select(t => new
            {
                taskId = t.Id, t.StepName, t.Department, t.Role, t.Assignee, t.Status, t.DueAt, t.Kind,
                activityId = byId.GetValueOrDefault(t.Id).ActivityId,
                payload = byId.GetValueOrDefault(t.Id).PayloadJson is { } json ? JsonNode.Parse(json) : null
            }),
            // Where the flow waits now (people, timers, the outbox), for the diagram.
            positions = waiting.Select(w => new { w.ActivityId, kind = w.Name }).Distinct(),
            materials = file["checklist"], pauses = file["pauses"], steps = file["steps"], parallel = file["parallel"], tolerance = file["tolerance"],
            certificateUses = file["certificateUses"], waybill = file["waybill"], rating = file["rating"], result = file["result"], corrections = file["corrections"]
        };
    }

    private static object JournalView(JournalEntry e) => new
    {
        sequence = e.Sequence, timestamp = e.Timestamp, activityId = e.ActivityId, activityType = e.ActivityType, activityName = e.ActivityName,
        eventName = e.EventName, actor = e.Actor, message = e.Message, payload = e.PayloadJson is null ? null : JsonNode.Parse(e.PayloadJson), hash = e.Hash, previousHash = e.PreviousHash
    };

    private static (int Page, int Size) Paging(int? page, int? pageSize)
    {
        if (page is < 1) throw new InputException("page", "page starts at 1");
        if (pageSize is < 1 or > 100) throw new InputException("pageSize", "pageSize is 1 to 100");
        return (page ?? 1, pageSize ?? 20);
    }

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();
}

/// <summary>Outside the caller's role or department (becomes a 403).</summary>
public sealed class ForbiddenException() : Exception("Not allowed for your role or department.");
