using System.Text.Json.Nodes;
using GovFlow.Activities.Calendar;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Matters;
using GovFlow.Activities.Services;
using GovFlow.Activities.Tasks;
using GovFlow.Host.Persistence;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Cases;

/// <summary>
/// What clerks, applicants and the scheduler do to cases (办件): submit, claim and complete tasks, resume bookmarks,
/// deliver stored service calls. Every command is one unit of work: the workflow runtime runs the step on the
/// instance's own definition version, <see cref="CaseProjection"/> stages its rows, and one commit stores them.
/// Concurrent writers of the same instance or task leave exactly one effect; the other gets a <see cref="ConflictException"/>.
/// </summary>
public sealed class CaseService
{
    private readonly GovFlowDb _db;
    private readonly CaseProjection _projection;
    private readonly WorkflowRuntime _runtime;
    private readonly CaseSubmissions _submissions;
    private readonly Outbox _outbox;
    private readonly CaseInstanceStore _store;
    private readonly TimeProvider _clock;
    private readonly Operations.StepMetrics _metrics;

    /// <summary>Composes the unit of work's parts over one database context.</summary>
    public CaseService(GovFlowDb db, MatterCatalog catalog, WorkflowCompiler compiler, InMemoryWorkflowDefinitionStore definitions, IServiceProvider services,
        WorkingCalendar calendar, TimeProvider clock, ServiceCallDispatcher dispatcher, OutboxOptions outbox, StepLimits limits, Security.JournalKeys keys, Operations.StepMetrics metrics, Documents.CaseNotices notices, Documents.DocumentOptions documents, ILogger<CaseService> logger)
    {
        _db = db;
        _metrics = metrics;
        _projection = new CaseProjection(db, calendar, outbox, keys.Signer, notices, new CaseMessages(calendar, outbox, documents));
        _store = new CaseInstanceStore(db, _projection, clock);
        _clock = clock;
        _runtime = new WorkflowRuntime(compiler, definitions, _store, services,
            (actor, provider) => new WorkflowRunOptions { Services = provider, Clock = clock, Actor = actor, Limits = limits });
        _runtime.PrepareChild = new ChildCases(db, catalog, clock).PrepareAsync;
        _runtime.Staged = new BundleStops(_runtime).AfterStepAsync;
        _submissions = new CaseSubmissions(db, catalog, _runtime, clock, calendar);
        _outbox = new Outbox(db, dispatcher, outbox, clock, logger, ResumeStepAsync);
    }

    /// <summary>How long a stored service call is left to the request that made it before the sweep delivers it.</summary>
    public static TimeSpan DeliveryLease => CaseProjection.DeliveryLease;

    /// <summary>Backoff of undeliverable calls: 1, 2, 4 … minutes, at most an hour.</summary>
    public static TimeSpan RetryDelay(int attempts) => Outbox.RetryDelay(attempts);

    /// <summary>Accepts a submission (idempotent per key), starts the matter's flow and stores everything.</summary>
    /// <remarks>
    /// A repeated key is not looked up first: the key's row is stored with the case, and a repeat finds it taken at
    /// commit and answers what the first request stored. Repeats are rare, and the flow's start has no effect
    /// outside the transaction (its service calls wait in the outbox), so every first submission saves a read.
    /// </remarks>
    /// <remarks>An application no window clerk submits (online) names its <c>hall</c>: the window that takes it.
    /// <paramref name="withCase"/> stages rows that belong to the new case (given its id) into the case's own commit,
    /// so they are saved with it or not at all.</remarks>
    public async Task<JsonObject> SubmitAsync(CaseSubmission submission, string? idempotencyKey, string actor, CancellationToken cancellationToken = default, string? hall = null,
        Func<string, CancellationToken, Task>? withCase = null)
    {
        if (idempotencyKey is { Length: > 100 }) throw new InputException("Idempotency-Key", "Idempotency-Key 请求头不能超过 100 个字符");
        var entry = _submissions.Validate(submission);
        var (record, response) = await _metrics.RunAsync("submit", trace => SubmitStepAsync(entry, submission, idempotencyKey, actor, hall, withCase, trace, cancellationToken));
        if (record is null) return response;
        // After the step's own span and time: the calls it stored are steps of their own.
        await _outbox.DeliverAsync(_projection.TakeCalls(), cancellationToken);
        response["status"] = record.Status;
        return response;
    }

