using GovFlow.Workflows.Activities;
using GovFlow.Workflows.Model;

namespace GovFlow.Workflows.Runtime;

/// <summary>One run of an instance (a start or a resume), as handed to the store.</summary>
/// <param name="State">The instance's state after the run.</param>
/// <param name="Journal">The journal records the run added.</param>
/// <param name="Definition">The definition version the instance runs on.</param>
/// <param name="PreviousBookmarks">The bookmark ids the instance had before the run (none for a start).</param>
/// <param name="Actor">Who made the step.</param>
public sealed record WorkflowStep(WorkflowState State, IReadOnlyList<JournalRecord> Journal, WorkflowDefinition Definition, IReadOnlySet<string> PreviousBookmarks, string Actor);

/// <summary>
/// Where a <see cref="WorkflowRuntime"/> keeps instances. A step is staged, not committed: the caller commits every
/// step of a unit of work together (a parent and the child it started, a child and the parent it resumes), so
/// either all of them are stored or none.
/// </summary>
public interface IWorkflowInstanceStore
{
    /// <summary>The stored state of an instance, or null.</summary>
    ValueTask<WorkflowState?> FindAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Stages a step: the instance's new state, its bookmarks and the journal records it added.</summary>
    ValueTask StageAsync(WorkflowStep step, CancellationToken cancellationToken);
}

/// <summary>The definition version an instance was started on is no longer there.</summary>
public sealed class DefinitionVersionMissingException(WorkflowState state)
    : Exception($"Instance {state.Id} runs on version {state.DefinitionVersion} ({state.DefinitionVersionId}) of {state.DefinitionId}, which is not loaded.");

/// <summary>
/// The one way GovFlow runs workflows, in memory (command line, tests) and in the host alike: load the instance from
/// the store, run it on the definition version it was started with, stage the step. Child workflows
/// (<c>Elsa.ExecuteWorkflow</c>) start through the same runtime, and a child that finishes resumes its waiting
/// parent in the same unit of work.
/// </summary>
public sealed class WorkflowRuntime : IChildWorkflowInvoker
{
    private readonly WorkflowRunner _runner = new();
    private readonly Func<string, IServiceProvider, WorkflowRunOptions> _options;
    private readonly ChildServices _services;
    private string _actor = "system";
    private CancellationToken _cancellation;

    /// <summary>A runtime over a store.</summary>
    /// <param name="compiler">Compiles (and caches) definition versions.</param>
    /// <param name="definitions">Where versions are found, by version id for running instances.</param>
    /// <param name="store">Where instances are kept.</param>
    /// <param name="services">Services for activities.</param>
    /// <param name="options">Builds a run's options from the actor and the service provider to pass on.</param>
    public WorkflowRuntime(WorkflowCompiler compiler, IWorkflowDefinitionSource definitions, IWorkflowInstanceStore store, IServiceProvider? services,
        Func<string, IServiceProvider, WorkflowRunOptions> options)
    {
        Compiler = compiler;
        Definitions = definitions;
        Store = store;
        _options = options;
        _services = new ChildServices(this, services);
    }

    /// <summary>The compiler.</summary>
    public WorkflowCompiler Compiler { get; }

    /// <summary>The definitions.</summary>
    public IWorkflowDefinitionSource Definitions { get; }

    /// <summary>The store.</summary>
    public IWorkflowInstanceStore Store { get; }

    /// <summary>Starts an instance of a definition version and stages it.</summary>
    public async ValueTask<WorkflowStep> StartAsync(WorkflowDefinition definition, StartWorkflowRequest request, string actor, CancellationToken cancellationToken = default)
    {
        using var _ = Acting(actor, cancellationToken);
        var result = await _runner.StartAsync(Compiler.CompileLenient(definition), request, _options(actor, _services));
        return await StageAsync(new WorkflowStep(result.State, result.Journal, definition, new HashSet<string>(), actor));
    }

    /// <summary>
    /// Resumes a bookmark of a stored instance on the instance's own definition version and stages the step.
    /// Throws <see cref="BookmarkNotFoundException"/> when the bookmark is no longer open and
    /// <see cref="BookmarkInputException"/> when the activity refuses the input (nothing is staged then).
    /// </summary>
    public async ValueTask<WorkflowStep> ResumeAsync(string instanceId, string bookmarkId, object? input, string actor, CancellationToken cancellationToken = default)
    {
        using var _ = Acting(actor, cancellationToken);
        var state = await Store.FindAsync(instanceId, cancellationToken) ?? throw new KeyNotFoundException($"No workflow instance {instanceId}.");
        return await ResumeAsync(state, bookmarkId, input, actor);
    }

