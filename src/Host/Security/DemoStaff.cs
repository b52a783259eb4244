using System.Text.Json.Nodes;
using GovFlow.Activities.Matters;

namespace GovFlow.Host.Security;

/// <summary>Which departments and windows the catalog's flows give work to, and in which role.</summary>
public static class DemoStaff
{
    private static readonly string[] Prefixes = ["深圳市南山区", "深圳市福田区", "佛山市南海区", "深圳市"];

    /// <summary>Every (department, role) a catalog flow assigns a task to, in a stable order.</summary>
    public static IReadOnlyList<(string Department, string Role)> Needed(MatterCatalog catalog)
    {
        var needed = new SortedSet<(string Department, string Role)>();
        foreach (var entry in catalog.Entries)
        {
            var m = entry.Matter;
            if (m.Department is { Length: > 0 }) needed.Add((m.Department, Roles.Reviewer));
            if (m.Parallel is { } p) foreach (var d in p.Members.Append(p.Lead).Where(d => d.Length > 0)) needed.Add((d, Roles.Reviewer));
            foreach (var s in m.Steps.Where(s => s.Department is { Length: > 0 })) needed.Add((s.Department!, s.Role ?? Roles.Reviewer));
            foreach (var node in entry.Definition.Root?.Descendants() ?? [])
            {
                // The result's pickup and a mailing problem of an online application fall to the department's window.
                if (node.Type == "GovFlow.SendByPost" && m.Department is { Length: > 0 }) needed.Add((m.Department, Roles.Window));
                if (Literal(node.Raw("department")) is not JsonValue v || !v.TryGetValue<string>(out var department) || department.Length == 0) continue;
                var role = node.Type == "GovFlow.Acceptance" ? Roles.Window : Literal(node.Raw("role"))?.GetValue<string>() ?? Roles.Reviewer;
                needed.Add((department, role));
            }
        }
        return [.. needed];
    }

    /// <summary>A department's name without its city and district (for display names).</summary>
    public static string Short(string department) =>
        Prefixes.FirstOrDefault(department.StartsWith) is { } prefix && department.Length > prefix.Length ? department[prefix.Length..] : department;

    /// <summary>The value of a {typeName, expression: {type: Literal, value}} input, or null when it is an expression.</summary>
    internal static JsonNode? Literal(JsonNode? input) =>
        input is JsonObject o && o["expression"] is JsonObject e ? e["type"]?.GetValue<string>() == "Literal" ? e["value"] : null : input;
}
