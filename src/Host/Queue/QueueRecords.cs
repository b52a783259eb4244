using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Queue;

/// <summary>
/// A hall's booking rules (预约): when it opens on working days, how long a slot is and how many visitors a slot
/// takes. A hall without a row takes no bookings, but its windows may still call walk-ins.
/// </summary>
public sealed class QueueHall
{
    /// <summary>The hall (<see cref="Persistence.DepartmentRecord.Id"/>).</summary>
    public string HallId { get; set; } = "";
    /// <summary>Opening periods in China time, e.g. <c>09:00-12:00,14:00-18:00</c>.</summary>
    public string Periods { get; set; } = "09:00-12:00,14:00-18:00";
    /// <summary>Minutes per booking slot.</summary>
    public int SlotMinutes { get; set; } = 30;
    /// <summary>Bookings a slot takes.</summary>
    public int Capacity { get; set; } = 2;
    /// <summary>Concurrency stamp.</summary>
    public string Stamp { get; set; } = "";
}

/// <summary>A window (窗口) of a hall: its name, the matters it serves (none listed: all) and whether it is open.</summary>
public sealed class QueueWindow
{
    /// <summary>Id.</summary>
    public string Id { get; set; } = "";
    /// <summary>The hall.</summary>
    public string HallId { get; set; } = "";
    /// <summary>The name the call screen shows, e.g. 3号窗口.</summary>
    public string Name { get; set; } = "";
    /// <summary>Matter codes served, comma-separated; empty for every matter.</summary>
    public string Matters { get; set; } = "";
    /// <summary>Open for calls.</summary>
    public bool Open { get; set; } = true;

    /// <summary>Whether this window serves <paramref name="matterCode"/>.</summary>
    public bool Serves(string matterCode) => Matters.Length == 0 || Matters.Split(',').Contains(matterCode);
}

/// <summary>
/// The count of bookings a slot holds. Every booking and cancellation changes its stamp, so two bookings of a slot's
/// last place cannot both commit: the second finds the stamp moved (or the row already inserted) and counts again.
/// </summary>
public sealed class QueueSlotLoad
{
    /// <summary>Hall, day and start, e.g. <c>HALL:2026-03-03:09:30</c>.</summary>
    public string Id { get; set; } = "";
    /// <summary>Active bookings.</summary>
    public int Booked { get; set; }
    /// <summary>Concurrency stamp.</summary>
    public string Stamp { get; set; } = "";
}

/// <summary>Where a booking stands.</summary>
public static class BookingStatuses
{
    /// <summary>Booked, not yet arrived.</summary>
    public const string Booked = "booked";
    /// <summary>Cancelled by the applicant.</summary>
    public const string Cancelled = "cancelled";
    /// <summary>Took a number with the booking code.</summary>
    public const string Arrived = "arrived";
}

/// <summary>An applicant's booking (预约) of a slot at a hall for a matter; the code is what the kiosk asks for.</summary>
public sealed class QueueBooking
{
    /// <summary>Id.</summary>
    public string Id { get; set; } = "";
    /// <summary>预约码: six digits, unique among the hall's bookings of the day.</summary>
    public string Code { get; set; } = "";
    /// <summary>The hall.</summary>
    public string HallId { get; set; } = "";
    /// <summary>The matter.</summary>
    public string MatterCode { get; set; } = "";
    /// <summary>The matter's name when booked.</summary>
    public string MatterName { get; set; } = "";
    /// <summary>The applicant (user name).</summary>
    public string UserName { get; set; } = "";
    /// <summary>The slot's start.</summary>
    public DateTimeOffset SlotStart { get; set; }
    /// <summary>The slot's end.</summary>
    public DateTimeOffset SlotEnd { get; set; }
    /// <summary>The slot's day in China time (yyyy-MM-dd).</summary>
    public string Day { get; set; } = "";
    /// <summary><see cref="BookingStatuses"/>.</summary>
    public string Status { get; set; } = BookingStatuses.Booked;
    /// <summary>When it was booked.</summary>
    public DateTimeOffset BookedAt { get; set; }
    /// <summary>When it was cancelled.</summary>
    public DateTimeOffset? CancelledAt { get; set; }
    /// <summary>The number taken with it.</summary>
    public string? TicketId { get; set; }
    /// <summary>Concurrency stamp.</summary>
    public string Stamp { get; set; } = "";
}

/// <summary>Where a queue number stands.</summary>
public static class TicketStatuses
{
    /// <summary>Waiting to be called.</summary>
    public const string Waiting = "waiting";
    /// <summary>Called to a window.</summary>
    public const string Called = "called";
    /// <summary>Called and not there (过号).</summary>
    public const string Skipped = "skipped";
    /// <summary>Being served: the window opened the acceptance.</summary>
    public const string Serving = "serving";
}

