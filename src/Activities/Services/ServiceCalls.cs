using System.Text.Json;
using System.Text.Json.Nodes;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Activities.Services;

/// <summary>
/// Calls to external services as an outbox. An activity never calls a service while its step runs: it asks for
/// the call with a bookmark (<see cref="BookmarkName"/>) that the host stores in the same transaction as the rest
/// of the step. After the commit the host delivers the call through <see cref="ServiceCallDispatcher"/>, with the
/// bookmark id as the idempotency key, and resumes the bookmark with the reply. A crash before the call leaves the
/// bookmark to be delivered later; a crash after it repeats the call under the same key, which the service answers
/// as before — so nothing is lost and nothing happens twice.
/// </summary>
public static class ServiceCalls
{
    /// <summary>Bookmark of a call waiting to be delivered.</summary>
    public const string BookmarkName = "GovFlow.ServiceCall";

    /// <summary>Asks for a call of <paramref name="operation"/>; the activity is resumed with its reply (see <see cref="ReplyOf"/>).</summary>
    /// <param name="context">The asking activity.</param>
    /// <param name="operation">One of <see cref="ServiceCallDispatcher.Operations"/>.</param>
    /// <param name="request">The request, serialised as JSON.</param>
    /// <param name="then">What the activity does with the reply, when it makes several kinds of call.</param>
    /// <param name="memo">What the activity needs to remember until the reply comes.</param>
    public static Bookmark CallService(this ActivityExecutionContext context, string operation, object request, string? then = null, JsonObject? memo = null)
    {
        if (!ServiceCallDispatcher.Operations.ContainsKey(operation)) throw new ArgumentException($"No service operation '{operation}'.", nameof(operation));
        return context.CreateBookmark(BookmarkName, new JsonObject
        {
            ["operation"] = operation,
            ["request"] = JsonSerializer.SerializeToNode(request, JsonSerializerOptions.Web),
            ["then"] = then,
            ["memo"] = memo,
            // The reply continues this person's step, so the journal credits it to them.
            ["actor"] = context.Workflow.Actor
        });
    }

    /// <summary>Whether a bookmark is a service call.</summary>
    public static bool IsServiceCall(this Bookmark bookmark) => bookmark.Name == BookmarkName;

    /// <summary>What the activity asked for with a call bookmark.</summary>
    public static string? Then(this Bookmark bookmark) => bookmark.Payload?["then"]?.GetValue<string>();

    /// <summary>Who made the step that asked for the call (the reply's step is theirs), or null.</summary>
    public static string? RequestedBy(JsonObject payload) => payload["actor"]?.GetValue<string>();

    /// <summary>What the activity remembered with a call bookmark (an empty object when nothing).</summary>
    public static JsonObject Memo(this Bookmark bookmark) => bookmark.Payload?["memo"] as JsonObject ?? [];

    /// <summary>Reads the reply a call bookmark was resumed with.</summary>
    public static ServiceReply ReplyOf(object? input)
    {
        var node = input switch
        {
            JsonObject o => o,
            Dictionary<string, object?> d => Values.ToJson(d) as JsonObject,
            _ => null
        } ?? throw new BookmarkInputException("reply", "a service call is resumed with its reply");
        return node["error"] is JsonValue error
            ? new ServiceReply(null, error.GetValue<string>(), node["refused"]?.GetValue<bool>() == true)
            : new ServiceReply(node["result"]?.DeepClone(), null, false);
    }
}

/// <summary>The reply to a service call.</summary>
/// <param name="Result">The service's answer (null for calls without one) when it succeeded.</param>
/// <param name="Error">Why it failed, when it did.</param>
/// <param name="Refused">The service understood and refused the request (a bad address); retrying will not help.</param>
public sealed record ServiceReply(JsonNode? Result, string? Error, bool Refused)
{
    /// <summary>Whether the call succeeded.</summary>
    public bool Ok => Error is null;

    /// <summary>The result as a typed value.</summary>
    public T As<T>() => Result.Deserialize<T>(JsonSerializerOptions.Web) ?? throw new JsonException($"The reply has no {typeof(T).Name}.");

    /// <summary>The reply as resume input.</summary>
    public JsonObject ToJson() => Ok
        ? new JsonObject { ["result"] = Result?.DeepClone() }
        : new JsonObject { ["error"] = Error, ["refused"] = Refused };
}

/// <summary>What became of one delivery attempt.</summary>
/// <param name="Reply">The reply to resume the waiting activity with; null when the call must be tried again later.</param>
/// <param name="RetryReason">Why it is to be tried again (the service is unreachable and the call must be delivered).</param>
public sealed record ServiceCallOutcome(ServiceReply? Reply, string? RetryReason);

