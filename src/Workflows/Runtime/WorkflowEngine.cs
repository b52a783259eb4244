using GovFlow.Workflows.Activities;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;

namespace GovFlow.Workflows.Runtime;

/// <summary>Settings of an in-memory engine.</summary>
public sealed class WorkflowEngineOptions
{
    /// <summary>Where WriteLine writes.</summary>
    public TextWriter? Out { get; init; }

    /// <summary>Clock.</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>Flowchart mode of every run.</summary>
    public FlowchartMode FlowchartMode { get; init; } = FlowchartMode.CounterBased;

    /// <summary>Further services for activities.</summary>
    public IServiceProvider? Services { get; init; }

    /// <summary>How much one step may do (<see cref="StepLimits.Default"/> when null).</summary>
    public StepLimits? Limits { get; init; }
    /// <summary>Script limits and whether C# is allowed (off by default).</summary>
    public ExpressionOptions? Expressions { get; init; }
}

/// <summary>
/// The <see cref="WorkflowRuntime"/> over an in-memory store, with definitions and versions in memory too: the
/// command line and the tests use it. The host runs the same runtime over its database.
/// </summary>
public sealed class WorkflowEngine : IServiceProvider
{
    private readonly WorkflowEngineOptions _options;
    private readonly InMemoryWorkflowInstanceStore _store = new();

    /// <summary>Creates an engine.</summary>
    public WorkflowEngine(ActivityRegistry? registry = null, WorkflowEngineOptions? options = null)
    {
        _options = options ?? new WorkflowEngineOptions();
        Definitions = new InMemoryWorkflowDefinitionStore();
        Compiler = new WorkflowCompiler(registry ?? ActivityRegistry.CreateDefault(), ExpressionEvaluators.CreateDefault(_options.Expressions), Definitions);
        Runtime = new WorkflowRuntime(Compiler, Definitions, _store, this, (actor, services) => new WorkflowRunOptions
        {
            Services = services, Clock = _options.Clock, Out = _options.Out, FlowchartMode = _options.FlowchartMode, Actor = actor, Limits = _options.Limits
        });
    }

    /// <summary>Definitions and their versions.</summary>
    public InMemoryWorkflowDefinitionStore Definitions { get; }

    /// <summary>The compiler.</summary>
    public WorkflowCompiler Compiler { get; }

    /// <summary>The runtime the engine runs everything through.</summary>
    public WorkflowRuntime Runtime { get; }

    /// <summary>Instances in creation order.</summary>
    public IEnumerable<WorkflowState> Instances => _store.Instances;

    /// <summary>An instance by id.</summary>
    public WorkflowState? Instance(string id) => _store.Instance(id);

    /// <summary>The whole journal of an instance.</summary>
    public IReadOnlyList<JournalRecord> JournalOf(string instanceId) => _store.JournalOf(instanceId);

    /// <summary>Starts the published version of a definition (the latest when <paramref name="selector"/> says so).</summary>
    public ValueTask<WorkflowState> StartAsync(string definitionId, StartWorkflowRequest? request = null, VersionSelector selector = VersionSelector.Published)
    {
        var definition = Definitions.Find(definitionId, selector)
                         ?? throw new KeyNotFoundException($"Definition '{definitionId}' has no {(selector == VersionSelector.Published ? "published" : "")} version.");
        return StartAsync(definition, request);
    }

    /// <summary>Starts a definition version.</summary>
    public async ValueTask<WorkflowState> StartAsync(WorkflowDefinition definition, StartWorkflowRequest? request = null, string? actor = null)
    {
        if (definition.Id is null || !ReferenceEquals(Definitions.FindVersion(definition.Id), definition)) Definitions.Add(definition);
        var step = await Runtime.StartAsync(definition, request ?? new StartWorkflowRequest(), actor ?? "system");
        return Instance(step.State.Id)!;
    }

    /// <summary>Resumes a bookmark of an instance on the version it was started with.</summary>
    public async ValueTask<WorkflowState> ResumeAsync(string instanceId, string bookmarkId, object? input = null, string? actor = null)
    {
        await Runtime.ResumeAsync(instanceId, bookmarkId, input, actor ?? "system");
        return Instance(instanceId)!;
    }

    /// <summary>
    /// Elsa's test harness: keeps resuming every open bookmark (of this instance and of the children it
    /// started) with the same input until the instance finishes or nothing is left to resume.
    /// </summary>
    public async ValueTask<WorkflowState> RunUntilEndAsync(string instanceId, object? input = null, int maxResumes = 10_000)
    {
        for (var i = 0; i < maxResumes; i++)
        {
            var state = Instance(instanceId)!;
            if (state.Status == WorkflowStatus.Finished) return state;
            var next = Instances
                .Where(s => s.Status == WorkflowStatus.Running)
                .SelectMany(s => s.Bookmarks.Where(b => b.Name != ExecuteWorkflow.BookmarkName).Select(b => (s.Id, b.Id)))
                .FirstOrDefault();
            if (next.Item1 is null) return state;
            await ResumeAsync(next.Item1, next.Item2, input);
        }
        throw new InvalidOperationException($"Instance {instanceId} did not finish after {maxResumes} resumes.");
    }

    /// <summary>The compiled workflow an instance is pinned to.</summary>
    public Workflow WorkflowOf(WorkflowState state) => Compiler.CompileLenient(Runtime.DefinitionOf(state));

    /// <inheritdoc />
    object? IServiceProvider.GetService(Type serviceType) =>
        serviceType == typeof(TextWriter) ? _options.Out : _options.Services?.GetService(serviceType);
}
