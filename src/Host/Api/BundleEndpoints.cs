using GovFlow.Activities.Calendar;
using GovFlow.Activities.Matters;
using GovFlow.Host.Api.Contracts;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Api;

/// <summary>一件事一次办: a bundle case's member cases, and a member's bundle.</summary>
public static class BundleEndpoints
{
    /// <summary>
    /// A case's place in a bundle: for a bundle case its members (子办件, each with its own number, department,
    /// status and due date) and its release and refusal rules; for a member case the bundle it belongs to.
    /// Members are listed to whoever may see the bundle, as the bundle's progress is theirs to follow.
    /// </summary>
    internal static async Task<Ok<CaseBundleView>> Get(string id, HttpContext http, GovFlowDb db, MatterCatalog catalog, WorkingCalendar calendar, TimeProvider clock)
    {
        var record = await CaseEndpoints.Visible(db, Caller.From(http.User), id);
        var lights = WarningLights.At(calendar, clock.GetUtcNow());
        var members = await db.Cases.AsNoTracking().Where(c => c.ParentCaseId == record.Id).OrderBy(c => c.MatterCode).ToListAsync(http.RequestAborted);
        var parent = record.ParentCaseId is { } parentId ? await db.Cases.AsNoTracking().FirstOrDefaultAsync(c => c.Id == parentId, http.RequestAborted) : null;
        var rules = catalog.Find(record.MatterCode)?.Matter.Bundle;
        return TypedResults.Ok(new CaseBundleView(
            parent is null ? null : CaseViews.Summary(parent, lights, calendar),
            [.. members.Select(c => CaseViews.Summary(c, lights, calendar))],
            rules?.Release, rules?.Refusal, rules?.SharedMaterials ?? []));
    }
}
