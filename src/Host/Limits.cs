using GovFlow.Workflows.Runtime;
using GovFlow.Workflows.Serialization;

namespace GovFlow.Host;

/// <summary>
/// The host's limits, each configurable: what a definition may be (<c>GovFlow:Definitions:MaxBytes</c>,
/// <c>MaxActivities</c>, <c>MaxDepth</c>), what one step of a case may do (<c>GovFlow:Workflows:MaxActivityExecutionsPerStep</c>,
/// <c>MaxJournalRecordsPerStep</c>) and what a request's form data may be (<c>GovFlow:Forms:MaxBytes</c>, <c>MaxDepth</c>).
/// </summary>
public static class Limits
{
    /// <summary>Registers <see cref="DefinitionLimits"/>, <see cref="StepLimits"/> and <see cref="Api.FormDataLimits"/> from configuration.</summary>
    public static IServiceCollection AddGovFlowLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var definitions = DefinitionLimits.Default;
        services.AddSingleton(new DefinitionLimits
        {
            MaxBytes = Positive(configuration, "GovFlow:Definitions:MaxBytes", definitions.MaxBytes),
            MaxActivities = Positive(configuration, "GovFlow:Definitions:MaxActivities", definitions.MaxActivities),
            MaxDepth = Positive(configuration, "GovFlow:Definitions:MaxDepth", definitions.MaxDepth)
        });
        var steps = StepLimits.Default;
        services.AddSingleton(new StepLimits
        {
            MaxActivityExecutions = Positive(configuration, "GovFlow:Workflows:MaxActivityExecutionsPerStep", steps.MaxActivityExecutions),
            MaxJournalRecords = Positive(configuration, "GovFlow:Workflows:MaxJournalRecordsPerStep", steps.MaxJournalRecords)
        });
        var forms = new Api.FormDataLimits();
        services.AddSingleton(new Api.FormDataLimits
        {
            MaxBytes = Positive(configuration, "GovFlow:Forms:MaxBytes", forms.MaxBytes),
            MaxDepth = Positive(configuration, "GovFlow:Forms:MaxDepth", forms.MaxDepth)
        });
        return services;
    }

    private static int Positive(IConfiguration configuration, string key, int fallback)
    {
        var value = configuration.GetValue(key, fallback);
        return value > 0 ? value : throw new InvalidOperationException($"{key} must be a positive number, not {value}.");
    }
}
