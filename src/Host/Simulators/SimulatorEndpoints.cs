using System.Text.RegularExpressions;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Services;
using GovFlow.Activities.Steps;
using GovFlow.Host.Api.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GovFlow.Host.Simulators;

/// <summary>
/// HTTP simulators of the external services GovFlow calls: the certificate library, the population database, the mailing service, the
/// rating system and the message platform, under <c>/sim/...</c>, with switches to take a service down or slow it.
/// </summary>
public static partial class SimulatorEndpoints
{
    [GeneratedRegex(@"^1[3-9]\d{9}$")]
    private static partial Regex MobilePattern();

    /// <summary>Maps every simulator.</summary>
    public static void MapSimulators(this IEndpointRouteBuilder app)
    {
        var sim = app.MapGroup("/sim").WithTags("Simulators").AddEndpointFilter(async (context, next) =>
        {
            var world = context.HttpContext.RequestServices.GetRequiredService<SimulatedWorld>();
            var service = context.HttpContext.Request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) ?? "";
            if (!context.HttpContext.Request.Path.Value!.EndsWith("/outage", StringComparison.Ordinal) && world.Outages.TryGetValue(service, out var outage))
            {
                if (outage.DelayMs > 0) await Task.Delay(outage.DelayMs, context.HttpContext.RequestAborted);
                if (outage.Down) return Results.Problem($"{service} simulator is down", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            return await next(context);
        });

        sim.MapPost("/{service}/outage", SetOutage);
        sim.MapPost("/certificates/certificates/query", Lookup);
        sim.MapGet("/certificates/holders/{holderCode}", Holder);
        sim.MapPost("/certificates/certificates", Issue);
        sim.MapPost("/population/residents/query", LookupResident);
        sim.MapPost("/population/residents/search", SearchResidents);
        sim.MapPost("/mail/waybills", CreateWaybill);
        sim.MapGet("/mail/waybills/{number}", GetWaybill);
        sim.MapPost("/mail/waybills/track", TrackWaybills);
        sim.MapPost("/mail/waybills/{number}/status", SetWaybillStatus);
        sim.MapPost("/ratings/invitations", Invite);
        sim.MapPost("/ratings/ratings", Report);
        sim.MapPost("/notify/messages", Send);
    }

    private static Results<Ok<OutageState>, NotFound> SetOutage(string service, Outage body, SimulatedWorld world)
    {
        if (service is not ("certificates" or "population" or "mail" or "ratings" or "notify")) return TypedResults.NotFound();
        world.Outages[service] = (body.Down, Math.Clamp(body.DelayMs, 0, 60_000));
        return TypedResults.Ok(new OutageState(service, body.Down, body.DelayMs));
    }

    private static Results<Ok<IReadOnlyList<Certificate>>, ValidationProblem> Lookup(CertificateLookup body, SimulatedWorld world, HttpRequest http) =>
        Once<Results<Ok<IReadOnlyList<Certificate>>, ValidationProblem>>(http, world, "lookup", () =>
        {
            var (holderCode, holderType, type, reason, caseNumber, @operator) = body;
            if (string.IsNullOrWhiteSpace(holderCode)) return Invalid("holderCode", "持证主体代码必填");
            if (string.IsNullOrWhiteSpace(type)) return Invalid("type", "证照类型代码必填");
            if (string.IsNullOrWhiteSpace(reason) || reason.Length > 200) return Invalid("reason", "用证事由必填，且不超过200字");
            world.Uses.Enqueue(new CertificateQuery(holderCode, holderType ?? "111", type, null, reason, caseNumber, @operator));
            return TypedResults.Ok(world.Find(holderCode, type));
        });

    private static Results<Ok<IReadOnlyList<Certificate>>, NotFound> Holder(string holderCode, SimulatedWorld world) =>
        world.Of(holderCode) is { Count: > 0 } list ? TypedResults.Ok(list) : TypedResults.NotFound();

    private static Results<Created<Certificate>, ValidationProblem> Issue(CertificateIssue issue, SimulatedWorld world, HttpRequest http) =>
        Once<Results<Created<Certificate>, ValidationProblem>>(http, world, "issue", () =>
        {
            if (string.IsNullOrWhiteSpace(issue.HolderCode) || string.IsNullOrWhiteSpace(issue.TypeCode)) return Invalid("holderCode", "持证主体和证照类型必填");
            if (issue.ValidYears is < -100 or > 100) return Invalid("validYears", "有效年限须在 -100 至 100 年之间");
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            var c = world.Issue(issue.HolderCode, issue.TypeCode, issue.HolderName, issue.Issuer, today, issue.ValidYears is { } y ? today.AddYears(y) : null, issue.Data, issue.HolderType, typeName: issue.TypeName);
            return TypedResults.Created($"/sim/certificates/certificates/{c.Id}", c);
        });

    private static Results<Ok<Resident>, NotFound, ValidationProblem> LookupResident(ResidentQuery query, SimulatedWorld world, TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(query.IdNumber)) return Invalid("idNumber", "公民身份号码必填");
        if (string.IsNullOrWhiteSpace(query.Reason) || query.Reason.Length > 200) return Invalid("reason", "查询事由必填，且不超过200字");
        world.PopulationUses.Enqueue(query);
        return world.Residents.TryGetValue(query.IdNumber.Trim().ToUpperInvariant(), out var r) ? TypedResults.Ok(r.On(ChinaTime.Date(clock.GetUtcNow()))) : TypedResults.NotFound();
    }