    // The submission's step, committed; no record when a repeated key found the first answer.
    private async Task<(CaseRecord? Record, JsonObject Response)> SubmitStepAsync(CatalogEntry entry, CaseSubmission submission, string? idempotencyKey, string actor, string? hall,
        Func<string, CancellationToken, Task>? withCase, Operations.StepTrace trace, CancellationToken cancellationToken)
    {
        // A case number is the date, the matter and six random digits; the rare clash with another case of the same
        // matter and day is found by the unique index, and the case is started again under a new number.
        for (var attempt = 1; ; attempt++)
        {
            var (record, response) = await _submissions.StageAsync(entry, submission, idempotencyKey, actor, cancellationToken, hall);
            // Staged again on a retry: clearing the tracker after a clash dropped what was staged with the first number.
            if (withCase != null) await withCase(record.Id, cancellationToken);
            try
            {
                await _db.CommitAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (IsUniqueViolation(ex))
            {
                _db.ChangeTracker.Clear();
                _projection.TakeCalls();
                var key = idempotencyKey is { Length: > 0 } ? IdempotencyRecord.ForCase(actor, idempotencyKey) : null;
                if (key != null && await _db.Idempotency.AsNoTracking().FirstOrDefaultAsync(r => r.Key == key, cancellationToken) is { } first)
                {
                    // The first answer, with the case's status as it is now (its calls may have moved it on since).
                    var answer = JsonNode.Parse(first.ResponseJson)!.AsObject();
                    trace.Case((string?)answer["caseNumber"]);
                    var status = await _db.Cases.AsNoTracking().Where(c => c.Id == (string)answer["caseId"]!).Select(c => c.Status).FirstOrDefaultAsync(cancellationToken);
                    if (status != null) answer["status"] = status;
                    return (null, answer);
                }
                if (attempt < 5) continue;
                throw new ConflictException("办件未能保存，请重试");
            }
            trace.Case(record.CaseNumber);
            return (record, response);
        }
    }

    // A task someone else finished, the case ended, or another handler holds is refused in words a clerk reads.
    private static void EnsureActionable(TaskRecord task, string actor)
    {
        if (task.Status == TaskStatuses.Completed) throw new ConflictException("该待办已由他人办理。");
        if (task.Status == TaskStatuses.Cancelled) throw new ConflictException("办件已结束，该待办已撤销。");
        if (task.Status == TaskStatuses.Claimed && task.Assignee != actor) throw new ConflictException("该待办已由他人签收。");
    }

    // A transfer names someone who can act on the step: a user of the task's department in its role. Anyone else
    // would hold a task no one can open.
    private async Task EnsureCanTakeOverAsync(TaskRecord task, string assignee, CancellationToken cancellationToken)
    {
        var user = await _db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.UserName == assignee, cancellationToken);
        if (user is null || user.Department != task.Department || user.Role != task.Role)
            throw new InputException(TaskFields.Assignee, $"“{assignee}”不能接收该待办：转办只能交给{task.Department}的同岗位（{task.Role}）在岗人员");
    }

    /// <summary>Claims an open task for the actor.</summary>
    public async Task<TaskRecord> ClaimAsync(string taskId, string actor, CancellationToken cancellationToken = default)
    {
        var task = await _db.Tasks.FindAsync([taskId], cancellationToken) ?? throw new NotFoundException("没有这项待办");
        Operations.Logs.Concerns(task.CaseNumber);
        EnsureActionable(task, actor);
        task.Status = TaskStatuses.Claimed;
        task.Assignee = actor;
        task.Stamp = CaseProjection.NewStamp();
        await SaveOrConflictAsync($"Task {taskId} changed while you claimed it.", cancellationToken);
        return task;
    }

    /// <summary>Gives a claimed task back to the department: the one who holds it, or the department's head for anyone.</summary>
    public async Task<TaskRecord> UnclaimAsync(string taskId, string actor, bool asHead = false, CancellationToken cancellationToken = default)
    {
        var task = await _db.Tasks.FindAsync([taskId], cancellationToken) ?? throw new NotFoundException("没有这项待办");
        Operations.Logs.Concerns(task.CaseNumber);
        if (task.Status != TaskStatuses.Claimed || !asHead && task.Assignee != actor) throw new ConflictException("该待办不在您的名下，无法退回签收。");
        task.Status = TaskStatuses.Open;
        task.Assignee = null;
        task.Stamp = CaseProjection.NewStamp();
        await SaveOrConflictAsync($"Task {taskId} changed while you released it.", cancellationToken);
        return task;
    }

