using System.Text.Json;
using System.Text.Json.Nodes;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using GovFlow.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.ElsaApi;

/// <summary>
/// Studio's instance viewer on GovFlow's cases: the instances with filters, one instance with its state, its journal
/// as Elsa execution log records, per-activity reports and executions, and the state to poll. Everything is read
/// only, and personal data in states and records is masked as in every other view of a case.
/// </summary>
public static class StudioInstances
{
    /// <summary>An instance in Studio's list.</summary>
    /// <param name="Id">Instance id.</param>
    /// <param name="DefinitionId">Definition id.</param>
    /// <param name="DefinitionVersionId">The version it runs.</param>
    /// <param name="Version">That version's number.</param>
    /// <param name="Status">Running or Finished.</param>
    /// <param name="SubStatus">Pending, Executing, Suspended, Finished, Cancelled or Faulted.</param>
    /// <param name="CorrelationId">Correlation id.</param>
    /// <param name="Name">The case number (or the instance's name).</param>
    /// <param name="IncidentCount">Open incidents.</param>
    /// <param name="IsSystem">Never.</param>
    /// <param name="CreatedAt">Started.</param>
    /// <param name="UpdatedAt">Last change.</param>
    /// <param name="FinishedAt">Finished.</param>
    public sealed record Summary(string Id, string DefinitionId, string DefinitionVersionId, int Version, string Status, string SubStatus, string? CorrelationId,
        string? Name, int IncidentCount, bool IsSystem, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? FinishedAt);

    /// <summary>Studio's instance list request (the POST body; the GET form has the same names in the query).</summary>
    /// <param name="Page">Page from 0.</param>
    /// <param name="PageSize">Page size.</param>
    /// <param name="SearchTerm">Matches the id, correlation id or case number.</param>
    /// <param name="DefinitionId">One definition.</param>
    /// <param name="DefinitionIds">Several definitions.</param>
    /// <param name="CorrelationId">Correlation id.</param>
    /// <param name="Version">One version number of the definition.</param>
    /// <param name="Status">One status.</param>
    /// <param name="Statuses">Several statuses.</param>
    /// <param name="SubStatus">One sub-status.</param>
    /// <param name="SubStatuses">Several sub-statuses.</param>
    /// <param name="HasIncidents">Only with (or without) incidents.</param>
    /// <param name="OrderBy">Created, UpdatedAt or Finished (GovFlow orders by the last change).</param>
    /// <param name="OrderDirection">Ascending or Descending.</param>
    public sealed record ListRequest(int? Page, int? PageSize, string? SearchTerm, string? DefinitionId, IReadOnlyList<string>? DefinitionIds, string? CorrelationId, int? Version,
        string? Status, IReadOnlyList<string>? Statuses, string? SubStatus, IReadOnlyList<string>? SubStatuses, bool? HasIncidents, string? OrderBy, string? OrderDirection);

    /// <summary>An execution log record in Elsa's shape.</summary>
    /// <param name="Id">Instance id and sequence.</param>
    /// <param name="ActivityInstanceId">The activity execution.</param>
    /// <param name="ParentActivityInstanceId">Its parent execution.</param>
    /// <param name="ActivityId">Activity id.</param>
    /// <param name="ActivityType">Type.</param>
    /// <param name="ActivityTypeVersion">Type version.</param>
    /// <param name="ActivityName">Name.</param>
    /// <param name="NodeId">Node id (matches the designer's).</param>
    /// <param name="Timestamp">When.</param>
    /// <param name="Sequence">Place in the instance's journal.</param>
    /// <param name="EventName">What happened.</param>
    /// <param name="Message">Message.</param>
    /// <param name="Source">Who did it (GovFlow's actor).</param>
    /// <param name="ActivityState">Not recorded by GovFlow.</param>
    /// <param name="Payload">Masked payload.</param>
    public sealed record LogRecord(string Id, string ActivityInstanceId, string? ParentActivityInstanceId, string ActivityId, string ActivityType, int ActivityTypeVersion,
        string? ActivityName, string NodeId, DateTimeOffset Timestamp, long Sequence, string EventName, string? Message, string? Source, JsonNode? ActivityState, JsonNode? Payload);

