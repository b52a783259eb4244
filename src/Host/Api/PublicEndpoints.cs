using GovFlow.Activities.Calendar;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Matters;
using GovFlow.Activities.Steps;
using GovFlow.Host.Api.Contracts;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Api;

/// <summary>What applicants reach (progress, rating) and what supervisors read (metrics).</summary>
public static class PublicEndpoints
{
    /// <summary>Maps /api/progress, the rating endpoints and /api/metrics.</summary>
    public static void MapPublicApi(this IEndpointRouteBuilder app)
    {
        // POST with a JSON body: an ID number in a query string would reach access logs, proxies and browser history.
        app.MapPost("/api/progress", Progress).AllowAnonymous().RequireRateLimiting(RequestGuards.PublicPolicy).WithTags("Applicants");
        app.MapPost("/api/progress/rating", RatePublic).AllowAnonymous().RequireRateLimiting(RequestGuards.PublicPolicy).WithTags("Applicants");
        app.MapPost("/api/cases/{id}/rating", RateOwn).RequireAuthorization(p => p.RequireRole(Roles.Applicant)).WithTags("Applicants");
        app.MapGet("/api/metrics", MetricsOf).RequireAuthorization(p => p.RequireRole(Roles.Auditor, Roles.Policy)).WithTags("Metrics");
    }

    private static async Task<Ok<ProgressView>> Progress(ProgressLookup body, GovFlowDb db, ProgressGuard guard, MatterCatalog catalog, WorkingCalendar calendar) =>
        TypedResults.Ok(await ApplicantViews.ProgressAsync(db, await Own(db, guard, body.CaseNumber, body.IdNumber), catalog, calendar));

    private static async Task<Ok<RatingAccepted>> RatePublic(PublicRating body, GovFlowDb db, CaseService service, ProgressGuard guard)
    {
        var record = await Own(db, guard, body.CaseNumber, body.IdNumber);
        return await RateAsync(db, service, record, body.Level, body.Comment, body.Channel ?? "pc", "applicant:" + Security.PersonalData.MaskIdNumber(record.ApplicantIdType, record.ApplicantIdNumber));
    }

    private static async Task<Ok<RatingAccepted>> RateOwn(string id, RatingBody body, HttpContext http, GovFlowDb db, CaseService service)
    {
        var caller = Caller.From(http.User);
        var record = await db.Cases.FindAsync(id);
        if (record is null || record.ApplicantIdIndex != caller.IdIndex) throw new NotFoundException("没有这件办件");
        return await RateAsync(db, service, record, body.Level, body.Comment, body.Channel ?? "pc", caller.UserName);
    }

    private static async Task<Ok<MetricsView>> MetricsOf(string? from, string? to, GovFlowDb db, WorkingCalendar calendar, TimeProvider clock, MatterCatalog catalog)
    {
        var (start, end) = Range(from, to, clock);
        return TypedResults.Ok(await MetricRollups.ReadAsync(db, calendar, catalog, clock.GetUtcNow(), start, end));
    }

    private static async Task<CaseRecord> Own(GovFlowDb db, ProgressGuard guard, string? caseNumber, string? idNumber)
    {
        if (string.IsNullOrWhiteSpace(caseNumber)) throw new InputException("caseNumber", "请填写办件编号");
        if (string.IsNullOrWhiteSpace(idNumber)) throw new InputException("idNumber", "请填写证件号码");
        var number = caseNumber.Trim();
        if (number.Length > 40) throw new InputException("caseNumber", "办件编号不超过 40 个字符");
        guard.Check(number);
        var index = db.Protector!.IdIndex(idNumber);
        // One answer for a wrong number and for someone else's case, so case numbers cannot be probed.
        if (await db.Cases.AsNoTracking().FirstOrDefaultAsync(c => c.CaseNumber == number && c.ApplicantIdIndex == index) is { } found)
        {
            Operations.Logs.Concerns(found.CaseNumber);
            return found;
        }
        guard.Failed(number);
        throw new NotFoundException("办件编号与证件号码不匹配，未查到办件");
    }

    private static Task<BookmarkRecord?> OpenRating(GovFlowDb db, CaseRecord record) =>
        db.Bookmarks.AsNoTracking().FirstOrDefaultAsync(b => b.InstanceId == record.InstanceId && b.Name == RequestRating.RatingBookmark);

