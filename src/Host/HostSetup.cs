using GovFlow.Activities;
using GovFlow.Activities.Calendar;
using GovFlow.Activities.Matters;
using GovFlow.Activities.Services;
using GovFlow.Host.Persistence;
using GovFlow.Host.Scheduling;
using GovFlow.Host.Simulators;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Host;

/// <summary>Composes the engine, the GovFlow activities, the matters and the service clients for the host.</summary>
public static class HostSetup
{
    /// <summary>Registers GovFlow's services.</summary>
    public static IServiceCollection AddGovFlow(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddGovFlowLimits(configuration);
        services.AddSingleton(_ => WorkingCalendar.Load(configuration["GovFlow:CalendarDir"]));
        services.AddSingleton(_ => GovFlowActivities.CreateRegistry());
        services.AddSingleton<InMemoryWorkflowDefinitionStore>();
        services.AddSingleton<Persistence.DefinitionVersions>();
        services.AddHostedService<Persistence.DefinitionFollower>();
        services.AddSingleton<Cases.CalendarNotices>();
        services.AddHostedService<Cases.CalendarFollower>();
        services.AddScoped<Cases.NoticeLoading>();
        services.AddHostedService<Cases.RedCardSweep>();
        services.AddHostedService<Persistence.TaskTallyFolder>();
        services.AddHostedService<Api.MetricRollupRefresher>();
        services.AddSingleton(ExpressionEvaluators.CreateDefault(ExpressionSettings(configuration)));
        services.AddSingleton(sp => new WorkflowCompiler(sp.GetRequiredService<ActivityRegistry>(), sp.GetRequiredService<ExpressionEvaluators>(), sp.GetRequiredService<InMemoryWorkflowDefinitionStore>()));
        // One validator guards import, drafts, publishing, dry runs and Elsa Studio's saves.
        services.AddSingleton<Activities.Matters.MatterValidator>();
        services.AddSingleton(sp => LoadCatalog(configuration, contentRoot, sp.GetRequiredService<ActivityRegistry>(), sp.GetRequiredService<InMemoryWorkflowDefinitionStore>(), sp.GetRequiredService<ExpressionEvaluators>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("GovFlow.Matters")));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => Security.JournalKeys.From(configuration));
        services.AddGovFlowDatabase(configuration);
        services.AddGovFlowScheduling(configuration);
        services.AddScoped<Cases.CaseService>();
        services.AddScoped<Applications.OnlineApplications>();
        services.AddSingleton(Applications.UploadOptions.From(configuration));
        services.AddSingleton(Documents.DocumentOptions.From(configuration));
        services.AddSingleton<Documents.CaseNotices>();
        services.AddScoped<Cases.CaseMigrations>();
        services.AddScoped<People.Administration>();
        services.AddScoped<Priority.PriorityRegister>();
        services.AddScoped<Queue.QueueService>();
        services.AddSingleton(sp => new ServiceCallDispatcher(sp));
        services.AddSingleton(new Cases.OutboxOptions { DeliverInline = configuration.GetValue("GovFlow:Outbox:DeliverInline", true) });
        services.AddSingleton<Demo.DemoData>();
        services.AddSingleton(_ => new SimulatedWorld());
        services.AddHttpClient();
        services.AddSingleton<ICertificateService>(sp => new HttpCertificateService(Client(sp), Endpoint(configuration, "Certificates", Self(sp, configuration) + "/sim/certificates/")));
        services.AddSingleton<IPopulationService>(sp => new HttpPopulationService(Client(sp), Endpoint(configuration, "Population", Self(sp, configuration) + "/sim/population/")));
        services.AddSingleton<IMailingService>(sp => new HttpMailingService(Client(sp), Endpoint(configuration, "Mailing", Self(sp, configuration) + "/sim/mail/")));
        services.AddSingleton<IRatingService>(sp => new HttpRatingService(Client(sp), Endpoint(configuration, "Rating", Self(sp, configuration) + "/sim/ratings/")));
        services.AddSingleton<INotificationService>(sp => new HttpNotificationService(Client(sp), Endpoint(configuration, "Notification", Self(sp, configuration) + "/sim/notify/")));
        return services;
    }

    /// <summary>
    /// Script limits from <c>GovFlow:Expressions:JavaScript</c> (TimeLimit, MaxStatements, MemoryLimitBytes,
    /// MaxRecursionDepth) and the C# switch from <c>GovFlow:Expressions:CSharp</c> (Enabled, TimeLimit); unset values keep
    /// their defaults, so C# stays off unless the operator says otherwise.
    /// </summary>
    public static ExpressionOptions ExpressionSettings(IConfiguration configuration) => new()
    {
        JavaScript = configuration.GetSection("GovFlow:Expressions:JavaScript").Get<ScriptLimits>() ?? ScriptLimits.Default,
        CSharp = configuration.GetSection("GovFlow:Expressions:CSharp").Get<CSharpOptions>() ?? CSharpOptions.Default,
        // A template from an imported definition must not hold a request or fill memory; operators tune the sandbox per deployment.
        Liquid = configuration.GetSection("GovFlow:Expressions:Liquid").Get<LiquidLimits>()
    };

    /// <summary>The folder of matters: configured, or the nearest <c>workflows-json</c> above the content root.</summary>
    public static string MattersDirectory(IConfiguration configuration, string contentRoot)
    {
        if (configuration["GovFlow:Matters"] is { Length: > 0 } configured) return Path.GetFullPath(configured, contentRoot);
        for (var dir = new DirectoryInfo(contentRoot); dir != null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "workflows-json"))) return Path.Combine(dir.FullName, "workflows-json");
        return Path.Combine(contentRoot, "workflows-json");
    }

    private static MatterCatalog LoadCatalog(IConfiguration configuration, string contentRoot, ActivityRegistry registry, InMemoryWorkflowDefinitionStore store, ExpressionEvaluators evaluators, ILogger logger)
    {
        var directory = MattersDirectory(configuration, contentRoot);
        logger.LogInformation("Loading service matters from {Directory}", directory);
        var catalog = MatterCatalog.Load(directory, registry, store, evaluators);
        if (catalog.Problems.Count > 0)
            throw new InvalidOperationException($"The service matters in {directory} are invalid; nothing starts until every problem is fixed:{Environment.NewLine}"
                + string.Join(Environment.NewLine, catalog.Problems));
        logger.LogInformation("{Count} service matters valid", catalog.Entries.Count);
        return catalog;
    }

    /// <summary>
    /// Where this host answers, for the demo's simulated services when no service address is configured:
    /// <c>GovFlow:PublicUrl</c>, else the address the server listens on (a wildcard host read as loopback), so a host on
    /// another port never sends applicants' data to whatever listens on 5080.
    /// </summary>
    public static string Self(IServiceProvider services, IConfiguration configuration)
    {
        if (configuration["GovFlow:PublicUrl"] is { Length: > 0 } configured) return configured.TrimEnd('/');
        var listening = services.GetService<Microsoft.AspNetCore.Hosting.Server.IServer>()?.Features
            .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? configuration["urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()
            ?? "http://127.0.0.1:5080";
        var uri = new UriBuilder(listening.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::") uri.Host = "127.0.0.1";
        return uri.Uri.GetLeftPart(UriPartial.Authority);
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
