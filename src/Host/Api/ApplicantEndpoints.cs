using GovFlow.Activities.Calendar;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Matters;
using GovFlow.Host.Api.Contracts;
using GovFlow.Host.Documents;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Api;

/// <summary>A signed-in applicant's own applications (我的办件): the list and each case's progress in plain words.</summary>
public static class ApplicantEndpoints
{
    /// <summary>Maps /api/my/cases and /api/my/cases/{id}.</summary>
    public static void MapApplicantApi(this IEndpointRouteBuilder app)
    {
        var mine = app.MapGroup("/api/my/cases").WithTags("Applicants").RequireAuthorization(p => p.RequireRole(Roles.Applicant));
        mine.MapGet("/", List);
        mine.MapGet("/{id}", Open);
    }

    private static async Task<Ok<MyCasePage>> List(int? page, int? pageSize, HttpContext http, GovFlowDb db, MatterCatalog catalog, WorkingCalendar calendar)
    {
        var (p, size) = CaseEndpoints.Paging(page, pageSize);
        var caller = Caller.From(http.User);
        // The same rule as the case view's: the applicant's own cases and those of an enterprise they act for.
        var query = db.Cases.AsNoTracking().Where(CaseEndpoints.OfApplicant(caller));
        var total = await query.CountAsync(http.RequestAborted);
        // Cases received in the same instant (a batch at the window) keep their numbering order.
        var items = await query.OrderByDescending(c => c.ReceivedAt).ThenByDescending(c => c.CaseNumber).Skip((p - 1) * size).Take(size).ToListAsync(http.RequestAborted);
        var online = await Applications.OnlineApplications.SuppliedOnlineAsync(db, [.. items.Select(c => c.Id)], http.RequestAborted);
        return TypedResults.Ok(new MyCasePage([.. items.Select(c => ApplicantViews.Mine(c, catalog, calendar, online[c.Id]))], total, p, size));
    }

    private static async Task<Ok<ProgressView>> Open(string id, HttpContext http, GovFlowDb db, MatterCatalog catalog, WorkingCalendar calendar)
    {
        var record = await CaseEndpoints.Visible(db, Caller.From(http.User), id);
        return TypedResults.Ok(await ApplicantViews.ProgressAsync(db, record, catalog, calendar));
    }
}

/// <summary>A case in the applicant's words: status, step results, what is owed and by when, the reasons of a refusal.</summary>
public static class ApplicantViews
{
    private static readonly Dictionary<string, string> Actions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["approve"] = "通过", ["pass"] = "通过", ["agree"] = "同意", ["reject"] = "不通过", ["disagree"] = "不同意", ["return"] = "退回",
        ["transfer"] = "转办", ["requestCorrection"] = "要求补正材料", ["supply"] = "已补正材料", ["accept"] = "受理", ["notAccepted"] = "不予受理"
    };

    /// <summary>A step's action in plain words; an outcome the catalog names (通过, 已送达 ...) by its Chinese name.</summary>
    public static string Result(string? action) =>
        string.IsNullOrEmpty(action) ? "办理中" : Actions.TryGetValue(action, out var name) ? name : OutcomeNames.Of(action);

    /// <summary>The case as a line of the applicant's list.</summary>
    public static MyCase Mine(CaseRecord record, MatterCatalog catalog, WorkingCalendar calendar, IEnumerable<(string Material, DateTimeOffset At)>? online = null)
    {
        var file = CaseFile.Read(record.CaseFileJson);
        return new MyCase(record.Id, record.CaseNumber, record.MatterName, record.Status, Designer.DryRunner.StatusName(record.Status), record.ReceivedAt, record.PromisedDue,
            Owed(record, file, catalog, calendar, online));
    }

    /// <summary>The progress answer for the applicant, shared by the public lookup and the signed-in view.</summary>
    public static async Task<ProgressView> ProgressAsync(GovFlowDb db, CaseRecord record, MatterCatalog catalog, WorkingCalendar calendar)
    {
        var file = CaseFile.Read(record.CaseFileJson);
        var steps = file.Steps.Select(s => new ProgressStep(s.Step, s.Action, s.End.ToString("O"), Result(s.Action))).ToList();
        var online = await Applications.OnlineApplications.SuppliedOnlineAsync(db, [record.Id], default);
        var canRate = await db.Bookmarks.AsNoTracking().AnyAsync(b => b.InstanceId == record.InstanceId && b.Name == Activities.Steps.RequestRating.RatingBookmark);
        var reasons = record.Status switch
        {
            CaseStatus.Refused => NoticeWriter.Reasons(file, null, "不符合法定条件"),
            CaseStatus.NotAccepted => NoticeWriter.Reasons(file, "NotAccepted", "不符合受理条件"),
            _ => null
        };
        return new ProgressView(record.Id, record.CaseNumber, record.MatterName, record.Department, record.Status, record.ReceivedAt, record.PromisedDue,
            record.CompletedAt, steps, file.Corrections, file.Waybill?.Status, file.Rating?.Level, canRate,
            Designer.DryRunner.StatusName(record.Status), reasons, Owed(record, file, catalog, calendar, online[record.Id]), file.Waybill?.Number);
    }

    /// <summary>
    /// What the applicant still owes: the last correction's materials while the case waits for them, and tolerance
    /// materials not yet supplied (still owed after a 容缺通过 decision, until supplied or the deadline acts). Those
    /// supplied online since the last notice are named as waiting for the window (<paramref name="online"/>).
    /// </summary>
    public static IReadOnlyList<OwedMaterials> Owed(CaseRecord record, CaseFile file, MatterCatalog catalog, WorkingCalendar calendar, IEnumerable<(string Material, DateTimeOffset At)>? online = null)
    {
        var owed = new List<OwedMaterials>();
        if (record.Status == CaseStatus.Correction && file.Corrections is [var first, ..] && file.Corrections[^1].Materials.Count > 0)
        {
            DateTimeOffset? by;
            try { by = NoticeWriter.CorrectionDeadline(calendar, first.NotifiedAt, catalog.Find(record.MatterCode)?.Matter).Deadline; }
            catch (CalendarYearMissingException) { by = null; }
            var last = file.Corrections[^1];
            var supplied = (online ?? []).Where(o => o.At >= last.NotifiedAt && last.Materials.Contains(o.Material)).Select(o => o.Material).Distinct().ToList();
            owed.Add(new OwedMaterials("补正", last.Materials, by, supplied));
        }
        if (file.Tolerance is { Supplied: false, Missing: { Count: > 0 } missing } tolerance 
            && record.Status is not (CaseStatus.Refused or CaseStatus.NotAccepted or CaseStatus.Withdrawn))
            owed.Add(new OwedMaterials("容缺", missing, tolerance.Deadline));
        return owed;
    }
}