    private static Results<Ok<List<Resident>>, ValidationProblem> SearchResidents(ResidentSearch search, SimulatedWorld world, TimeProvider clock)
    {
        if (search.BornTo < search.BornFrom || search.BornTo.DayNumber - search.BornFrom.DayNumber > 366) return Invalid("bornTo", "出生日期范围须在一年以内");
        if (string.IsNullOrWhiteSpace(search.Reason)) return Invalid("reason", "查询事由必填");
        var today = ChinaTime.Date(clock.GetUtcNow());
        return TypedResults.Ok(world.Residents.Values
            .Where(r => r.BirthDate >= search.BornFrom && r.BirthDate <= search.BornTo
                && (search.HukouCity is not { Length: > 0 } city || r.HukouCity == city) && (search.HukouDistrict is not { Length: > 0 } district || r.HukouDistrict == district))
            .OrderBy(r => r.IdNumber, StringComparer.Ordinal).Select(r => r.On(today)).ToList());
    }

    private static Results<Created<Waybill>, BadRequest<string>> CreateWaybill(WaybillRequest request, SimulatedWorld world, HttpRequest http) =>
        Once<Results<Created<Waybill>, BadRequest<string>>>(http, world, "waybill", () =>
        {
            if (!SendByPost.LooksDeliverable(request.ReceiverAddress) || request.ReceiverAddress.Contains("查无此地", StringComparison.Ordinal))
                return TypedResults.BadRequest($"地址无法投递：{request.ReceiverAddress}");
            var waybill = new Waybill(world.NextWaybillNumber(), "created", "已下单，等待揽收", DateTimeOffset.UtcNow);
            world.Waybills[waybill.Number] = waybill;
            return TypedResults.Created($"/sim/mail/waybills/{waybill.Number}", waybill);
        });

    private static Results<Ok<Waybill>, NotFound> GetWaybill(string number, SimulatedWorld world) =>
        Moved(number, world) is { } waybill ? TypedResults.Ok(waybill) : TypedResults.NotFound();

    // The statuses of many waybills at once, as EMS's batch tracking answers: numbers it does not know are left out.
    private static Ok<List<Waybill>> TrackWaybills(WaybillNumbers body, SimulatedWorld world) =>
        // Numbers it does not know (none, blank, or someone else's) are simply not in the answer, as the carrier does.
        TypedResults.Ok((body.Numbers ?? []).Where(n => !string.IsNullOrWhiteSpace(n)).Distinct().Select(n => Moved(n, world)).OfType<Waybill>().ToList());

    private static Waybill? Moved(string number, SimulatedWorld world)
    {
        if (!world.Waybills.TryGetValue(number, out var w)) return null;
        // Mail moves on with time: collected after a minute, in transit after two, delivered after five.
        var age = DateTimeOffset.UtcNow - w.UpdatedAt;
        var next = w.Status switch
        {
            "created" when age > TimeSpan.FromMinutes(1) => w with { Status = "collected", Detail = "已揽收", UpdatedAt = DateTimeOffset.UtcNow },
            "collected" when age > TimeSpan.FromMinutes(1) => w with { Status = "inTransit", Detail = "运输中", UpdatedAt = DateTimeOffset.UtcNow },
            "inTransit" when age > TimeSpan.FromMinutes(3) => w with { Status = "delivered", Detail = "已签收", UpdatedAt = DateTimeOffset.UtcNow },
            _ => w
        };
        world.Waybills[number] = next;
        return next;
    }

