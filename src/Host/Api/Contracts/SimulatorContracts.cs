namespace GovFlow.Host.Api.Contracts;

/// <summary>A simulator's outage switch as set: down (503 to every call) and/or slowed by <paramref name="DelayMs"/>.</summary>
/// <param name="Service">certificates, mail, ratings or notify.</param>
/// <param name="Down">Whether the simulator answers 503.</param>
/// <param name="DelayMs">Milliseconds every answer is held back.</param>
public sealed record OutageState(string Service, bool Down, int DelayMs);

/// <summary>A rating invitation the simulated national rating system accepted.</summary>
/// <param name="Id">The invitation's id.</param>
public sealed record InvitationCreated(string Id);