    private static async Task<Ok<RatingAccepted>> RateAsync(GovFlowDb db, CaseService service, CaseRecord record, int? level, string? comment, string channel, string actor)
    {
        if (level is not ({ } rated and >= 1 and <= 5)) throw new InputException("level", "评价等级为 1（非常满意）至 5（非常不满意）");
        var bookmark = await OpenRating(db, record) ?? throw new ConflictException($"办件 {record.CaseNumber} 现在不能评价（尚未办结，或已评价）");
        await service.ResumeAsync(bookmark.Id, new Dictionary<string, object?> { ["level"] = level, ["comment"] = comment, ["channel"] = channel }, actor);
        return TypedResults.Ok(new RatingAccepted(record.CaseNumber, rated, rated >= 4));
    }

    private static (DateTimeOffset From, DateTimeOffset To) Range(string? from, string? to, TimeProvider clock)
    {
        DateOnly Parse(string text, string field) =>
            !DateOnly.TryParseExact(text, "yyyy-MM-dd", out var d) ? throw new InputException(field, $"{field} 须为 YYYY-MM-DD 格式的日期")
            : d.Year is < 2000 or > 2100 ? throw new InputException(field, $"{field} 须在 2000 年至 2100 年之间")
            : d;
        var today = ChinaTime.Date(clock.GetUtcNow());
        var end = to is null ? today : Parse(to, "to");
        var start = from is null ? end.AddDays(-89) : Parse(from, "from");
        if (start > end) throw new InputException("from", "开始日期不能晚于结束日期");
        return (ChinaTime.ToMoment(start.ToDateTime(TimeOnly.MinValue)), ChinaTime.ToMoment(end.AddDays(1).ToDateTime(TimeOnly.MinValue)));
    }
}

/// <summary>The figures a hall is judged by (DOMAIN §11), over the cases received in a period.</summary>
public static class Metrics
{
    private static readonly string[] Done = [CaseStatus.Completed, CaseStatus.CompletedWithTolerance];

    // Where the applicant has to be in person: at a window, or at a self-service terminal in a hall.
    private static readonly string[] InPersonChannels = ["window", "selfService"];

