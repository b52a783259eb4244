using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;

namespace GovFlow.Workflows.Runtime;

/// <summary>A problem found while compiling a definition.</summary>
/// <param name="Path">Where: activity path, e.g. <c>root/WriteLine1.text</c>.</param>
/// <param name="Message">What is wrong.</param>
/// <param name="IsError">Errors stop the definition from running; warnings do not.</param>
/// <param name="Node">The activity node concerned, when there is one.</param>
/// <param name="Property">The property concerned, when there is one.</param>
public sealed record CompileProblem(string Path, string Message, bool IsError, ActivityNode? Node = null, string? Property = null);

/// <summary>A definition that failed to compile, with every problem found.</summary>
public sealed class WorkflowCompileException(string definition, IReadOnlyList<CompileProblem> problems)
    : Exception($"Workflow '{definition}' cannot run: " + string.Join("; ", problems.Where(p => p.IsError).Select(p => $"{p.Path}: {p.Message}")))
{
    /// <summary>Every problem.</summary>
    public IReadOnlyList<CompileProblem> Problems { get; } = problems;
}

/// <summary>A definition compiled into an executable activity tree. Immutable; shared by all runs.</summary>
public sealed class Workflow
{
    private readonly Dictionary<string, Activity> _byNodeId;
    private readonly ILookup<string, Activity> _byName;

