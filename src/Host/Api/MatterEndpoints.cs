using System.Globalization;
using GovFlow.Activities.Calendar;
using GovFlow.Activities.Matters;

namespace GovFlow.Host.Api;

/// <summary>The service-matter catalog and the working-day calendar over HTTP.</summary>
public static class MatterEndpoints
{
    /// <summary>Maps /api/matters and /api/calendar.</summary>
    public static void MapMatters(this IEndpointRouteBuilder app)
    {
        var matters = app.MapGroup("/api/matters").WithTags("Matters");
        matters.MapGet("/", (MatterCatalog catalog) => catalog.Entries.Select(e => Summary(e)));
        matters.MapGet("/{code}", (string code, MatterCatalog catalog) =>
            catalog.Find(code) is { } e
                ? Results.Ok(new { e.Matter, definitionId = e.Definition.DefinitionId, version = e.Definition.Version, file = e.File, typeName = e.Matter.TypeName, caseTypeName = MatterCodes.CaseTypes.GetValueOrDefault(e.Matter.CaseType) })
                : Results.Problem($"No service matter has the code '{code}'.", statusCode: StatusCodes.Status404NotFound, title: "Matter not found"));

        // The flow of a matter is public, as the matter is (事项清单): the case page and the catalog draw it.
        matters.MapGet("/{code}/flow", (string code, MatterCatalog catalog) =>
            catalog.Find(code) is { } e
                ? Results.Text(GovFlow.Workflows.Serialization.WorkflowJson.Write(e.Definition), "application/json")
                : Results.Problem($"No service matter has the code '{code}'.", statusCode: StatusCodes.Status404NotFound, title: "Matter not found"));

        var calendar = app.MapGroup("/api/calendar").WithTags("Calendar");
        calendar.MapGet("/add-working-days", (string? from, string? days, WorkingCalendar cal) =>
        {
            if (Date(from, "from") is { } bad) return bad;
            if (!int.TryParse(days, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n is < 0 or > 3650)
                return Field("days", "days must be a whole number from 0 to 3650");
            return Compute(() => new { date = WorkingCalendar.Format(cal.AddWorkingDays(DateOnly.ParseExact(from!, "yyyy-MM-dd", CultureInfo.InvariantCulture), n)) });
        });
        calendar.MapGet("/working-days-between", (string? from, string? to, WorkingCalendar cal) =>
        {
            if (Date(from, "from") is { } badFrom) return badFrom;
            if (Date(to, "to") is { } badTo) return badTo;
            return Compute(() => new { days = cal.WorkingDaysBetween(DateOnly.ParseExact(from!, "yyyy-MM-dd", CultureInfo.InvariantCulture), DateOnly.ParseExact(to!, "yyyy-MM-dd", CultureInfo.InvariantCulture)) });
        });
        calendar.MapGet("/years", (WorkingCalendar cal) => cal.Years.Order());
    }

    /// <summary>The list view of a matter.</summary>
    public static object Summary(CatalogEntry e) => new
    {
        code = e.Matter.Code,
        name = e.Matter.Name,
        type = e.Matter.Type,
        typeName = e.Matter.TypeName,
        department = e.Matter.Department,
        level = e.Matter.Level,
        caseType = e.Matter.CaseType,
        promisedLimit = new { e.Matter.PromisedLimit.Value, unit = e.Matter.PromisedLimit.Unit.ToString(), text = e.Matter.PromisedLimit.ToString() },
        statutoryLimit = new { e.Matter.StatutoryLimit.Value, unit = e.Matter.StatutoryLimit.Unit.ToString(), text = e.Matter.StatutoryLimit.ToString() },
        flags = new
        {
            e.Matter.Flags.Appointment, e.Matter.Flags.OnlinePayment, e.Matter.Flags.CourierDelivery, e.Matter.Flags.OnlineHandling,
            tolerance = e.Matter.Tolerance != null, parallel = e.Matter.Parallel != null, instantApproval = e.Matter.InstantApprovalRules.Count > 0,
            certificateFree = e.Matter.Materials.Any(m => m.CertificateReplaceable), crossRegion = e.Matter.CrossRegionScope
        },
        definitionId = e.Definition.DefinitionId
    };

    private static IResult? Date(string? text, string field) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? null : Field(field, $"{field} must be a date as YYYY-MM-DD");

    private static IResult Field(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: $"Bad '{field}'");

    private static IResult Compute(Func<object> compute)
    {
        try { return Results.Ok(compute()); }
        catch (CalendarYearMissingException ex) { return Results.Problem(ex.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Calendar year not loaded"); }
    }
}