    /// <summary>
    /// Computes the metrics over cases in memory: the reference definition of every figure, which
    /// <see cref="MetricRollups"/> answers from SQL; <paramref name="catalog"/> tells 即办件 from 承诺件 and which results are paper.
    /// </summary>
    public static MetricsView Compute(IReadOnlyList<CaseRecord> cases, WorkingCalendar calendar, DateTimeOffset now, DateTimeOffset from, DateTimeOffset to, MatterCatalog? catalog = null)
    {
        var completed = cases.Where(c => Done.Contains(c.Status) && c.CompletedAt != null).ToList();
        var timed = completed.Where(c => c.PromisedDue != null).ToList();
        // No cases to count is no figure ("—"), not 0 %: an empty period is not a hall that failed every case.
        double? Rate(int part, int whole) => whole == 0 ? null : Math.Round(100.0 * part / whole, 1);
        var files = cases.ToDictionary(c => c.Id, c => CaseFile.Read(c.CaseFileJson));
        var matters = cases.Select(c => c.MatterCode).Distinct().ToDictionary(code => code, code => catalog?.Find(code)?.Matter);
        var ratings = cases.Select(c => files[c.Id].Rating).OfType<RatingRecord>().Where(r => r.Level != null).ToList();
        var bad = ratings.Where(r => r.Level >= 4).ToList();
        var volumes = new CaseVolumes(
            Received: cases.Count,
            Accepted: cases.Count(c => c.AcceptedAt != null),
            Completed: completed.Count,
            Refused: cases.Count(c => c.Status == CaseStatus.Refused),
            NotAccepted: cases.Count(c => c.Status == CaseStatus.NotAccepted),
            Withdrawn: cases.Count(c => c.Status == CaseStatus.Withdrawn),
            InProgress: cases.Count(c => c.CompletedAt == null && c.Status is not (CaseStatus.NotAccepted or CaseStatus.Withdrawn or CaseStatus.Refused)));
        string TypeOf(CaseRecord c) => matters[c.MatterCode]?.CaseType ?? "2";
        var oneVisit = completed.Count(c => VisitsOf(c, files[c.Id], matters[c.MatterCode]) <= 1);
        return new MetricsView(
            from, to, volumes,
            OnTimeRate: Rate(timed.Count(c => c.CompletedAt <= c.PromisedDue), timed.Count),
            EarlyCompletionRate: Rate(timed.Count(c => ChinaTime.Date(c.CompletedAt!.Value) < ChinaTime.Date(c.PromisedDue!.Value)), timed.Count),
            OverdueRate: Rate(timed.Count(c => c.CompletedAt > c.PromisedDue), timed.Count),
            OverdueOpen: cases.Count(c => c.CompletedAt == null && c.PromisedDue < now),
            AverageHandlingWorkingDays: AverageDays(completed, files, calendar),
            Ratings: Enumerable.Range(1, 5).ToDictionary(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture), l => ratings.Count(r => r.Level == l)),
            SatisfactionRate: Rate(ratings.Count(r => r.Level <= 3), ratings.Count),
            RatingCoverage: Rate(ratings.Count, completed.Count),
            BadRatingRectificationRate: Rate(bad.Count(r => r.Rectification?.ClosedAt != null), bad.Count),
            ByMatter: cases.GroupBy(c => c.MatterName).Select(g => new MatterVolume(g.Key, g.Count(), g.Count(c => Done.Contains(c.Status))))
                .OrderByDescending(x => x.Received).ThenBy(x => x.Matter, StringComparer.Ordinal).ToList(),
            ByDepartment: cases.GroupBy(c => c.Department).Select(g => new DepartmentVolume(g.Key, g.Count(), g.Count(c => Done.Contains(c.Status))))
                .OrderByDescending(x => x.Received).ThenBy(x => x.Department, StringComparer.Ordinal).ToList(),
            ByWeek: cases.GroupBy(c => WeekOf(ChinaTime.Date(c.ReceivedAt)))
                .OrderBy(g => g.Key).Select(g => new WeekVolume(g.Key.ToString("yyyy-MM-dd"), g.Count(), g.Count(c => Done.Contains(c.Status)))).ToList())
        {
            ByCaseType = new[] { "1", "2" }.Select(type => new CaseTypeVolume(
                type == "1" ? CaseTypeVolume.Immediate : CaseTypeVolume.Promised,
                cases.Count(c => TypeOf(c) == type), completed.Count(c => TypeOf(c) == type),
                AverageDays(completed.Where(c => TypeOf(c) == type).ToList(), files, calendar))).ToList(),
            AtMostOneVisitRate = Rate(oneVisit, completed.Count),
        };
    }

    /// <summary>The Monday of the week of <paramref name="day"/>: the key of the volumes by week.</summary>
    public static DateOnly WeekOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    private static double? AverageDays(IReadOnlyList<CaseRecord> completed, IReadOnlyDictionary<string, CaseFile> files, WorkingCalendar calendar)
    {
        var days = completed.Select(c => HandlingWorkingDays(c, files[c.Id], calendar)).OfType<double>().ToList();
        return days.Count == 0 ? null : Math.Round(days.Average(), 1);
    }

    /// <summary>
    /// Working days from acceptance (受理) to completion, in working hours over the hours of a working day, so a case
    /// accepted at 17:00 and decided at 10:00 the next working day counts 0.2, not 1 or 0; the days the clock stood
    /// still (补正, special procedures) are not counted. Null for a case never accepted or in a year without a calendar.
    /// </summary>
    public static double? HandlingWorkingDays(CaseRecord c, CaseFile file, WorkingCalendar calendar)
    {
        if (c.AcceptedAt is not { } acceptedAt || c.CompletedAt is not { } completedAt) return null;
        try
        {
            var accepted = ChinaTime.Local(acceptedAt);
            var done = ChinaTime.Local(completedAt);
            var paused = file.Pauses.Sum(p =>
            {
                // A pause covers whole days: from its first day to the day the supplement came (the clock restarts the next day).
                var start = Max(p.Start.ToDateTime(TimeOnly.MinValue), accepted);
                var end = Min(p.End is { } e ? e.AddDays(1).ToDateTime(TimeOnly.MinValue) : done, done);
                return end > start ? calendar.WorkingHoursBetween(start, end) : 0;
            });
            return Math.Max(0, calendar.WorkingHoursBetween(accepted, done) - paused) / calendar.Hours.HoursPerDay;
        }
        catch (CalendarYearMissingException)
        {
            return null;
        }
    }

    /// <summary>
    /// The visits in person a completed case took (最多跑一次): applying at a window or a hall's terminal is one, each
    /// correction asked of such an applicant is one more (they bring the papers), and collecting a paper result at a
    /// window is one more unless it was handed over at once (即办件 applied in person), posted or issued electronically.
    /// Online, mobile, courier and proactive applications cost no visit.
    /// </summary>
    public static int VisitsOf(CaseRecord c, CaseFile file, ServiceMatter? matter)
    {
        var inPerson = InPersonChannels.Contains(c.Channel);
        var visits = inPerson ? 1 + file.Corrections.Count : 0;
        var paperResult = matter?.Result is { } result && string.IsNullOrEmpty(result.CertificateType);
        var handedAtOnce = inPerson && matter?.CaseType == "1";
        var posted = file.Waybill is { Item: "result" or null, Status: not ("returned" or "failed") };
        if (paperResult && !handedAtOnce && !posted) visits++;
        return visits;
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
