using GovFlow.Host.Api.Contracts;
using GovFlow.Workflows.Runtime;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GovFlow.Host.Api;

/// <summary>The designer's toolbox: every activity type with its display names, category, inputs, outputs and outcomes.</summary>
public static class ActivityEndpoints
{
    /// <summary>Maps /api/activities.</summary>
    public static void MapActivityDescriptors(this IEndpointRouteBuilder app) => app.MapGet("/api/activities", List).WithTags("Activities");

    private static Ok<IEnumerable<ActivityTypeView>> List(ActivityRegistry registry) => TypedResults.Ok(registry.Descriptors
        .Where(d => d.Browsable)
        .OrderBy(d => d.Category, StringComparer.Ordinal).ThenBy(d => d.TypeName, StringComparer.Ordinal)
        .Select(d => new ActivityTypeView(d.TypeName, d.Version, d.Category, d.DisplayName, d.DisplayNameZh, d.Description, d.Kind.ToString(),
            d.IsTrigger, d.IsContainer, d.Outcomes, d.Inputs, d.Outputs)));
}
