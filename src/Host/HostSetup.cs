using GovFlow.Activities;
using GovFlow.Activities.Calendar;
using GovFlow.Activities.Matters;
using GovFlow.Activities.Services;
using GovFlow.Host.Persistence;
using GovFlow.Host.Scheduling;
using GovFlow.Host.Simulators;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Host;

/// <summary>Composes the engine, the GovFlow activities, the matters and the service clients for the host.</summary>
public static class HostSetup
{
    /// <summary>Registers GovFlow's services.</summary>
    public static IServiceCollection AddGovFlow(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddSingleton(_ => WorkingCalendar.Load(configuration["GovFlow:CalendarDir"]));
        services.AddSingleton(_ => GovFlowActivities.CreateRegistry());
        services.AddSingleton<InMemoryWorkflowDefinitionStore>();
        services.AddSingleton<Persistence.DefinitionVersions>();
        services.AddHostedService<Persistence.DefinitionFollower>();
        services.AddHostedService<Cases.RedCardSweep>();
        services.AddSingleton(sp => new WorkflowCompiler(sp.GetRequiredService<ActivityRegistry>(), Workflows.Expressions.ExpressionEvaluators.CreateDefault(), sp.GetRequiredService<InMemoryWorkflowDefinitionStore>()));
        services.AddSingleton(sp => LoadCatalog(configuration, contentRoot, sp.GetRequiredService<ActivityRegistry>(), sp.GetRequiredService<InMemoryWorkflowDefinitionStore>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("GovFlow.Matters")));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => Security.JournalKeys.From(configuration));
        services.AddGovFlowDatabase(configuration);
        services.AddGovFlowScheduling(configuration);
        services.AddScoped<Cases.CaseService>();
        services.AddScoped<Cases.CaseMigrations>();
        services.AddSingleton(sp => new ServiceCallDispatcher(sp));
        services.AddSingleton(new Cases.OutboxOptions { DeliverInline = configuration.GetValue("GovFlow:Outbox:DeliverInline", true) });
        services.AddSingleton<Demo.DemoData>();
        services.AddSingleton(_ => new SimulatedWorld());
        services.AddHttpClient();
        var self = configuration["GovFlow:PublicUrl"] ?? "http://127.0.0.1:5080";
        services.AddSingleton<ICertificateService>(sp => new HttpCertificateService(Client(sp), Endpoint(configuration, "Certificates", self + "/sim/certificates/")));
        services.AddSingleton<IMailingService>(sp => new HttpMailingService(Client(sp), Endpoint(configuration, "Mailing", self + "/sim/mail/")));
        services.AddSingleton<IRatingService>(sp => new HttpRatingService(Client(sp), Endpoint(configuration, "Rating", self + "/sim/ratings/")));
        services.AddSingleton<INotificationService>(sp => new HttpNotificationService(Client(sp), Endpoint(configuration, "Notification", self + "/sim/notify/")));
        return services;
    }

    /// <summary>The folder of matters: configured, or the nearest <c>workflows-json</c> above the content root.</summary>
    public static string MattersDirectory(IConfiguration configuration, string contentRoot)
    {
        if (configuration["GovFlow:Matters"] is { Length: > 0 } configured) return Path.GetFullPath(configured, contentRoot);
        for (var dir = new DirectoryInfo(contentRoot); dir != null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "workflows-json"))) return Path.Combine(dir.FullName, "workflows-json");
        return Path.Combine(contentRoot, "workflows-json");
    }

    private static MatterCatalog LoadCatalog(IConfiguration configuration, string contentRoot, ActivityRegistry registry, InMemoryWorkflowDefinitionStore store, ILogger logger)
    {
        var directory = MattersDirectory(configuration, contentRoot);
        logger.LogInformation("Loading service matters from {Directory}", directory);
        var catalog = MatterCatalog.Load(directory, registry, store);
        if (catalog.Problems.Count > 0)
            throw new InvalidOperationException($"The service matters in {directory} are invalid; nothing starts until every problem is fixed:{Environment.NewLine}"
                + string.Join(Environment.NewLine, catalog.Problems));
        logger.LogInformation("{Count} service matters valid", catalog.Entries.Count);
        return catalog;
    }

    private static HttpClient Client(IServiceProvider sp) => sp.GetRequiredService<IHttpClientFactory>().CreateClient("govflow-services");

    private static ServiceEndpointOptions Endpoint(IConfiguration configuration, string name, string fallback)
    {
        var section = configuration.GetSection($"GovFlow:Services:{name}");
        return new ServiceEndpointOptions
        {
            BaseAddress = new Uri(section["BaseAddress"] ?? fallback),
            Timeout = TimeSpan.FromSeconds(section.GetValue("TimeoutSeconds", 5.0)),
            Retries = section.GetValue("Retries", 3)
        };
    }
}
