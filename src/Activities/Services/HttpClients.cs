using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace GovFlow.Activities.Services;

/// <summary>How a client reaches its service: base address, per-attempt timeout, retries with exponential backoff.</summary>
public sealed class ServiceEndpointOptions
{
    /// <summary>Base address, e.g. http://127.0.0.1:5080/sim/certificates/.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>Timeout of one attempt.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries after the first attempt.</summary>
    public int Retries { get; set; } = 3;

    /// <summary>First backoff; doubled each retry.</summary>
    public TimeSpan Backoff { get; set; } = TimeSpan.FromMilliseconds(200);
}

/// <summary>Sends a request with a timeout per attempt and retries transient failures (network errors, timeouts, 408, 429, 5xx).</summary>
public sealed class ResilientSender(HttpClient http, ServiceEndpointOptions options, string service)
{
    private static readonly JsonSerializerOptions WebJson = JsonSerializerOptions.Web;

    /// <summary>The service name used in errors.</summary>
    public string Service { get; } = service;

    /// <summary>Sends; returns the first non-transient response, or throws <see cref="ServiceUnavailableException"/>.</summary>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        Exception? last = null;
        for (var attempt = 0; attempt <= options.Retries; attempt++)
        {
            if (attempt > 0) await Task.Delay(options.Backoff * Math.Pow(2, attempt - 1), cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Timeout);
            try
            {
                var message = request();
                if (options.BaseAddress != null && message.RequestUri is { IsAbsoluteUri: false } relative)
                    message.RequestUri = new Uri(options.BaseAddress, relative);
                var response = await http.SendAsync(message, timeout.Token);
                if (response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
                {
                    last = new HttpRequestException($"HTTP {(int)response.StatusCode}");
                    response.Dispose();
                    continue;
                }
                return response;
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                last = new TimeoutException($"no answer within {options.Timeout.TotalSeconds:0.#} s", ex);
            }
            catch (HttpRequestException ex)
            {
                last = ex;
            }
        }
        throw new ServiceUnavailableException(Service, $"{last?.Message} after {options.Retries + 1} attempts", last);
    }

    /// <summary>Reads a JSON body, or fails as unavailable when the service answers nonsense.</summary>
    public async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try { return await response.Content.ReadFromJsonAsync<T>(WebJson, cancellationToken) ?? throw new JsonException("empty body"); }
        catch (JsonException ex) { throw new ServiceUnavailableException(Service, "unreadable answer: " + ex.Message, ex); }
    }

    /// <summary>The header that carries the idempotency key.</summary>
    public const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>Adds the idempotency key, when there is one, so the service answers a repeat as the first call.</summary>
    public static HttpRequestMessage Keyed(HttpRequestMessage message, string? idempotencyKey)
    {
        if (idempotencyKey is { Length: > 0 }) message.Headers.Add(IdempotencyHeader, idempotencyKey);
        return message;
    }

    /// <summary>A JSON request.</summary>
    public static HttpRequestMessage Json<T>(HttpMethod method, string path, T body) =>
        new(method, path) { Content = JsonContent.Create(body, options: JsonSerializerOptions.Web) };
}

/// <summary>
/// Client of the certificate library: POST certificates/query (holderCode, holderType, type, reason, caseNumber,
/// operator in a JSON body, so no ID number is in a URL that access logs and proxies keep), POST certificates.
/// </summary>
public sealed class HttpCertificateService(HttpClient http, ServiceEndpointOptions options) : ICertificateService
{
    private readonly ResilientSender _send = new(http, options, "电子证照库");

