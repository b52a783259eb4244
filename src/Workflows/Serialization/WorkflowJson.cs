using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovFlow.Workflows.Model;

namespace GovFlow.Workflows.Serialization;

/// <summary>
/// Reads and writes Elsa 3 workflow-definition JSON. Reading accepts what Elsa and its older tools
/// wrote (nested or flat connections, <c>$values</c> list wrappers, PascalCase keys, a UTF-8 BOM,
/// legacy top-level properties); writing produces Elsa's current form with <c>$schema</c> first.
/// Unknown activity types and properties are carried through unchanged.
/// </summary>
public static class WorkflowJson
{
    /// <summary>The schema URL Elsa writes on export.</summary>
    public const string DefaultSchema = "https://elsaworkflows.io/schemas/workflow-definition/v3.0.0/schema.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly HashSet<string> KnownTopLevel = new(StringComparer.OrdinalIgnoreCase)
    {
        "$schema", "id", "definitionId", "name", "description", "version", "isLatest", "isPublished",
        "variables", "inputs", "outputs", "outcomes", "options", "customProperties", "root"
    };
    private static readonly HashSet<string> KnownNode = new(StringComparer.OrdinalIgnoreCase)
    {
        "type", "version", "id", "nodeId", "name", "customProperties", "metadata"
    };

    /// <summary>Reads a definition from a file.</summary>
    public static WorkflowDefinition ReadFile(string path, DefinitionLimits? limits = null) => Read(File.ReadAllBytes(path), Path.GetFileName(path), limits);

