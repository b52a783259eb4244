using System.Text.Json;
using System.Text.Json.Nodes;

namespace GovFlow.Workflows.Model;

/// <summary>Case-insensitive reads from JSON objects, because Elsa files exist in both camelCase and PascalCase.</summary>
public static class JsonAccess
{
    /// <summary>The value of a property, matched ignoring case; exact matches win.</summary>
    public static JsonNode? Get(JsonObject? obj, string name)
    {
        if (obj is null) return null;
        if (obj.TryGetPropertyValue(name, out var exact)) return exact;
        foreach (var (key, value) in obj)
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                return value;
        return null;
    }

    /// <summary>Whether the object has the property, ignoring case.</summary>
    public static bool Has(JsonObject? obj, string name)
    {
        if (obj is null) return false;
        foreach (var (key, _) in obj)
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                return true;
        return false;
    }

    /// <summary>A string property (numbers and booleans are rendered as text).</summary>
    public static string? GetString(JsonObject? obj, string name) => AsString(Get(obj, name));

    /// <summary>A boolean property, accepting "true"/"false" strings.</summary>
    public static bool? GetBool(JsonObject? obj, string name) => Get(obj, name) is JsonValue v ? AsBool(v) : null;

    /// <summary>Renders a scalar node as a string; null for objects, arrays and null.</summary>
    public static string? AsString(JsonNode? node) => node is JsonValue v
        ? v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
            _ => null
        }
        : null;

    /// <summary>Reads a boolean from a JSON value, accepting "true"/"false" strings.</summary>
    public static bool? AsBool(JsonValue v) => v.GetValueKind() switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String when bool.TryParse(v.GetValue<string>(), out var b) => b,
        _ => null
    };
}