    /// <summary>A department head gives an open task to a handler of its department and role (not a workflow step: the step's clock runs on).</summary>
    public async Task<TaskRecord> ReassignAsync(string taskId, string assignee, CancellationToken cancellationToken = default)
    {
        var task = await _db.Tasks.FindAsync([taskId], cancellationToken) ?? throw new NotFoundException("没有这项待办");
        Operations.Logs.Concerns(task.CaseNumber);
        if (!TaskStatuses.IsOpen(task.Status)) throw new ConflictException("该待办已办理或已撤销，不能再改派。");
        await EnsureCanTakeOverAsync(task, assignee.Trim(), cancellationToken);
        task.Status = TaskStatuses.Claimed;
        task.Assignee = assignee.Trim();
        task.Stamp = CaseProjection.NewStamp();
        await SaveOrConflictAsync("该待办刚被他人改动，请刷新后再改派。", cancellationToken);
        return task;
    }

    /// <summary>
    /// Completes a task with one of the actions it offers (its activity's task contract decides which, and what each
    /// needs): resumes its bookmark with the command and stores the step.
    /// </summary>
    public async Task<JsonObject> CompleteAsync(string taskId, TaskAction action, string actor, CancellationToken cancellationToken = default)
    {
        var task = await _db.Tasks.FindAsync([taskId], cancellationToken) ?? throw new NotFoundException("没有这项待办");
        Operations.Logs.Concerns(task.CaseNumber);
        EnsureActionable(task, actor);
        if (!string.IsNullOrWhiteSpace(action.Assignee)) await EnsureCanTakeOverAsync(task, action.Assignee.Trim(), cancellationToken);
        task.Action = action.Action;
        task.Opinion = action.Opinion;
        var command = new TaskCommand(action.Action, action.Opinion, action.Assignee, action.ReturnTo, action.Materials, action.Days, action.Approver, action.Procedure);
        var record = await StepAsync(task.InstanceId, taskId, command.ToInput(), actor, cancellationToken);
        await _outbox.DeliverAsync(_projection.TakeCalls(), cancellationToken);
        return new JsonObject { ["taskId"] = taskId, ["caseId"] = record?.Id, ["caseNumber"] = record?.CaseNumber, ["status"] = record?.Status };
    }

    /// <summary>Resumes a due timer bookmark (as the scheduler), storing the step like any other.</summary>
    public Task ResumeDueAsync(string bookmarkId, CancellationToken cancellationToken = default) => ResumeAsync(bookmarkId, null, "scheduler", cancellationToken);

    /// <summary>Resumes any open bookmark of a case with input (waybill updates, the applicant's rating, timers).</summary>
    public async Task ResumeAsync(string bookmarkId, object? input, string actor, CancellationToken cancellationToken = default) =>
        await _outbox.DeliverAsync(await ResumeStepAsync(bookmarkId, input, actor, cancellationToken), cancellationToken);

    /// <summary>
    /// Delivers one stored service call (the outbox) and resumes its step with the reply. A call that must reach
    /// its service and cannot yet is kept, with its attempts counted and the next try pushed back.
    /// </summary>
    public Task DeliverCallAsync(string bookmarkId, CancellationToken cancellationToken = default) => _outbox.DeliverNowAsync([bookmarkId], cancellationToken);

    // One step of a bookmark, committed; returns the calls it staged.
    private async Task<IReadOnlyList<string>> ResumeStepAsync(string bookmarkId, object? input, string actor, CancellationToken cancellationToken)
    {
        var bookmark = await _db.Bookmarks.FindAsync([bookmarkId], cancellationToken) ?? throw new NotFoundException("该环节已不存在");
        await StepAsync(bookmark.InstanceId, bookmarkId, input, actor, cancellationToken);
        return _projection.TakeCalls();
    }

    /// <summary>
    /// The step runner: resumes the instance's bookmark with the input through the runtime (on the instance's own
    /// version) and commits everything it staged (409 when another writer stored a step of the case first).
    /// </summary>
    private Task<CaseRecord?> StepAsync(string instanceId, string bookmarkId, object? input, string actor, CancellationToken cancellationToken) =>
        _metrics.RunAsync("resume", trace => RunStepAsync(instanceId, bookmarkId, input, actor, trace, cancellationToken));