    internal Workflow(WorkflowDefinition definition, WorkflowRoot root, IReadOnlyList<Activity> activities, IReadOnlyList<CompileProblem> problems)
    {
        Definition = definition;
        Root = root;
        Activities = activities;
        Problems = problems;
        _byNodeId = activities.ToDictionary(a => a.NodeId, StringComparer.Ordinal);
        _byName = activities.Where(a => a.Name != null).ToLookup(a => Naming.Pascalize(a.Name!), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The definition version.</summary>
    public WorkflowDefinition Definition { get; }

    /// <summary>The root composite (the workflow itself).</summary>
    public WorkflowRoot Root { get; }

    /// <summary>Every activity, depth first, including those inside workflows used as activities.</summary>
    public IReadOnlyList<Activity> Activities { get; }

    /// <summary>Warnings found while compiling.</summary>
    public IReadOnlyList<CompileProblem> Problems { get; }

    /// <summary>The expression languages it was compiled with (scripting activities evaluate with the same settings).</summary>
    public ExpressionEvaluators? Evaluators { get; internal init; }

    /// <summary>An activity by runtime node id.</summary>
    public Activity? FindByNodeId(string nodeId) => _byNodeId.GetValueOrDefault(nodeId);

    /// <summary>Activities by (pascalized) name.</summary>
    public IEnumerable<Activity> FindByName(string name) => _byName[name];
}

/// <summary>Compiles definitions, caching the result per definition object.</summary>
public sealed class WorkflowCompiler(ActivityRegistry registry, ExpressionEvaluators evaluators, IWorkflowDefinitionSource? definitions = null)
{
    private readonly ConditionalWeakTable<WorkflowDefinition, Workflow> _cache = new();

    /// <summary>The activity registry.</summary>
    public ActivityRegistry Registry { get; } = registry;

    /// <summary>The expression languages.</summary>
    public ExpressionEvaluators Evaluators { get; } = evaluators;

    /// <summary>Where workflows used as activities are looked up.</summary>
    public IWorkflowDefinitionSource? Definitions { get; } = definitions;

    /// <summary>Compiles (or returns the cached compilation of) a definition; throws with every error found (publish semantics).</summary>
    public Workflow Compile(WorkflowDefinition definition)
    {
        var workflow = CompileLenient(definition);
        if (workflow.Problems.Any(p => p.IsError)) throw new WorkflowCompileException(definition.Name ?? definition.DefinitionId ?? "workflow", workflow.Problems);
        return workflow;
    }

    /// <summary>
    /// Compiles even when inputs are bad (run semantics, as Elsa: a bad expression or value faults the activity
    /// when it runs, with the problem as the incident). Only a definition that uses itself as an activity cannot run.
    /// </summary>
    public Workflow CompileLenient(WorkflowDefinition definition)
    {
        if (_cache.TryGetValue(definition, out var cached)) return cached;
        var build = new ActivityBuildContext(this);
        var root = build.CompileRoot(definition);
        if (build.Problems.Any(p => p.IsError && p.Message.Contains("uses itself as an activity", StringComparison.Ordinal)))
            throw new WorkflowCompileException(definition.Name ?? definition.DefinitionId ?? "workflow", build.Problems);
        var workflow = new Workflow(definition, root, build.Activities, build.Problems) { Evaluators = Evaluators };
        _cache.AddOrUpdate(definition, workflow);
        return workflow;
    }

    /// <summary>Forgets a cached compilation (after the definition object was edited in place).</summary>
    public void Invalidate(WorkflowDefinition definition) => _cache.Remove(definition);
}

/// <summary>Helps an activity constructor read its node: inputs, children and node ids, collecting problems with paths.</summary>
public sealed class ActivityBuildContext
{
    private readonly WorkflowCompiler _compiler;
    private readonly Stack<string> _prefix = new();
    private readonly Stack<string> _definitions = new();
    private readonly Stack<string> _path = new();
    private readonly Stack<ActivityNode> _nodes = new();
    private readonly Stack<ActivityDescriptor> _descriptors = new();

    internal ActivityBuildContext(WorkflowCompiler compiler) => _compiler = compiler;

    internal List<CompileProblem> Problems { get; } = [];

    /// <summary>The expression languages of the compiler (and their settings, e.g. whether C# is allowed).</summary>
    public ExpressionEvaluators Evaluators => _compiler.Evaluators;

    internal List<Activity> Activities { get; } = [];

    /// <summary>The runtime node id for a node compiled at the current position.</summary>
    public string NodeIdFor(ActivityNode node) => _prefix.Count == 0 ? node.Id : $"{_prefix.Peek()}:{node.Id}";

    /// <summary>Reports a problem at the current activity.</summary>
    public void Problem(string message, bool isError = true, string? property = null) =>
        Problems.Add(new CompileProblem(CurrentPath + (property is null ? "" : "." + property), message, isError, _nodes.Count > 0 ? _nodes.Peek() : null, property));

    private string CurrentPath => _path.Count == 0 ? "root" : string.Join("/", _path.Reverse());

    /// <summary>Compiles a nested activity owned by <paramref name="parent"/>.</summary>
    public Activity Compile(ActivityNode node, Activity parent)
    {
        _prefix.Push(parent.NodeId);
        _path.Push(node.Name ?? node.Id);
        _nodes.Push(node);
        try
        {
            var activity = Create(node);
            activity.Parent = parent;
            return activity;
        }
        finally
        {
            _nodes.Pop();
            _path.Pop();
            _prefix.Pop();
        }
    }

    /// <summary>Compiles a nested activity list.</summary>
    public IReadOnlyList<Activity> CompileAll(IEnumerable<ActivityNode> nodes, Activity parent) => nodes.Select(n => Compile(n, parent)).ToList();

    /// <summary>
    /// Reads an input the activity type declares (<see cref="InputAttribute"/>), converting to the declared type. An
    /// activity reading an input it does not declare is a programming error, refused when the type is first compiled.
    /// </summary>
    public Input? Input(ActivityNode node, string name)
    {
        var declared = _descriptors.Count > 0 ? _descriptors.Peek().Inputs.FirstOrDefault(i => i.Name == name) : null;
        if (declared is null)
            throw new InvalidOperationException($"Activity type '{node.Type}' reads input '{name}' without declaring it with [Input].");
        return Input(node, name, declared.ClrType);
    }

    /// <summary>
    /// Reads an input whose type is known only from the definition (a composite's or a workflow's own arguments):
    /// a <c>{typeName, expression}</c> wrapper, or a bare legacy value taken as a literal.
    /// </summary>
    public Input? Input(ActivityNode node, string name, Type targetType)
    {
        var property = node.Find(name);
        if (property is not RawProperty raw || raw.Value is null) return null;
        Expression expression;
        string? typeName = null;
        if (raw.Value is JsonObject o && (JsonAccess.Has(o, "expression") || JsonAccess.Has(o, "typeName")))
        {
            typeName = JsonAccess.GetString(o, "typeName");
            var e = JsonAccess.Get(o, "expression");
            if (e is null) return null;
            if (e is not JsonObject eo) { Problem("expected an expression object {type, value}", property: name); return null; }
            var type = JsonAccess.GetString(eo, "type") ?? "Literal";
            expression = new Expression(type, JsonAccess.Get(eo, "value")?.DeepClone());
        }
        else
        {
            expression = new Expression("Literal", raw.Value.DeepClone());
        }
        var evaluator = _compiler.Evaluators.Find(expression.Type);
        if (evaluator is null)
        {
            Problem($"unknown expression type '{expression.Type}'", property: name);
            return new Input(name, expression, new FaultingEvaluator($"Input '{name}': unknown expression type '{expression.Type}'."), targetType, null);
        }
        if (evaluator.Validate(expression) is { } problem)
        {
            if (evaluator is CSharpEvaluator) problem = CSharpEvaluator.ForActivity(node, problem);
            Problem(problem, property: name);
            return new Input(name, expression, new FaultingEvaluator($"Input '{name}': {problem}"), targetType, null);
        }
        if (targetType == typeof(object) && typeName != null) targetType = Values.TypeOf(typeName);
        var input = new Input(name, expression, evaluator, targetType, typeName);
        if (input.IsLiteral && expression.Value is not null && !LiteralConverts(expression, targetType, out var why))
            Problem($"the value cannot be used as {ActivityDescriptor.TypeAlias(targetType)}: {why}", property: name);
        return input;
    }

    private static bool LiteralConverts(Expression e, Type t, out string why)
    {
        try { Values.Convert(Values.FromJson(e.Value), t); why = ""; return true; }
        catch (Exception ex) when (ex is InvalidCastException or FormatException or OverflowException or JsonException) { why = ex.Message; return false; }
    }

    internal WorkflowRoot CompileRoot(WorkflowDefinition definition)
    {
        var node = new ActivityNode { Type = "Elsa.Workflow", Id = "Workflow1", Name = definition.Name };
        var root = new WorkflowRoot(node, this, definition);
        Register(root);
        return root;
    }

    /// <summary>Compiles the inner root of a composite (the workflow itself or a workflow used as an activity).</summary>
    internal Activity? CompileDefinitionRoot(WorkflowDefinition definition, Activity owner)
    {
        if (definition.Root is null) return null;
        return Compile(definition.Root, owner);
    }

    internal bool EnterDefinition(WorkflowDefinition definition)
    {
        var key = definition.Id ?? definition.DefinitionId ?? "";
        if (_definitions.Contains(key)) return false;
        _definitions.Push(key);
        return true;
    }

    internal void LeaveDefinition() => _definitions.Pop();

    internal void Register(Activity activity) => Activities.Add(activity);

    private Activity Create(ActivityNode node)
    {
        Activity activity;
        var descriptor = _compiler.Registry.Find(node.Type);
        if (descriptor != null)
        {
            _descriptors.Push(descriptor);
            try { activity = descriptor.Factory(node, this); }
            finally { _descriptors.Pop(); }
            foreach (var input in descriptor.Inputs.Where(i => i.Required && !HasValue(node, i.Name)))
                // The property names the input for tools (the designer marks the field); the words are the hall's.
                Problem($"必填输入“{input.DisplayNameZh ?? input.DisplayName}”未填写", property: input.Name);
        }
        else if (ResolveWorkflowActivity(node) is { } definition)
            activity = new WorkflowDefinitionActivity(node, this, definition);
        else
        {
            Problem($"unknown activity type '{node.Type}' (kept as is; the workflow faults if it reaches it)", isError: false);
            activity = new UnknownActivity(node, this);
        }
        Register(activity);
        return activity;
    }

    // An input is given when it has an expression with a value (a blank literal is as good as none).
    private static bool HasValue(ActivityNode node, string name)
    {
        if (node.Find(name) is not RawProperty { Value: { } value }) return false;
        var expression = value is JsonObject o && (JsonAccess.Has(o, "expression") || JsonAccess.Has(o, "typeName"))
            ? JsonAccess.Get(o, "expression") is JsonObject e ? JsonAccess.Get(e, "value") : null
            : value;
        return expression switch
        {
            null => false,
            JsonValue v when v.TryGetValue<string>(out var text) => !string.IsNullOrWhiteSpace(text),
            JsonArray a => a.Count > 0,
            _ => true
        };
    }

    /// <summary>Finds the definition behind a workflow-as-activity node the way Elsa does (version id, then type name, then definition id).</summary>
    private WorkflowDefinition? ResolveWorkflowActivity(ActivityNode node)
    {
        var source = _compiler.Definitions;
        if (source is null) return null;
        var candidates = source.UsableAsActivities().ToList();
        WorkflowDefinition? match = null;
        if (JsonAccess.AsString(node.Raw("workflowDefinitionVersionId")) is { } versionId)
            match = candidates.FirstOrDefault(d => d.Id == versionId);
        if (match is null)
        {
            var byType = candidates.Where(d => d.ActivityTypeName == node.Type).ToList();
            match = byType.FirstOrDefault(d => d.Version == node.Version) ?? byType.FirstOrDefault(d => d.IsPublished) ?? byType.LastOrDefault();
            if (match is null && byType.Count == 0 && JsonAccess.AsString(node.Raw("workflowDefinitionId")) is { } definitionId)
                match = source.Find(definitionId, VersionSelector.PublishedOrLatest);
        }
        if (match is null) return null;
        return source.FindVersion(match.Id ?? "") ?? source.Find(match.DefinitionId!, VersionSelector.Published) ?? source.Find(match.DefinitionId!, VersionSelector.Latest) ?? match;
    }
}
