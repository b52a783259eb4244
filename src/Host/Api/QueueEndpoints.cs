using GovFlow.Activities.Matters;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Queue;
using GovFlow.Host.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Api;

/// <summary>
/// 预约, 取号, 叫号: halls' booking rules and windows (/api/halls), applicants' bookings (/api/my/bookings), the kiosk,
/// the window's calls, the public call screen and the waiting figures (/api/queue/figures).
/// </summary>
public static class QueueEndpoints
{
    /// <summary>Maps the queue's endpoints.</summary>
    public static void MapQueue(this IEndpointRouteBuilder app)
    {
        var halls = app.MapGroup("/api/halls").WithTags("Queue").RequireAuthorization();
        halls.MapGet("/", Halls);
        halls.MapPut("/{id}/booking", SetBooking).RequireAuthorization(p => p.RequireRole(Roles.Policy, Roles.Admin));
        halls.MapPost("/{id}/windows", AddWindow).RequireAuthorization(p => p.RequireRole(Roles.Policy, Roles.Admin));
        halls.MapPut("/{id}/windows/{windowId}", SetWindow).RequireAuthorization(p => p.RequireRole(Roles.Policy, Roles.Admin));
        // The kiosk is a hall device signed in as one of its clerks: numbers are taken only where they are called.
        halls.MapPost("/{id}/tickets", Take).RequireAuthorization(p => p.RequireRole(Roles.Window));
        halls.MapGet("/{id}/queue", HallQueue).RequireAuthorization(p => p.RequireRole(Roles.Window));
        halls.MapPost("/{id}/calls", CallNext).RequireAuthorization(p => p.RequireRole(Roles.Window));
        // The hall's display: numbers and windows only, for anyone in the hall.
        app.MapGet("/api/halls/{id}/screen", Screen).AllowAnonymous().RequireRateLimiting(RequestGuards.PublicPolicy).WithTags("Queue");

        var tickets = app.MapGroup("/api/tickets").WithTags("Queue").RequireAuthorization(p => p.RequireRole(Roles.Window));
        tickets.MapPost("/{id}/recall", (string id, HttpContext http, QueueService queue) => Act(id, "recall", http, queue));
        tickets.MapPost("/{id}/skip", (string id, HttpContext http, QueueService queue) => Act(id, "skip", http, queue));
        tickets.MapPost("/{id}/start", (string id, HttpContext http, QueueService queue) => Act(id, "start", http, queue));
        tickets.MapGet("/{id}/acceptance", Acceptance);

        var mine = app.MapGroup("/api/my/bookings").WithTags("Queue").RequireAuthorization(p => p.RequireRole(Roles.Applicant));
        mine.MapGet("/", Mine);
        mine.MapGet("/options", Options);
        mine.MapGet("/slots", Slots);
        mine.MapPost("/", Book);
        mine.MapPost("/{id}/cancel", Cancel);

        app.MapGet("/api/queue/figures", Figures).RequireAuthorization(p => p.RequireRole(Roles.Policy, Roles.Auditor, Roles.Window, Roles.Reviewer, Roles.Admin)).WithTags("Queue");
        app.MapGet("/api/cases/{id}/ticket", CaseTicket).RequireAuthorization().WithTags("Queue");
    }

    private static async Task<Ok<List<HallView>>> Halls(GovFlowDb db, CancellationToken ct)
    {
        var halls = await db.Departments.AsNoTracking().Where(d => d.IsHall && d.Active).OrderBy(d => d.Name).ToListAsync(ct);
        var rules = await db.Set<QueueHall>().AsNoTracking().ToDictionaryAsync(h => h.HallId, ct);
        var windows = (await db.Set<QueueWindow>().AsNoTracking().ToListAsync(ct)).ToLookup(w => w.HallId);
        return TypedResults.Ok(halls.Select(h =>
        {
            var rule = rules.GetValueOrDefault(h.Id);
            return new HallView(h.Id, h.Name, rule?.Periods, rule?.SlotMinutes, rule?.Capacity, [.. windows[h.Id].OrderBy(w => w.Name).Select(QueueService.Window)]);
        }).ToList());
    }

