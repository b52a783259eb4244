using GovFlow.Workflows.Runtime;

namespace GovFlow.Host.Api;

/// <summary>The designer's toolbox: every activity type with its display names, category, inputs, outputs and outcomes.</summary>
public static class ActivityEndpoints
{
    /// <summary>Maps /api/activities.</summary>
    public static void MapActivityDescriptors(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/activities", (ActivityRegistry registry) => registry.Descriptors
                .Where(d => d.Browsable)
                .OrderBy(d => d.Category, StringComparer.Ordinal).ThenBy(d => d.TypeName, StringComparer.Ordinal)
                .Select(d => new
                {
                    d.TypeName, d.Version, d.Category, d.DisplayName, d.DisplayNameZh, d.Description, kind = d.Kind.ToString(),
                    d.IsTrigger, d.IsContainer, d.Outcomes, d.Inputs, d.Outputs
                }))
            .WithTags("Activities");
}
