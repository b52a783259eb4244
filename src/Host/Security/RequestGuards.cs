using System.Globalization;
using System.Threading.RateLimiting;
using GovFlow.Host.Cases;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Caching.Memory;

namespace GovFlow.Host.Security;

/// <summary>
/// What every request passes before it reaches an endpoint: writes only from GovFlow's own pages (or from clients
/// that are not browsers), security headers on every answer, per-address limits on the anonymous lookups, and the
/// proxy's forwarded headers when the operator says a TLS proxy stands in front.
/// </summary>
public static class RequestGuards
{
    /// <summary>The rate-limiting policy of the anonymous endpoints (progress lookup, public rating).</summary>
    public const string PublicPolicy = "public";

    /// <summary>
    /// The page's policy: scripts only from GovFlow itself; inline styles, which Ant Design and React Flow write at
    /// run time; no framing anywhere.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    // The API browser (Swagger UI) starts itself with an inline script.
    private const string ApiDocsPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

    /// <summary>Registers the rate limiter, the progress lookup's lock and the forwarded-headers options.</summary>
    public static IServiceCollection AddRequestGuards(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = configuration.GetSection("GovFlow:RateLimits");
        var permits = limits.GetValue("PublicPerMinute", 30);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(PublicPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.OnRejected = async (context, cancellationToken) =>
            {
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? (int)Math.Ceiling(retry.TotalSeconds) : 60;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await Results.Problem($"查询过于频繁，请于 {seconds} 秒后再试", statusCode: StatusCodes.Status429TooManyRequests, title: "请求过于频繁")
                    .ExecuteAsync(context.HttpContext);
            };
        });
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            foreach (var proxy in configuration.GetSection("GovFlow:ForwardedHeaders:KnownProxies").Get<string[]>() ?? [])
                o.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
        });
        services.AddSingleton(_ => new ProgressGuard(limits.GetValue("ProgressFailures", 5), TimeSpan.FromMinutes(limits.GetValue("ProgressLockMinutes", 15.0))));
        return services;
    }

    /// <summary>Puts the guards in the pipeline (before authentication and the endpoints).</summary>
    public static WebApplication UseRequestGuards(this WebApplication app)
    {
        if (app.Configuration.GetValue("GovFlow:ForwardedHeaders:Enabled", false)) app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        var maxBody = MaxBodyBytes(app.Configuration);
        // An applicant's file may be larger than any JSON body; its own limit is checked again on the file.
        var maxUpload = Math.Max(maxBody, Applications.UploadOptions.From(app.Configuration).MaxBytes + Applications.UploadOptions.Framing);
        app.Use(async (http, next) =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments("/api/docs") ? ApiDocsPolicy : ContentSecurityPolicy;
            if (CrossSiteWrite(http.Request) is { } why)
            {
                await Results.Problem($"拒绝来自其他网站的写操作（{why}）", statusCode: StatusCodes.Status403Forbidden, title: "跨站请求被拒绝").ExecuteAsync(http);
                return;
            }
            var upload = HttpMethods.IsPost(http.Request.Method) && http.Request.Path.Equals(Applications.UploadOptions.Path, StringComparison.OrdinalIgnoreCase);
            var limit = upload ? maxUpload : maxBody;
            if (upload && http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = maxUpload;
            if (http.Request.ContentLength > limit)
            {
                await Results.Problem($"请求内容过大（上限 {limit / 1024 / 1024} MB）", statusCode: StatusCodes.Status413PayloadTooLarge, title: "请求内容过大").ExecuteAsync(http);
                return;
            }
            if (NotJson(http.Request))
            {
                await Results.Problem("请求内容必须是 JSON（Content-Type: application/json）", statusCode: StatusCodes.Status415UnsupportedMediaType, title: "不支持的内容类型").ExecuteAsync(http);
                return;
            }
            await next(http);
        });
        return app;
    }

    /// <summary>
    /// After authentication: a session on a one-time password may only change it (and sign out, say who it is, and
    /// read what anyone may read); every other API call is refused 403 until then.
    /// </summary>
    public static WebApplication UsePasswordChangeGate(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (http.User.HasClaim(Caller.MustChangePasswordClaim, "true") && http.Request.Path.StartsWithSegments("/api")
                && !http.Request.Path.StartsWithSegments("/api/auth") && http.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is null
                && RequiresSignIn(http))
            {
                await Results.Problem("请先修改初始密码", statusCode: StatusCodes.Status403Forbidden, title: "须修改密码").ExecuteAsync(http);
                return;
            }
            await next(http);
        });
        return app;
    }

    // What anyone may read (the catalog, the calendar) is not work that waits for the new password.
    private static bool RequiresSignIn(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>() is not null;

    /// <summary>The largest request body accepted (<c>GovFlow:MaxRequestBodyBytes</c>, 8 MB by default); Kestrel enforces it on chunked bodies too.</summary>
    public static long MaxBodyBytes(IConfiguration configuration) => configuration.GetValue("GovFlow:MaxRequestBodyBytes", 8L * 1024 * 1024);

    /// <summary>
    /// Why a state-changing request comes from another site, or null. A browser names the page that sent a request
    /// (Sec-Fetch-Site, Origin); a request that names another origin is refused, whatever its cookie. Clients that are
    /// not browsers send neither header and are judged by their credentials alone.
    /// </summary>
    public static string? CrossSiteWrite(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)) return null;
        // Elsa Studio's API is authenticated by bearer tokens only, never by the cookie, so a page on another site has
        // no credentials to borrow there; Studio's WebAssembly host calls it from its own origin (CORS decides which).
        if (request.Path.StartsWithSegments(ElsaApi.StudioApi.BasePath)) return null;
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site is "cross-site" or "same-site") return $"Sec-Fetch-Site: {site}";
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return null;
        if (origin == "null") return "Origin: null";
        return Uri.TryCreate(origin, UriKind.Absolute, out var o) && string.Equals(o.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"Origin: {origin}";
    }

    /// <summary>
    /// Whether a write to GovFlow's API (or Elsa Studio's, but for its file import) carries a body that is not JSON. Every write of the API takes JSON; a form
    /// or a text/plain body is what a page on another site can send without asking, so it is refused (415).
    /// </summary>
    public static bool NotJson(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)) return false;
        var studio = request.Path.StartsWithSegments(ElsaApi.StudioApi.BasePath);
        // Studio uploads definition files as a form to its import path; everything else of both APIs takes JSON.
        if (studio && request.Path.StartsWithSegments(ElsaApi.StudioApi.BasePath + "/workflow-definitions/import-files")) return false;
        // An applicant's material is a file.
        if (request.Path.Equals(Applications.UploadOptions.Path, StringComparison.OrdinalIgnoreCase)) return false;
        if (!(studio || request.Path.StartsWithSegments("/api")) || request.ContentLength == 0 || (request.ContentLength is null && !request.Headers.TransferEncoding.Any())) return false;
        return request.ContentType is not { } type || !Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(type, out var media)
            || !(media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>
/// Locks a case number's anonymous progress lookup after too many wrong ID numbers, so an ID cannot be found by
/// trying (the address limit slows guessing; this stops it for that case). The lock is per node.
/// </summary>
public sealed class ProgressGuard(int maxFailures, TimeSpan lockFor) : IDisposable
{
    private readonly MemoryCache _failures = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    /// <summary>Refuses (423) a case number locked for lookups.</summary>
    public void Check(string caseNumber)
    {
        if (_failures.TryGetValue(caseNumber, out Counter? c) && c!.Count >= maxFailures)
            throw new LockedException($"该办件编号的查询错误次数过多，已暂停查询 {lockFor.TotalMinutes:0} 分钟，请稍后再试或到窗口查询");
    }

    /// <summary>Counts a lookup of the case number whose ID number did not match.</summary>
    public void Failed(string caseNumber)
    {
        var counter = _failures.GetOrCreate(caseNumber, e =>
        {
            e.Size = 1;
            e.AbsoluteExpirationRelativeToNow = lockFor;
            return new Counter();
        })!;
        Interlocked.Increment(ref counter.Count);
    }

    /// <inheritdoc />
    public void Dispose() => _failures.Dispose();

    private sealed class Counter
    {
        public int Count;
    }
}
