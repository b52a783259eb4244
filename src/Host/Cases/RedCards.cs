using GovFlow.Activities.Calendar;
using GovFlow.Host.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Cases;

/// <summary>电子监察: every case that passes its promised date undecided gets one red card for its department.</summary>
public static class RedCards
{
    /// <summary>Issues the red cards due now; returns how many.</summary>
    public static async Task<int> IssueAsync(GovFlowDb db, WorkingCalendar calendar, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var overdue = await WarningLights.At(calendar, now).Overdue(db.Cases.AsNoTracking())
            .Where(c => !db.RedCards.Any(r => r.CaseId == c.Id))
            .OrderBy(c => c.PromisedDue)
            .Select(c => new RedCard { CaseId = c.Id, CaseNumber = c.CaseNumber, MatterName = c.MatterName, Department = c.Department, PromisedDue = c.PromisedDue!.Value, IssuedAt = now })
            .Take(500).ToListAsync(cancellationToken);
        if (overdue.Count == 0) return 0;
        db.RedCards.AddRange(overdue);
        try { await db.CommitAsync(cancellationToken); }
        catch (DbUpdateException) { return 0; } // another node issued them first
        return overdue.Count;
    }
}

/// <summary>Issues red cards every minute (on every node; a card is issued once per case).</summary>
public sealed class RedCardSweep(IServiceScopeFactory scopes, WorkingCalendar calendar, TimeProvider clock, ILogger<RedCardSweep> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                using var scope = scopes.CreateScope();
                var issued = await RedCards.IssueAsync(scope.ServiceProvider.GetRequiredService<GovFlowDb>(), calendar, clock.GetUtcNow(), stoppingToken);
                if (issued > 0) logger.LogInformation("Issued {Count} red card(s)", issued);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not issue red cards");
            }
        }
    }
}
