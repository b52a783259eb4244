using System.Text.Json.Nodes;

namespace GovFlow.Workflows.Model;

/// <summary>
/// One version of a workflow definition as Elsa 3 writes it. Everything the engine does not model
/// is kept in <see cref="Extras"/> so that a definition exported from Elsa Studio comes back unchanged.
/// </summary>
public sealed class WorkflowDefinition
{
    /// <summary>The <c>$schema</c> URL; written first on export.</summary>
    public string? Schema { get; set; }

    /// <summary>The version id (Elsa's <c>id</c>).</summary>
    public string? Id { get; set; }

    /// <summary>The id shared by all versions of this definition.</summary>
    public string? DefinitionId { get; set; }

    /// <summary>Display name; also the source of the activity type name when the definition is usable as an activity.</summary>
    public string? Name { get; set; }

    /// <summary>Free text description.</summary>
    public string? Description { get; set; }

    /// <summary>Version number, starting at 1.</summary>
    public int Version { get; set; } = 1;

    /// <summary>Whether this is the newest version of the definition.</summary>
    public bool IsLatest { get; set; } = true;

    /// <summary>Whether this version is the published one.</summary>
    public bool IsPublished { get; set; }

    /// <summary>Workflow variables.</summary>
    public List<VariableDefinition> Variables { get; } = [];

    /// <summary>Declared workflow inputs.</summary>
    public List<ArgumentDefinition> Inputs { get; } = [];

    /// <summary>Declared workflow outputs.</summary>
    public List<ArgumentDefinition> Outputs { get; } = [];

    /// <summary>Declared outcomes (ports) when the definition is used as an activity.</summary>
    public List<string> Outcomes { get; } = [];

    /// <summary>Elsa's <c>options</c> object, kept whole; typed accessors read from it.</summary>
    public JsonObject? Options { get; set; }

    /// <summary>Foreign data stored with the definition (GovFlow keeps the service-matter standard here).</summary>
    public JsonObject? CustomProperties { get; set; }

    /// <summary>The root activity.</summary>
    public ActivityNode? Root { get; set; }

    /// <summary>Known fields written as an explicit <c>null</c> (kept so that export writes them back).</summary>
    public HashSet<string> ExplicitNulls { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Top-level properties the engine does not model, in document order.</summary>
    public JsonObject Extras { get; set; } = [];

    /// <summary>Whether the definition may be placed as an activity in other definitions (also honours the legacy top-level flag).</summary>
    public bool UsableAsActivity =>
        JsonAccess.GetBool(Options, "usableAsActivity") ?? JsonAccess.GetBool(Extras, "usableAsActivity") ?? false;

    /// <summary>The activity type name under which a usable-as-activity definition is registered (Elsa pascalizes the name).</summary>
    public string ActivityTypeName => Naming.Pascalize(Name ?? DefinitionId ?? "Workflow");
}

/// <summary>A workflow variable.</summary>
public sealed class VariableDefinition
{
    /// <summary>Id referenced by memory references.</summary>
    public string Id { get; set; } = "";

    /// <summary>Name used by expressions (getX()/Variables.X).</summary>
    public string Name { get; set; } = "";

    /// <summary>Elsa type alias (String, Int32, Object, ...).</summary>
    public string TypeName { get; set; } = "Object";

    /// <summary>Whether the variable holds an array of <see cref="TypeName"/>.</summary>
    public bool IsArray { get; set; }

    /// <summary>Initial value as written in the file.</summary>
    public JsonNode? Value { get; set; }

    /// <summary>Whether the file had a <c>value</c> property (even a null one), so export writes it back.</summary>
    public bool HasValue { get; set; }

    /// <summary>Properties the engine does not model.</summary>
    public JsonObject Extras { get; set; } = [];
}

/// <summary>A declared workflow input or output.</summary>
public sealed class ArgumentDefinition
{
    /// <summary>Argument name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Elsa type alias.</summary>
    public string Type { get; set; } = "Object";

    /// <summary>Whether the argument is an array.</summary>
    public bool IsArray { get; set; }

    /// <summary>Properties the engine does not model (displayName, category, uiHint, ...).</summary>
    public JsonObject Extras { get; set; } = [];
}
