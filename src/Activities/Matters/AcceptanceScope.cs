namespace GovFlow.Activities.Matters;

/// <summary>
/// Where a matter may be accepted (通办范围), by administrative region codes (行政区划代码, GB/T 2260: 44 province,
/// 4403 city, 440305 district). A hall may accept the matter when its region lies within the scope.
/// </summary>
public sealed class AcceptanceScope
{
    /// <summary>The owner's district only.</summary>
    public const string DistrictKind = "district";
    /// <summary>Anywhere in the owner's city.</summary>
    public const string CityKind = "city";
    /// <summary>Anywhere in the owner's province.</summary>
    public const string ProvinceKind = "province";
    /// <summary>Anywhere in the listed regions.</summary>
    public const string RegionsKind = "regions";
    /// <summary>Anywhere (跨省通办, 全国通办).</summary>
    public const string NationwideKind = "nationwide";

    /// <summary>The kinds a matter may declare.</summary>
    public static readonly IReadOnlyList<string> Kinds = [DistrictKind, CityKind, ProvinceKind, RegionsKind, NationwideKind];

    /// <summary><see cref="DistrictKind"/>, <see cref="CityKind"/>, <see cref="RegionsKind"/> or <see cref="NationwideKind"/>.</summary>
    public string Kind { get; set; } = CityKind;

    /// <summary>The region codes of a <see cref="RegionsKind"/> scope (a city's code covers its districts).</summary>
    public List<string> Regions { get; set; } = [];

    /// <summary>
    /// What the old string form meant, as the designer named it: district is 市内跨区通办 (the owner's city),
    /// cross-city is 省内跨市通办 (the owner's province), cross-province and nationwide accept anywhere.
    /// </summary>
    public static AcceptanceScope? FromCrossRegionScope(string? scope) => scope switch
    {
        null or "" => null,
        "district" => new AcceptanceScope { Kind = CityKind },
        "cross-city" => new AcceptanceScope { Kind = ProvinceKind },
        _ => new AcceptanceScope { Kind = NationwideKind }
    };

    /// <summary>Whether a region code is six digits (a province's or city's code ends in zeros).</summary>
    public static bool IsRegionCode(string? code) => code is { Length: 6 } c && c.All(char.IsAsciiDigit);

    /// <summary>
    /// Whether a hall in <paramref name="hallRegion"/> may accept a matter whose owning department is in
    /// <paramref name="ownerRegion"/>. A hall without a region may accept only a nationwide matter.
    /// </summary>
    public bool Allows(string? hallRegion, string? ownerRegion)
    {
        if (Kind == NationwideKind) return true;
        if (!IsRegionCode(hallRegion)) return false;
        return Kind switch
        {
            DistrictKind => IsRegionCode(ownerRegion) && hallRegion!.StartsWith(Prefix(ownerRegion!), StringComparison.Ordinal),
            CityKind => IsRegionCode(ownerRegion) && hallRegion![..4] == ownerRegion![..4],
            ProvinceKind => IsRegionCode(ownerRegion) && hallRegion![..2] == ownerRegion![..2],
            _ => Regions.Any(r => IsRegionCode(r) && hallRegion!.StartsWith(Prefix(r), StringComparison.Ordinal))
        };
    }

    // A province's or city's code covers the codes that start with it once its trailing zeros are dropped.
    private static string Prefix(string region) =>
        region.EndsWith("0000", StringComparison.Ordinal) ? region[..2] : region.EndsWith("00", StringComparison.Ordinal) ? region[..4] : region;
}
