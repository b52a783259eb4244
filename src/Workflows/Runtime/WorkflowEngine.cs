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
}

/// <summary>
/// The engine with everything in memory: definitions with versions, instances, child workflows and their
/// parents, and the journals. The command line and the tests use it; the host uses the same compiler and
/// runner with its database instead.
/// </summary>
public sealed class WorkflowEngine : IChildWorkflowInvoker, IServiceProvider
{
    private readonly WorkflowEngineOptions _options;
    private readonly WorkflowRunner _runner = new();
    private readonly Dictionary<string, WorkflowState> _instances = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<JournalRecord>> _journals = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>Creates an engine.</summary>
    public WorkflowEngine(ActivityRegistry? registry = null, WorkflowEngineOptions? options = null)
    {
        _options = options ?? new WorkflowEngineOptions();
        Definitions = new InMemoryWorkflowDefinitionStore();
        Compiler = new WorkflowCompiler(registry ?? ActivityRegistry.CreateDefault(), ExpressionEvaluators.CreateDefault(), Definitions);
    }

    /// <summary>Definitions and their versions.</summary>
    public InMemoryWorkflowDefinitionStore Definitions { get; }

    /// <summary>The compiler.</summary>
    public WorkflowCompiler Compiler { get; }

    /// <summary>Instances in creation order.</summary>
    public IEnumerable<WorkflowState> Instances => _order.Select(id => _instances[id]);

    /// <summary>An instance by id.</summary>
    public WorkflowState? Instance(string id) => _instances.GetValueOrDefault(id);

    /// <summary>The whole journal of an instance.</summary>
    public IReadOnlyList<JournalRecord> JournalOf(string instanceId) => _journals.GetValueOrDefault(instanceId) ?? [];

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
        var workflow = Compiler.CompileLenient(definition);
        var result = await _runner.StartAsync(workflow, request ?? new StartWorkflowRequest(), RunOptions(actor));
        return await StoreAsync(result);
    }

    /// <summary>Resumes a bookmark of an instance.</summary>
    public async ValueTask<WorkflowState> ResumeAsync(string instanceId, string bookmarkId, object? input = null, string? actor = null)
    {
        var state = Instance(instanceId) ?? throw new KeyNotFoundException($"No workflow instance {instanceId}.");
        var result = await _runner.ResumeAsync(WorkflowOf(state), state, bookmarkId, input, RunOptions(actor));
        return await StoreAsync(result);
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
    public Workflow WorkflowOf(WorkflowState state)
    {
        var definition = Definitions.FindVersion(state.DefinitionVersionId) ?? Definitions.Find(state.DefinitionId, state.DefinitionVersion)
                         ?? throw new KeyNotFoundException($"Definition version {state.DefinitionVersionId} of instance {state.Id} is gone.");
        return Compiler.CompileLenient(definition);
    }

    /// <inheritdoc />
    async ValueTask<ChildWorkflowResult> IChildWorkflowInvoker.InvokeAsync(ChildWorkflowRequest request)
    {
        var definition = Definitions.Find(request.DefinitionId, VersionSelector.Published)
                         ?? throw new InvalidOperationException($"No published version of workflow definition '{request.DefinitionId}'.");
        var state = await StartAsync(definition, new StartWorkflowRequest
        {
            Input = request.Input,
            CorrelationId = request.CorrelationId,
            Properties = new Dictionary<string, object?> { ["ParentInstanceId"] = request.ParentInstanceId, ["WaitForCompletion"] = request.WaitForCompletion }
        });
        return Result(state);
    }

    /// <inheritdoc />
    object? IServiceProvider.GetService(Type serviceType) =>
        serviceType == typeof(IChildWorkflowInvoker) ? this
        : serviceType == typeof(TextWriter) ? _options.Out
        : _options.Services?.GetService(serviceType);

    private WorkflowRunOptions RunOptions(string? actor) => new()
    {
        Services = this,
        Clock = _options.Clock,
        Out = _options.Out,
        FlowchartMode = _options.FlowchartMode,
        Actor = actor ?? "system"
    };

    private async ValueTask<WorkflowState> StoreAsync(WorkflowRunResult result)
    {
        var state = result.State;
        if (_instances.TryAdd(state.Id, state)) _order.Add(state.Id);
        else _instances[state.Id] = state;
        if (!_journals.TryGetValue(state.Id, out var journal)) _journals[state.Id] = journal = [];
        journal.AddRange(result.Journal);
        if (state.Status == WorkflowStatus.Finished) await NotifyParentAsync(state);
        return _instances[state.Id];
    }

    private async ValueTask NotifyParentAsync(WorkflowState child)
    {
        if (child.Properties["ParentInstanceId"]?.GetValue<string>() is not { } parentId || Instance(parentId) is not { Status: WorkflowStatus.Running } parent) return;
        var bookmark = parent.Bookmarks.FirstOrDefault(b => b.Name == ExecuteWorkflow.BookmarkName && b.Payload?["childInstanceId"]?.GetValue<string>() == child.Id);
        if (bookmark != null) await ResumeAsync(parentId, bookmark.Id, Result(child));
    }

    private static ChildWorkflowResult Result(WorkflowState state) =>
        new(state.Id, state.Status, state.SubStatus, state.Output.ToDictionary(p => p.Key, p => Values.FromJson(p.Value)));
}
