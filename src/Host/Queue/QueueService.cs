using System.Security.Cryptography;
using GovFlow.Activities.Calendar;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Matters;
using GovFlow.Host.Api;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Queue;

/// <summary>
/// The hall's day: bookings of slots (预约), numbers taken on arrival (取号) and calls to windows (叫号), all in China
/// time on working days. Every change is committed here; a lost race (the last place, a number, a called ticket) is
/// counted again from the database.
/// </summary>
public sealed class QueueService(GovFlowDb db, MatterCatalog catalog, WorkingCalendar calendar, TimeProvider clock)
{
    /// <summary>How many working days ahead an applicant may book.</summary>
    public const int MaxDaysAhead = 10;

    private const int Attempts = 8;

    private DateTimeOffset Now => clock.GetUtcNow();

    private static string Today(DateTimeOffset now) => ChinaTime.Date(now).ToString("yyyy-MM-dd");

    private static string NewStamp() => Guid.NewGuid().ToString("N");

    /// <summary>The opening periods of <paramref name="text"/> (<c>09:00-12:00,14:00-18:00</c>), or an error naming what is wrong.</summary>
    public static IReadOnlyList<(TimeOnly From, TimeOnly To)> ParsePeriods(string? text)
    {
        var periods = new List<(TimeOnly From, TimeOnly To)>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var ends = part.Split('-', StringSplitOptions.TrimEntries);
            if (ends.Length != 2 || !TimeOnly.TryParseExact(ends[0], "HH:mm", out var from) || !TimeOnly.TryParseExact(ends[1], "HH:mm", out var to) || to <= from)
                throw new InputException("periods", $"开放时段“{part}”格式应为 09:00-12:00");
            if (periods.Count > 0 && from < periods[^1].To) throw new InputException("periods", "开放时段须按时间先后排列且互不重叠");
            periods.Add((from, to));
        }
        if (periods.Count == 0) throw new InputException("periods", "请至少填写一个开放时段");
        return periods;
    }

    /// <summary>The slots of <paramref name="hall"/> on <paramref name="day"/> (none on a day off).</summary>
    public IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> SlotsOn(QueueHall hall, DateOnly day)
    {
        if (!calendar.IsWorkingDay(day)) yield break;
        foreach (var (from, to) in ParsePeriods(hall.Periods))
            for (var start = from; start.AddMinutes(hall.SlotMinutes) <= to && start >= from; start = start.AddMinutes(hall.SlotMinutes))
            {
                var at = ChinaTime.ToMoment(day.ToDateTime(start));
                yield return (at, at.AddMinutes(hall.SlotMinutes));
                // TimeOnly wraps at midnight; a period ending at 24:00 is not a hall's.
                if (start.AddMinutes(hall.SlotMinutes) < start) yield break;
            }
    }

    private static string LoadId(string hallId, DateTimeOffset start) => $"{hallId}:{ChinaTime.Local(start):yyyy-MM-dd:HH:mm}";

    private async Task<DepartmentRecord> HallAsync(string hallId, CancellationToken ct) =>
        await db.Departments.AsNoTracking().FirstOrDefaultAsync(d => d.Id == hallId && d.IsHall && d.Active, ct)
        ?? throw new NotFoundException("没有这个办事大厅");

    /// <summary>The hall a window clerk works in; others have none.</summary>
    public async Task<DepartmentRecord> HallOfAsync(Caller caller, string hallId, CancellationToken ct)
    {
        var hall = await HallAsync(hallId, ct);
        if (caller.Department != hall.Name) throw new ForbiddenException();
        return hall;
    }

    private ServiceMatter Matter(string? code, string field = "matterCode") =>
        (code is { Length: > 0 } ? catalog.Find(code)?.Matter : null) ?? throw new InputException(field, "请选择办理的事项");

    /// <summary>The free slots of a hall for a matter from now on, over the next working days.</summary>
    public async Task<IReadOnlyList<SlotView>> FreeSlotsAsync(string hallId, string matterCode, int days, CancellationToken ct)
    {
        var matter = Matter(matterCode);
        if (!matter.Flags.Appointment) throw new InputException("matterCode", $"“{matter.Name}”不支持预约，请直接到大厅取号");
        await HallAsync(hallId, ct);
        var hall = await db.Set<QueueHall>().AsNoTracking().FirstOrDefaultAsync(h => h.HallId == hallId, ct) ?? throw new NotFoundException("该大厅暂不接受预约");
        var slots = new List<(DateTimeOffset Start, DateTimeOffset End)>();
        var day = ChinaTime.Date(Now);
        for (var worked = 0; worked < Math.Clamp(days, 1, MaxDaysAhead) && day < ChinaTime.Date(Now).AddDays(60); day = day.AddDays(1))
        {
            bool working;
            try { working = calendar.IsWorkingDay(day); }
            catch (CalendarYearMissingException) { break; }
            if (!working) continue;
            worked++;
            slots.AddRange(SlotsOn(hall, day).Where(s => s.Start > Now));
        }
        var ids = slots.Select(s => LoadId(hallId, s.Start)).ToList();
        var loads = await db.Set<QueueSlotLoad>().AsNoTracking().Where(l => ids.Contains(l.Id)).ToDictionaryAsync(l => l.Id, l => l.Booked, ct);
        return [.. slots.Select(s => new SlotView(s.Start, s.End, Math.Max(0, hall.Capacity - loads.GetValueOrDefault(LoadId(hallId, s.Start)))))];
    }

    /// <summary>
    /// Books a slot for the applicant: one active booking per matter and day; the slot's count is raised in the same
    /// commit, so the last place goes to one applicant and the other hears it is full.
    /// </summary>
    public async Task<BookingView> BookAsync(Caller caller, BookingRequest request, CancellationToken ct)
    {
        var matter = Matter(request.MatterCode);
        if (!matter.Flags.Appointment) throw new InputException("matterCode", $"“{matter.Name}”不支持预约，请直接到大厅取号");
        var hallRecord = await HallAsync(request.HallId ?? "", ct);
        var hall = await db.Set<QueueHall>().AsNoTracking().FirstOrDefaultAsync(h => h.HallId == hallRecord.Id, ct) ?? throw new NotFoundException("该大厅暂不接受预约");
        var start = request.Start ?? throw new InputException("start", "请选择预约时段");
        var free = await FreeSlotsAsync(hall.HallId, matter.Code, MaxDaysAhead, ct);
        var slot = free.FirstOrDefault(s => s.Start == start) ?? throw new InputException("start", "所选时段不在可预约范围内，请重新选择");
        var day = ChinaTime.Date(start).ToString("yyyy-MM-dd");
        for (var attempt = 1; ; attempt++)
        {
            if (await db.Set<QueueBooking>().AsNoTracking().FirstOrDefaultAsync(b => b.UserName == caller.UserName && b.MatterCode == matter.Code && b.Day == day && b.Status == BookingStatuses.Booked, ct) is { } same)
                throw new ConflictException($"您已预约当天办理该事项（预约码 {same.Code}），如需改期请先取消原预约");
            var id = LoadId(hall.HallId, start);
            var load = await db.Set<QueueSlotLoad>().FirstOrDefaultAsync(l => l.Id == id, ct);
            if (load is null) db.Add(load = new QueueSlotLoad { Id = id });
            if (load.Booked >= hall.Capacity) throw new ConflictException("该时段已约满，请选择其他时段");
            load.Booked++;
            load.Stamp = NewStamp();
            var codes = await db.Set<QueueBooking>().AsNoTracking().Where(b => b.HallId == hall.HallId && b.Day == day).Select(b => b.Code).ToListAsync(ct);
            var booking = new QueueBooking
            {
                Id = Guid.CreateVersion7().ToString("N"), Code = NewCode(codes), HallId = hall.HallId, MatterCode = matter.Code, MatterName = matter.Name,
                UserName = caller.UserName, SlotStart = slot.Start, SlotEnd = slot.End, Day = day, BookedAt = Now, Stamp = NewStamp()
            };
            db.Add(booking);
            if (await TryCommitAsync(attempt, ct)) return Booking(booking, hallRecord.Name);
        }
    }

    private static string NewCode(ICollection<string> taken)
    {
        while (true)
        {
            var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6");
            if (!taken.Contains(code)) return code;
        }
    }

    // Commits, or after a lost race (a stale stamp, a key or number taken) clears what was staged for the next count.
    private async Task<bool> TryCommitAsync(int attempt, CancellationToken ct)
    {
        try
        {
            await db.CommitAsync(ct);
            return true;
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || CaseService.IsUniqueViolation(ex))
        {
            db.ChangeTracker.Clear();
            if (attempt >= Attempts) throw new ConflictException("办理的人较多，请稍后重试");
            return false;
        }
    }

    /// <summary>The applicant's bookings, latest slot first.</summary>
    public async Task<IReadOnlyList<BookingView>> MineAsync(Caller caller, CancellationToken ct)
    {
        var bookings = await db.Set<QueueBooking>().AsNoTracking().Where(b => b.UserName == caller.UserName).OrderByDescending(b => b.SlotStart).Take(50).ToListAsync(ct);
        var halls = await HallNamesAsync(ct);
        return [.. bookings.Select(b => Booking(b, halls.GetValueOrDefault(b.HallId, "")))];
    }

    private Task<Dictionary<string, string>> HallNamesAsync(CancellationToken ct) =>
        db.Departments.AsNoTracking().Where(d => d.IsHall).ToDictionaryAsync(d => d.Id, d => d.Name, ct);

    private BookingView Booking(QueueBooking b, string hallName) =>
        new(b.Id, b.Code, b.HallId, hallName, b.MatterCode, b.MatterName, b.SlotStart, b.SlotEnd, b.Status, StatusName(b), b.Status == BookingStatuses.Booked && Now < b.SlotStart);

    private string StatusName(QueueBooking b) => b.Status switch
    {
        BookingStatuses.Cancelled => "已取消",
        BookingStatuses.Arrived => "已取号",
        _ when b.SlotEnd < Now => "未到场",
        _ => "已预约"
    };

    /// <summary>Cancels the applicant's booking before its slot begins, freeing its place.</summary>
    public async Task<BookingView> CancelAsync(Caller caller, string id, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var booking = await db.Set<QueueBooking>().FirstOrDefaultAsync(b => b.Id == id && b.UserName == caller.UserName, ct) ?? throw new NotFoundException("没有这个预约");
            if (booking.Status != BookingStatuses.Booked) throw new ConflictException("该预约已取消或已取号，不能再取消");
            if (Now >= booking.SlotStart) throw new ConflictException("预约时段已开始，不能取消");
            booking.Status = BookingStatuses.Cancelled;
            booking.CancelledAt = Now;
            booking.Stamp = NewStamp();
            var load = await db.Set<QueueSlotLoad>().FirstOrDefaultAsync(l => l.Id == LoadId(booking.HallId, booking.SlotStart), ct);
            if (load is not null)
            {
                load.Booked = Math.Max(0, load.Booked - 1);
                load.Stamp = NewStamp();
            }
            if (await TryCommitAsync(attempt, ct)) return Booking(booking, (await HallAsync(booking.HallId, ct)).Name);
        }
    }

    /// <summary>
    /// Takes a number at the hall's kiosk: with today's booking code a Y number (called first within its slot when the
    /// visitor came before the slot ended), otherwise an A number for the matter, in the order taken.
    /// </summary>
    public async Task<TicketTaken> TakeAsync(string hallId, TicketRequest request, CancellationToken ct)
    {
        await HallAsync(hallId, ct);
        var today = Today(Now);
        for (var attempt = 1; ; attempt++)
        {
            QueueBooking? booking = null;
            string matterCode, matterName;
            if (request.BookingCode is { Length: > 0 } code)
            {
                booking = await db.Set<QueueBooking>().FirstOrDefaultAsync(b => b.HallId == hallId && b.Day == today && b.Code == code.Trim(), ct);
                if (booking is null || booking.Status == BookingStatuses.Cancelled) throw new InputException("bookingCode", "预约码无效，或不是本大厅今天的预约");
                if (booking.Status == BookingStatuses.Arrived) throw new ConflictException("该预约码已取过号");
                (matterCode, matterName) = (booking.MatterCode, booking.MatterName);
            }
            else
            {
                var matter = Matter(request.MatterCode);
                (matterCode, matterName) = (matter.Code, matter.Name);
            }
            var prefix = booking is null ? "A" : "Y";
            var count = await db.Set<QueueTicket>().CountAsync(t => t.HallId == hallId && t.Day == today && t.Number.StartsWith(prefix), ct);
            var ticket = new QueueTicket
            {
                Id = Guid.CreateVersion7().ToString("N"), HallId = hallId, Day = today, Number = $"{prefix}{count + 1:D3}", MatterCode = matterCode, MatterName = matterName,
                BookingId = booking?.Id, TakenAt = Now, Stamp = NewStamp(),
                // On time: before the slot ends. Late visitors queue with the walk-ins.
                PriorityFrom = booking is not null && Now < booking.SlotEnd ? booking.SlotStart : null
            };
            db.Add(ticket);
            if (booking is not null)
            {
                booking.Status = BookingStatuses.Arrived;
                booking.TicketId = ticket.Id;
                booking.Stamp = NewStamp();
            }
            if (!await TryCommitAsync(attempt, ct)) continue;
            var waiting = await db.Set<QueueTicket>().AsNoTracking().Where(t => t.HallId == hallId && t.Day == today && t.Status == TicketStatuses.Waiting).ToListAsync(ct);
            var ahead = Order(waiting, Now).TakeWhile(t => t.Id != ticket.Id).Count();
            return new TicketTaken(ticket.Id, ticket.Number, ticket.MatterName, ticket.TakenAt, ahead, booking?.SlotStart);
        }
    }

    /// <summary>Calling order: booked visitors whose slot has begun (by slot, then arrival), then everyone else as they came.</summary>
    public static IEnumerable<QueueTicket> Order(IEnumerable<QueueTicket> waiting, DateTimeOffset now) =>
        waiting.OrderBy(t => t.PriorityFrom is { } from && from <= now ? 0 : 1)
            .ThenBy(t => t.PriorityFrom is { } from && from <= now ? from : DateTimeOffset.MinValue)
            .ThenBy(t => t.TakenAt).ThenBy(t => t.Number, StringComparer.Ordinal);

    /// <summary>The hall's queue for its clerks: its windows, the numbers waiting in calling order, and the calls in progress.</summary>
    public async Task<HallQueueView> QueueAsync(DepartmentRecord hall, CancellationToken ct)
    {
        var today = Today(Now);
        var windows = await db.Set<QueueWindow>().AsNoTracking().Where(w => w.HallId == hall.Id).OrderBy(w => w.Name).ToListAsync(ct);
        var tickets = await db.Set<QueueTicket>().AsNoTracking().Where(t => t.HallId == hall.Id && t.Day == today).ToListAsync(ct);
        return new HallQueueView(hall.Id, hall.Name, [.. windows.Select(Window)],
            [.. Order(tickets.Where(t => t.Status == TicketStatuses.Waiting), Now).Select(Ticket)],
            [.. tickets.Where(t => t.Status is TicketStatuses.Called or TicketStatuses.Serving && t.CaseId == null).OrderByDescending(t => t.LastCalledAt).Select(Ticket)]);
    }

    /// <summary>A window as the API shows it.</summary>
    public static WindowView Window(QueueWindow w) => new(w.Id, w.Name, w.Matters.Length == 0 ? [] : w.Matters.Split(','), w.Open);

    private TicketView Ticket(QueueTicket t) => new(t.Id, t.Number, t.MatterCode, t.MatterName, t.TakenAt, t.Status, t.BookingId != null,
        t.PriorityFrom is { } from && from <= Now, t.WindowName, t.CalledAt, t.WaitMinutes);

    /// <summary>Calls the next number a window serves to it (叫下一位).</summary>
    public async Task<TicketView> CallNextAsync(Caller caller, DepartmentRecord hall, string? windowId, CancellationToken ct)
    {
        var today = Today(Now);
        for (var attempt = 1; ; attempt++)
        {
            var window = await db.Set<QueueWindow>().AsNoTracking().FirstOrDefaultAsync(w => w.Id == windowId && w.HallId == hall.Id, ct)
                ?? throw new InputException("windowId", "请选择本大厅的窗口");
            if (!window.Open) throw new ConflictException($"{window.Name}已暂停服务，不能叫号");
            var waiting = await db.Set<QueueTicket>().Where(t => t.HallId == hall.Id && t.Day == today && t.Status == TicketStatuses.Waiting).ToListAsync(ct);
            var next = Order(waiting.Where(t => window.Serves(t.MatterCode)), Now).FirstOrDefault() ?? throw new NotFoundException($"{window.Name}办理的事项当前没有等候的号码");
            next.Status = TicketStatuses.Called;
            next.CalledAt ??= Now;
            next.LastCalledAt = Now;
            next.WindowId = window.Id;
            next.WindowName = window.Name;
            next.CalledBy = caller.UserName;
            next.Stamp = NewStamp();
            if (await TryCommitAsync(attempt, ct)) return Ticket(next);
        }
    }

    /// <summary>Acts on a called number: <c>recall</c> (重呼), <c>skip</c> (过号) or <c>start</c> (开始办理).</summary>
    public async Task<TicketView> ActAsync(Caller caller, string ticketId, string action, CancellationToken ct)
    {
        var ticket = await db.Set<QueueTicket>().FirstOrDefaultAsync(t => t.Id == ticketId, ct) ?? throw new NotFoundException("没有这个号码");
        await HallOfAsync(caller, ticket.HallId, ct);
        if (ticket.Status != TicketStatuses.Called && !(action == "start" && ticket.Status == TicketStatuses.Serving))
            throw new ConflictException($"{ticket.Number} 号不在呼叫中");
        switch (action)
        {
            case "recall": ticket.LastCalledAt = Now; break;
            case "skip": ticket.Status = TicketStatuses.Skipped; break;
            case "start": ticket.Status = TicketStatuses.Serving; break;
            default: throw new InputException("action", "未知的叫号操作");
        }
        ticket.Stamp = NewStamp();
        if (!await TryCommitAsync(Attempts, ct)) throw new ConflictException("该号码刚被其他窗口处理，请刷新");
        return Ticket(ticket);
    }

    /// <summary>What the acceptance form is filled with for a number being served: the matter and, from the booking, the applicant.</summary>
    public async Task<TicketAcceptance> AcceptanceAsync(Caller caller, string ticketId, CancellationToken ct)
    {
        var ticket = await db.Set<QueueTicket>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == ticketId, ct) ?? throw new NotFoundException("没有这个号码");
        await HallOfAsync(caller, ticket.HallId, ct);
        var booking = ticket.BookingId is null ? null : await db.Set<QueueBooking>().AsNoTracking().FirstOrDefaultAsync(b => b.Id == ticket.BookingId, ct);
        var user = booking is null ? null : await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.UserName == booking.UserName, ct);
        return new TicketAcceptance(ticket.Id, ticket.Number, ticket.MatterCode, ticket.MatterName, booking?.Code, user?.DisplayName, user?.IdNumber is null ? null : "111", user?.IdNumber);
    }

    /// <summary>
    /// Stages the link of an accepted case to the number it was accepted for (in the case's own commit). The number
    /// must be one of the clerk's hall, called and not yet linked.
    /// </summary>
    public async Task LinkAsync(Caller caller, string ticketId, string caseId, CancellationToken ct)
    {
        var ticket = await db.Set<QueueTicket>().FirstOrDefaultAsync(t => t.Id == ticketId, ct);
        var hall = ticket is null ? null : await db.Departments.AsNoTracking().FirstOrDefaultAsync(d => d.Id == ticket.HallId, ct);
        if (ticket is null || hall?.Name != caller.Department || ticket.Status is not (TicketStatuses.Called or TicketStatuses.Serving) || ticket.CaseId != null)
            throw new InputException("ticketId", "该号码不在本大厅办理中，或已受理过");
        ticket.CaseId = caseId;
        ticket.Status = TicketStatuses.Serving;
        ticket.Stamp = NewStamp();
    }

    /// <summary>The number a case was accepted for, if any.</summary>
    public async Task<CaseTicketView?> OfCaseAsync(string caseId, CancellationToken ct)
    {
        var ticket = await db.Set<QueueTicket>().AsNoTracking().FirstOrDefaultAsync(t => t.CaseId == caseId, ct);
        if (ticket is null) return null;
        var code = ticket.BookingId is null ? null : await db.Set<QueueBooking>().AsNoTracking().Where(b => b.Id == ticket.BookingId).Select(b => b.Code).FirstOrDefaultAsync(ct);
        return new CaseTicketView(ticket.Number, code, ticket.WindowName, ticket.TakenAt, ticket.CalledAt, ticket.WaitMinutes);
    }

    /// <summary>The hall's call screen: the latest calls and how many wait, with numbers and windows only (no names).</summary>
    public async Task<ScreenView> ScreenAsync(string hallId, CancellationToken ct)
    {
        var hall = await HallAsync(hallId, ct);
        var today = Today(Now);
        var tickets = await db.Set<QueueTicket>().AsNoTracking().Where(t => t.HallId == hallId && t.Day == today).ToListAsync(ct);
        var calls = tickets.Where(t => t.Status is TicketStatuses.Called or TicketStatuses.Serving && t.LastCalledAt != null)
            .OrderByDescending(t => t.LastCalledAt).Take(8).Select(t => new ScreenCall(t.Number, t.WindowName ?? "", t.LastCalledAt!.Value)).ToList();
        var waiting = tickets.Where(t => t.Status == TicketStatuses.Waiting).GroupBy(t => t.MatterName).Select(g => new ScreenWaiting(g.Key, g.Count())).OrderByDescending(w => w.Count).ToList();
        return new ScreenView(hall.Name, Now, calls, waiting.Sum(w => w.Count), waiting);
    }

    /// <summary>Waiting figures per hall and per matter: numbers called, average and longest wait, numbers skipped and bookings not kept.</summary>
    public async Task<QueueFigures> FiguresAsync(CancellationToken ct)
    {
        var halls = await HallNamesAsync(ct);
        var tickets = await db.Set<QueueTicket>().AsNoTracking().Select(t => new { t.HallId, t.MatterName, t.TakenAt, t.CalledAt, t.Status }).ToListAsync(ct);
        var now = Now;
        var noShows = await db.Set<QueueBooking>().AsNoTracking().Where(b => b.Status == BookingStatuses.Booked && b.SlotEnd < now).Select(b => new { b.HallId, b.MatterName }).ToListAsync(ct);
        List<QueueFigure> By(Func<string, string, string> key) =>
        [
            .. tickets.Select(t => key(t.HallId, t.MatterName)).Concat(noShows.Select(n => key(n.HallId, n.MatterName))).Distinct().Order(StringComparer.Ordinal).Select(k =>
                {
                    var waits = tickets.Where(t => key(t.HallId, t.MatterName) == k && t.CalledAt != null).Select(t => (t.CalledAt!.Value - t.TakenAt).TotalMinutes).ToList();
                    return new QueueFigure(k, waits.Count, waits.Count == 0 ? null : Math.Round(waits.Average(), 1), waits.Count == 0 ? null : Math.Round(waits.Max(), 1),
                        tickets.Count(t => key(t.HallId, t.MatterName) == k && t.Status == TicketStatuses.Skipped),
                        noShows.Count(n => key(n.HallId, n.MatterName) == k));
                })
        ];
        return new QueueFigures(By((hall, _) => halls.GetValueOrDefault(hall, "")), By((_, matter) => matter));
    }
}