/// <summary>
/// Delivers service calls to the typed service clients. A call the flow can do without (a lookup, a message)
/// replies with the failure once the client's own retries are spent, and the activity takes its "unavailable"
/// path; a call that must reach the other side (rating reports) is kept and tried again later.
/// </summary>
public sealed class ServiceCallDispatcher(IServiceProvider services)
{
    private delegate Task<JsonNode?> Call(IServiceProvider services, JsonNode request, string key, CancellationToken cancellationToken);

    private sealed record Operation(bool MustDeliver, Call Send);

    private static readonly Dictionary<string, Operation> Known = Table();

    /// <summary>Operations by name, and whether each must be delivered (retried until the service takes it).</summary>
    public static IReadOnlyDictionary<string, bool> Operations { get; } = Known.ToDictionary(p => p.Key, p => p.Value.MustDeliver);

    private static Dictionary<string, Operation> Table() => new()
    {
        ["certificate.lookup"] = new(false, async (s, r, key, ct) =>
            Serialize(await Get<ICertificateService>(s).LookupAsync(Read<CertificateQuery>(r), key, ct))),
        // No resident is null, which the lookup step reads as "not found".
        ["population.lookup"] = new(false, async (s, r, key, ct) =>
            Serialize(await Get<IPopulationService>(s).LookupAsync(Read<ResidentQuery>(r), key, ct))),
        ["certificate.issue"] = new(false, async (s, r, key, ct) =>
            Serialize(await Get<ICertificateService>(s).IssueAsync(Read<CertificateIssue>(r), key, ct))),
        ["mail.create"] = new(false, async (s, r, key, ct) =>
            Serialize(await Get<IMailingService>(s).CreateAsync(Read<WaybillRequest>(r), key, ct))),
        ["notify.send"] = new(false, async (s, r, key, ct) =>
        {
            await Get<INotificationService>(s).SendAsync(Text(r, "phone"), Text(r, "message"), key, ct);
            return null;
        }),
        ["rating.invite"] = new(true, async (s, r, key, ct) =>
            JsonValue.Create(await Get<IRatingService>(s).InviteAsync(Read<RatingInvitation>(r), key, ct))),
        ["rating.report"] = new(true, async (s, r, key, ct) =>
        {
            await Get<IRatingService>(s).ReportAsync(Text(r, "caseNumber"), r["level"]!.GetValue<int>(), r["comment"]?.GetValue<string>(), r["rectified"]?.GetValue<bool>() == true, key, ct);
            return null;
        })
    };

    /// <summary>Makes one delivery attempt of a call stored in a bookmark's payload.</summary>
    /// <param name="payload">The call bookmark's payload (operation and request).</param>
    /// <param name="idempotencyKey">The call's key (its bookmark id): the service answers a repeat as the first time.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public async Task<ServiceCallOutcome> DeliverAsync(JsonObject payload, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        var name = payload["operation"]?.GetValue<string>() ?? "";
        if (!Known.TryGetValue(name, out var operation))
            return new(new ServiceReply(null, $"unknown service operation '{name}'", Refused: true), null);
        var request = payload["request"] ?? new JsonObject();
        try
        {
            return new(new ServiceReply(await operation.Send(services, request, idempotencyKey, cancellationToken), null, false), null);
        }
        catch (ServiceUnavailableException ex) when (operation.MustDeliver)
        {
            return new(null, ex.Message);
        }
        catch (ServiceUnavailableException ex)
        {
            return new(new ServiceReply(null, ex.Message, Refused: false), null);
        }
        catch (Exception ex) when (ex is ArgumentException or KeyNotFoundException or JsonException or InvalidOperationException)
        {
            return new(new ServiceReply(null, ex.Message, Refused: true), null);
        }
    }

    private static T Get<T>(IServiceProvider s) where T : notnull =>
        s.GetService(typeof(T)) is T service ? service : throw new InvalidOperationException($"No {typeof(T).Name} is configured.");

    private static T Read<T>(JsonNode request) => request.Deserialize<T>(JsonSerializerOptions.Web) ?? throw new JsonException($"The request is not a {typeof(T).Name}.");

    private static string Text(JsonNode request, string name) => request[name]?.GetValue<string>() ?? throw new JsonException($"The request has no {name}.");

    private static JsonNode? Serialize<T>(T value) => JsonSerializer.SerializeToNode(value, JsonSerializerOptions.Web);
}
