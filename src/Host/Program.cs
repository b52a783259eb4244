using GovFlow.Host.Cli;

// Commands run without a server; anything else starts the web host.
if (args.Length > 0 && Commands.TryRun(args, Console.Out, Console.Error, out var exitCode))
    return exitCode;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://127.0.0.1:5080");
var app = builder.Build();
app.MapGet("/health", () => Results.Ok(new { status = "Healthy" }));
await app.RunAsync();
return 0;
