using GovFlow.Activities.Matters;
using GovFlow.Host;
using GovFlow.Host.Api;
using GovFlow.Host.Cli;
using GovFlow.Host.Simulators;

// Commands run without a server; anything else starts the web host.
if (args.Length > 0 && Commands.TryRun(args, Console.Out, Console.Error, out var exitCode))
    return exitCode;

var builder = WebApplication.CreateBuilder(args);
if (builder.Configuration["urls"] is null && Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is null)
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<GovFlow.Host.Api.ApiErrors>();
builder.Services.AddAuthentication(Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationDefaults.AuthenticationScheme)
    .AddCookie(o =>
    {
        o.Cookie.Name = "govflow";
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Lax;
        o.SlidingExpiration = true;
        // An API answers 401/403; it does not redirect to a login page.
        o.Events.OnRedirectToLogin = c => { c.Response.StatusCode = StatusCodes.Status401Unauthorized; return Task.CompletedTask; };
        o.Events.OnRedirectToAccessDenied = c => { c.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
    });
// The cookie's own format (data protection), read through a cache of recently read cookies.
builder.Services.AddOptions<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationDefaults.AuthenticationScheme)
    .Configure<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>((o, protection) => o.TicketDataFormat = new GovFlow.Host.Security.CachedTicketFormat(
        new Microsoft.AspNetCore.Authentication.TicketDataFormat(protection.CreateProtector("GovFlow.Cookies.v1"))));
builder.Services.AddAuthorization();
// Numbers are numbers on the wire: the web default also reads them from strings, which makes every number in the
// OpenAPI document "integer or string" and every generated client type a union.
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict);
builder.Services.AddOpenApi();
builder.Services.AddHealthChecks()
    .AddCheck<GovFlow.Host.Persistence.DatabaseHealth>("database")
    .AddCheck<GovFlow.Host.Scheduling.SchedulerHealth>("scheduler");
var demo = builder.Configuration.GetValue("GovFlow:Demo", true);
builder.Services.AddGovFlow(builder.Configuration, builder.Environment.ContentRootPath);

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
// Validate the catalog before serving, so invalid matters stop the start-up with every problem listed.
app.Services.GetRequiredService<MatterCatalog>();
GovFlow.Host.Persistence.Database.Migrate(app.Services);
if (demo)
{
    using var scope = app.Services.CreateScope();
    await GovFlow.Host.Security.DemoUsers.SeedAsync(scope.ServiceProvider.GetRequiredService<GovFlow.Host.Persistence.GovFlowDb>(), app.Services.GetRequiredService<MatterCatalog>(), app.Services.GetRequiredService<SimulatedWorld>());
}
using (var scope = app.Services.CreateScope())
{
    await app.Services.GetRequiredService<GovFlow.Host.Persistence.DefinitionVersions>().SyncAsync(scope.ServiceProvider.GetRequiredService<GovFlow.Host.Persistence.GovFlowDb>());
    await app.Services.GetRequiredService<GovFlow.Host.Cases.CalendarNotices>().SyncAsync(scope.ServiceProvider.GetRequiredService<GovFlow.Host.Persistence.GovFlowDb>());
}
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseAuthentication();
app.UseAuthorization();
app.MapHealthChecks("/health");
app.MapOpenApi();
app.UseSwaggerUI(o => { o.SwaggerEndpoint("/openapi/v1.json", "GovFlow API"); o.RoutePrefix = "api/docs"; });
app.MapMatters();
app.MapActivityDescriptors();
app.MapAuth(demo);
app.MapCaseApi();
app.MapTasks();
app.MapIncidents();
app.MapSupervision();
app.MapPublicApi();
app.MapDefinitions();
app.MapSimulators();
// The web UI is a single-page app: any other path that is not an API path gets its page.
app.MapFallbackToFile("index.html");
app.MapFallback("/api/{**rest}", NoSuchEndpoint);
if (demo && builder.Configuration.GetValue("GovFlow:DemoCases", 240) is var demoCases and > 0)
{
    // The simulators answer once the server listens, so demo cases are seeded after start-up, with progress in the log.
    app.Lifetime.ApplicationStarted.Register(() => _ = Task.Run(() =>
        app.Services.GetRequiredService<GovFlow.Host.Demo.DemoData>().SeedAsync(demoCases, app.Lifetime.ApplicationStopping)));
}
var scheduler = app.Services.GetService<GovFlow.Host.Scheduling.SchedulerHost>();
await app.RunAsync();
// The host has stopped. The threads of a scheduler it had to leave running (Quartz retrying a database that has
// gone) must not keep the process alive after SIGTERM.
if (scheduler is { LeftRunning: true }) Environment.Exit(0);
return 0;

static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NoSuchEndpoint(string rest) =>
    TypedResults.Problem($"No API endpoint /api/{rest}.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

/// <summary>The host's entry point (public for the test host).</summary>
public partial class Program;