    private static Results<Ok<Waybill>, NotFound, ValidationProblem> SetWaybillStatus(string number, WaybillStatus body, SimulatedWorld world)
    {
        if (!world.Waybills.TryGetValue(number, out var w)) return TypedResults.NotFound();
        if (body.Status is not ("created" or "collected" or "inTransit" or "delivered" or "returned" or "failed"))
            return Invalid("status", $"'{body.Status}' is not a waybill status");
        return TypedResults.Ok(world.Waybills[number] = w with { Status = body.Status, Detail = body.Detail, UpdatedAt = DateTimeOffset.UtcNow });
    }

    private static Ok<InvitationCreated> Invite(RatingInvitation invitation, SimulatedWorld world, HttpRequest http) =>
        Once(http, world, "invitation", () => TypedResults.Ok(new InvitationCreated("INV-" + invitation.CaseNumber)));

    private static Results<Accepted, ValidationProblem> Report(RatingReport report, SimulatedWorld world, HttpRequest http) =>
        Once<Results<Accepted, ValidationProblem>>(http, world, "rating", () =>
        {
            if (report.Level is < 1 or > 5) return Invalid("level", "评价等级为1-5");
            world.Ratings.Enqueue((report.CaseNumber, report.Level, report.Comment, report.Rectified));
            return TypedResults.Accepted((string?)null);
        });

    private static Results<Accepted, BadRequest<string>> Send(MessageRequest message, SimulatedWorld world, HttpRequest http) =>
        Once<Results<Accepted, BadRequest<string>>>(http, world, "message", () =>
        {
            if (!MobilePattern().IsMatch(message.Phone ?? "")) return TypedResults.BadRequest($"手机号无效：{message.Phone}");
            world.Messages.Enqueue((message.Phone!, message.Message ?? "", DateTimeOffset.UtcNow));
            return TypedResults.Accepted((string?)null);
        });

    private static ValidationProblem Invalid(string field, string message) => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>Runs a call once per idempotency key (when the caller sends one), answering repeats as the first time.</summary>
    private static T Once<T>(HttpRequest request, SimulatedWorld world, string service, Func<T> call) where T : IResult
    {
        var key = request.Headers[ResilientSender.IdempotencyHeader].ToString();
        if (key.Length is 0 or > 200) return call();
        if (world.Answered.Count >= SimulatedWorld.MaxAnswers) world.Answered.Clear();
        // One service name, one handler: what is stored under its keys is always that handler's result type.
        return (T)world.Answered.GetOrAdd(service + ":" + key, _ => new Lazy<IResult>(() => call())).Value;
    }

    /// <summary>Outage switch.</summary>
    public sealed record Outage(bool Down, int DelayMs);

    /// <summary>A certificate query (用证): whose certificates of which type, why, for which case and by whom.</summary>
    /// <param name="HolderCode">The holder's ID number or credit code.</param>
    /// <param name="HolderType">111 (resident ID) unless given.</param>
    /// <param name="Type">The certificate type code.</param>
    /// <param name="Reason">用证事由.</param>
    /// <param name="CaseNumber">The case it is used in.</param>
    /// <param name="Operator">Who asked.</param>
    public sealed record CertificateLookup(string? HolderCode, string? HolderType, string? Type, string? Reason, string? CaseNumber, string? Operator);

    /// <summary>The waybills whose statuses are asked for at once.</summary>
    /// <param name="Numbers">Waybill numbers.</param>
    public sealed record WaybillNumbers(IReadOnlyList<string> Numbers);

    /// <summary>A waybill status change.</summary>
    public sealed record WaybillStatus(string Status, string? Detail);

    /// <summary>A rating reported to the national system.</summary>
    public sealed record RatingReport(string CaseNumber, int Level, string? Comment, bool Rectified);

    /// <summary>A message.</summary>
    public sealed record MessageRequest(string? Phone, string? Message);
}