    /// <summary>The journal filter Studio posts.</summary>
    /// <param name="Filter">Which records.</param>
    public sealed record JournalRequest(JournalFilter? Filter);

    /// <summary>Which journal records.</summary>
    /// <param name="ActivityIds">Activity ids.</param>
    /// <param name="ActivityNodeIds">Node ids.</param>
    /// <param name="ExcludedActivityTypes">Types left out.</param>
    /// <param name="EventNames">Events.</param>
    public sealed record JournalFilter(IReadOnlyList<string>? ActivityIds, IReadOnlyList<string>? ActivityNodeIds, IReadOnlyList<string>? ExcludedActivityTypes, IReadOnlyList<string>? EventNames);

    /// <summary>Per-activity counts for the diagram's badges.</summary>
    /// <param name="ActivityId">Activity id.</param>
    /// <param name="ActivityNodeId">Node id.</param>
    /// <param name="StartedCount">Executions started.</param>
    /// <param name="CompletedCount">Completed.</param>
    /// <param name="UncompletedCount">Still open.</param>
    /// <param name="IsBlocked">Waiting (on a person or a timer).</param>
    /// <param name="IsFaulted">Faulted.</param>
    /// <param name="AggregateFaultCount">Faults.</param>
    public sealed record Stats(string ActivityId, string ActivityNodeId, long StartedCount, long CompletedCount, long UncompletedCount, bool IsBlocked, bool IsFaulted, long AggregateFaultCount);

    /// <summary>The report request.</summary>
    /// <param name="WorkflowInstanceId">Instance.</param>
    /// <param name="ActivityNodeIds">Node ids.</param>
    public sealed record ReportRequest(string WorkflowInstanceId, IReadOnlyList<string>? ActivityNodeIds);

    /// <summary>One activity execution, summed up from its journal records.</summary>
    /// <param name="Id">Activity execution id.</param>
    /// <param name="WorkflowInstanceId">Instance.</param>
    /// <param name="ActivityId">Activity id.</param>
    /// <param name="ActivityNodeId">Node id.</param>
    /// <param name="ActivityType">Type.</param>
    /// <param name="ActivityTypeVersion">Type version.</param>
    /// <param name="ActivityName">Name.</param>
    /// <param name="StartedAt">Started.</param>
    /// <param name="HasBookmarks">Waiting.</param>
    /// <param name="Status">Running, Completed, Canceled or Faulted.</param>
    /// <param name="CompletedAt">Completed.</param>
    /// <param name="AggregateFaultCount">Faults.</param>
    /// <param name="Payload">The last record's masked payload (details only).</param>
    /// <param name="Records">Its journal records (details only).</param>
    public sealed record Execution(string Id, string WorkflowInstanceId, string ActivityId, string ActivityNodeId, string ActivityType, int ActivityTypeVersion, string? ActivityName,
        DateTimeOffset StartedAt, bool HasBookmarks, string Status, DateTimeOffset? CompletedAt, long AggregateFaultCount, JsonNode? Payload = null, IReadOnlyList<LogRecord>? Records = null);

