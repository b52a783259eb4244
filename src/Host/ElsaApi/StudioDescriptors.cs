using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Host.ElsaApi;

/// <summary>
/// Studio's toolbox and property panels: every activity GovFlow runs in Elsa's descriptor shape, the expression
/// languages GovFlow evaluates, the variable types, the storage drivers and the (empty) strategy lists.
/// </summary>
public static class StudioDescriptors
{
    /// <summary>Elsa's activity descriptor.</summary>
    /// <param name="TypeName">Type name as written in the JSON.</param>
    /// <param name="Namespace">The type name's namespace part.</param>
    /// <param name="Name">The type name's last part.</param>
    /// <param name="Version">Type version.</param>
    /// <param name="Category">Toolbox group.</param>
    /// <param name="DisplayName">Name in the toolbox (the hall's words where GovFlow has them).</param>
    /// <param name="Description">What it does.</param>
    /// <param name="Kind">Action, Trigger, Task or Job.</param>
    /// <param name="Inputs">Inputs.</param>
    /// <param name="Outputs">Outputs.</param>
    /// <param name="Ports">Outcome ports.</param>
    /// <param name="CustomProperties">Extra data.</param>
    /// <param name="ConstructionProperties">Properties a new activity starts with.</param>
    /// <param name="IsContainer">Holds other activities.</param>
    /// <param name="IsBrowsable">Shown in the toolbox.</param>
    /// <param name="IsStart">May start a workflow.</param>
    /// <param name="IsTerminal">Has no outgoing port.</param>
    public sealed record Activity(string TypeName, string Namespace, string Name, int Version, string Category, string DisplayName, string? Description, string Kind,
        IReadOnlyList<Input> Inputs, IReadOnlyList<Output> Outputs, IReadOnlyList<Port> Ports, IReadOnlyDictionary<string, object?> CustomProperties,
        IReadOnlyDictionary<string, object?> ConstructionProperties, bool IsContainer, bool IsBrowsable, bool IsStart, bool IsTerminal);

    /// <summary>Elsa's input descriptor.</summary>
    /// <param name="Name">Property name in the JSON.</param>
    /// <param name="TypeName">Elsa type alias of the value.</param>
    /// <param name="DisplayName">Label.</param>
    /// <param name="Description">Help text.</param>
    /// <param name="Order">Position in the panel.</param>
    /// <param name="IsBrowsable">Shown.</param>
    /// <param name="IsSynthetic">Declared by data rather than code (never, here).</param>
    /// <param name="IsWrapped">Held as an expression (every GovFlow input is).</param>
    /// <param name="UiHint">Which editor Studio uses.</param>
    /// <param name="Category">Panel group.</param>
    /// <param name="DefaultValue">Default.</param>
    /// <param name="DefaultSyntax">The expression language a new value starts in.</param>
    /// <param name="IsReadOnly">Not editable.</param>
    /// <param name="IsSensitive">Hidden in logs.</param>
    /// <param name="StorageDriverType">Where the value is kept (not used).</param>
    /// <param name="UiSpecifications">Editor options (dropdown items).</param>
    /// <param name="Options">Dropdown items, as older Studio versions read them.</param>
    public sealed record Input(string Name, string TypeName, string DisplayName, string? Description, float Order, bool IsBrowsable, bool IsSynthetic, bool IsWrapped,
        string UiHint, string Category, string? DefaultValue, string DefaultSyntax, bool IsReadOnly, bool IsSensitive, string? StorageDriverType,
        IReadOnlyDictionary<string, object?>? UiSpecifications, SelectList? Options);

    /// <summary>Dropdown items.</summary>
    /// <param name="Items">Items.</param>
    /// <param name="IsFlagsEnum">Several may be chosen.</param>
    public sealed record SelectList(IReadOnlyList<SelectListItem> Items, bool IsFlagsEnum);

    /// <summary>One dropdown item.</summary>
    /// <param name="Text">Shown.</param>
    /// <param name="Value">Stored.</param>
    public sealed record SelectListItem(string Text, string Value);

    /// <summary>Elsa's output descriptor.</summary>
    /// <param name="Name">Name.</param>
    /// <param name="TypeName">Type alias.</param>
    /// <param name="DisplayName">Label.</param>
    /// <param name="Description">Help.</param>
    /// <param name="Order">Position.</param>
    /// <param name="IsBrowsable">Shown.</param>
    /// <param name="IsSynthetic">Declared by data.</param>
    public sealed record Output(string Name, string TypeName, string DisplayName, string? Description, float Order, bool IsBrowsable, bool IsSynthetic);

