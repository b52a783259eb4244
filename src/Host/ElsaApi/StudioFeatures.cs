namespace GovFlow.Host.ElsaApi;

/// <summary>
/// Studio's optional modules ask whether the server has their feature. GovFlow answers none: Studio then shows the
/// designer, the definitions and the instances, and hides what needs Elsa's own modules.
/// </summary>
public static class StudioFeatures
{
    /// <summary>Maps features/installed.</summary>
    public static void Map(RouteGroupBuilder read)
    {
        read.MapGet("/features/installed", () => TypedResults.Ok(StudioList<object>.Of([])));
        read.MapGet("/features/installed/{fullName}", (string fullName) => TypedResults.NotFound());
    }
}