    private async Task<CaseRecord?> RunStepAsync(string instanceId, string bookmarkId, object? input, string actor, Operations.StepTrace trace, CancellationToken cancellationToken)
    {
        try { await _runtime.ResumeAsync(instanceId, bookmarkId, input, actor, cancellationToken); }
        catch (KeyNotFoundException) { throw new NotFoundException("该办件的流程实例已不存在"); }
        catch (BookmarkNotFoundException) { throw new ConflictException("该环节已办理或已关闭"); }
        catch (BookmarkInputException ex) { throw new InputException(ex.Field, ex.Message); }
        if (_store.TakeFaulted() is { } faulted)
        {
            trace.Faulted = true;
            await RecordIncidentAsync(faulted, bookmarkId, input, actor, cancellationToken);
        }
        var instance = await _db.Instances.FindAsync([instanceId], cancellationToken);
        var record = instance?.CaseId is { } caseId ? await _db.Cases.FindAsync([caseId], cancellationToken) : null;
        trace.Case(record?.CaseNumber);
        await SaveOrConflictAsync($"Someone else acted on case {record?.CaseNumber} first; reload it.", cancellationToken);
        return record;
    }

    // A faulted step did not happen: nothing it staged is kept, the incident (with what is needed to run the step
    // again) is, and a timer or call that faulted is held so the scheduler does not fault it again and again.
    private async Task RecordIncidentAsync(WorkflowStep faulted, string bookmarkId, object? input, string actor, CancellationToken cancellationToken)
    {
        var fault = faulted.State.Incidents.LastOrDefault() ?? new Incident { Message = "未知错误", Timestamp = _clock.GetUtcNow() };
        _db.ChangeTracker.Clear();
        var instance = await _db.Instances.FindAsync([faulted.State.Id], cancellationToken);
        var record = instance?.CaseId is { } caseId ? await _db.Cases.FindAsync([caseId], cancellationToken) : null;
        var bookmark = await _db.Bookmarks.FindAsync([bookmarkId], cancellationToken);
        var incident = await _db.Incidents.FirstOrDefaultAsync(i => i.BookmarkId == bookmarkId && i.Status == IncidentStatuses.Open, cancellationToken);
        if (incident is null)
            _db.Incidents.Add(incident = new IncidentRecord
            {
                Id = Guid.CreateVersion7().ToString("N"), CaseId = record?.Id ?? "", CaseNumber = record?.CaseNumber ?? "", InstanceId = faulted.State.Id,
                BookmarkId = bookmarkId, BookmarkName = bookmark?.Name ?? "", Actor = actor, InputJson = Values.ToJson(input)?.ToJsonString(), Attempts = 0
            });
        incident.Attempts++;
        incident.ActivityId = fault.ActivityId;
        incident.ActivityType = fault.ActivityType;
        incident.Message = fault.Message;
        incident.ExceptionType = fault.ExceptionType;
        incident.OccurredAt = _clock.GetUtcNow();
        if (bookmark is { DueAt: { } due })
        {
            incident.HeldDueAt ??= due;
            bookmark.DueAt = null;
        }
        await SaveOrConflictAsync("该办件已被他人处理，请刷新", cancellationToken);
        throw new ConflictException($"办理未成功：{fault.Message}。已记为异常，排除原因后可重试。");
    }

    /// <summary>
    /// Runs a faulted step again, as it was first asked for (same bookmark, input and actor), once its cause is fixed;
    /// the incident is resolved in the same commit as the step, or counts another attempt if the step faults again.
    /// </summary>
    public async Task<IncidentRecord> RetryAsync(string incidentId, string actor, CancellationToken cancellationToken = default)
    {
        var incident = await _db.Incidents.FindAsync([incidentId], cancellationToken) ?? throw new NotFoundException("没有这条异常记录");
        if (incident.Status != IncidentStatuses.Open) throw new ConflictException("该异常已由他人处理");
        incident.Status = IncidentStatuses.Resolved;
        incident.ResolvedBy = actor;
        incident.ResolvedAt = _clock.GetUtcNow();
        if (incident.InputJson is null && incident.BookmarkName == ServiceCalls.BookmarkName)
        {
            // A call the sweep failed to deliver (it has no reply to resume with): deliver it now; its step, or its
            // next attempt, is stored with the incident's resolution.
            await _outbox.DeliverNowAsync([incident.BookmarkId], cancellationToken);
            await SaveOrConflictAsync("该异常已由他人处理", cancellationToken);
            return incident;
        }
        var input = incident.InputJson is { } json ? Values.FromJson(JsonNode.Parse(json)) : null;
        await StepAsync(incident.InstanceId, incident.BookmarkId, input, incident.Actor, cancellationToken);
        await _outbox.DeliverAsync(_projection.TakeCalls(), cancellationToken);
        return incident;
    }

