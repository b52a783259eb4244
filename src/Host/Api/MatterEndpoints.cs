using System.Globalization;
using System.Text.Json.Nodes;
using GovFlow.Activities.Calendar;
using GovFlow.Activities.Matters;
using GovFlow.Activities.Supervision;
using GovFlow.Host.Api.Contracts;
using GovFlow.Host.Cases;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GovFlow.Host.Api;

/// <summary>The service-matter catalog and the working-day calendar over HTTP.</summary>
public static class MatterEndpoints
{
    /// <summary>Maps /api/matters and /api/calendar.</summary>
    public static void MapMatters(this IEndpointRouteBuilder app)
    {
        var matters = app.MapGroup("/api/matters").WithTags("Matters");
        matters.MapGet("/", List);
        // 通办: the matters the calling window's hall may accept (the acceptance form offers only these).
        matters.MapGet("/acceptable", Acceptable).RequireAuthorization(p => p.RequireRole(Security.Roles.Window));
        matters.MapGet("/{code}", Get);
        // The flow of a matter is public, as the matter is (事项清单): the case page and the catalog draw it.
        matters.MapGet("/{code}/flow", Flow).Produces<JsonObject>(StatusCodes.Status200OK, "application/json");

        var calendar = app.MapGroup("/api/calendar").WithTags("Calendar");
        calendar.MapGet("/add-working-days", AddWorkingDays);
        calendar.MapGet("/working-days-between", WorkingDaysBetween);
        calendar.MapGet("/years", Years);
        calendar.MapGet("/years/{year:int}", Year);
        calendar.MapPost("/years", LoadNotice).RequireAuthorization(p => p.RequireRole(Security.Roles.Policy));
    }

    // What is in force for a year: its notice, or the statute's days while the notice is not loaded.
    private static Results<Ok<CalendarYearView>, ProblemHttpResult> Year(int year, WorkingCalendar cal)
    {
        if (!StatutoryHolidays.Supports(year))
            return TypedResults.Problem($"{year} 年不在可计算的范围内", statusCode: StatusCodes.Status422UnprocessableEntity, title: "年份超出可计算范围");
        // Read once: a notice another node publishes meanwhile must not mix into this answer.
        var notice = cal.Notice(year);
        var y = notice ?? StatutoryHolidays.Provisional(year);
        return TypedResults.Ok(new CalendarYearView(year, y.Source, notice is null,
            y.Holidays.Select(h => new CalendarHoliday(h.Name, WorkingCalendar.Format(h.From), WorkingCalendar.Format(h.To))).ToList(),
            y.Workdays.Select(w => new CalendarWorkday(WorkingCalendar.Format(w.Date), w.For)).ToList()));
    }

    // Policy staff load a year's State Council notice; every open case the year touches is counted again and journaled.
    private static async Task<Ok<NoticeLoaded>> LoadNotice(HolidayYear notice, HttpContext http, NoticeLoading loading) =>
        TypedResults.Ok(await loading.LoadAsync(notice, Security.Caller.From(http.User).UserName, http.RequestAborted));

    private static async Task<Ok<IReadOnlyList<string>>> Acceptable(HttpContext http, Persistence.GovFlowDb db, MatterCatalog catalog) =>
        TypedResults.Ok(Security.Caller.From(http.User).Department is { } hall
            ? await HallScope.AcceptableAsync(db, catalog, hall, http.RequestAborted)
            : (IReadOnlyList<string>)[.. catalog.Entries.Select(e => e.Matter.Code)]);

    private static Ok<IEnumerable<MatterSummary>> List(MatterCatalog catalog) => TypedResults.Ok(catalog.Entries.Select(Summary));

    private static Results<Ok<MatterDetail>, ProblemHttpResult> Get(string code, MatterCatalog catalog) =>
        catalog.Find(code) is { } e
            ? TypedResults.Ok(Detail(e))
            : Unknown(code);

