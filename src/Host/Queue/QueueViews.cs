namespace GovFlow.Host.Queue;

/// <summary>A bookable slot and the places left in it.</summary>
/// <param name="Start">Start.</param>
/// <param name="End">End.</param>
/// <param name="Left">Places left (0: full).</param>
public sealed record SlotView(DateTimeOffset Start, DateTimeOffset End, int Left);

/// <summary>A booking asked for.</summary>
/// <param name="HallId">The hall.</param>
/// <param name="MatterCode">The matter.</param>
/// <param name="Start">The slot's start, as the free slots list gave it.</param>
public sealed record BookingRequest(string? HallId, string? MatterCode, DateTimeOffset? Start);

/// <summary>A booking as its applicant sees it.</summary>
/// <param name="Id">Id.</param>
/// <param name="Code">预约码, shown at the kiosk.</param>
/// <param name="HallId">The hall.</param>
/// <param name="HallName">The hall's name.</param>
/// <param name="MatterCode">The matter.</param>
/// <param name="MatterName">The matter's name.</param>
/// <param name="Start">Slot start.</param>
/// <param name="End">Slot end.</param>
/// <param name="Status">booked, cancelled or arrived.</param>
/// <param name="StatusName">The status in words (a booking whose slot passed unused is 未到场).</param>
/// <param name="CanCancel">Still cancellable (booked, slot not begun).</param>
public sealed record BookingView(string Id, string Code, string HallId, string HallName, string MatterCode, string MatterName, DateTimeOffset Start, DateTimeOffset End,
    string Status, string StatusName, bool CanCancel);

/// <summary>What an applicant may book: halls that take bookings and matters that allow them.</summary>
/// <param name="Halls">Halls.</param>
/// <param name="Matters">Matters.</param>
public sealed record BookingOptions(IReadOnlyList<NamedItem> Halls, IReadOnlyList<NamedItem> Matters);

/// <summary>An id and its name.</summary>
/// <param name="Id">Id (hall id, matter code).</param>
/// <param name="Name">Name.</param>
public sealed record NamedItem(string Id, string Name);

/// <summary>A number asked for at the kiosk: with a booking code, or for a matter as a walk-in.</summary>
/// <param name="BookingCode">Today's booking code.</param>
/// <param name="MatterCode">The matter (walk-ins).</param>
public sealed record TicketRequest(string? BookingCode, string? MatterCode);

/// <summary>The slip the kiosk prints: no personal data.</summary>
/// <param name="Id">Ticket id.</param>
/// <param name="Number">The number, e.g. Y003.</param>
/// <param name="MatterName">The matter.</param>
/// <param name="TakenAt">When taken.</param>
/// <param name="Ahead">Numbers to be called before it, as things stand.</param>
/// <param name="SlotStart">The booked slot, for a booked visitor.</param>
public sealed record TicketTaken(string Id, string Number, string MatterName, DateTimeOffset TakenAt, int Ahead, DateTimeOffset? SlotStart);

/// <summary>A number as the hall's clerks see it.</summary>
/// <param name="Id">Id.</param>
/// <param name="Number">Number.</param>
/// <param name="MatterCode">Matter.</param>
/// <param name="MatterName">Matter's name.</param>
/// <param name="TakenAt">Taken at.</param>
/// <param name="Status">waiting, called, skipped, serving.</param>
/// <param name="Booked">Taken with a booking.</param>
/// <param name="Due">A booked visitor whose slot has begun (called first).</param>
/// <param name="WindowName">The window it was called to.</param>
/// <param name="CalledAt">First called.</param>
/// <param name="WaitMinutes">Minutes from taking to the first call.</param>
public sealed record TicketView(string Id, string Number, string MatterCode, string MatterName, DateTimeOffset TakenAt, string Status, bool Booked, bool Due,
    string? WindowName, DateTimeOffset? CalledAt, int? WaitMinutes);

/// <summary>A window.</summary>
/// <param name="Id">Id.</param>
/// <param name="Name">Name, e.g. 3号窗口.</param>
/// <param name="Matters">Matter codes served; empty for all.</param>
/// <param name="Open">Open for calls.</param>
public sealed record WindowView(string Id, string Name, IReadOnlyList<string> Matters, bool Open);

/// <summary>A window as policy staff set it.</summary>
/// <param name="Name">Name, e.g. 3号窗口.</param>
/// <param name="Matters">Matter codes served; empty for all.</param>
/// <param name="Open">Open for calls.</param>
public sealed record WindowInput(string? Name, IReadOnlyList<string>? Matters, bool Open);