/// <summary>A queue number (取号): A001 for a walk-in, Y001 for a booked visitor, per hall and day.</summary>
public sealed class QueueTicket
{
    /// <summary>Id.</summary>
    public string Id { get; set; } = "";
    /// <summary>The hall.</summary>
    public string HallId { get; set; } = "";
    /// <summary>The day in China time (yyyy-MM-dd).</summary>
    public string Day { get; set; } = "";
    /// <summary>The number, e.g. Y003.</summary>
    public string Number { get; set; } = "";
    /// <summary>The matter.</summary>
    public string MatterCode { get; set; } = "";
    /// <summary>The matter's name.</summary>
    public string MatterName { get; set; } = "";
    /// <summary>The booking it was taken with.</summary>
    public string? BookingId { get; set; }
    /// <summary>A booked visitor who came before their slot ended: called first once the slot has begun.</summary>
    public DateTimeOffset? PriorityFrom { get; set; }
    /// <summary>When it was taken.</summary>
    public DateTimeOffset TakenAt { get; set; }
    /// <summary><see cref="TicketStatuses"/>.</summary>
    public string Status { get; set; } = TicketStatuses.Waiting;
    /// <summary>First called (the wait ends here).</summary>
    public DateTimeOffset? CalledAt { get; set; }
    /// <summary>Last called (重呼 moves it, the call screen shows it).</summary>
    public DateTimeOffset? LastCalledAt { get; set; }
    /// <summary>The window it was called to.</summary>
    public string? WindowId { get; set; }
    /// <summary>The window's name.</summary>
    public string? WindowName { get; set; }
    /// <summary>The clerk who called it.</summary>
    public string? CalledBy { get; set; }
    /// <summary>The case accepted for it.</summary>
    public string? CaseId { get; set; }
    /// <summary>Concurrency stamp.</summary>
    public string Stamp { get; set; } = "";

    /// <summary>Minutes waited, once called.</summary>
    public int? WaitMinutes => CalledAt is { } called ? (int)Math.Round((called - TakenAt).TotalMinutes) : null;
}

/// <summary>The tables of the queue.</summary>
public static class QueueModel
{
    /// <summary>Configures queue_halls, queue_windows, queue_slot_loads, queue_bookings and queue_tickets.</summary>
    public static void Configure(ModelBuilder b)
    {
        b.Entity<QueueHall>(e =>
        {
            e.ToTable("queue_halls");
            e.HasKey(x => x.HallId).HasName("pk_queue_halls");
            e.Property(x => x.Stamp).IsConcurrencyToken().HasMaxLength(40);
            e.Property(x => x.HallId).HasMaxLength(64);
            e.Property(x => x.Periods).HasMaxLength(200);
        });
        b.Entity<QueueWindow>(e =>
        {
            e.ToTable("queue_windows");
            e.HasKey(x => x.Id).HasName("pk_queue_windows");
            e.HasIndex(x => x.HallId).HasDatabaseName("ix_queue_windows_hall");
            e.Property(x => x.Id).HasMaxLength(64);
            e.Property(x => x.HallId).HasMaxLength(64);
            e.Property(x => x.Name).HasMaxLength(40);
            e.Property(x => x.Matters).HasMaxLength(2000);
        });
        b.Entity<QueueSlotLoad>(e =>
        {
            e.ToTable("queue_slot_loads");
            e.HasKey(x => x.Id).HasName("pk_queue_slot_loads");
            e.Property(x => x.Id).HasMaxLength(100);
            e.Property(x => x.Stamp).IsConcurrencyToken().HasMaxLength(40);
        });
        b.Entity<QueueBooking>(e =>
        {
            e.ToTable("queue_bookings");
            e.HasKey(x => x.Id).HasName("pk_queue_bookings");
            e.HasIndex(x => new { x.UserName, x.Day }).HasDatabaseName("ix_queue_bookings_user_day");
            e.HasIndex(x => new { x.HallId, x.Day, x.Code }).HasDatabaseName("ix_queue_bookings_hall_day_code");
            e.Property(x => x.Stamp).IsConcurrencyToken().HasMaxLength(40);
            e.Property(x => x.Id).HasMaxLength(64);
            e.Property(x => x.Code).HasMaxLength(8);
            e.Property(x => x.HallId).HasMaxLength(64);
            e.Property(x => x.MatterCode).HasMaxLength(40);
            e.Property(x => x.MatterName).HasMaxLength(200);
            e.Property(x => x.UserName).HasMaxLength(64);
            e.Property(x => x.Day).HasMaxLength(10);
            e.Property(x => x.Status).HasMaxLength(16);
            e.Property(x => x.TicketId).HasMaxLength(64);
        });
        b.Entity<QueueTicket>(e =>
        {
            e.ToTable("queue_tickets");
            e.HasKey(x => x.Id).HasName("pk_queue_tickets");
            // Two kiosks taking a number at once cannot both get the same one: the second finds it taken and counts on.
            e.HasIndex(x => new { x.HallId, x.Day, x.Number }).IsUnique().HasDatabaseName("ix_queue_tickets_hall_day_number");
            e.HasIndex(x => x.CaseId).HasDatabaseName("ix_queue_tickets_case");
            e.Ignore(x => x.WaitMinutes);
            e.Property(x => x.Stamp).IsConcurrencyToken().HasMaxLength(40);
            e.Property(x => x.Id).HasMaxLength(64);
            e.Property(x => x.HallId).HasMaxLength(64);
            e.Property(x => x.Day).HasMaxLength(10);
            e.Property(x => x.Number).HasMaxLength(8);
            e.Property(x => x.MatterCode).HasMaxLength(40);
            e.Property(x => x.MatterName).HasMaxLength(200);
            e.Property(x => x.BookingId).HasMaxLength(64);
            e.Property(x => x.Status).HasMaxLength(16);
            e.Property(x => x.WindowId).HasMaxLength(64);
            e.Property(x => x.WindowName).HasMaxLength(40);
            e.Property(x => x.CalledBy).HasMaxLength(64);
            e.Property(x => x.CaseId).HasMaxLength(64);
        });
    }
}
