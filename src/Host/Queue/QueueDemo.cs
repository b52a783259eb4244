using GovFlow.Host.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Queue;

/// <summary>The demo's halls take bookings and have three windows serving every matter.</summary>
public static class QueueDemo
{
    /// <summary>Gives every hall without booking rules the usual ones (09:00–12:00 and 14:00–18:00, 30-minute slots, 2 places) and windows 1–3.</summary>
    public static async Task SeedAsync(GovFlowDb db)
    {
        var ruled = await db.Set<QueueHall>().Select(h => h.HallId).ToListAsync();
        var halls = await db.Departments.Where(d => d.IsHall && !ruled.Contains(d.Id)).Select(d => d.Id).ToListAsync();
        if (halls.Count == 0) return;
        foreach (var hall in halls)
        {
            db.Add(new QueueHall { HallId = hall, Stamp = Guid.NewGuid().ToString("N") });
            for (var n = 1; n <= 3; n++)
                db.Add(new QueueWindow { Id = Guid.CreateVersion7().ToString("N"), HallId = hall, Name = $"{n}号窗口" });
        }
        await db.CommitAsync();
    }
}