    /// <summary>
    /// Moves one case's instance to another version of its definition, journaled on the case, in its own commit;
    /// refused (409) when the version lacks an activity the case is in.
    /// </summary>
    public async Task MigrateAsync(string instanceId, WorkflowDefinition target, string actor, CancellationToken cancellationToken = default)
    {
        try { await _runtime.MigrateAsync(instanceId, target, actor, cancellationToken); }
        catch (KeyNotFoundException) { throw new NotFoundException("该办件的流程实例已不存在"); }
        catch (InvalidOperationException ex) { throw new ConflictException(ex.Message); }
        await SaveOrConflictAsync("该办件刚被他人办理，请重新预览后再迁移", cancellationToken);
    }

    /// <summary>
    /// Counts a case's working-day dates again on <paramref name="after"/> instead of <paramref name="before"/> and
    /// stores what moved in one commit, journaled on the case with <paramref name="reason"/>; returns the moves (none
    /// when nothing moved, and then nothing is written).
    /// </summary>
    public async Task<IReadOnlyList<CaseRedating.Move>> RedateAsync(string caseId, WorkingCalendar before, WorkingCalendar after, string reason, string actor, CancellationToken cancellationToken = default)
    {
        var record = await _db.Cases.FindAsync([caseId], cancellationToken) ?? throw new NotFoundException("没有这个办件");
        var redating = new CaseRedating(before, after, reason);
        var step = await _runtime.AmendAsync(record.InstanceId,
            state => redating.Plan(state, record, StepServices.MatterOf(_runtime.DefinitionOf(state)), _clock.GetUtcNow()), actor, cancellationToken);
        if (step is null) return [];
        var matter = StepServices.MatterOf(step.Definition);
        foreach (var move in redating.Moves.Where(m => m.BookmarkId is not null))
        {
            if (await _db.Bookmarks.FindAsync([move.BookmarkId], cancellationToken) is { } row)
            {
                if (row.DueAt is not null) row.DueAt = move.New;
                row.PayloadJson = step.State.Bookmarks.First(b => b.Id == move.BookmarkId).Payload?.ToJsonString();
            }
            if (await _db.Tasks.FindAsync([move.BookmarkId], cancellationToken) is { } task && TaskStatuses.IsOpen(task.Status))
            {
                task.DueAt = move.New;
                task.YellowFrom = WarningLights.TaskYellowFrom(after, move.New, matter);
                task.Stamp = CaseProjection.NewStamp();
            }
        }
        await SaveOrConflictAsync("该办件刚被他人办理，期限稍后重新计算", cancellationToken);
        return redating.Moves;
    }

    private Task SaveOrConflictAsync(string message, CancellationToken cancellationToken) => SaveOrConflictAsync(_db, message, cancellationToken);

    /// <summary>Saves, turning a lost optimistic race (a stale stamp, a journal sequence already taken) into a conflict.</summary>
    internal static async Task SaveOrConflictAsync(GovFlowDb db, string message, CancellationToken cancellationToken)
    {
        try { await db.CommitAsync(cancellationToken); }
        catch (DbUpdateConcurrencyException) { throw new ConflictException(message); }
        // Another writer of the same step already added its journal records: the (instance, sequence) key says so.
        catch (DbUpdateException ex) when (IsUniqueViolation(ex)) { throw new ConflictException(message); }
    }

    internal static bool IsUniqueViolation(DbUpdateException ex) => ex.InnerException switch
    {
        Npgsql.PostgresException pg => pg.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation,
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteErrorCode == 19,
        // 2627: a primary key or unique constraint; 2601: a unique index.
        Microsoft.Data.SqlClient.SqlException sqlServer => sqlServer.Number is 2627 or 2601,
        _ => false
    };
}

/// <summary>How the outbox delivers service calls.</summary>
public sealed class OutboxOptions
{
    /// <summary>
    /// Deliver a step's calls right after its commit, in the same request, so the answer shows their effect (the
    /// default). Off, only the scheduler's sweep delivers them, after <see cref="CaseService.DeliveryLease"/>.
    /// </summary>
    public bool DeliverInline { get; init; } = true;
}
