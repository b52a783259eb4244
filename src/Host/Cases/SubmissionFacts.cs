using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Cases;

/// <summary>
/// What a submission reads before its flow starts: the accepting window's department, the regions of that hall and
/// of the matter's owner (通办), and the applicant's entry on the 绿色通道 register. They are read in one round trip
/// because each had been its own — four a submission, which PostgreSQL pays on both sides of the socket.
/// </summary>
/// <param name="Window">The department of the window that accepts, or null when the actor is not a window.</param>
/// <param name="HallRegion">That hall's region (empty when none).</param>
/// <param name="OwnerRegion">The owning department's region (empty when none).</param>
/// <param name="PriorityEntryId">The register entry that flags the case, or null.</param>
internal sealed record SubmissionFacts(string? Window, Region HallRegion, Region OwnerRegion, string? PriorityEntryId)
{
    /// <summary>Reads the facts for <paramref name="actor"/> submitting a matter of <paramref name="owner"/> on <paramref name="day"/>.</summary>
    public static async Task<SubmissionFacts> ReadAsync(GovFlowDb db, string actor, string owner, string? idIndex, DateOnly day, CancellationToken cancellationToken)
    {
        var window = db.Users.Where(u => u.UserName == actor && u.Role == Roles.Window).Select(u => u.Department);
        var hall = db.Departments.Where(d => d.Name == window.FirstOrDefault());
        var owning = db.Departments.Where(d => d.Name == owner);
        var entry = Priority.PriorityRegister.Applying(db, idIndex ?? "", day).Select(p => p.Id);
        // One row from nothing, so every fact is a scalar subquery of the same statement (SQLite has no APPLY).
        var row = await db.Database.SqlQueryRaw<int>("SELECT 1 AS \"Value\"").Select(_ => new
        {
            Window = window.FirstOrDefault(),
            HallCode = hall.Select(d => d.RegionCode).FirstOrDefault(), HallName = hall.Select(d => d.RegionName).FirstOrDefault(),
            OwnerCode = owning.Select(d => d.RegionCode).FirstOrDefault(), OwnerName = owning.Select(d => d.RegionName).FirstOrDefault(),
            Entry = idIndex == null ? null : entry.FirstOrDefault()
        }).SingleAsync(cancellationToken);
        return new SubmissionFacts(row.Window, new Region(row.HallCode, row.HallName), new Region(row.OwnerCode, row.OwnerName), row.Entry);
    }
}
