using System.Text.Json;
using System.Text.Json.Nodes;
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
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        // A null where the model has no room for one (a name, a list) is the file's mistake, named with its path,
        // not a NullReferenceException in whatever reads the matter next.
        RespectNullableAnnotations = true
    };

    /// <summary>The matter of a definition, or null when it has none; throws <see cref="JsonException"/> naming the path when it is malformed.</summary>
    public static ServiceMatter? Read(WorkflowDefinition definition)
    {
        var node = JsonAccess.Get(definition.CustomProperties, PropertyName);
        if (node is null) return null;
        RefuseNullElements(node, "$");
        return node.Deserialize<ServiceMatter>(Options);
    }

    // Nullable annotations say nothing of a list's elements: a null material or step is refused here.
    private static void RefuseNullElements(JsonNode node, string path)
    {
        switch (node)
        {
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                    if (array[i] is { } item) RefuseNullElements(item, $"{path}[{i}]");
                    else throw new JsonException($"列表中不能有空值（null） Path: {path}[{i}]", $"{path}[{i}]", null, null);
                break;
            case JsonObject obj:
                foreach (var (name, value) in obj)
                    if (value != null) RefuseNullElements(value, $"{path}.{name}");
                break;
        }
    }

    /// <summary>Stores a matter in a definition.</summary>
    public static void Write(WorkflowDefinition definition, ServiceMatter matter)
    {
        definition.CustomProperties ??= [];
        definition.CustomProperties[PropertyName] = JsonSerializer.SerializeToNode(matter, Options);
    }
}