    /// <inheritdoc />
    public async Task<IReadOnlyList<Certificate>> LookupAsync(CertificateQuery q, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        var body = new { holderCode = q.HolderCode, holderType = q.HolderType, type = q.CertificateType, reason = q.UseReason, caseNumber = q.CaseNumber ?? "", @operator = q.Operator ?? "" };
        using var response = await _send.SendAsync(() => ResilientSender.Keyed(ResilientSender.Json(HttpMethod.Post, "certificates/query", body), idempotencyKey), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return [];
        if (!response.IsSuccessStatusCode) throw new ArgumentException($"电子证照库 refused the query: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        return await _send.ReadAsync<List<Certificate>>(response, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Certificate> IssueAsync(CertificateIssue issue, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        using var response = await _send.SendAsync(() => ResilientSender.Keyed(ResilientSender.Json(HttpMethod.Post, "certificates", issue), idempotencyKey), cancellationToken);
        if (!response.IsSuccessStatusCode) throw new ArgumentException($"电子证照库 refused to issue: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        return await _send.ReadAsync<Certificate>(response, cancellationToken);
    }
}

/// <summary>
/// Client of the population database: POST residents/query (the ID number in a JSON body, never in a URL; 404 when
/// nobody has it), POST residents/search.
/// </summary>
public sealed class HttpPopulationService(HttpClient http, ServiceEndpointOptions options) : IPopulationService
{
    private readonly ResilientSender _send = new(http, options, "人口库");

    /// <inheritdoc />
    public async Task<Resident?> LookupAsync(ResidentQuery query, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        using var response = await _send.SendAsync(() => ResilientSender.Keyed(ResilientSender.Json(HttpMethod.Post, "residents/query", query), idempotencyKey), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        if (!response.IsSuccessStatusCode) throw new ArgumentException($"人口库 refused the query: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        return await _send.ReadAsync<Resident>(response, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Resident>> SearchAsync(ResidentSearch search, CancellationToken cancellationToken = default)
    {
        using var response = await _send.SendAsync(() => ResilientSender.Json(HttpMethod.Post, "residents/search", search), cancellationToken);
        if (!response.IsSuccessStatusCode) throw new ArgumentException($"人口库 refused the search: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        return await _send.ReadAsync<List<Resident>>(response, cancellationToken);
    }
}

/// <summary>
/// Client of the mailing service: POST waybills (400 for an undeliverable address), GET waybills/{number}, and POST
/// waybills/track with the numbers for the statuses of many at once.
/// </summary>
public sealed class HttpMailingService(HttpClient http, ServiceEndpointOptions options) : IMailingService
{
    private readonly ResilientSender _send = new(http, options, "邮政寄递服务");

    /// <inheritdoc />
    public async Task<Waybill> CreateAsync(WaybillRequest request, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        using var response = await _send.SendAsync(() => ResilientSender.Keyed(ResilientSender.Json(HttpMethod.Post, "waybills", request), idempotencyKey), cancellationToken);
        if (response.StatusCode == HttpStatusCode.BadRequest) throw new ArgumentException(await response.Content.ReadAsStringAsync(cancellationToken));
        response.EnsureSuccessStatusCode();
        return await _send.ReadAsync<Waybill>(response, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Waybill> TrackAsync(string number, CancellationToken cancellationToken = default)
    {
        using var response = await _send.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"waybills/{Uri.EscapeDataString(number)}"), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) throw new KeyNotFoundException($"No waybill {number}.");
        response.EnsureSuccessStatusCode();
        return await _send.ReadAsync<Waybill>(response, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Waybill>> TrackManyAsync(IReadOnlyCollection<string> numbers, CancellationToken cancellationToken = default)
    {
        if (numbers.Count == 0) return [];
        using var response = await _send.SendAsync(() => ResilientSender.Json(HttpMethod.Post, "waybills/track", new { numbers }), cancellationToken);
        response.EnsureSuccessStatusCode();
        return await _send.ReadAsync<List<Waybill>>(response, cancellationToken);
    }
}

/// <summary>Client of the rating system: POST invitations, POST ratings.</summary>
public sealed class HttpRatingService(HttpClient http, ServiceEndpointOptions options) : IRatingService
{
    private readonly ResilientSender _send = new(http, options, "好差评系统");

    /// <inheritdoc />
    public async Task<string> InviteAsync(RatingInvitation invitation, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        using var response = await _send.SendAsync(() => ResilientSender.Keyed(ResilientSender.Json(HttpMethod.Post, "invitations", invitation), idempotencyKey), cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await _send.ReadAsync<Dictionary<string, string>>(response, cancellationToken)).GetValueOrDefault("id", "");
    }

    /// <inheritdoc />
    public async Task ReportAsync(string caseNumber, int level, string? comment, bool rectified, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        using var response = await _send.SendAsync(() => ResilientSender.Keyed(ResilientSender.Json(HttpMethod.Post, "ratings", new { caseNumber, level, comment, rectified }), idempotencyKey), cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}

/// <summary>Client of the message service: POST messages.</summary>
public sealed class HttpNotificationService(HttpClient http, ServiceEndpointOptions options) : INotificationService
{
    private readonly ResilientSender _send = new(http, options, "短信平台");

    /// <inheritdoc />
    public async Task SendAsync(string phone, string message, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        using var response = await _send.SendAsync(() => ResilientSender.Keyed(ResilientSender.Json(HttpMethod.Post, "messages", new { phone, message }), idempotencyKey), cancellationToken);
        if (response.StatusCode == HttpStatusCode.BadRequest) throw new ArgumentException(await response.Content.ReadAsStringAsync(cancellationToken));
        response.EnsureSuccessStatusCode();
    }
}
