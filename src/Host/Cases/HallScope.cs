using GovFlow.Activities.Matters;
using GovFlow.Host.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Cases;

/// <summary>A department's administrative region (行政区划), as the administrator recorded it.</summary>
/// <param name="Code">Six-digit code (440305).</param>
/// <param name="Name">Its name (南山区).</param>
public sealed record Region(string? Code, string? Name);

/// <summary>
/// 通办: which halls may accept which matters. A matter's acceptance scope is read against the regions of the
/// accepting hall and of the owning department; a matter without a scope is accepted anywhere, as before.
/// </summary>
internal static class HallScope
{
    /// <summary>Why <paramref name="hall"/> may not accept <paramref name="matter"/> (in the hall's words), or null when it may.</summary>
    public static string? Refusal(ServiceMatter matter, string hall, Region hallRegion, Region ownerRegion)
    {
        // The owner's own windows always accept their matters.
        if (matter.EffectiveAcceptance is not { } scope || hall == matter.Department || scope.Allows(hallRegion.Code, ownerRegion.Code)) return null;
        var where = hallRegion.Name ?? hall;
        var range = scope.Kind switch
        {
            AcceptanceScope.DistrictKind => $"仅限{ownerRegion.Name ?? matter.Department}辖区",
            AcceptanceScope.CityKind => "仅限实施主体所在市",
            AcceptanceScope.ProvinceKind => "仅限实施主体所在省",
            _ => $"仅限行政区划 {string.Join("、", scope.Regions)}"
        };
        return hallRegion.Code is null
            ? $"本事项不支持在{hall}受理：该大厅尚未设置行政区划，请联系管理员（受理范围{range}）"
            : $"本事项不支持在{where}受理（受理范围{range}）";
    }

    /// <summary>The codes of the catalog's matters <paramref name="hall"/> may accept.</summary>
    public static async Task<IReadOnlyList<string>> AcceptableAsync(GovFlowDb db, MatterCatalog catalog, string hall, CancellationToken cancellationToken)
    {
        var regions = await db.Departments.AsNoTracking().ToDictionaryAsync(d => d.Name, d => new Region(d.RegionCode, d.RegionName), cancellationToken);
        var own = regions.GetValueOrDefault(hall) ?? new Region(null, null);
        return [.. catalog.Entries.Where(e => Refusal(e.Matter, hall, own, regions.GetValueOrDefault(e.Matter.Department) ?? new Region(null, null)) is null).Select(e => e.Matter.Code)];
    }
}
