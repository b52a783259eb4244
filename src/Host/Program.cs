using GovFlow.Activities.Matters;
using GovFlow.Host;
using GovFlow.Host.Api;
using GovFlow.Host.Cli;
using GovFlow.Host.ElsaApi;
using GovFlow.Host.Operations;
using GovFlow.Host.Security;
using GovFlow.Host.Simulators;

// Commands run without a server; anything else starts the web host.
if (args.Length > 0 && Commands.TryRun(args, Console.Out, Console.Error, out var exitCode))
    return exitCode;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddGovFlowLogs(builder.Configuration);
if (builder.Configuration["urls"] is null && Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is null)
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = RequestGuards.MaxBodyBytes(builder.Configuration));
// Every problem in the caller's language (Chinese by default), whoever wrote it: handlers, the framework, the guards.
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = GovFlow.Host.Api.ProblemLanguage.Apply);
builder.Services.AddExceptionHandler<GovFlow.Host.Api.ApiErrors>();
// The cookie for GovFlow's own pages and /api; bearer tokens for Elsa Studio's /elsa/api (the selector picks by path).
var authentication = builder.Services.AddAuthentication(GovFlow.Host.ElsaApi.StudioApi.SelectorScheme);
builder.Services.AddStudioApi(authentication, builder.Configuration);
authentication
    .AddCookie(o =>
    {
        o.Cookie.Name = "govflow";
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Lax;
        // Secure whenever the request came over HTTPS (directly, or through a proxy with forwarded headers on).
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
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
// Sessions live on the server (logout ends them), sign-in is guarded against guessing, and the anonymous lookups are rate-limited.
builder.Services.AddSingleton<GovFlow.Host.Security.SessionStore>();
GovFlow.Host.Security.SessionStore.Use(builder.Services);
builder.Services.AddSingleton(GovFlow.Host.Security.SignInOptions.From(builder.Configuration));
builder.Services.AddSingleton<GovFlow.Host.Security.SignInGuard>();
builder.Services.AddRequestGuards(builder.Configuration);
// Numbers are numbers on the wire: the web default also reads them from strings, which makes every number in the
// OpenAPI document "integer or string" and every generated client type a union.
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict);
builder.Services.AddOpenApi();
builder.Services.AddGovFlowHealth();
builder.Services.AddGovFlowTelemetry(builder.Configuration);
var demo = builder.Configuration.GetValue("GovFlow:Demo", true);
builder.Services.AddGovFlow(builder.Configuration, builder.Environment.ContentRootPath);

var app = builder.Build();
// First, so the one line per request sees the final status, whatever answered it.
app.UseGovFlowRequestLogs();
app.UseRequestGuards();
app.UseExceptionHandler();
app.UseStatusCodePages();
// Validate the catalog before serving, so invalid matters stop the start-up with every problem listed.
app.Services.GetRequiredService<MatterCatalog>();
GovFlow.Host.Persistence.Database.Migrate(app.Services);
// Personal data not yet under the current SM4 key (older rows, an older key) is encrypted before anyone reads it; a
// missing or wrong key stops the start here, with what to set.
var protectedRows = await GovFlow.Host.Persistence.Database.ProtectPersonalDataAsync(app.Services, app.Configuration, always: args is ["protect-personal-data", ..]);
// protect-personal-data: the same rewrite as a command (after adding a key version and making it current), then exit.
if (args is ["protect-personal-data", ..])
{
    Console.Out.WriteLine($"已将 {protectedRows} 行个人信息置于 SM4 密钥 {app.Services.GetRequiredService<PersonalDataProtector>().CurrentVersion} 之下。");
    return 0;
}
// create-admin NAME: the first administrator, on the configured database, with a one-time password printed once.
if (args is ["create-admin", ..])
    return await AdminCommand.RunAsync(app.Services, args[1..], Console.Out, Console.Error);
// No journal signing key outside demo mode stops the start here, with what to set, not at the first case.
app.Services.GetRequiredService<JournalKeys>();
using (var scope = app.Services.CreateScope())
{
    var db = scope.ServiceProvider.GetRequiredService<GovFlow.Host.Persistence.GovFlowDb>();
    if (demo) await DemoUsers.SeedAsync(db, app.Services.GetRequiredService<MatterCatalog>(), app.Services.GetRequiredService<SimulatedWorld>());
    if (demo) await GovFlow.Host.Queue.QueueDemo.SeedAsync(db);
    // Out of demo mode, the demo accounts (public password) are disabled, however the database came to have them.
    else await DemoUsers.DisableAsync(db, app.Services.GetRequiredService<MatterCatalog>(), app.Services.GetRequiredService<SimulatedWorld>(), app.Services.GetRequiredService<SessionStore>());
}
using (var scope = app.Services.CreateScope())
{
    await app.Services.GetRequiredService<GovFlow.Host.Persistence.DefinitionVersions>().SyncAsync(scope.ServiceProvider.GetRequiredService<GovFlow.Host.Persistence.GovFlowDb>());
    await app.Services.GetRequiredService<GovFlow.Host.Cases.CalendarNotices>().SyncAsync(scope.ServiceProvider.GetRequiredService<GovFlow.Host.Persistence.GovFlowDb>());
}
app.UseDefaultFiles();
app.UseStaticFiles();
// Studio's WebAssembly host calls /elsa/api from its own origin (GovFlow:Studio:Origins).
app.UseCors();
app.UseAuthentication();
app.UsePasswordChangeGate();
app.UseAuthorization();
app.UseRateLimiter();
app.UseMiddleware<FormDataGuard>();
app.MapGovFlowHealth();
app.MapGovFlowMetrics();
app.MapOpenApi();
app.UseSwaggerUI(o => { o.SwaggerEndpoint("/openapi/v1.json", "GovFlow API"); o.RoutePrefix = "api/docs"; });
app.MapMatters();
app.MapActivityDescriptors();
app.MapAuth(demo);
app.MapCaseApi();
app.MapDocumentApi();
app.MapTasks();
app.MapIncidents();
app.MapAdmin();
app.MapMessageTemplates();
app.MapSupervision();
GovFlow.Host.Proactive.ProactiveEndpoints.MapProactive(app);
GovFlow.Host.Priority.PriorityEndpoints.MapPriority(app);
app.MapPublicApi();
app.MapApplicantApi();
app.MapOnlineApplications();
app.MapDefinitions();
app.MapDesigner();
app.MapDryRun();
app.MapQueue();
app.MapStudioApi();
// The simulated services exist only for the demo (or where the operator asks for them, with no real services to
// call); production configures GovFlow:Services:*:BaseAddress.
if (builder.Configuration.GetValue("GovFlow:Simulators:Enabled", demo)) app.MapSimulators();
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
    TypedResults.Problem($"没有这个接口：/api/{rest}", statusCode: StatusCodes.Status404NotFound, title: "没有这个接口");

/// <summary>The host's entry point (public for the test host).</summary>
public partial class Program;