    /// <summary>The guide (办事指南), every coded element named in the hall's words.</summary>
    internal static MatterDetail Detail(CatalogEntry e)
    {
        var m = e.Matter;
        return new MatterDetail(m, e.Definition.DefinitionId, e.Definition.Version, e.File, m.TypeName, MatterCodes.CaseTypes.GetValueOrDefault(m.CaseType),
            MatterCodes.Levels.GetValueOrDefault(m.Level),
            [.. m.ServiceObjects.Select(c => MatterCodes.ServiceObjects.GetValueOrDefault(c, c))],
            [.. m.HandlingForms.Select(c => MatterCodes.HandlingForms.GetValueOrDefault(c, c))],
            m.Steps.Where(s => s.Role is { Length: > 0 }).Select(s => s.Role!).Distinct()
                .ToDictionary(r => r, r => Security.Roles.Names.GetValueOrDefault(r, r)));
    }

    // The definition's own Elsa JSON, written as GovFlow exports it (not re-serialized), hence text.
    private static Results<ContentHttpResult, ProblemHttpResult> Flow(string code, MatterCatalog catalog) =>
        catalog.Find(code) is { } e ? TypedResults.Text(Workflows.Serialization.WorkflowJson.Write(e.Definition), "application/json") : Unknown(code);

    private static Results<Ok<CalendarDate>, ValidationProblem, ProblemHttpResult> AddWorkingDays(string? from, string? days, WorkingCalendar cal)
    {
        if (Date(from, "from") is { } bad) return bad;
        if (!int.TryParse(days, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n is < 0 or > 3650)
            return Field("days", "days 须为 0 至 3650 的整数");
        return Compute(() =>
        {
            var date = cal.AddWorkingDays(Parse(from!), n);
            return new CalendarDate(WorkingCalendar.Format(date), cal.IsProvisional(Parse(from!), date));
        });
    }

    private static Results<Ok<WorkingDayCount>, ValidationProblem, ProblemHttpResult> WorkingDaysBetween(string? from, string? to, WorkingCalendar cal)
    {
        if (Date(from, "from") is { } badFrom) return badFrom;
        if (Date(to, "to") is { } badTo) return badTo;
        return Compute(() => new WorkingDayCount(cal.WorkingDaysBetween(Parse(from!), Parse(to!)), cal.IsProvisional(Parse(from!), Parse(to!))));
    }

    private static Ok<IEnumerable<int>> Years(WorkingCalendar cal) => TypedResults.Ok<IEnumerable<int>>(cal.Years.Order());

    /// <summary>The list view of a matter.</summary>
    public static MatterSummary Summary(CatalogEntry e)
    {
        var m = e.Matter;
        return new MatterSummary(m.Code, m.Name, m.Type, m.TypeName, m.Department, m.Level, m.CaseType, Limit(m.PromisedLimit), Limit(m.StatutoryLimit),
            new CatalogFlags(m.Flags.Appointment, m.Flags.OnlinePayment, m.Flags.CourierDelivery, m.Flags.OnlineHandling,
                m.Tolerance != null, m.Parallel != null, m.InstantApprovalRules.Count > 0, m.Materials.Any(x => x.CertificateReplaceable), m.CrossRegionScope),
            e.Definition.DefinitionId);
    }

    private static MatterLimit Limit(TimeLimit limit) => new(limit.Value, limit.Unit.ToString(), limit.ToString());

    private static ProblemHttpResult Unknown(string code) =>
        TypedResults.Problem($"没有编码为 {code} 的事项", statusCode: StatusCodes.Status404NotFound, title: "没有这个事项");

    private static DateOnly Parse(string date) => DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    // Dates a hall's calendar can mean; far years only overflowed the arithmetic.
    private static readonly DateOnly Earliest = new(1900, 1, 1), Latest = new(2199, 12, 31);

    private static ValidationProblem? Date(string? text, string field) =>
        !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? Field(field, $"{field} 须为 YYYY-MM-DD 格式的日期")
        : date < Earliest || date > Latest ? Field(field, $"{field} 须在 1900-01-01 至 2199-12-31 之间")
        : null;

    private static ValidationProblem Field(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "日期或天数填写有误");

    private static Results<Ok<T>, ValidationProblem, ProblemHttpResult> Compute<T>(Func<T> compute)
    {
        try { return TypedResults.Ok(compute()); }
        catch (CalendarYearMissingException ex) { return TypedResults.Problem($"{ex.Year} 年的节假日安排尚未发布，也不在可按法定节假日推算的年份内", statusCode: StatusCodes.Status422UnprocessableEntity, title: "年份超出可计算范围"); }
    }
}