    /// <summary>Reads a definition from UTF-8 bytes (a leading BOM is skipped), within <paramref name="limits"/> (the defaults when null).</summary>
    public static WorkflowDefinition Read(ReadOnlySpan<byte> utf8, string source = "workflow", DefinitionLimits? limits = null)
    {
        limits ??= DefinitionLimits.Default;
        if (utf8.Length > limits.MaxBytes) throw DefinitionLimitExceededException.Size(source, utf8.Length, limits.MaxBytes);
        if (utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) utf8 = utf8[3..];
        var options = new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = limits.MaxDepth + 1 };
        CheckDepth(utf8, limits.MaxDepth, source);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(utf8, documentOptions: options);
        }
        catch (JsonException ex)
        {
            throw new WorkflowFormatException(source, ex.Path ?? "$", $"not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {FirstSentence(ex.Message)}", ex);
        }
        // The tree was parsed here and nobody else holds it, so it is read without the copy that protects a caller's tree.
        return ReadOwned(node, source, limits);
    }

    /// <summary>Reads a definition from a string.</summary>
    public static WorkflowDefinition Read(string json, string source = "workflow", DefinitionLimits? limits = null) => Read(Encoding.UTF8.GetBytes(json), source, limits);

    /// <summary>Reads a definition from an already parsed node (the node is not modified), within <paramref name="limits"/> but for its size.</summary>
    public static WorkflowDefinition Read(JsonNode? node, string source = "workflow", DefinitionLimits? limits = null)
    {
        limits ??= DefinitionLimits.Default;
        // Cloning and unwrapping recurse once per level, so the depth is measured first, without recursing.
        if (Depth(node) > limits.MaxDepth) throw DefinitionLimitExceededException.Depth(source, limits.MaxDepth);
        return ReadOwned(node?.DeepClone(), source, limits);
    }

    private static WorkflowDefinition ReadOwned(JsonNode? node, string source, DefinitionLimits limits) =>
        new Reader(source, limits.MaxActivities).Definition(Unwrap(node) as JsonObject ?? throw new WorkflowFormatException(source, "$", "expected a JSON object (a workflow definition)"));

    // A forward-only pass: the depth is known before any tree is built. Malformed JSON is left to the parser, which
    // names where it breaks.
    private static void CheckDepth(ReadOnlySpan<byte> utf8, int maxDepth, string source)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = maxDepth + 1 });
        try
        {
            while (reader.Read())
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth + 1 > maxDepth)
                    throw DefinitionLimitExceededException.Depth(source, maxDepth);
        }
        catch (JsonException)
        {
        }
    }

    private static int Depth(JsonNode? node)
    {
        if (node is null) return 0;
        var max = 0;
        var stack = new Stack<(JsonNode Node, int Depth)>();
        stack.Push((node, 1));
        while (stack.Count > 0)
        {
            var (n, depth) = stack.Pop();
            if (n is JsonObject o)
            {
                max = Math.Max(max, depth);
                foreach (var (_, child) in o) if (child is JsonObject or JsonArray) stack.Push((child, depth + 1));
            }
            else if (n is JsonArray a)
            {
                max = Math.Max(max, depth);
                foreach (var child in a) if (child is JsonObject or JsonArray) stack.Push((child!, depth + 1));
            }
        }
        return max;
    }

    /// <summary>Reads one activity node (e.g. an activity kept inside another activity's raw property).</summary>
    public static ActivityNode ReadNode(JsonNode node, string path, string source = "workflow") => new Reader(source, DefinitionLimits.Default.MaxActivities).Node(Unwrap(node.DeepClone()), path);

    /// <summary>Writes a definition as indented JSON.</summary>
    public static string Write(WorkflowDefinition definition) => ToJson(definition).ToJsonString(Indented);

    /// <summary>Writes a definition as a JSON object, <c>$schema</c> first.</summary>
    public static JsonObject ToJson(WorkflowDefinition d)
    {
        var o = new JsonObject { ["$schema"] = d.Schema ?? DefaultSchema };
        Optional(o, "id", d.Id, d.ExplicitNulls);
        Optional(o, "definitionId", d.DefinitionId, d.ExplicitNulls);
        Optional(o, "name", d.Name, d.ExplicitNulls);
        Optional(o, "description", d.Description, d.ExplicitNulls);
        o["version"] = d.Version;
        o["isLatest"] = d.IsLatest;
        o["isPublished"] = d.IsPublished;
        o["variables"] = new JsonArray(d.Variables.Select(WriteVariable).ToArray<JsonNode?>());
        o["inputs"] = new JsonArray(d.Inputs.Select(WriteArgument).ToArray<JsonNode?>());
        o["outputs"] = new JsonArray(d.Outputs.Select(WriteArgument).ToArray<JsonNode?>());
        o["outcomes"] = new JsonArray(d.Outcomes.Select(x => (JsonNode?)x).ToArray());
        Optional(o, "options", d.Options, d.ExplicitNulls);
        Optional(o, "customProperties", d.CustomProperties, d.ExplicitNulls);
        foreach (var (key, value) in d.Extras) o[key] = value?.DeepClone();
        if (d.Root != null) o["root"] = WriteNode(d.Root);
        return o;
    }

    /// <summary>Writes one activity node.</summary>
    public static JsonObject WriteNode(ActivityNode n)
    {
        var o = new JsonObject { ["type"] = n.Type, ["version"] = n.Version, ["id"] = n.Id };
        Optional(o, "nodeId", n.NodeId, n.ExplicitNulls);
        Optional(o, "name", n.Name, n.ExplicitNulls);
        Optional(o, "customProperties", n.CustomProperties, n.ExplicitNulls);
        Optional(o, "metadata", n.Metadata, n.ExplicitNulls);
        foreach (var p in n.Properties)
        {
            o[p.Name] = p switch
            {
                RawProperty r => r.Value?.DeepClone(),
                ChildProperty c => WriteNode(c.Activity),
                ChildListProperty l => new JsonArray(l.Activities.Select(a => (JsonNode?)WriteNode(a)).ToArray()),
                ConnectionsProperty c => new JsonArray(c.Connections.Select(x => (JsonNode?)WriteConnection(x)).ToArray()),
                _ => throw new InvalidOperationException(p.GetType().Name)
            };
        }
        return o;
    }

    private static void Optional(JsonObject o, string name, object? value, HashSet<string> explicitNulls)
    {
        if (value is JsonNode node) o[name] = node.DeepClone();
        else if (value is string text) o[name] = text;
        else if (explicitNulls.Contains(name)) o[name] = null;
    }

    private static void NoteNulls(JsonObject o, HashSet<string> known, HashSet<string> explicitNulls)
    {
        foreach (var (key, value) in o)
            if (value is null && known.Contains(key)) explicitNulls.Add(key);
    }

    private static JsonObject WriteConnection(Connection c)
    {
        var o = new JsonObject
        {
            ["source"] = new JsonObject { ["activity"] = c.Source, ["port"] = c.SourcePort },
            ["target"] = new JsonObject { ["activity"] = c.Target, ["port"] = c.TargetPort }
        };
        foreach (var (key, value) in c.Extras) o[key] = value?.DeepClone();
        return o;
    }

    private static JsonObject WriteVariable(VariableDefinition v)
    {
        var o = new JsonObject { ["id"] = v.Id, ["name"] = v.Name, ["typeName"] = v.TypeName, ["isArray"] = v.IsArray };
        if (v.HasValue || v.Value != null) o["value"] = v.Value?.DeepClone();
        foreach (var (key, value) in v.Extras) o[key] = value?.DeepClone();
        return o;
    }

    private static JsonObject WriteArgument(ArgumentDefinition a)
    {
        var o = new JsonObject { ["type"] = a.Type, ["name"] = a.Name, ["isArray"] = a.IsArray };
        foreach (var (key, value) in a.Extras) o[key] = value?.DeepClone();
        return o;
    }

    /// <summary>Replaces Newtonsoft-style <c>{"$values": [...]}</c> wrappers with their arrays, everywhere in the tree.</summary>
    private static JsonNode? Unwrap(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                if (o.TryGetPropertyValue("$values", out var values) && values is JsonArray && o.All(p => p.Key is "$values" or "$id" or "$type"))
                {
                    o.Remove("$values");
                    return Unwrap(values);
                }
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    var child = o[key];
                    var replaced = Unwrap(child);
                    if (!ReferenceEquals(child, replaced)) { o.Remove(key); o[key] = replaced; }
                }
                return o;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    var child = a[i];
                    var replaced = Unwrap(child);
                    if (!ReferenceEquals(child, replaced)) { a.RemoveAt(i); a.Insert(i, replaced); }
                }
                return a;
            default:
                return node;
        }
    }

    private static string FirstSentence(string message)
    {
        var i = message.IndexOf(" Path:", StringComparison.Ordinal);
        return i > 0 ? message[..i] : message;
    }

    /// <summary>Shape test for a nested activity: an object with string <c>type</c> and <c>id</c> that is not an input wrapper.</summary>
    internal static bool LooksLikeActivity(JsonNode? node) =>
        node is JsonObject o
        && JsonAccess.Get(o, "type") is JsonValue t && t.GetValueKind() == JsonValueKind.String
        && JsonAccess.Get(o, "id") is JsonValue i && i.GetValueKind() == JsonValueKind.String
        && !JsonAccess.Has(o, "typeName") && !JsonAccess.Has(o, "expression");

    private sealed class Reader(string source, int maxActivities)
    {
        private int _activities;

        public WorkflowDefinition Definition(JsonObject o)
        {
            var d = new WorkflowDefinition
            {
                Schema = OptionalString(o, "$schema", "$"),
                Id = OptionalString(o, "id", "$"),
                DefinitionId = OptionalString(o, "definitionId", "$"),
                Name = OptionalString(o, "name", "$"),
                Description = OptionalString(o, "description", "$"),
                Version = OptionalInt(o, "version", "$") ?? 1,
                IsLatest = OptionalBool(o, "isLatest", "$") ?? true,
                IsPublished = OptionalBool(o, "isPublished", "$") ?? false,
                Options = OptionalObject(o, "options", "$"),
                CustomProperties = OptionalObject(o, "customProperties", "$")
            };
            var i = 0;
            foreach (var v in OptionalArray(o, "variables", "$")) d.Variables.Add(Variable(v, $"$.variables[{i++}]"));
            i = 0;
            foreach (var v in OptionalArray(o, "inputs", "$")) d.Inputs.Add(Argument(v, $"$.inputs[{i++}]"));
            i = 0;
            foreach (var v in OptionalArray(o, "outputs", "$")) d.Outputs.Add(Argument(v, $"$.outputs[{i++}]"));
            i = 0;
            foreach (var v in OptionalArray(o, "outcomes", "$"))
                d.Outcomes.Add(JsonAccess.AsString(v) ?? throw Error($"$.outcomes[{i}]", "expected a string (an outcome name)"));
            NoteNulls(o, KnownTopLevel, d.ExplicitNulls);
            var root = JsonAccess.Get(o, "root");
            if (root is not null) d.Root = Node(root, "$.root");
            foreach (var (key, value) in o)
                if (!KnownTopLevel.Contains(key)) d.Extras[key] = value?.DeepClone();
            return d;
        }

        private VariableDefinition Variable(JsonNode? node, string path)
        {
            var o = node as JsonObject ?? throw Error(path, "expected an object (a variable)");
            var v = new VariableDefinition
            {
                Id = OptionalString(o, "id", path) ?? OptionalString(o, "name", path) ?? throw Error(path, "a variable needs an id or a name"),
                Name = OptionalString(o, "name", path) ?? OptionalString(o, "id", path)!,
                TypeName = OptionalString(o, "typeName", path) ?? "Object",
                IsArray = OptionalBool(o, "isArray", path) ?? false,
                Value = JsonAccess.Get(o, "value")?.DeepClone(),
                HasValue = JsonAccess.Has(o, "value")
            };
            foreach (var (key, value) in o)
                if (!IsKnown(key, "id", "name", "typeName", "isArray", "value"))
                    v.Extras[key] = value?.DeepClone();
            return v;
        }

        private ArgumentDefinition Argument(JsonNode? node, string path)
        {
            var o = node as JsonObject ?? throw Error(path, "expected an object (an input or output declaration)");
            var a = new ArgumentDefinition
            {
                Name = OptionalString(o, "name", path) ?? throw Error(path + ".name", "expected a string (the argument name)"),
                Type = OptionalString(o, "type", path) ?? "Object",
                IsArray = OptionalBool(o, "isArray", path) ?? false
            };
            foreach (var (key, value) in o)
                if (!IsKnown(key, "name", "type", "isArray")) a.Extras[key] = value?.DeepClone();
            return a;
        }

        public ActivityNode Node(JsonNode? node, string path)
        {
            var o = node as JsonObject ?? throw Error(path, "expected an object (an activity)");
            if (++_activities > maxActivities) throw DefinitionLimitExceededException.Activities(source, maxActivities);
            var type = RequiredText(o, "type", path, "the activity type name");
            var id = RequiredText(o, "id", path, "the activity id");
            var n = new ActivityNode
            {
                Type = type,
                Id = id,
                Version = OptionalInt(o, "version", path) ?? 1,
                NodeId = OptionalString(o, "nodeId", path),
                Name = OptionalString(o, "name", path),
                CustomProperties = OptionalObject(o, "customProperties", path),
                Metadata = OptionalObject(o, "metadata", path)
            };
            NoteNulls(o, KnownNode, n.ExplicitNulls);
            foreach (var (key, value) in o)
            {
                if (KnownNode.Contains(key)) continue;
                var p = $"{path}.{key}";
                if (key.Equals("connections", StringComparison.OrdinalIgnoreCase) && value is JsonArray conns)
                    n.Properties.Add(new ConnectionsProperty(key, conns.Select((c, i) => Connection(c, $"{p}[{i}]")).ToList()));
                else if (value is JsonArray list && (key.Equals("activities", StringComparison.OrdinalIgnoreCase) ? list.All(LooksLikeActivity) : list.Count > 0 && list.All(LooksLikeActivity)))
                    n.Properties.Add(new ChildListProperty(key, list.Select((a, i) => Node(a, $"{p}[{i}]")).ToList()));
                else if (key.Equals("activities", StringComparison.OrdinalIgnoreCase) && value is JsonArray bad)
                    throw Error($"{p}[{bad.ToList().FindIndex(x => !LooksLikeActivity(x))}]", "expected an activity object with string 'type' and 'id'");
                else if (LooksLikeActivity(value))
                    n.Properties.Add(new ChildProperty(key, Node(value, p)));
                else
                    n.Properties.Add(new RawProperty(key, value?.DeepClone()));
            }
            return n;
        }

        private Connection Connection(JsonNode? node, string path)
        {
            var o = node as JsonObject ?? throw Error(path, "expected an object (a connection)");
            var c = new Connection();
            var source = JsonAccess.Get(o, "source");
            var target = JsonAccess.Get(o, "target");
            if (source is JsonObject s)
            {
                c.Source = OptionalString(s, "activity", path + ".source") ?? throw Error(path + ".source.activity", "expected a string (the source activity id)");
                c.SourcePort = OptionalString(s, "port", path + ".source") ?? "Done";
            }
            else
            {
                // Legacy flat form: {source, target, sourcePort, targetPort}.
                c.Source = JsonAccess.AsString(source) ?? throw Error(path + ".source", "expected the source activity id or {activity, port}");
                c.SourcePort = OptionalString(o, "sourcePort", path) ?? "Done";
            }
            if (target is JsonObject t)
            {
                c.Target = OptionalString(t, "activity", path + ".target") ?? throw Error(path + ".target.activity", "expected a string (the target activity id)");
                c.TargetPort = OptionalString(t, "port", path + ".target") ?? "In";
            }
            else
            {
                c.Target = JsonAccess.AsString(target) ?? throw Error(path + ".target", "expected the target activity id or {activity, port}");
                c.TargetPort = OptionalString(o, "targetPort", path) ?? "In";
            }
            foreach (var (key, value) in o)
                if (!IsKnown(key, "source", "target", "sourcePort", "targetPort")) c.Extras[key] = value?.DeepClone();
            return c;
        }

        private string RequiredText(JsonObject o, string name, string path, string what)
        {
            var v = JsonAccess.Get(o, name);
            if (v is JsonValue jv && jv.GetValueKind() == JsonValueKind.String && !string.IsNullOrWhiteSpace(jv.GetValue<string>())) return jv.GetValue<string>();
            throw Error($"{path}.{name}", $"expected a string ({what}){(v is null ? "" : ", found " + Kind(v))}");
        }

        private static bool IsKnown(string key, params string[] names) => names.Any(n => n.Equals(key, StringComparison.OrdinalIgnoreCase));

        private string? OptionalString(JsonObject o, string name, string path)
        {
            var v = JsonAccess.Get(o, name);
            if (v is null) return null;
            return JsonAccess.AsString(v) ?? throw Error($"{path}.{name}", $"expected a string, found {Kind(v)}");
        }

        private int? OptionalInt(JsonObject o, string name, string path)
        {
            var v = JsonAccess.Get(o, name);
            if (v is null) return null;
            if (v is JsonValue jv && jv.GetValueKind() == JsonValueKind.Number && jv.TryGetValue<int>(out var i)) return i;
            if (v is JsonValue sv && sv.GetValueKind() == JsonValueKind.String && int.TryParse(sv.GetValue<string>(), out var parsed)) return parsed;
            throw Error($"{path}.{name}", $"expected a whole number, found {Kind(v)}");
        }

        private bool? OptionalBool(JsonObject o, string name, string path)
        {
            var v = JsonAccess.Get(o, name);
            if (v is null) return null;
            return (v as JsonValue is { } jv ? JsonAccess.AsBool(jv) : null) ?? throw Error($"{path}.{name}", $"expected true or false, found {Kind(v)}");
        }

        private JsonObject? OptionalObject(JsonObject o, string name, string path)
        {
            var v = JsonAccess.Get(o, name);
            if (v is null) return null;
            return v as JsonObject is { } obj ? (JsonObject)obj.DeepClone() : throw Error($"{path}.{name}", $"expected an object, found {Kind(v)}");
        }

        private JsonArray OptionalArray(JsonObject o, string name, string path)
        {
            var v = JsonAccess.Get(o, name);
            if (v is null) return [];
            return v as JsonArray ?? throw Error($"{path}.{name}", $"expected an array, found {Kind(v)}");
        }

        private static string Kind(JsonNode v) => v.GetValueKind() switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => $"the string \"{v.GetValue<string>()}\"",
            JsonValueKind.Number => $"the number {v.ToJsonString()}",
            JsonValueKind.True or JsonValueKind.False => $"the boolean {v.ToJsonString()}",
            _ => "null"
        };

        private WorkflowFormatException Error(string path, string message) => new(source, path, message);
    }
}