/// <summary>The hall's queue for its clerks.</summary>
/// <param name="HallId">Hall.</param>
/// <param name="HallName">Hall's name.</param>
/// <param name="Windows">Its windows.</param>
/// <param name="Waiting">Numbers waiting, in calling order.</param>
/// <param name="Calls">Numbers called and not yet accepted, latest first.</param>
public sealed record HallQueueView(string HallId, string HallName, IReadOnlyList<WindowView> Windows, IReadOnlyList<TicketView> Waiting, IReadOnlyList<TicketView> Calls);

/// <summary>A call-next request.</summary>
/// <param name="WindowId">The window calling.</param>
public sealed record CallRequest(string? WindowId);

/// <summary>What the acceptance form starts with for a number.</summary>
/// <param name="TicketId">Ticket.</param>
/// <param name="Number">Number.</param>
/// <param name="MatterCode">Matter.</param>
/// <param name="MatterName">Matter's name.</param>
/// <param name="BookingCode">The booking's code.</param>
/// <param name="ApplicantName">The booking applicant's name.</param>
/// <param name="ApplicantIdType">111 when the ID number is known.</param>
/// <param name="ApplicantIdNumber">The booking applicant's ID number.</param>
public sealed record TicketAcceptance(string TicketId, string Number, string MatterCode, string MatterName, string? BookingCode, string? ApplicantName,
    string? ApplicantIdType, string? ApplicantIdNumber);

/// <summary>The number a case was accepted for.</summary>
/// <param name="Number">Number.</param>
/// <param name="BookingCode">Booking code, when booked.</param>
/// <param name="WindowName">Window.</param>
/// <param name="TakenAt">Taken at.</param>
/// <param name="CalledAt">First called.</param>
/// <param name="WaitMinutes">Minutes waited.</param>
public sealed record CaseTicketView(string Number, string? BookingCode, string? WindowName, DateTimeOffset TakenAt, DateTimeOffset? CalledAt, int? WaitMinutes);

/// <summary>The call screen.</summary>
/// <param name="HallName">Hall.</param>
/// <param name="At">Now.</param>
/// <param name="Calls">Latest calls first.</param>
/// <param name="Waiting">Numbers waiting in all.</param>
/// <param name="ByMatter">Numbers waiting per matter.</param>
public sealed record ScreenView(string HallName, DateTimeOffset At, IReadOnlyList<ScreenCall> Calls, int Waiting, IReadOnlyList<ScreenWaiting> ByMatter);

/// <summary>A call on the screen.</summary>
/// <param name="Number">Number.</param>
/// <param name="WindowName">Window.</param>
/// <param name="At">Called at.</param>
public sealed record ScreenCall(string Number, string WindowName, DateTimeOffset At);

/// <summary>Numbers waiting for a matter.</summary>
/// <param name="MatterName">Matter.</param>
/// <param name="Count">Waiting.</param>
public sealed record ScreenWaiting(string MatterName, int Count);

/// <summary>A hall's booking rules and windows.</summary>
/// <param name="Id">Hall id.</param>
/// <param name="Name">Hall name.</param>
/// <param name="Periods">Opening periods (09:00-12:00,14:00-18:00); null when the hall takes no bookings.</param>
/// <param name="SlotMinutes">Slot length.</param>
/// <param name="Capacity">Bookings per slot.</param>
/// <param name="Windows">Windows.</param>
public sealed record HallView(string Id, string Name, string? Periods, int? SlotMinutes, int? Capacity, IReadOnlyList<WindowView> Windows);

/// <summary>A hall's booking rules as policy staff set them.</summary>
/// <param name="Periods">Opening periods, e.g. 09:00-12:00,14:00-18:00.</param>
/// <param name="SlotMinutes">Slot length (10 to 120 minutes).</param>
/// <param name="Capacity">Bookings per slot (1 to 100).</param>
public sealed record HallBookingInput(string? Periods, int SlotMinutes, int Capacity);

/// <summary>Waiting figures.</summary>
/// <param name="Halls">Per hall.</param>
/// <param name="Matters">Per matter.</param>
public sealed record QueueFigures(IReadOnlyList<QueueFigure> Halls, IReadOnlyList<QueueFigure> Matters);

/// <summary>Waiting figures of a hall or a matter.</summary>
/// <param name="Name">Hall or matter.</param>
/// <param name="Served">Numbers called.</param>
/// <param name="AverageWaitMinutes">Average minutes from taking to the first call; null with none called.</param>
/// <param name="MaxWaitMinutes">Longest wait; null with none called.</param>
/// <param name="Skipped">Numbers skipped (过号).</param>
/// <param name="NoShows">Bookings whose slot passed without a number taken.</param>
public sealed record QueueFigure(string Name, int Served, double? AverageWaitMinutes, double? MaxWaitMinutes, int Skipped, int NoShows);