    /// <summary>Maps /workflow-instances and /activity-execution*.</summary>
    public static void Map(RouteGroupBuilder read)
    {
        read.MapPost("/workflow-instances", (ListRequest body, GovFlowDb db, InMemoryWorkflowDefinitionStore store, HttpContext http) => ListAsync(body, db, store, http.RequestAborted));
        read.MapGet("/workflow-instances", (int? page, int? pageSize, string? searchTerm, string? definitionId, string[]? definitionIds, string? correlationId, int? version, string? status, string[]? statuses,
            string? subStatus, string[]? subStatuses, bool? hasIncidents, string? orderBy, string? orderDirection, GovFlowDb db, InMemoryWorkflowDefinitionStore store, HttpContext http) =>
            ListAsync(new ListRequest(page, pageSize, searchTerm, definitionId, definitionIds, correlationId, version, status, statuses, subStatus, subStatuses, hasIncidents, orderBy, orderDirection), db, store, http.RequestAborted));
        read.MapGet("/workflow-instances/{id}", One);
        read.MapGet("/workflow-instances/{id}/execution-state", ExecutionState);
        read.MapPost("/workflow-instances/{id}/journal", (string id, int? skip, int? take, JournalRequest? body, GovFlowDb db, HttpContext http) => Journal(id, skip, take, body?.Filter, db, http.RequestAborted));
        read.MapGet("/workflow-instances/{id}/journal", (string id, int? skip, int? take, GovFlowDb db, HttpContext http) => Journal(id, skip, take, null, db, http.RequestAborted));
        read.MapPost("/activity-executions/report", Report);
        read.MapGet("/activity-execution-summaries/list", (string workflowInstanceId, string? activityNodeId, GovFlowDb db, HttpContext http) => Executions(workflowInstanceId, activityNodeId, false, db, http.RequestAborted));
        read.MapGet("/activity-executions/list", (string workflowInstanceId, string? activityNodeId, GovFlowDb db, HttpContext http) => Executions(workflowInstanceId, activityNodeId, true, db, http.RequestAborted));
        read.MapGet("/activity-executions/by-id", ExecutionById);
    }

    private static async Task<IResult> ListAsync(ListRequest r, GovFlowDb db, InMemoryWorkflowDefinitionStore store, CancellationToken cancellationToken)
    {
        var query = db.Instances.AsNoTracking();
        var definitions = Many(r.DefinitionId, r.DefinitionIds);
        if (definitions.Count > 0) query = query.Where(i => definitions.Contains(i.DefinitionId));
        var statuses = Many(r.Status, r.Statuses);
        if (statuses.Count > 0) query = query.Where(i => statuses.Contains(i.Status));
        var subStatuses = Many(r.SubStatus, r.SubStatuses);
        if (subStatuses.Count > 0) query = query.Where(i => subStatuses.Contains(i.SubStatus));
        if (!string.IsNullOrWhiteSpace(r.CorrelationId)) query = query.Where(i => i.CorrelationId == r.CorrelationId);
        if (r.Version is { } number)
        {
            // Versions are numbered per definition; the instances name the version's id.
            var versionIds = definitions.SelectMany(store.VersionsOf).Where(v => v.Version == number).Select(v => v.Id!).ToList();
            query = query.Where(i => versionIds.Contains(i.DefinitionVersionId));
        }
        if (r.HasIncidents is { } has) query = query.Where(i => db.Incidents.Any(x => x.InstanceId == i.Id) == has);
        if (r.SearchTerm?.Trim() is { Length: > 0 } term)
            query = query.Where(i => i.Id.Contains(term) || (i.CorrelationId != null && i.CorrelationId.Contains(term)) || db.Cases.Any(c => c.Id == i.CaseId && c.CaseNumber.Contains(term)));
        var total = await query.LongCountAsync(cancellationToken);
        var size = Math.Clamp(r.PageSize ?? 50, 1, 100);
        // The list is ordered by the last change, the one time column the instances table keeps.
        query = string.Equals(r.OrderDirection, "Ascending", StringComparison.OrdinalIgnoreCase) ? query.OrderBy(i => i.UpdatedAt).ThenBy(i => i.Id) : query.OrderByDescending(i => i.UpdatedAt).ThenBy(i => i.Id);
        var rows = await query.Skip(Math.Max(0, r.Page ?? 0) * size).Take(size).ToListAsync(cancellationToken);
        var caseIds = rows.Where(i => i.CaseId != null).Select(i => i.CaseId!).ToList();
        var numbers = await db.Cases.AsNoTracking().Where(c => caseIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.CaseNumber, cancellationToken);
        var items = rows.Select(i => SummaryOf(i, WorkflowState.FromJson(i.StateJson), store, i.CaseId is { } c ? numbers.GetValueOrDefault(c) : null)).ToList();
        return TypedResults.Ok(new StudioPage<Summary>(items, total, []));
    }

