using GovFlow.Host.Security;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace GovFlow.Host.ElsaApi;

/// <summary>
/// Elsa Studio's server API on GovFlow, under <c>/elsa/api</c>: policy staff design, save, publish and inspect
/// GovFlow's matters in the real Elsa Studio. Bearer tokens authenticate it (the rest of GovFlow keeps its cookie);
/// policy staff get the links that make Studio editable, auditors a read-only Studio; nobody else signs in.
/// </summary>
public static class StudioApi
{
    /// <summary>Where the API answers; Studio's <c>Backend:Url</c> is this on GovFlow's address.</summary>
    public const string BasePath = "/elsa/api";

    /// <summary>The bearer scheme of the Studio API.</summary>
    public const string Scheme = "StudioBearer";

    /// <summary>The scheme that picks bearer for /elsa/api and the cookie for everything else.</summary>
    public const string SelectorScheme = "GovFlow";

    /// <summary>The CORS policy of Studio's WebAssembly origins.</summary>
    public const string CorsPolicy = "studio";

    /// <summary>The Elsa Server version Studio is told (its login page asks for it).</summary>
    public const string PackageVersion = "3.5.0";

    /// <summary>Registers the options, the token service, the bearer scheme and the CORS policy.</summary>
    public static IServiceCollection AddStudioApi(this IServiceCollection services, Microsoft.AspNetCore.Authentication.AuthenticationBuilder authentication, IConfiguration configuration)
    {
        services.AddSingleton(_ => StudioOptions.From(configuration));
        services.AddSingleton<StudioTokens>();
        services.AddScoped<StudioDesigner>();
        // The designer records which Studio user saved, published or retracted a version.
        services.AddHttpContextAccessor();
        authentication
            .AddPolicyScheme(SelectorScheme, null, o => o.ForwardDefaultSelector = http =>
                http.Request.Path.StartsWithSegments(BasePath) && http.RequestServices.GetRequiredService<StudioOptions>().Enabled
                    ? Scheme
                    : Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationDefaults.AuthenticationScheme)
            .AddJwtBearer(Scheme, o =>
            {
                // Claims keep the names they have in the token (name, role), as Studio reads them.
                o.MapInboundClaims = false;
                o.RequireHttpsMetadata = false;
            });
        services.AddOptions<JwtBearerOptions>(Scheme).Configure<StudioTokens>((o, tokens) =>
        {
            o.TokenValidationParameters = tokens.AccessParameters();
            o.Events = new JwtBearerEvents { OnTokenValidated = StudioIdentity.StillFitAsync };
        });
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<StudioOptions>((o, studio) =>
            o.AddPolicy(CorsPolicy, p => p.WithOrigins([.. studio.Origins]).AllowAnyHeader().AllowAnyMethod().WithExposedHeaders("Content-Disposition")));
        return services;
    }

    /// <summary>Maps /elsa/api, or logs why it is off.</summary>
    public static void MapStudioApi(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<StudioOptions>();
        if (!options.Enabled)
        {
            app.Logger.LogWarning("{Reason}", options.Off);
            // Not the web UI's page either: a Studio pointed here is told plainly that the API is off.
            app.MapFallback($"{BasePath}/{{**rest}}", () => Results.Problem("Elsa Studio 接口未开启：请配置 GovFlow:Studio:SigningKey", statusCode: StatusCodes.Status404NotFound, title: "Not found"));
            return;
        }
        app.Logger.LogInformation("Elsa Studio API on {Path}; browser origins allowed: {Origins}", BasePath, options.Origins.Count == 0 ? "(none)" : string.Join(", ", options.Origins));
        // Elsa's contract, not GovFlow's: it stays out of GovFlow's OpenAPI document and generated client.
        var api = app.MapGroup(BasePath).RequireCors(CorsPolicy).ExcludeFromDescription();
        var read = api.MapGroup("").RequireAuthorization(p => p.AddAuthenticationSchemes(Scheme).RequireRole(Roles.Policy, Roles.Auditor));
        var write = api.MapGroup("").RequireAuthorization(p => p.AddAuthenticationSchemes(Scheme).RequireRole(Roles.Policy));
        StudioIdentity.Map(api);
        StudioFeatures.Map(read);
        StudioDefinitions.Map(read, write);
        StudioDescriptors.Map(read);
        // Cases are read by auditors, in Studio as in GovFlow's own API: a designer's token lists no applicant's case.
        StudioInstances.Map(api.MapGroup("").RequireAuthorization(p => p.AddAuthenticationSchemes(Scheme).RequireRole(Roles.Auditor)));
        StudioScripting.Map(read);
        // Whatever else Studio asks for (dashboards, optional modules) is a plain 404, which it tolerates.
        api.MapFallback(() => Results.NotFound());
    }

    /// <summary>Whether the caller may change definitions (and so gets the links that make Studio editable).</summary>
    public static bool CanDesign(HttpContext http) => http.User.IsInRole(Roles.Policy);

    /// <summary>A link in Elsa's shape, to a path under <see cref="BasePath"/>.</summary>
    public static StudioLink Link(string path, string rel, string method) => new($"{BasePath}/{path}", rel, method);
}

/// <summary>Elsa's link: what the caller may do next.</summary>
/// <param name="Href">Address.</param>
/// <param name="Rel">What it does (<c>publish</c>, <c>bulk-publish</c>, ...).</param>
/// <param name="Method">HTTP method.</param>
public sealed record StudioLink(string Href, string Rel, string Method);

/// <summary>Elsa's <c>ListResponse</c>.</summary>
/// <param name="Items">Items.</param>
/// <param name="Count">How many.</param>
public sealed record StudioList<T>(IReadOnlyList<T> Items, long Count)
{
    /// <summary>A list of everything given.</summary>
    public static StudioList<T> Of(IEnumerable<T> items)
    {
        T[] all = [.. items];
        return new StudioList<T>(all, all.Length);
    }
}

/// <summary>Elsa's <c>PagedListResponse</c>.</summary>
/// <param name="Items">One page.</param>
/// <param name="TotalCount">How many in all pages.</param>
/// <param name="Links">What the caller may do with the list.</param>
public sealed record StudioPage<T>(IReadOnlyList<T> Items, long TotalCount, IReadOnlyList<StudioLink> Links)
{
    /// <summary>A page (0-based, as Studio counts) of an ordered sequence.</summary>
    public static StudioPage<T> Of(IReadOnlyList<T> all, int? page, int? pageSize, IReadOnlyList<StudioLink> links)
    {
        var size = Math.Clamp(pageSize ?? 50, 1, 500);
        var skip = Math.Max(0, page ?? 0) * (long)size;
        return new StudioPage<T>([.. all.Skip((int)Math.Min(skip, int.MaxValue)).Take(size)], all.Count, links);
    }
}