    /// <summary>
    /// Moves a running instance to another version of its definition and stages the move (journaled); refused with
    /// the activities the version lacks when the instance is in one of them.
    /// </summary>
    public async ValueTask<WorkflowStep> MigrateAsync(string instanceId, WorkflowDefinition target, string actor, CancellationToken cancellationToken = default)
    {
        using var _ = Acting(actor, cancellationToken);
        var state = await Store.FindAsync(instanceId, cancellationToken) ?? throw new KeyNotFoundException($"No workflow instance {instanceId}.");
        var result = _runner.Migrate(Compiler.CompileLenient(target), state, _options(actor, _services));
        return await StageAsync(new WorkflowStep(result.State, result.Journal, target, state.Bookmarks.Select(b => b.Id).ToHashSet(), actor));
    }

    /// <summary>
    /// Amends a waiting instance from outside its activities and stages the change with its journal record;
    /// <paramref name="amend"/> reads the stored state and says what to change, or null for nothing (nothing is staged).
    /// </summary>
    public async ValueTask<WorkflowStep?> AmendAsync(string instanceId, Func<WorkflowState, WorkflowAmendment?> amend, string actor, CancellationToken cancellationToken = default)
    {
        using var _ = Acting(actor, cancellationToken);
        var state = await Store.FindAsync(instanceId, cancellationToken) ?? throw new KeyNotFoundException($"No workflow instance {instanceId}.");
        if (amend(state) is not { } amendment) return null;
        var definition = DefinitionOf(state);
        var result = _runner.Amend(Compiler.CompileLenient(definition), state, _options(actor, _services), amendment);
        return await StageAsync(new WorkflowStep(result.State, result.Journal, definition, state.Bookmarks.Select(b => b.Id).ToHashSet(), actor));
    }

    /// <summary>
    /// Cancels a running instance from outside (Elsa's cancel: every execution, bookmark and timer ends) and stages it;
    /// <paramref name="reason"/> reads the stored state and says what to record first (journaled on the instance).
    /// A cancelled child resumes the parent that waits for it, as a finished child does. Null (nothing staged) when
    /// the instance has already finished.
    /// </summary>
    public async ValueTask<WorkflowStep?> CancelAsync(string instanceId, Func<WorkflowState, WorkflowAmendment> reason, string actor, CancellationToken cancellationToken = default)
    {
        using var _ = Acting(actor, cancellationToken);
        var state = await Store.FindAsync(instanceId, cancellationToken) ?? throw new KeyNotFoundException($"No workflow instance {instanceId}.");
        if (state.Status != WorkflowStatus.Running) return null;
        var definition = DefinitionOf(state);
        var result = _runner.Cancel(Compiler.CompileLenient(definition), state, _options(actor, _services), reason(state));
        return await StageAsync(new WorkflowStep(result.State, result.Journal, definition, state.Bookmarks.Select(b => b.Id).ToHashSet(), actor));
    }

    /// <summary>The child instances a parent's <c>Elsa.ExecuteWorkflow</c> activities still wait for.</summary>
    public static IReadOnlyList<string> WaitingChildren(WorkflowState parent) =>
        [.. parent.Bookmarks.Where(b => b.Name == ExecuteWorkflow.BookmarkName).Select(b => b.Payload?["childInstanceId"]?.GetValue<string>()).OfType<string>()];

    /// <summary>
    /// Runs after every staged step, within the same unit of work and before a finished child resumes its parent: the
    /// host ends a refused member's siblings here (一件事 with the stopAll rule). Null does nothing.
    /// </summary>
    public Func<WorkflowStep, CancellationToken, ValueTask>? Staged { get; set; }

    /// <summary>The definition version an instance is pinned to.</summary>
    public WorkflowDefinition DefinitionOf(WorkflowState state) =>
        Definitions.FindVersion(state.DefinitionVersionId) ?? Definitions.Find(state.DefinitionId, state.DefinitionVersion)
        ?? throw new DefinitionVersionMissingException(state);

    private async ValueTask<WorkflowStep> ResumeAsync(WorkflowState state, string bookmarkId, object? input, string actor)
    {
        var definition = DefinitionOf(state);
        var previous = state.Bookmarks.Select(b => b.Id).ToHashSet();
        var result = await _runner.ResumeAsync(Compiler.CompileLenient(definition), state, bookmarkId, input, _options(actor, _services));
        return await StageAsync(new WorkflowStep(result.State, result.Journal, definition, previous, actor));
    }

    private async ValueTask<WorkflowStep> StageAsync(WorkflowStep step)
    {
        await Store.StageAsync(step, _cancellation);
        if (Staged is { } staged) await staged(step, _cancellation);
        if (step.State.Status == WorkflowStatus.Finished) await ResumeParentAsync(step.State);
        return step;
    }

