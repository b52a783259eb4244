using System.Text.Json.Nodes;

namespace GovFlow.Workflows.Model;

/// <summary>
/// One activity as written in Elsa 3 JSON. The identity fields are typed; every other property is kept
/// in document order, with nested activities and flowchart connections parsed so they can be edited,
/// and everything else (inputs, outputs, unknown properties) kept as raw JSON.
/// </summary>
public sealed class ActivityNode
{
    /// <summary>Elsa activity type name, e.g. <c>Elsa.WriteLine</c>.</summary>
    public string Type { get; set; } = "";

    /// <summary>Activity type version.</summary>
    public int Version { get; set; } = 1;

    /// <summary>Activity id, unique inside its container.</summary>
    public string Id { get; set; } = "";

    /// <summary>The node id written by Elsa (<c>parentNodeId:id</c>), if present.</summary>
    public string? NodeId { get; set; }

    /// <summary>Display name, used by expression accessors such as getOutputFromX().</summary>
    public string? Name { get; set; }

    /// <summary>Custom properties (canStartWorkflow, mergeMode, ...).</summary>
    public JsonObject? CustomProperties { get; set; }

    /// <summary>Designer metadata (positions, sizes, display text).</summary>
    public JsonObject? Metadata { get; set; }

    /// <summary>Identity fields written as an explicit <c>null</c> (kept so that export writes them back).</summary>
    public HashSet<string> ExplicitNulls { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>All other properties, in document order.</summary>
    public List<NodeProperty> Properties { get; } = [];

    /// <summary>Finds a property by name, ignoring case (files written by older tools use PascalCase).</summary>
    public NodeProperty? Find(string name)
    {
        foreach (var p in Properties)
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                return p;
        return null;
    }

    /// <summary>The raw JSON of a property, or null.</summary>
    public JsonNode? Raw(string name) => (Find(name) as RawProperty)?.Value;

    /// <summary>A single nested activity, or null.</summary>
    public ActivityNode? Child(string name) => (Find(name) as ChildProperty)?.Activity;

    /// <summary>A nested activity list (empty when absent).</summary>
    public IReadOnlyList<ActivityNode> Children(string name) => (Find(name) as ChildListProperty)?.Activities ?? [];

    /// <summary>Flowchart connections (empty when absent).</summary>
    public IReadOnlyList<Connection> Connections => (Find("connections") as ConnectionsProperty)?.Connections ?? [];

    /// <summary>Custom properties, falling back to the legacy <c>applicationProperties</c>.</summary>
    public JsonObject? EffectiveCustomProperties =>
        CustomProperties ?? Raw("applicationProperties") as JsonObject;

    /// <summary>Sets (or replaces) a raw property.</summary>
    public void SetRaw(string name, JsonNode? value)
    {
        var index = Properties.FindIndex(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
        var property = new RawProperty(name, value);
        if (index >= 0) Properties[index] = property; else Properties.Add(property);
    }

    /// <summary>Every activity nested below this one, depth first.</summary>
    public IEnumerable<ActivityNode> Descendants()
    {
        foreach (var p in Properties)
        {
            switch (p)
            {
                case ChildProperty c:
                    yield return c.Activity;
                    foreach (var d in c.Activity.Descendants()) yield return d;
                    break;
                case ChildListProperty l:
                    foreach (var a in l.Activities)
                    {
                        yield return a;
                        foreach (var d in a.Descendants()) yield return d;
                    }
                    break;
            }
        }
    }
}

/// <summary>A named property of an activity node.</summary>
public abstract record NodeProperty(string Name);

/// <summary>A property kept as raw JSON (inputs, outputs and anything unknown).</summary>
public sealed record RawProperty(string Name, JsonNode? Value) : NodeProperty(Name);

/// <summary>A property holding one nested activity (e.g. <c>body</c>).</summary>
public sealed record ChildProperty(string Name, ActivityNode Activity) : NodeProperty(Name);

/// <summary>A property holding a list of nested activities (e.g. <c>activities</c>).</summary>
public sealed record ChildListProperty(string Name, List<ActivityNode> Activities) : NodeProperty(Name);

/// <summary>A flowchart's <c>connections</c>.</summary>
public sealed record ConnectionsProperty(string Name, List<Connection> Connections) : NodeProperty(Name);

/// <summary>A flowchart connection from an activity's outcome port to another activity.</summary>
public sealed class Connection
{
    /// <summary>Source activity id.</summary>
    public string Source { get; set; } = "";

    /// <summary>Source port (the outcome name); Elsa's default is <c>Done</c>.</summary>
    public string SourcePort { get; set; } = "Done";

    /// <summary>Target activity id.</summary>
    public string Target { get; set; } = "";

    /// <summary>Target port; Elsa writes <c>In</c>.</summary>
    public string TargetPort { get; set; } = "In";

    /// <summary>Other connection data (designer vertices, ...).</summary>
    public JsonObject Extras { get; set; } = [];
}