    /// <summary>An outcome port.</summary>
    /// <param name="Name">Outcome.</param>
    /// <param name="DisplayName">Label.</param>
    /// <param name="Type">Flow (a connection) or Embedded (a child activity).</param>
    /// <param name="IsBrowsable">Shown.</param>
    public sealed record Port(string Name, string DisplayName, string Type, bool IsBrowsable);

    /// <summary>An expression language.</summary>
    /// <param name="Type">Its name in the JSON.</param>
    /// <param name="DisplayName">Label.</param>
    /// <param name="IsSerializable">Stored as written.</param>
    /// <param name="IsBrowsable">Offered in the picker.</param>
    /// <param name="Properties">Editor hints (Monaco language).</param>
    public sealed record ExpressionType(string Type, string DisplayName, bool IsSerializable, bool IsBrowsable, IReadOnlyDictionary<string, object?> Properties);

    /// <summary>A variable type.</summary>
    /// <param name="TypeName">Alias.</param>
    /// <param name="DisplayName">Label.</param>
    /// <param name="Category">Group.</param>
    /// <param name="Description">Help.</param>
    public sealed record VariableType(string TypeName, string DisplayName, string Category, string? Description);

    /// <summary>Where variable values live.</summary>
    /// <param name="TypeName">Driver name.</param>
    /// <param name="DisplayName">Label.</param>
    /// <param name="Priority">Order.</param>
    /// <param name="Deprecated">Never.</param>
    public sealed record StorageDriver(string TypeName, string DisplayName, int Priority, bool Deprecated);

    private static readonly string[] Terminal = ["Elsa.End", "Elsa.Finish", "Elsa.Fault"];

    /// <summary>Maps /descriptors/*.</summary>
    public static void Map(RouteGroupBuilder read)
    {
        read.MapGet("/descriptors/activities", (ActivityRegistry registry, InMemoryWorkflowDefinitionStore store) =>
            TypedResults.Ok(StudioList<Activity>.Of(Activities(registry).Concat(WorkflowActivities(store)))));
        read.MapGet("/descriptors/expression-descriptors", (ExpressionEvaluators evaluators) => TypedResults.Ok(StudioList<ExpressionType>.Of(Expressions(evaluators))));
        read.MapGet("/descriptors/variables", () => TypedResults.Ok(StudioList<VariableType>.Of(Variables)));
        read.MapGet("/descriptors/storage-drivers", () => TypedResults.Ok(StudioList<StorageDriver>.Of(
            [new("Workflow", "流程实例（随办件保存）", 0, false), new("Memory", "内存（不保存）", 1, false)])));
        // GovFlow runs each matter's cases side by side and keeps every record: there is no strategy to choose.
        foreach (var path in (string[])["workflow-activation-strategies", "incident-strategies", "log-persistence-strategies", "commit-strategies/workflows", "commit-strategies/activities"])
            read.MapGet($"/descriptors/{path}", () => TypedResults.Ok(StudioList<object>.Of([])));
    }

    /// <summary>Every activity type the engine runs, in Elsa's shape.</summary>
    public static IEnumerable<Activity> Activities(ActivityRegistry registry) => registry.Descriptors
        .OrderBy(d => d.Category, StringComparer.Ordinal).ThenBy(d => d.TypeName, StringComparer.Ordinal)
        .Select(d =>
        {
            var dot = d.TypeName.LastIndexOf('.');
            return new Activity(d.TypeName, dot < 0 ? "" : d.TypeName[..dot], d.TypeName[(dot + 1)..], d.Version, d.Category, d.DisplayNameZh ?? d.DisplayName,
                d.Description, d.Kind.ToString(),
                [.. d.Inputs.Select((i, order) => new Input(i.Name, i.TypeName, i.DisplayNameZh ?? i.DisplayName, i.Description, order, true, false, true, UiHint(i.UiHint), "常规",
                    i.DefaultValue, i.DefaultSyntax, false, false, null,
                    i.Options is { Count: > 0 } ? new Dictionary<string, object?> { ["dropdown"] = Select(i.Options) } : null,
                    i.Options is { Count: > 0 } ? Select(i.Options) : null))],
                [.. d.Outputs.Select((o, order) => new Output(o.Name, o.TypeName, o.DisplayName, null, order, true, false))],
                [.. d.Outcomes.Select(o => new Port(o, o, "Flow", true)), .. d.ChildPorts.Select(p => new Port(p.Name, p.DisplayName, "Embedded", true))],
                new Dictionary<string, object?>(), new Dictionary<string, object?>(),
                d.IsContainer, d.Browsable, d.IsTrigger, Terminal.Contains(d.TypeName) || d.Outcomes.Count == 0);
        });

