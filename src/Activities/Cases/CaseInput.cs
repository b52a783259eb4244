using GovFlow.Workflows.Runtime;

namespace GovFlow.Activities.Cases;

/// <summary>The case as submitted: number, matter, applicant, materials provided, form data, channel.</summary>
public sealed class CaseInput
{
    /// <summary>Case number (办件编号).</summary>
    public string CaseNumber { get; init; } = "";

    /// <summary>Matter code.</summary>
    public string MatterCode { get; init; } = "";

    /// <summary>Applicant.</summary>
    public Applicant Applicant { get; init; } = new();

    /// <summary>Names of materials handed in.</summary>
    public IReadOnlySet<string> ProvidedMaterials { get; init; } = new HashSet<string>();

    /// <summary>Materials handed in online as an upload (网上申办), a subset of the provided ones.</summary>
    public IReadOnlySet<string> UploadedMaterials { get; init; } = new HashSet<string>();

    /// <summary>Materials the window found a valid electronic certificate for (name → certificate number).</summary>
    public IReadOnlyDictionary<string, string> CertifiedMaterials { get; init; } = new Dictionary<string, string>();

    /// <summary>Form data.</summary>
    public Dictionary<string, object?> Data { get; init; } = [];

    /// <summary>Channel (window, pc, mobile, courier, selfService).</summary>
    public string Channel { get; init; } = "window";

    /// <summary>The clerk who took the application at the window (corrections go back to them); null online.</summary>
    public string? AcceptedBy { get; init; }

    /// <summary>That clerk's window (department).</summary>
    public string? AcceptingWindow { get; init; }

    /// <summary>The accepting window's hall region (行政区划代码), when the host knows it.</summary>
    public string? AcceptingRegion { get; init; }

    /// <summary>That region's name (南山区).</summary>
    public string? AcceptingRegionName { get; init; }

    /// <summary>The region of the matter's owning department, when the host knows it.</summary>
    public string? OwnerRegion { get; init; }

    /// <summary>Reads the workflow input <c>case</c>.</summary>
    public static CaseInput From(WorkflowExecutionContext workflow)
    {
        if (workflow.GetInput("case") is not Dictionary<string, object?> c) return new CaseInput();
        var applicant = c.GetValueOrDefault("applicant") as Dictionary<string, object?> ?? [];
        var materials = (c.GetValueOrDefault("materials") as List<object?> ?? [])
            .OfType<Dictionary<string, object?>>()
            .Where(m => m.GetValueOrDefault("provided") is true or "true" or "True")
            .Select(m => Values.ToText(m.GetValueOrDefault("name")) ?? "")
            .ToHashSet();
        var uploaded = (c.GetValueOrDefault("materials") as List<object?> ?? []).OfType<Dictionary<string, object?>>()
            .Where(m => m.GetValueOrDefault("upload") is Dictionary<string, object?>)
            .Select(m => Values.ToText(m.GetValueOrDefault("name")) ?? "")
            .ToHashSet();
        return new CaseInput
        {
            CaseNumber = Values.ToText(c.GetValueOrDefault("caseNumber")) ?? "",
            MatterCode = Values.ToText(c.GetValueOrDefault("matterCode")) ?? "",
            Applicant = new Applicant
            {
                Name = Values.ToText(applicant.GetValueOrDefault("name")) ?? "",
                IdType = Values.ToText(applicant.GetValueOrDefault("idType")) ?? "111",
                IdNumber = Values.ToText(applicant.GetValueOrDefault("idNumber")) ?? "",
                Phone = Values.ToText(applicant.GetValueOrDefault("phone")),
                Address = Values.ToText(applicant.GetValueOrDefault("address"))
            },
            ProvidedMaterials = materials,
            UploadedMaterials = uploaded,
            CertifiedMaterials = (c.GetValueOrDefault("materials") as List<object?> ?? []).OfType<Dictionary<string, object?>>()
                .Select(m => (Name: Values.ToText(m.GetValueOrDefault("name")), Number: Values.ToText(m.GetValueOrDefault("certificate"))))
                .Where(m => m.Name is not null && !string.IsNullOrWhiteSpace(m.Number)).GroupBy(m => m.Name!).ToDictionary(g => g.Key, g => g.First().Number!),
            Data = c.GetValueOrDefault("data") as Dictionary<string, object?> ?? [],
            Channel = Values.ToText(c.GetValueOrDefault("channel")) ?? "window",
            AcceptedBy = Values.ToText((c.GetValueOrDefault("acceptedBy") as Dictionary<string, object?>)?.GetValueOrDefault("user")),
            AcceptingWindow = Values.ToText((c.GetValueOrDefault("acceptedBy") as Dictionary<string, object?>)?.GetValueOrDefault("department")),
            AcceptingRegion = Values.ToText((c.GetValueOrDefault("acceptedBy") as Dictionary<string, object?>)?.GetValueOrDefault("region")),
            AcceptingRegionName = Values.ToText((c.GetValueOrDefault("acceptedBy") as Dictionary<string, object?>)?.GetValueOrDefault("regionName")),
            OwnerRegion = Values.ToText(c.GetValueOrDefault("ownerRegion"))
        };
    }
}

/// <summary>The applicant (申请人).</summary>
public sealed class Applicant
{
    /// <summary>Name.</summary>
    public string Name { get; init; } = "";

    /// <summary>111 citizen ID, 001 USCC.</summary>
    public string IdType { get; init; } = "111";

    /// <summary>ID number or credit code.</summary>
    public string IdNumber { get; init; } = "";

    /// <summary>Phone.</summary>
    public string? Phone { get; init; }

    /// <summary>Postal address.</summary>
    public string? Address { get; init; }
}
