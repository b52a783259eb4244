using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GovFlow.Activities.Calendar;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Matters;
using GovFlow.Activities.Services;
using GovFlow.Activities.Steps;
using GovFlow.Activities.Supervision;
using GovFlow.Host.Persistence;
using GovFlow.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Cases;

/// <summary>
/// Runs cases (办件) on the engine and keeps them durable: every step stores the instance state, its bookmarks,
/// the inbox tasks, the journal records and the case projection in one transaction. Concurrent writers of the
/// same instance or task leave exactly one effect; the other gets a <see cref="ConflictException"/>.
/// </summary>
public sealed partial class CaseService(GovFlowDb db, MatterCatalog catalog, WorkflowCompiler compiler, IServiceProvider services, WorkingCalendar calendar, TimeProvider clock,
    ServiceCallDispatcher dispatcher, OutboxOptions outbox, ILogger<CaseService> logger)
{
    /// <summary>Bookmarks that are work for a person, shown in the inbox.</summary>
    public static readonly IReadOnlySet<string> TaskKinds = new HashSet<string>
    {
        ReviewTask.TaskBookmark, ReviewTask.SupplementBookmark, ParallelApproval.OpinionBookmark, Acceptance.CorrectionBookmark,
        ToleranceGap.SupplementBookmark, RequestRating.RectificationBookmark
    };

    private static readonly WorkflowRunner Runner = new();

    /// <summary>
    /// How long a stored service call is left to the request that made it before the scheduler's sweep delivers it
    /// (the request may have crashed between its commit and the call).
    /// </summary>
    public static readonly TimeSpan DeliveryLease = TimeSpan.FromSeconds(30);

    // A flow that keeps asking for calls is left to the sweep after this many inline deliveries.
    private const int InlineDeliveries = 20;

    [GeneratedRegex(@"^1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$")]
    private static partial Regex PhonePattern();

    /// <summary>Accepts a submission (idempotent per key), starts the matter's flow and stores everything.</summary>
    /// <remarks>
    /// A repeated key is not looked up first: the key's row is stored with the case, and a repeat finds it taken at
    /// commit and answers what the first request stored. Repeats are rare, and the flow's start has no effect
    /// outside the transaction (its service calls wait in the outbox), so every first submission saves a read.
    /// </remarks>
    public async Task<JsonObject> SubmitAsync(CaseSubmission submission, string? idempotencyKey, string actor, CancellationToken cancellationToken = default)
    {
        if (idempotencyKey is { Length: > 100 }) throw new InputException("Idempotency-Key", "the Idempotency-Key header has more than 100 characters");
        var entry = Validate(submission);
        // A case number is the date, the matter and six random digits; the rare clash with another case of the same
        // matter and day is found by the unique index, and the case is started again under a new number.
        for (var attempt = 1; ; attempt++)
        {
            var (record, response, calls) = await StartCaseAsync(entry, submission, idempotencyKey, actor);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (IsUniqueViolation(ex))
            {
                db.ChangeTracker.Clear();
                if (idempotencyKey is { Length: > 0 } && await db.Idempotency.AsNoTracking().FirstOrDefaultAsync(r => r.Key == "case:" + idempotencyKey, cancellationToken) is { } first)
                {
                    // The first answer, with the case's status as it is now (its calls may have moved it on since).
                    var answer = JsonNode.Parse(first.ResponseJson)!.AsObject();
                    var status = await db.Cases.AsNoTracking().Where(c => c.Id == (string)answer["caseId"]!).Select(c => c.Status).FirstOrDefaultAsync(cancellationToken);
                    if (status != null) answer["status"] = status;
                    return answer;
                }
                if (attempt < 5) continue;
                throw new ConflictException("The case could not be stored; try again.");
            }
            await DeliverAsync(calls, cancellationToken);
            response["status"] = record.Status;
            return response;
        }
    }

    /// <summary>Starts the matter's flow for a submission and stages the case, its instance and its first step (not yet saved).</summary>
    private async Task<(CaseRecord Record, JsonObject Response, List<string> Calls)> StartCaseAsync(CatalogEntry entry, CaseSubmission submission, string? idempotencyKey, string actor)
    {
        var now = clock.GetUtcNow();
        // Time-ordered like instance and bookmark ids: rows keyed by them are appended to their indexes (random keys
        // made every step dirty pages all over a large database and halved the submission rate past ~50,000 cases).
        var caseId = Guid.CreateVersion7().ToString("N");
        var number = $"{ChinaTime.Date(now):yyyyMMdd}{entry.Matter.Code[^5..]}{RandomNumberGenerator.GetInt32(0, 1_000_000):D6}";
        var applicant = submission.Applicant!;
        var input = new Dictionary<string, object?>
        {
            ["case"] = new Dictionary<string, object?>
            {
                ["caseNumber"] = number, ["matterCode"] = entry.Matter.Code, ["channel"] = submission.Channel ?? "window",
                ["applicant"] = new Dictionary<string, object?> { ["name"] = applicant.Name!.Trim(), ["idType"] = applicant.IdType, ["idNumber"] = applicant.IdNumber!.Trim().ToUpperInvariant(), ["phone"] = applicant.Phone, ["address"] = applicant.Address },
                ["materials"] = (submission.Materials ?? []).Select(m => (object?)new Dictionary<string, object?> { ["name"] = m.Name, ["provided"] = m.Provided }).ToList(),
                ["data"] = (submission.Data ?? []).ToDictionary(p => p.Key, p => Values.FromJson(JsonNode.Parse(p.Value.GetRawText())))
            }
        };
        var workflow = compiler.CompileLenient(entry.Definition);
        var result = await Runner.StartAsync(workflow, new StartWorkflowRequest
        {
            Input = input, CorrelationId = number,
            Properties = new Dictionary<string, object?> { [CaseFile.PropertyName] = new JsonObject { ["status"] = CaseStatus.Received, ["receivedAt"] = now.ToString("O") } }
        }, Options(actor));

        var record = new CaseRecord
        {
            Id = caseId, CaseNumber = number, MatterCode = entry.Matter.Code, MatterName = entry.Matter.Name, Department = entry.Matter.Department,
            ApplicantName = applicant.Name!.Trim(), ApplicantIdType = applicant.IdType!, ApplicantIdNumber = applicant.IdNumber!.Trim().ToUpperInvariant(),
            ApplicantPhone = applicant.Phone, ApplicantAddress = applicant.Address, Channel = submission.Channel ?? "window", ReceivedAt = now,
            InstanceId = result.State.Id, Stamp = NewStamp()
        };
        var instance = new InstanceRecord { Id = result.State.Id, CaseId = caseId, DefinitionId = result.State.DefinitionId, DefinitionVersionId = result.State.DefinitionVersionId };
        db.Cases.Add(record);
        db.Instances.Add(instance);
        var calls = Apply(instance, record, entry.Matter, result, [], actor, now);
        var response = new JsonObject
        {
            ["caseId"] = caseId, ["caseNumber"] = number, ["status"] = record.Status,
            ["promisedDue"] = record.PromisedDue?.ToString("O"), ["statutoryDue"] = record.StatutoryDue?.ToString("O")
        };
        if (idempotencyKey is { Length: > 0 })
            db.Idempotency.Add(new IdempotencyRecord { Key = "case:" + idempotencyKey, StatusCode = 201, ResponseJson = response.ToJsonString(), CreatedAt = now });
        return (record, response, calls);
    }

    /// <summary>Claims an open task for the actor.</summary>
    public async Task<TaskRecord> ClaimAsync(string taskId, string actor, CancellationToken cancellationToken = default)
    {
        var task = await db.Tasks.FindAsync([taskId], cancellationToken) ?? throw new NotFoundException($"No task {taskId}.");
        if (task.Status == TaskStatuses.Completed) throw new ConflictException($"Task {taskId} was completed by {task.CompletedBy}.");
        if (task.Status == TaskStatuses.Claimed && task.Assignee != actor) throw new ConflictException($"Task {taskId} is claimed by {task.Assignee}.");
        task.Status = TaskStatuses.Claimed;
        task.Assignee = actor;
        task.Stamp = NewStamp();
        await SaveOrConflictAsync($"Task {taskId} changed while you claimed it.", cancellationToken);
        return task;
    }

    /// <summary>Gives a claimed task back to the department.</summary>
    public async Task<TaskRecord> UnclaimAsync(string taskId, string actor, CancellationToken cancellationToken = default)
    {
        var task = await db.Tasks.FindAsync([taskId], cancellationToken) ?? throw new NotFoundException($"No task {taskId}.");
        if (task.Status != TaskStatuses.Claimed || task.Assignee != actor) throw new ConflictException($"Task {taskId} is not claimed by you.");
        task.Status = TaskStatuses.Open;
        task.Assignee = null;
        task.Stamp = NewStamp();
        await SaveOrConflictAsync($"Task {taskId} changed while you released it.", cancellationToken);
        return task;
    }

    /// <summary>Completes a task: resumes its bookmark with the action and stores the step.</summary>
    public async Task<JsonObject> CompleteAsync(string taskId, TaskAction action, string actor, CancellationToken cancellationToken = default)
    {
        var task = await db.Tasks.FindAsync([taskId], cancellationToken) ?? throw new NotFoundException($"No task {taskId}.");
        if (task.Status == TaskStatuses.Completed) throw new ConflictException($"Task {taskId} was already completed by {task.CompletedBy}.");
        if (task.Status == TaskStatuses.Claimed && task.Assignee != actor) throw new ConflictException($"Task {taskId} is claimed by {task.Assignee}.");
        task.Action = action.Action;
        task.Opinion = action.Opinion;
        var (record, calls) = await RunStepAsync(task.InstanceId, taskId, Input(task.Kind, action), actor, cancellationToken);
        await DeliverAsync(calls, cancellationToken);
        return new JsonObject { ["taskId"] = taskId, ["caseId"] = record.Id, ["caseNumber"] = record.CaseNumber, ["status"] = record.Status };
    }

    /// <summary>Resumes a due timer bookmark (as the scheduler), storing the step like any other.</summary>
    public Task ResumeDueAsync(string bookmarkId, CancellationToken cancellationToken = default) => ResumeAsync(bookmarkId, null, "scheduler", cancellationToken);

    /// <summary>Resumes any open bookmark of a case with input (waybill updates, the applicant's rating, timers).</summary>
    public async Task ResumeAsync(string bookmarkId, object? input, string actor, CancellationToken cancellationToken = default) =>
        await DeliverAsync(await ResumeStepAsync(bookmarkId, input, actor, cancellationToken), cancellationToken);

    /// <summary>
    /// Delivers one stored service call (the outbox) and resumes its step with the reply. A call that must reach
    /// its service and cannot yet is kept, with its attempts counted and the next try pushed back.
    /// </summary>
    public async Task DeliverCallAsync(string bookmarkId, CancellationToken cancellationToken = default) =>
        await DeliverNowAsync([bookmarkId], cancellationToken);

    private Task DeliverAsync(IReadOnlyList<string> calls, CancellationToken cancellationToken) =>
        outbox.DeliverInline ? DeliverNowAsync(calls, cancellationToken) : Task.CompletedTask;

    /// <summary>Delivers calls now, and the calls their replies lead to, whatever the inline setting (the sweep uses it too).</summary>
    private async Task DeliverNowAsync(IReadOnlyList<string> calls, CancellationToken cancellationToken)
    {
        var queue = new Queue<string>(calls);
        for (var delivered = 0; delivered < InlineDeliveries && queue.TryDequeue(out var id); delivered++)
        {
            try
            {
                foreach (var next in await DeliverOneAsync(id, cancellationToken)) queue.Enqueue(next);
            }
            catch (ConflictException ex)
            {
                // Another node or request delivered it first; the service saw one call under this key.
                logger.LogDebug("Service call {Call} delivered elsewhere: {Reason}", id, ex.Message);
            }
            catch (NotFoundException)
            {
                // Gone with its step (the case moved on); nothing left to deliver.
            }
        }
    }

    private async Task<IReadOnlyList<string>> DeliverOneAsync(string bookmarkId, CancellationToken cancellationToken)
    {
        var bookmark = await db.Bookmarks.FindAsync([bookmarkId], cancellationToken) ?? throw new NotFoundException($"No bookmark {bookmarkId}.");
        if (bookmark.Name != ServiceCalls.BookmarkName) throw new InvalidOperationException($"Bookmark {bookmarkId} is not a service call.");
        var payload = JsonNode.Parse(bookmark.PayloadJson ?? "{}") as JsonObject ?? [];
        var outcome = await dispatcher.DeliverAsync(payload, bookmark.Id, cancellationToken);
        if (outcome.Reply is null)
        {
            bookmark.Attempts++;
            bookmark.LastError = outcome.RetryReason;
            bookmark.DueAt = clock.GetUtcNow() + RetryDelay(bookmark.Attempts);
            await SaveOrConflictAsync($"Service call {bookmarkId} changed meanwhile.", cancellationToken);
            logger.LogWarning("Service call {Call} not delivered (attempt {Attempt}), next try at {Due}: {Reason}", bookmarkId, bookmark.Attempts, bookmark.DueAt, outcome.RetryReason);
            return [];
        }
        return await ResumeStepAsync(bookmarkId, outcome.Reply.ToJson(), ServiceCalls.RequestedBy(payload) ?? "outbox", cancellationToken);
    }

    /// <summary>Backoff of undeliverable calls: 1, 2, 4 … minutes, at most an hour.</summary>
    public static TimeSpan RetryDelay(int attempts) => TimeSpan.FromMinutes(Math.Min(60, Math.Pow(2, Math.Min(attempts, 7) - 1)));

    private async Task<IReadOnlyList<string>> ResumeStepAsync(string bookmarkId, object? input, string actor, CancellationToken cancellationToken)
    {
        var bookmark = await db.Bookmarks.FindAsync([bookmarkId], cancellationToken) ?? throw new NotFoundException($"No bookmark {bookmarkId}.");
        return (await RunStepAsync(bookmark.InstanceId, bookmarkId, input, actor, cancellationToken)).Calls;
    }

    /// <summary>
    /// One step: resumes the instance's bookmark with the input, closes the bookmark's inbox task if it has one,
    /// and stores the step (409 when another writer stored a step of the case first).
    /// </summary>
    private async Task<(CaseRecord Record, IReadOnlyList<string> Calls)> RunStepAsync(string instanceId, string bookmarkId, object? input, string actor, CancellationToken cancellationToken)
    {
        var instance = await db.Instances.FindAsync([instanceId], cancellationToken) ?? throw new NotFoundException($"Instance {instanceId} is gone.");
        var record = await db.Cases.FindAsync([instance.CaseId ?? ""], cancellationToken) ?? throw new NotFoundException($"Instance {instance.Id} has no case.");
        var entry = catalog.Find(record.MatterCode) ?? throw new NotFoundException($"Matter {record.MatterCode} is not in the catalog.");
        var state = WorkflowState.FromJson(instance.StateJson);
        var previous = state.Bookmarks.Select(b => b.Id).ToHashSet();
        WorkflowRunResult result;
        try { result = await Runner.ResumeAsync(compiler.CompileLenient(entry.Definition), state, bookmarkId, input, Options(actor)); }
        catch (BookmarkNotFoundException) { throw new ConflictException($"Step {bookmarkId} is no longer open."); }
        catch (BookmarkInputException ex) { throw new InputException(ex.Field, ex.Message); }
        var now = clock.GetUtcNow();
        if (await db.Tasks.FindAsync([bookmarkId], cancellationToken) is { Status: not TaskStatuses.Completed } task)
        {
            task.Status = TaskStatuses.Completed;
            task.CompletedAt = now;
            task.CompletedBy = actor;
            task.Stamp = NewStamp();
        }
        var calls = Apply(instance, record, entry.Matter, result, previous, actor, now);
        await SaveOrConflictAsync($"Someone else acted on case {record.CaseNumber} first; reload it.", cancellationToken);
        return (record, calls);
    }

    private async Task SaveOrConflictAsync(string message, CancellationToken cancellationToken)
    {
        try { await db.SaveChangesAsync(cancellationToken); }
        catch (DbUpdateConcurrencyException) { throw new ConflictException(message); }
        // Another writer of the same step already added its journal records: the (instance, sequence) key says so.
        catch (DbUpdateException ex) when (IsUniqueViolation(ex)) { throw new ConflictException(message); }
    }

    private static bool IsUniqueViolation(DbUpdateException ex) => ex.InnerException switch
    {
        Npgsql.PostgresException pg => pg.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation,
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteErrorCode == 19,
        _ => false
    };

    /// <summary>
    /// Stores a run: state, bookmarks, tasks, journal and the case projection (saved together by the caller).
    /// Returns the service calls the run asked for, to be delivered once the caller has committed.
    /// </summary>
    private List<string> Apply(InstanceRecord instance, CaseRecord record, ServiceMatter matter, WorkflowRunResult result, HashSet<string> previousBookmarks, string actor, DateTimeOffset now)
    {
        var state = result.State;
        instance.StateJson = state.ToJson();
        instance.Status = state.Status.ToString();
        instance.SubStatus = state.SubStatus.ToString();
        instance.CorrelationId = state.CorrelationId;
        instance.UpdatedAt = now;
        instance.Stamp = NewStamp();

        var open = state.Bookmarks.ToDictionary(b => b.Id);
        foreach (var gone in previousBookmarks.Where(id => !open.ContainsKey(id)))
        {
            db.Bookmarks.Remove(db.Bookmarks.Local.FirstOrDefault(b => b.Id == gone) ?? new BookmarkRecord { Id = gone });
            var orphan = db.Tasks.Local.FirstOrDefault(t => t.Id == gone) ?? db.Tasks.Find(gone);
            if (orphan is { Status: not TaskStatuses.Completed })
            {
                // A task closed by the flow itself (a deemed agreement, a cancelled branch).
                orphan.Status = TaskStatuses.Completed;
                orphan.CompletedAt = now;
                orphan.CompletedBy = actor;
                orphan.Stamp = NewStamp();
            }
        }
        var file = state.Properties[CaseFile.PropertyName] as JsonObject ?? [];
        var calls = new List<string>();
        foreach (var b in state.Bookmarks.Where(b => !previousBookmarks.Contains(b.Id)))
        {
            var call = b.IsServiceCall();
            if (call) calls.Add(b.Id);
            db.Bookmarks.Add(new BookmarkRecord
            {
                Id = b.Id, InstanceId = state.Id, Name = b.Name, ActivityId = b.ActivityId, DueAt = call ? (outbox.DeliverInline ? now + DeliveryLease : now) : b.DueAt, PayloadJson = b.Payload?.ToJsonString(), CreatedAt = b.CreatedAt
            });
            if (!TaskKinds.Contains(b.Name)) continue;
            var p = b.Payload ?? [];
            db.Tasks.Add(new TaskRecord
            {
                Id = b.Id, InstanceId = state.Id, CaseId = record.Id, CaseNumber = record.CaseNumber, MatterCode = matter.Code, MatterName = matter.Name,
                ApplicantName = record.ApplicantName, Kind = b.Name,
                StepName = p["stepName"]?.GetValue<string>() ?? (b.Name == Acceptance.CorrectionBookmark || b.Name == ToleranceGap.SupplementBookmark ? "补正材料" : b.ActivityId),
                Department = p["department"]?.GetValue<string>() ?? matter.Department,
                Role = p["role"]?.GetValue<string>() ?? (b.Name is Acceptance.CorrectionBookmark or ToleranceGap.SupplementBookmark or ReviewTask.SupplementBookmark ? "window" : "reviewer"),
                Assignee = p["assignee"]?.GetValue<string>(), Status = p["assignee"] is null ? TaskStatuses.Open : TaskStatuses.Claimed,
                DueAt = ChinaTime.ParseMoment(p["dueAt"] ?? p["deadline"]),
                CreatedAt = now, Stamp = NewStamp()
            });
        }
        foreach (var r in result.Journal) db.Journal.Add(JournalEntry.From(r));

        record.Status = file["status"]?.GetValue<string>() ?? CaseStatus.Received;
        record.AcceptedAt = ChinaTime.ParseMoment(file["acceptedAt"]) ?? record.AcceptedAt;
        record.CompletedAt = ChinaTime.ParseMoment(file["completedAt"]) ?? record.CompletedAt;
        record.BrokenCommitment = file["brokenCommitment"]?.GetValue<bool>() == true;
        record.CaseFileJson = file.ToJsonString();
        Supervise(record, matter, file, now);
        record.Stamp = NewStamp();
        if (result.Journal.Count > 0)
            db.Snapshots.Add(new CaseSnapshot { CaseId = record.Id, UpToSequence = result.Journal[^1].Sequence, Status = record.Status, CaseFileJson = record.CaseFileJson, At = now });
        return calls;
    }

    private void Supervise(CaseRecord record, ServiceMatter matter, JsonObject file, DateTimeOffset now)
    {
        var pauses = (file["pauses"] as JsonArray ?? []).OfType<JsonObject>().Select(p => new Pause
        {
            Start = DateOnly.Parse(p["start"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
            End = p["end"] is JsonValue e ? DateOnly.Parse(e.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) : null,
            Reason = p["reason"]?.GetValue<string>() ?? ""
        }).ToList();
        var received = ChinaTime.Local(record.ReceivedAt);
        var at = ChinaTime.Local(record.CompletedAt ?? now);
        try
        {
            var clockReading = new TimeLimitClock(calendar);
            var promised = clockReading.Read(received, matter.PromisedLimit, pauses, at);
            var statutory = clockReading.Read(received, matter.StatutoryLimit, pauses, at);
            record.PromisedDue = ChinaTime.ToMoment(promised.Due ?? clockReading.Due(received, matter.PromisedLimit, promised.PausedWorkingDays));
            record.StatutoryDue = ChinaTime.ToMoment(statutory.Due ?? clockReading.Due(received, matter.StatutoryLimit, statutory.PausedWorkingDays));
            record.WarningLevel = promised.Level.ToString();
        }
        catch (CalendarYearMissingException)
        {
            // Past the loaded holiday data there is no honest due date; the case shows none rather than a guess.
            record.PromisedDue = null;
            record.StatutoryDue = null;
        }
    }

    private static Dictionary<string, object?> Input(string kind, TaskAction a) => kind switch
    {
        ParallelApproval.OpinionBookmark => new() { ["decision"] = a.Action, ["reasons"] = a.Opinion },
        Acceptance.CorrectionBookmark or ToleranceGap.SupplementBookmark or ReviewTask.SupplementBookmark =>
            new() { ["materials"] = a.Materials?.Select(m => (object?)m).ToList(), ["withdraw"] = a.Action == "withdraw" },
        RequestRating.RectificationBookmark => new() { ["note"] = a.Opinion, ["resolution"] = a.Action },
        _ => new()
        {
            ["action"] = a.Action, ["opinion"] = a.Opinion, ["assignee"] = a.Assignee, ["returnTo"] = a.ReturnTo,
            ["missingMaterials"] = a.Materials?.Select(m => (object?)m).ToList()
        }
    };

    private CatalogEntry Validate(CaseSubmission s)
    {
        if (string.IsNullOrWhiteSpace(s.MatterCode)) throw new InputException("matterCode", "the matter code is required");
        var entry = catalog.Find(s.MatterCode.Trim()) ?? throw new InputException("matterCode", $"no service matter has the code '{s.MatterCode}'");
        var a = s.Applicant ?? throw new InputException("applicant", "the applicant is required");
        if (string.IsNullOrWhiteSpace(a.Name) || a.Name.Trim().Length > 100) throw new InputException("applicant.name", "the applicant's name is required (at most 100 characters)");
        if (a.IdType is not ("111" or "001")) throw new InputException("applicant.idType", "idType is 111 (citizen ID) or 001 (unified social credit code)");
        var id = a.IdNumber?.Trim().ToUpperInvariant() ?? "";
        if (a.IdType == "111" && !IdentityNumber.IsValid(id)) throw new InputException("applicant.idNumber", "not a valid 18-digit citizen ID number (check digit)");
        if (a.IdType == "001" && !CreditCode.IsValid(id)) throw new InputException("applicant.idNumber", "not a valid unified social credit code");
        if (a.Phone is { Length: > 0 } phone && !PhonePattern().IsMatch(phone)) throw new InputException("applicant.phone", "not a mobile (1xxxxxxxxxx) or landline (0xxx-xxxxxxx) number");
        if (a.Address is { Length: > 300 }) throw new InputException("applicant.address", "the address has more than 300 characters");
        if (s.Channel is { } ch && ch is not ("window" or "pc" or "mobile" or "courier" or "selfService")) throw new InputException("channel", "channel is window, pc, mobile, courier or selfService");
        var names = entry.Matter.Materials.Select(m => m.Name).ToHashSet();
        for (var i = 0; i < (s.Materials?.Count ?? 0); i++)
            if (s.Materials![i].Name is not { } n || !names.Contains(n))
                throw new InputException($"materials[{i}].name", $"'{s.Materials[i].Name}' is not a material of {entry.Matter.Name}; use one of {string.Join("、", names)}");
        return entry;
    }

    private WorkflowRunOptions Options(string actor) => new() { Services = services, Clock = clock, Actor = actor };

    private static string NewStamp() => Guid.NewGuid().ToString("N");
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