    private static List<string> Many(string? one, IReadOnlyList<string>? many) =>
        [.. (many ?? []).Append(one).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!).Distinct()];

    private static Summary SummaryOf(InstanceRecord i, WorkflowState state, InMemoryWorkflowDefinitionStore store, string? caseNumber) => new(
        i.Id, i.DefinitionId, i.DefinitionVersionId, store.FindVersion(i.DefinitionVersionId)?.Version ?? state.DefinitionVersion, i.Status, i.SubStatus, i.CorrelationId,
        caseNumber ?? state.Name, state.Incidents.Count, false, state.CreatedAt, i.UpdatedAt, state.FinishedAt);

    private static async Task<IResult> One(string id, GovFlowDb db, InMemoryWorkflowDefinitionStore store, HttpContext http)
    {
        var i = await db.Instances.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, http.RequestAborted);
        if (i is null) return TypedResults.NotFound();
        var caseNumber = i.CaseId is null ? null : await db.Cases.AsNoTracking().Where(c => c.Id == i.CaseId).Select(c => c.CaseNumber).FirstOrDefaultAsync(http.RequestAborted);
        var o = JsonSerializer.SerializeToNode(SummaryOf(i, WorkflowState.FromJson(i.StateJson), store, caseNumber), StudioJson.Options)!.AsObject();
        // The state as the engine keeps it, its personal data masked (Studio shows variables and inputs).
        o["workflowState"] = PersonalData.MaskJson(i.StateJson);
        return TypedResults.Ok(o);
    }

    private static async Task<IResult> ExecutionState(string id, GovFlowDb db, HttpContext http)
    {
        var i = await db.Instances.AsNoTracking().Where(x => x.Id == id).Select(x => new { x.Id, x.Status, x.SubStatus, x.UpdatedAt }).FirstOrDefaultAsync(http.RequestAborted);
        return i is null ? TypedResults.NotFound() : TypedResults.Ok(new { id = i.Id, status = i.Status, subStatus = i.SubStatus, workflowSubStatus = i.SubStatus, updatedAt = i.UpdatedAt });
    }

    private static async Task<IResult> Journal(string id, int? skip, int? take, JournalFilter? filter, GovFlowDb db, CancellationToken cancellationToken)
    {
        if (!await db.Instances.AnyAsync(i => i.Id == id, cancellationToken)) return TypedResults.NotFound();
        // Archived journals (the retention policy) are filtered in memory: they are read whole anyway.
        var (entries, _) = await Cases.JournalArchives.EntriesAsync(db, id, null, cancellationToken: cancellationToken);
        IEnumerable<JournalEntry> query = entries;
        if (filter?.ActivityIds is { Count: > 0 } activityIds) query = query.Where(j => activityIds.Contains(j.ActivityId));
        if (filter?.ActivityNodeIds is { Count: > 0 } nodeIds) query = query.Where(j => nodeIds.Contains(j.NodeId));
        if (filter?.ExcludedActivityTypes is { Count: > 0 } excluded) query = query.Where(j => !excluded.Contains(j.ActivityType));
        if (filter?.EventNames is { Count: > 0 } events) query = query.Where(j => events.Contains(j.EventName));
        var matching = query.ToList();
        var rows = matching.Skip(Math.Max(0, skip ?? 0)).Take(Math.Clamp(take ?? 100, 1, 1000));
        return TypedResults.Ok(new StudioPage<LogRecord>([.. rows.Select(Record)], matching.Count, []));
    }

    private static LogRecord Record(JournalEntry e) => new($"{e.InstanceId}:{e.Sequence}", e.ActivityInstanceId, e.ParentActivityInstanceId, e.ActivityId, e.ActivityType,
        e.ActivityTypeVersion, e.ActivityName, e.NodeId, e.Timestamp, e.Sequence, e.EventName, e.Message is null ? null : PersonalData.MaskText(e.Message), e.Actor, null, PersonalData.MaskJson(e.PayloadJson));

    private static async Task<IResult> Report(ReportRequest body, GovFlowDb db, HttpContext http)
    {
        var nodeIds = body.ActivityNodeIds ?? [];
        var executions = await ExecutionsOf(body.WorkflowInstanceId, null, db, http.RequestAborted);
        var stats = executions.Where(x => nodeIds.Count == 0 || nodeIds.Contains(x.Summary.ActivityNodeId)).GroupBy(x => x.Summary.ActivityNodeId).Select(g => new Stats(
            g.First().Summary.ActivityId, g.Key, g.LongCount(), g.LongCount(x => x.Summary.Status == "Completed"), g.LongCount(x => x.Summary.Status == "Running"),
            g.Any(x => x.Summary.HasBookmarks), g.Any(x => x.Summary.Status == "Faulted"), g.Sum(x => x.Summary.AggregateFaultCount))).ToList();
        return TypedResults.Ok(new { stats });
    }

    private static async Task<IResult> Executions(string workflowInstanceId, string? activityNodeId, bool details, GovFlowDb db, CancellationToken cancellationToken)
    {
        var executions = await ExecutionsOf(workflowInstanceId, activityNodeId, db, cancellationToken);
        return TypedResults.Ok(StudioList<Execution>.Of(executions.Select(x => details ? x.Summary with { Payload = x.Records[^1].Payload, Records = x.Records } : x.Summary)));
    }

    private static async Task<IResult> ExecutionById(string id, GovFlowDb db, HttpContext http)
    {
        var instanceId = await db.Journal.AsNoTracking().Where(j => j.ActivityInstanceId == id).Select(j => j.InstanceId).FirstOrDefaultAsync(http.RequestAborted);
        if (instanceId is null) return TypedResults.NotFound();
        var execution = (await ExecutionsOf(instanceId, null, db, http.RequestAborted)).First(x => x.Summary.Id == id);
        return TypedResults.Ok(execution.Summary with { Payload = execution.Records[^1].Payload, Records = execution.Records });
    }

    // GovFlow keeps no execution table: an execution is the journal records of one activity instance.
    private static async Task<List<(Execution Summary, IReadOnlyList<LogRecord> Records)>> ExecutionsOf(string instanceId, string? nodeId, GovFlowDb db, CancellationToken cancellationToken)
    {
        var (entries, _) = await Cases.JournalArchives.EntriesAsync(db, instanceId, null, cancellationToken: cancellationToken);
        var rows = string.IsNullOrEmpty(nodeId) ? entries : [.. entries.Where(j => j.NodeId == nodeId)];
        return [.. rows.Where(r => r.ActivityInstanceId.Length > 0).GroupBy(r => r.ActivityInstanceId).Select(g =>
        {
            var first = g.First();
            // Domain records (a case file entry, a certificate used) follow the engine's; the last engine event says whether it waits.
            var lastLifecycle = g.LastOrDefault(r => r.EventName is "Started" or "Suspended" or "Resumed" or "Completed" or "Faulted" or "Canceled");
            var faults = g.LongCount(r => r.EventName == "Faulted");
            var status = g.Any(r => r.EventName == "Completed") ? "Completed" : faults > 0 ? "Faulted" : g.Any(r => r.EventName is "Canceled") ? "Canceled" : "Running";
            var completedAt = g.LastOrDefault(r => r.EventName is "Completed" or "Faulted" or "Canceled")?.Timestamp;
            return (new Execution(g.Key, instanceId, first.ActivityId, first.NodeId, first.ActivityType, first.ActivityTypeVersion, first.ActivityName, first.Timestamp,
                status == "Running" && lastLifecycle?.EventName == "Suspended", status, completedAt, faults), (IReadOnlyList<LogRecord>)[.. g.Select(Record)]);
        })];
    }
}