    /// <summary>
    /// Definitions usable as activities, one entry per definition (its published version, else its latest), as Elsa
    /// lists them: placed in a flow, the node names the definition and version the engine resolves.
    /// </summary>
    public static IEnumerable<Activity> WorkflowActivities(InMemoryWorkflowDefinitionStore store) => store.UsableAsActivities()
        .GroupBy(d => d.DefinitionId)
        .Select(g => g.FirstOrDefault(d => d.IsPublished) ?? g.OrderBy(d => d.Version).Last())
        .OrderBy(d => d.ActivityTypeName, StringComparer.Ordinal)
        .Select(d => new Activity(d.ActivityTypeName, "", d.ActivityTypeName, d.Version, "Workflows", d.Name ?? d.ActivityTypeName, d.Description, "Action",
            [.. d.Inputs.Select((i, order) => new Input(i.Name, i.Type, JsonAccess.GetString(i.Extras, "displayName") ?? i.Name, JsonAccess.GetString(i.Extras, "description"), order,
                true, true, true, JsonAccess.GetString(i.Extras, "uiHint") ?? "singleline", "常规", null, "Literal", false, false, null, null, null))],
            [.. d.Outputs.Select((o, order) => new Output(o.Name, o.Type, JsonAccess.GetString(o.Extras, "displayName") ?? o.Name, null, order, true, true))],
            [.. (d.Outcomes.Count > 0 ? d.Outcomes : ["Done"]).Select(o => new Port(o, o, "Flow", true))],
            new Dictionary<string, object?> { ["RootType"] = "WorkflowDefinitionActivity", ["WorkflowDefinitionId"] = d.DefinitionId, ["WorkflowDefinitionVersionId"] = d.Id },
            new Dictionary<string, object?> { ["workflowDefinitionId"] = d.DefinitionId, ["workflowDefinitionVersionId"] = d.Id, ["latestAvailablePublishedVersion"] = d.Version },
            false, true, false, false));

    private static SelectList Select(IReadOnlyList<string> options) => new([.. options.Select(o => new SelectListItem(o, o))], false);

    // GovFlow's own hints where Studio names its editors differently.
    private static string UiHint(string hint) => hint switch
    {
        "json" => "json-editor",
        "code" => "code-editor",
        _ => hint
    };

    /// <summary>The expression languages GovFlow evaluates (C# only where this server allows it).</summary>
    public static IEnumerable<ExpressionType> Expressions(ExpressionEvaluators evaluators)
    {
        yield return new("Literal", "Literal", true, true, new Dictionary<string, object?>());
        yield return new("Object", "Object", true, true, new Dictionary<string, object?> { ["MonacoLanguage"] = "json" });
        yield return new("JavaScript", "JavaScript", true, true, new Dictionary<string, object?> { ["MonacoLanguage"] = "javascript" });
        yield return new("Liquid", "Liquid", true, true, new Dictionary<string, object?> { ["MonacoLanguage"] = "liquid" });
        if (evaluators.Options.CSharp.Enabled)
            yield return new("CSharp", "C#", true, true, new Dictionary<string, object?> { ["MonacoLanguage"] = "csharp" });
        yield return new("Variable", "Variable", true, false, new Dictionary<string, object?>());
        yield return new("Input", "Input", true, false, new Dictionary<string, object?>());
    }

    private static readonly VariableType[] Variables =
    [
        new("String", "String", "Primitives", "文本"), new("Boolean", "Boolean", "Primitives", "是/否"), new("Int32", "Int32", "Primitives", "整数"),
        new("Int64", "Int64", "Primitives", "长整数"), new("Double", "Double", "Primitives", "小数"), new("Decimal", "Decimal", "Primitives", "金额"),
        new("DateTime", "DateTime", "Primitives", "日期时间"), new("DateTimeOffset", "DateTimeOffset", "Primitives", "带时区的日期时间"),
        new("TimeSpan", "TimeSpan", "Primitives", "时长"), new("Object", "Object", "Dynamic", "任意值"), new("ExpandoObject", "ExpandoObject", "Dynamic", "对象"),
        new("JsonObject", "JsonObject", "Dynamic", "JSON 对象")
    ];
}