    private static async Task<Ok<HallView>> SetBooking(string id, HallBookingInput body, GovFlowDb db, CancellationToken ct)
    {
        var hall = await db.Departments.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id && d.IsHall, ct) ?? throw new NotFoundException("没有这个办事大厅");
        var periods = QueueService.ParsePeriods(body.Periods);
        if (body.SlotMinutes is < 10 or > 120) throw new InputException("slotMinutes", "每个时段应为 10 至 120 分钟");
        if (body.Capacity is < 1 or > 100) throw new InputException("capacity", "每个时段可约人数应为 1 至 100");
        var rule = await db.Set<QueueHall>().FirstOrDefaultAsync(h => h.HallId == id, ct);
        if (rule is null) db.Add(rule = new QueueHall { HallId = id });
        rule.Periods = string.Join(",", periods.Select(p => $"{p.From:HH\\:mm}-{p.To:HH\\:mm}"));
        rule.SlotMinutes = body.SlotMinutes;
        rule.Capacity = body.Capacity;
        rule.Stamp = Guid.NewGuid().ToString("N");
        await db.CommitAsync(ct);
        var windows = await db.Set<QueueWindow>().AsNoTracking().Where(w => w.HallId == id).OrderBy(w => w.Name).ToListAsync(ct);
        return TypedResults.Ok(new HallView(hall.Id, hall.Name, rule.Periods, rule.SlotMinutes, rule.Capacity, [.. windows.Select(QueueService.Window)]));
    }

    private static void Check(WindowInput body, MatterCatalog catalog)
    {
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Trim().Length > 40) throw new InputException("name", "请填写窗口名称（不超过 40 个字）");
        foreach (var code in body.Matters ?? [])
            if (catalog.Find(code) is null) throw new InputException("matters", $"没有编码为 {code} 的事项");
    }

    private static async Task<Ok<WindowView>> AddWindow(string id, WindowInput body, GovFlowDb db, MatterCatalog catalog, CancellationToken ct)
    {
        _ = await db.Departments.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id && d.IsHall, ct) ?? throw new NotFoundException("没有这个办事大厅");
        Check(body, catalog);
        var window = new QueueWindow { Id = Guid.CreateVersion7().ToString("N"), HallId = id, Name = body.Name!.Trim(), Matters = string.Join(",", body.Matters ?? []), Open = body.Open };
        db.Add(window);
        await db.CommitAsync(ct);
        return TypedResults.Ok(QueueService.Window(window));
    }

    private static async Task<Ok<WindowView>> SetWindow(string id, string windowId, WindowInput body, GovFlowDb db, MatterCatalog catalog, CancellationToken ct)
    {
        var window = await db.Set<QueueWindow>().FirstOrDefaultAsync(w => w.Id == windowId && w.HallId == id, ct) ?? throw new NotFoundException("没有这个窗口");
        Check(body, catalog);
        window.Name = body.Name!.Trim();
        window.Matters = string.Join(",", body.Matters ?? []);
        window.Open = body.Open;
        await db.CommitAsync(ct);
        return TypedResults.Ok(QueueService.Window(window));
    }

    private static async Task<Ok<TicketTaken>> Take(string id, TicketRequest body, HttpContext http, QueueService queue)
    {
        await queue.HallOfAsync(Caller.From(http.User), id, http.RequestAborted);
        return TypedResults.Ok(await queue.TakeAsync(id, body, http.RequestAborted));
    }

    private static async Task<Ok<HallQueueView>> HallQueue(string id, HttpContext http, QueueService queue) =>
        TypedResults.Ok(await queue.QueueAsync(await queue.HallOfAsync(Caller.From(http.User), id, http.RequestAborted), http.RequestAborted));

    private static async Task<Ok<TicketView>> CallNext(string id, CallRequest body, HttpContext http, QueueService queue)
    {
        var caller = Caller.From(http.User);
        return TypedResults.Ok(await queue.CallNextAsync(caller, await queue.HallOfAsync(caller, id, http.RequestAborted), body.WindowId, http.RequestAborted));
    }

    private static async Task<Ok<TicketView>> Act(string id, string action, HttpContext http, QueueService queue) =>
        TypedResults.Ok(await queue.ActAsync(Caller.From(http.User), id, action, http.RequestAborted));

    private static async Task<Ok<TicketAcceptance>> Acceptance(string id, HttpContext http, QueueService queue) =>
        TypedResults.Ok(await queue.AcceptanceAsync(Caller.From(http.User), id, http.RequestAborted));

    private static async Task<Ok<ScreenView>> Screen(string id, QueueService queue, CancellationToken ct) => TypedResults.Ok(await queue.ScreenAsync(id, ct));

    private static async Task<Ok<IReadOnlyList<BookingView>>> Mine(HttpContext http, QueueService queue) =>
        TypedResults.Ok(await queue.MineAsync(Caller.From(http.User), http.RequestAborted));

    private static async Task<Ok<BookingOptions>> Options(GovFlowDb db, MatterCatalog catalog, CancellationToken ct)
    {
        var booking = await db.Set<QueueHall>().AsNoTracking().Select(h => h.HallId).ToListAsync(ct);
        var halls = await db.Departments.AsNoTracking().Where(d => d.IsHall && d.Active && booking.Contains(d.Id)).OrderBy(d => d.Name).Select(d => new NamedItem(d.Id, d.Name)).ToListAsync(ct);
        return TypedResults.Ok(new BookingOptions(halls, [.. catalog.Entries.Where(e => e.Matter.Flags.Appointment).Select(e => new NamedItem(e.Matter.Code, e.Matter.Name))]));
    }

    private static async Task<Ok<IReadOnlyList<SlotView>>> Slots(string? hall, string? matter, int? days, QueueService queue, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(hall)) throw new InputException("hall", "请选择办事大厅");
        return TypedResults.Ok(await queue.FreeSlotsAsync(hall, matter ?? "", days ?? 5, ct));
    }

    private static async Task<Created<BookingView>> Book(BookingRequest body, HttpContext http, QueueService queue)
    {
        var booking = await queue.BookAsync(Caller.From(http.User), body, http.RequestAborted);
        return TypedResults.Created($"/api/my/bookings/{booking.Id}", booking);
    }

    private static async Task<Ok<BookingView>> Cancel(string id, HttpContext http, QueueService queue) =>
        TypedResults.Ok(await queue.CancelAsync(Caller.From(http.User), id, http.RequestAborted));

    private static async Task<Ok<QueueFigures>> Figures(QueueService queue, CancellationToken ct) => TypedResults.Ok(await queue.FiguresAsync(ct));

    private static async Task<Results<Ok<CaseTicketView>, NoContent>> CaseTicket(string id, HttpContext http, GovFlowDb db, QueueService queue)
    {
        // Whoever may open the case may see the number it was accepted for; no one else learns it exists.
        await CaseEndpoints.Visible(db, Caller.From(http.User), id);
        return await queue.OfCaseAsync(id, http.RequestAborted) is { } ticket ? TypedResults.Ok(ticket) : TypedResults.NoContent();
    }
}
