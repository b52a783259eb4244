using System.Text.Json;
using GovFlow.Workflows.Model;

namespace GovFlow.Activities.Matters;

/// <summary>Reads and writes the matter stored in a definition's custom properties.</summary>
public static class MatterJson
{
    /// <summary>The custom property that holds the matter.</summary>
    public const string PropertyName = "govflow:matter";

    /// <summary>JSON options of the matter model (camelCase, enums as text).</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull
    };

    /// <summary>The matter of a definition, or null when it has none; throws <see cref="JsonException"/> naming the path when it is malformed.</summary>
    public static ServiceMatter? Read(WorkflowDefinition definition)
    {
        var node = JsonAccess.Get(definition.CustomProperties, PropertyName);
        return node is null ? null : node.Deserialize<ServiceMatter>(Options);
    }

    /// <summary>Stores a matter in a definition.</summary>
    public static void Write(WorkflowDefinition definition, ServiceMatter matter)
    {
        definition.CustomProperties ??= [];
        definition.CustomProperties[PropertyName] = JsonSerializer.SerializeToNode(matter, Options);
    }
}