    /// <inheritdoc />
    async ValueTask<ChildWorkflowResult> IChildWorkflowInvoker.InvokeAsync(ChildWorkflowRequest request)
    {
        var definition = Definitions.Find(request.DefinitionId, VersionSelector.Published)
                         ?? throw new InvalidOperationException($"No published version of workflow definition '{request.DefinitionId}'.");
        var start = new StartWorkflowRequest
        {
            Input = request.Input,
            CorrelationId = request.CorrelationId,
            Properties = new Dictionary<string, object?> { [ParentProperty] = request.ParentInstanceId, ["WaitForCompletion"] = request.WaitForCompletion }
        };
        if (PrepareChild is { } prepare) start = await prepare(request, definition, start, _cancellation);
        var step = await StartAsync(definition, start, _actor, _cancellation);
        return Result(step.State);
    }

    /// <summary>
    /// Shapes a child's start before it runs (its instance id, input, correlation and properties): the host gives a
    /// child that is a service matter of its own a case of its own (一件事一次办's member cases). Null leaves children as requested.
    /// </summary>
    public Func<ChildWorkflowRequest, WorkflowDefinition, StartWorkflowRequest, CancellationToken, ValueTask<StartWorkflowRequest>>? PrepareChild { get; set; }

    /// <summary>The property of a child instance naming the instance that started it.</summary>
    public const string ParentProperty = "ParentInstanceId";

    // A child that finishes after its start (it waited for a person or a timer) resumes the parent's ExecuteWorkflow.
    private async ValueTask ResumeParentAsync(WorkflowState child)
    {
        if (child.Properties[ParentProperty]?.GetValue<string>() is not { } parentId) return;
        if (await Store.FindAsync(parentId, _cancellation) is not { Status: WorkflowStatus.Running } parent) return;
        var bookmark = parent.Bookmarks.FirstOrDefault(b => b.Name == ExecuteWorkflow.BookmarkName && b.Payload?["childInstanceId"]?.GetValue<string>() == child.Id);
        if (bookmark != null) await ResumeAsync(parent, bookmark.Id, Result(child), _actor);
    }

    private static ChildWorkflowResult Result(WorkflowState state) =>
        new(state.Id, state.Status, state.SubStatus, state.Output.ToDictionary(p => p.Key, p => Values.FromJson(p.Value)));

    // Children start as the actor of the step that started them; nested calls restore the outer actor.
    private Scope Acting(string actor, CancellationToken cancellationToken)
    {
        var scope = new Scope(this, _actor, _cancellation);
        _actor = actor;
        _cancellation = cancellationToken;
        return scope;
    }

    private readonly struct Scope(WorkflowRuntime runtime, string actor, CancellationToken cancellation) : IDisposable
    {
        public void Dispose()
        {
            runtime._actor = actor;
            runtime._cancellation = cancellation;
        }
    }

    // Activities find the runtime as their child-workflow invoker; everything else comes from the host's services.
    private sealed class ChildServices(WorkflowRuntime runtime, IServiceProvider? inner) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(IChildWorkflowInvoker) ? runtime : inner?.GetService(serviceType);
    }
}

/// <summary>Instances and journals kept in memory, staged at once (the command line and the tests).</summary>
public sealed class InMemoryWorkflowInstanceStore : IWorkflowInstanceStore
{
    private readonly Dictionary<string, WorkflowState> _instances = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<JournalRecord>> _journals = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>Instances in creation order.</summary>
    public IEnumerable<WorkflowState> Instances => _order.Select(id => _instances[id]);

    /// <summary>An instance by id.</summary>
    public WorkflowState? Instance(string id) => _instances.GetValueOrDefault(id);

    /// <summary>The whole journal of an instance.</summary>
    public IReadOnlyList<JournalRecord> JournalOf(string instanceId) => _journals.GetValueOrDefault(instanceId) ?? [];

    /// <inheritdoc />
    public ValueTask<WorkflowState?> FindAsync(string instanceId, CancellationToken cancellationToken) => new(Instance(instanceId));

    /// <inheritdoc />
    public ValueTask StageAsync(WorkflowStep step, CancellationToken cancellationToken)
    {
        var state = step.State;
        if (_instances.TryAdd(state.Id, state)) _order.Add(state.Id);
        else _instances[state.Id] = state;
        if (!_journals.TryGetValue(state.Id, out var journal)) _journals[state.Id] = journal = [];
        journal.AddRange(step.Journal);
        return ValueTask.CompletedTask;
    }
}
