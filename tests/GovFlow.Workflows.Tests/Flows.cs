using System.Text.Json.Nodes;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Serialization;

namespace GovFlow.Workflows.Tests;

/// <summary>Builds small Elsa 3 definitions in tests.</summary>
internal static class Flows
{
    public static JsonObject Literal(object? value, string typeName = "Object") =>
        new() { ["typeName"] = typeName, ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = JsonValue.Create(value) } };

    public static JsonObject Js(string script, string typeName = "Object") =>
        new() { ["typeName"] = typeName, ["expression"] = new JsonObject { ["type"] = "JavaScript", ["value"] = script } };

    public static JsonObject CSharp(string script, string typeName = "Object") =>
        new() { ["typeName"] = typeName, ["expression"] = new JsonObject { ["type"] = "CSharp", ["value"] = script } };

    public static JsonObject Output(string memoryReference) =>
        new() { ["typeName"] = "Object", ["memoryReference"] = new JsonObject { ["id"] = memoryReference } };

    public static JsonObject Activity(string type, string id, params (string Name, JsonNode? Value)[] properties)
    {
        var o = new JsonObject { ["type"] = type, ["version"] = 1, ["id"] = id, ["name"] = id };
        foreach (var (name, value) in properties) o[name] = value;
        return o;
    }

    public static JsonObject WriteLine(string id, string text) => Activity("Elsa.WriteLine", id, ("text", Literal(text, "String")));

    public static JsonObject WriteLineJs(string id, string script) => Activity("Elsa.WriteLine", id, ("text", Js(script, "String")));

    public static JsonObject Connection(string source, string target, string port = "Done") => new()
    {
        ["source"] = new JsonObject { ["activity"] = source, ["port"] = port },
        ["target"] = new JsonObject { ["activity"] = target, ["port"] = "In" }
    };

    public static JsonObject Flowchart(string id, JsonObject[] activities, params JsonObject[] connections) =>
        Activity("Elsa.Flowchart", id, ("activities", new JsonArray(activities.Select(a => (JsonNode?)a).ToArray())), ("connections", new JsonArray(connections.Select(c => (JsonNode?)c).ToArray())));

    public static JsonObject Sequence(string id, params JsonObject[] activities) =>
        Activity("Elsa.Sequence", id, ("activities", new JsonArray(activities.Select(a => (JsonNode?)a).ToArray())));

    public static JsonObject Variable(string name, string typeName = "Object", object? value = null) =>
        new() { ["id"] = name + "-id", ["name"] = name, ["typeName"] = typeName, ["value"] = JsonValue.Create(value) };

    public static WorkflowDefinition Definition(JsonObject root, string definitionId = "test", JsonObject[]? variables = null, JsonObject[]? inputs = null, JsonObject[]? outputs = null, string? name = null, bool usableAsActivity = false, string[]? outcomes = null)
    {
        var d = new JsonObject
        {
            ["id"] = definitionId + "-v1", ["definitionId"] = definitionId, ["name"] = name ?? definitionId, ["version"] = 1, ["isPublished"] = true,
            ["variables"] = new JsonArray((variables ?? []).Select(v => (JsonNode?)v).ToArray()),
            ["inputs"] = new JsonArray((inputs ?? []).Select(v => (JsonNode?)v).ToArray()),
            ["outputs"] = new JsonArray((outputs ?? []).Select(v => (JsonNode?)v).ToArray()),
            ["outcomes"] = new JsonArray((outcomes ?? []).Select(v => (JsonNode?)v).ToArray()),
            ["options"] = new JsonObject { ["usableAsActivity"] = usableAsActivity },
            ["root"] = root
        };
        return WorkflowJson.Read(d.ToJsonString(), definitionId);
    }
}
