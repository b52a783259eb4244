namespace GovFlow.Host.Persistence;

/// <summary>A stored definition version.</summary>
public sealed class DefinitionRecord
{
    /// <summary>Version id.</summary>
    public string Id { get; set; } = "";
    /// <summary>Definition id.</summary>
    public string DefinitionId { get; set; } = "";
    /// <summary>Version number.</summary>
    public int Version { get; set; }
    /// <summary>Name.</summary>
    public string Name { get; set; } = "";
    /// <summary>Published.</summary>
    public bool IsPublished { get; set; }
    /// <summary>Latest.</summary>
    public bool IsLatest { get; set; }
    /// <summary>The Elsa JSON.</summary>
    public string Json { get; set; } = "";
    /// <summary>When saved.</summary>
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Who first saved this version (null: shipped with GovFlow, or saved before this was recorded).</summary>
    public string? CreatedBy { get; set; }
    /// <summary>When the draft was last saved over (a draft is replaced in place until it is published).</summary>
    public DateTimeOffset? UpdatedAt { get; set; }
    /// <summary>Who last saved over the draft.</summary>
    public string? UpdatedBy { get; set; }
    /// <summary>When this version was last published.</summary>
    public DateTimeOffset? PublishedAt { get; set; }
    /// <summary>Who last published it.</summary>
    public string? PublishedBy { get; set; }
    /// <summary>When it last stopped being the published version: retracted, or replaced by a newer one published.</summary>
    public DateTimeOffset? RetractedAt { get; set; }
    /// <summary>Who retracted it, or published the version that replaced it.</summary>
    public string? RetractedBy { get; set; }
    /// <summary>Changes with every save, so every node sees which versions to read again.</summary>
    public string Stamp { get; set; } = "";
}

/// <summary>A workflow instance: its state JSON plus columns to query by.</summary>
public sealed class InstanceRecord
{
    /// <summary>Instance id.</summary>
    public string Id { get; set; } = "";
    /// <summary>Definition id.</summary>
    public string DefinitionId { get; set; } = "";
    /// <summary>Pinned version id.</summary>
    public string DefinitionVersionId { get; set; } = "";
    /// <summary>Status.</summary>
    public string Status { get; set; } = "";
    /// <summary>Sub-status.</summary>
    public string SubStatus { get; set; } = "";
    /// <summary>Correlation id.</summary>
    public string? CorrelationId { get; set; }
    /// <summary>The case, when the instance runs a matter.</summary>
    public string? CaseId { get; set; }
    /// <summary>The state JSON.</summary>
    public string StateJson { get; set; } = "";
    /// <summary>Last change.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>Optimistic concurrency token: two writers of the same version leave one effect.</summary>
    public string Stamp { get; set; } = "";
}

/// <summary>An open bookmark (what the instance waits for).</summary>
public sealed class BookmarkRecord
{
    /// <summary>Bookmark id.</summary>
    public string Id { get; set; } = "";
    /// <summary>Instance id.</summary>
    public string InstanceId { get; set; } = "";
    /// <summary>Stimulus name.</summary>
    public string Name { get; set; } = "";
    /// <summary>Activity id.</summary>
    public string ActivityId { get; set; } = "";
    /// <summary>When the scheduler should resume it.</summary>
    public DateTimeOffset? DueAt { get; set; }
    /// <summary>Payload JSON.</summary>
    public string? PayloadJson { get; set; }
    /// <summary>Created.</summary>
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Delivery attempts of a service call that could not be delivered yet (the outbox's retry count).</summary>
    public int Attempts { get; set; }
    /// <summary>Why the last delivery attempt (or, for any bookmark, the last sweep of it) failed.</summary>
    public string? LastError { get; set; }
    /// <summary>Sweeps of this bookmark that threw; it becomes an incident after the configured number.</summary>
    public int SweepFailures { get; set; }
}

/// <summary>An inbox task (a human step's bookmark) with the columns the inbox filters and sorts by.</summary>
public sealed class TaskRecord
{
    /// <summary>Task id (the bookmark id).</summary>
    public string Id { get; set; } = "";
    /// <summary>Instance id.</summary>
    public string InstanceId { get; set; } = "";
    /// <summary>Case id.</summary>
    public string CaseId { get; set; } = "";
    /// <summary>Case number.</summary>
    public string CaseNumber { get; set; } = "";
    /// <summary>Matter code.</summary>
    public string MatterCode { get; set; } = "";
    /// <summary>Matter name.</summary>
    public string MatterName { get; set; } = "";
    /// <summary>Applicant name.</summary>
    public string ApplicantName { get; set; } = "";
    /// <summary>Bookmark name (the kind of task).</summary>
    public string Kind { get; set; } = "";
    /// <summary>Step name.</summary>
    public string StepName { get; set; } = "";
    /// <summary>Department.</summary>
    public string Department { get; set; } = "";
    /// <summary>Role.</summary>
    public string Role { get; set; } = "";
    /// <summary>Assignee (claimed by or assigned to).</summary>
    public string? Assignee { get; set; }
    /// <summary>Open, Claimed, Completed or Cancelled.</summary>
    public string Status { get; set; } = TaskStatuses.Open;
    /// <summary>Due moment.</summary>
    public DateTimeOffset? DueAt { get; set; }
    /// <summary>When it turns yellow: its matter's threshold before the due moment (null: the default's).</summary>
    public DateTimeOffset? YellowFrom { get; set; }
    /// <summary>Created.</summary>
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Completed.</summary>
    public DateTimeOffset? CompletedAt { get; set; }
    /// <summary>Who completed it.</summary>
    public string? CompletedBy { get; set; }
    /// <summary>The action taken.</summary>
    public string? Action { get; set; }
    /// <summary>The opinion given.</summary>
    public string? Opinion { get; set; }
    /// <summary>Concurrency token.</summary>
    public string Stamp { get; set; } = "";
    /// <summary>The case's priority kind (copied from <see cref="CaseRecord.Priority"/>), so the inbox sorts priority cases first without a join.</summary>
    public string? Priority { get; set; }
}

/// <summary>
/// A signed count of open and claimed inbox tasks with one key (department, assignee, status, matter, step, due and
/// yellow moments): the inbox's counts per light without counting the tasks. Each commit that opens, moves or closes
/// tasks appends its deltas (<see cref="InboxTallies.Stage"/>), so concurrent steps never wait on one counter row;
/// <see cref="InboxTallies.FoldAsync"/> later folds a key's rows into one.
/// </summary>
public sealed class TaskTally
{
    /// <summary>Row id (version 7, time-ordered).</summary>
    public string Id { get; set; } = "";
    /// <summary>The tasks' department.</summary>
    public string Department { get; set; } = "";
    /// <summary>The tasks' assignee (none while unclaimed).</summary>
    public string? Assignee { get; set; }
    /// <summary>Open or Claimed.</summary>
    public string Status { get; set; } = "";
    /// <summary>The tasks' matter code.</summary>
    public string MatterCode { get; set; } = "";
    /// <summary>The tasks' step name.</summary>
    public string StepName { get; set; } = "";
    /// <summary>The tasks' due moment.</summary>
    public DateTimeOffset? DueAt { get; set; }
    /// <summary>When the tasks turn yellow (null: the default threshold's).</summary>
    public DateTimeOffset? YellowFrom { get; set; }
    /// <summary>Tasks added to (positive) or taken from (negative) the key.</summary>
    public int Count { get; set; }
}

/// <summary>
/// A step that faulted (异常): the step did not happen, the case stays where it was, and what was needed to run it
/// again (the bookmark, its input, who acted) is kept until someone retries it once the cause is fixed.
/// </summary>
public sealed class IncidentRecord
{
    /// <summary>Id.</summary>
    public string Id { get; set; } = "";
    /// <summary>The case.</summary>
    public string CaseId { get; set; } = "";
    /// <summary>Its number.</summary>
    public string CaseNumber { get; set; } = "";
    /// <summary>The instance (the case's own or a child's).</summary>
    public string InstanceId { get; set; } = "";
    /// <summary>The bookmark whose resumption faulted.</summary>
    public string BookmarkId { get; set; } = "";
    /// <summary>Its name (task, timer, service call...).</summary>
    public string BookmarkName { get; set; } = "";
    /// <summary>The activity that faulted.</summary>
    public string ActivityId { get; set; } = "";
    /// <summary>Its type.</summary>
    public string ActivityType { get; set; } = "";
    /// <summary>The error.</summary>
    public string Message { get; set; } = "";
    /// <summary>The error's type.</summary>
    public string ExceptionType { get; set; } = "";
    /// <summary>Who made the step (a retry makes it in their name).</summary>
    public string Actor { get; set; } = "";
    /// <summary>The step's input, as JSON.</summary>
    public string? InputJson { get; set; }
    /// <summary>When it last faulted.</summary>
    public DateTimeOffset OccurredAt { get; set; }
    /// <summary>How many times it faulted.</summary>
    public int Attempts { get; set; } = 1;
    /// <summary>A timer's or call's due moment, held while the incident is open so the scheduler does not fault it again.</summary>
    public DateTimeOffset? HeldDueAt { get; set; }
    /// <summary>Open or Resolved.</summary>
    public string Status { get; set; } = IncidentStatuses.Open;
    /// <summary>Who retried it successfully.</summary>
    public string? ResolvedBy { get; set; }
    /// <summary>When.</summary>
    public DateTimeOffset? ResolvedAt { get; set; }
}

/// <summary>
/// A red card (红牌) of 电子监察: a case past its promised date and not decided. Issued once per case, to its
/// department's head and the supervisors, by the supervision sweep.
/// </summary>
public sealed class RedCard
{
    /// <summary>The case.</summary>
    public string CaseId { get; set; } = "";
    /// <summary>Its number.</summary>
    public string CaseNumber { get; set; } = "";
    /// <summary>Its matter.</summary>
    public string MatterName { get; set; } = "";
    /// <summary>The department answerable for it.</summary>
    public string Department { get; set; } = "";
    /// <summary>The promised date it passed.</summary>
    public DateTimeOffset PromisedDue { get; set; }
    /// <summary>When the card was issued.</summary>
    public DateTimeOffset IssuedAt { get; set; }
}

/// <summary>
/// A year's State Council holiday notice loaded by policy staff. Every node follows these rows (as it follows
/// definitions), so a notice loaded on one node is in force on all of them without a restart.
/// </summary>
public sealed class CalendarYearRecord
{
    /// <summary>The year.</summary>
    public int Year { get; set; }
    /// <summary>The notice as its data file holds it.</summary>
    public string Json { get; set; } = "";
    /// <summary>The notice's title or number.</summary>
    public string Source { get; set; } = "";
    /// <summary>Who loaded it.</summary>
    public string LoadedBy { get; set; } = "";
    /// <summary>When.</summary>
    public DateTimeOffset LoadedAt { get; set; }
    /// <summary>Changes with every load, so followers see a replaced notice.</summary>
    public string Stamp { get; set; } = "";
}

/// <summary>Incident statuses.</summary>
public static class IncidentStatuses
{
    /// <summary>Waiting for a retry.</summary>
    public const string Open = "Open";
    /// <summary>Retried successfully.</summary>
    public const string Resolved = "Resolved";
}

/// <summary>Task statuses.</summary>
public static class TaskStatuses
{
    /// <summary>Waiting for a handler.</summary>
    public const string Open = "Open";
    /// <summary>Claimed by a handler.</summary>
    public const string Claimed = "Claimed";
    /// <summary>Done.</summary>
    public const string Completed = "Completed";
    /// <summary>Closed unanswered because the case ended elsewhere (a refusal in another branch, a withdrawal).</summary>
    public const string Cancelled = "Cancelled";

    /// <summary>Whether a task in this status still waits for someone (it is in an inbox).</summary>
    public static bool IsOpen(string status) => status is Open or Claimed;
}

/// <summary>One journal record, append-only, chained by hash.</summary>
public sealed class JournalEntry
{
    /// <summary>Instance id.</summary>
    public string InstanceId { get; set; } = "";
    /// <summary>Sequence in the instance.</summary>
    public long Sequence { get; set; }
    /// <summary>When.</summary>
    public DateTimeOffset Timestamp { get; set; }
    /// <summary>Activity execution id.</summary>
    public string ActivityInstanceId { get; set; } = "";
    /// <summary>Parent activity execution id.</summary>
    public string? ParentActivityInstanceId { get; set; }
    /// <summary>Activity id.</summary>
    public string ActivityId { get; set; } = "";
    /// <summary>Node id.</summary>
    public string NodeId { get; set; } = "";
    /// <summary>Activity type.</summary>
    public string ActivityType { get; set; } = "";
    /// <summary>Activity type version.</summary>
    public int ActivityTypeVersion { get; set; }
    /// <summary>Activity name.</summary>
    public string? ActivityName { get; set; }
    /// <summary>Event.</summary>
    public string EventName { get; set; } = "";
    /// <summary>Actor.</summary>
    public string? Actor { get; set; }
    /// <summary>Message.</summary>
    public string? Message { get; set; }
    /// <summary>Payload JSON.</summary>
    public string? PayloadJson { get; set; }
    /// <summary>Previous hash.</summary>
    public string PreviousHash { get; set; } = "";
    /// <summary>Hash.</summary>
    public string Hash { get; set; } = "";
    /// <summary>The hash's algorithm (SM3; SHA-256 for rows written before SM3).</summary>
    public string Algorithm { get; set; } = Workflows.Runtime.JournalAlgorithms.Sm3;

    /// <summary>The row of an engine journal record.</summary>
    public static JournalEntry From(Workflows.Runtime.JournalRecord r) => new()
    {
        InstanceId = r.WorkflowInstanceId, Sequence = r.Sequence, Timestamp = r.Timestamp, ActivityInstanceId = r.ActivityInstanceId, ParentActivityInstanceId = r.ParentActivityInstanceId,
        ActivityId = r.ActivityId, NodeId = r.NodeId, ActivityType = r.ActivityType, ActivityTypeVersion = r.ActivityTypeVersion, ActivityName = r.ActivityName,
        EventName = r.EventName, Actor = r.Actor, Message = r.Message, PayloadJson = r.Payload?.ToJsonString(), PreviousHash = r.PreviousHash, Hash = r.Hash, Algorithm = r.Algorithm
    };

    /// <summary>The engine record of this row (to verify the chain).</summary>
    public Workflows.Runtime.JournalRecord ToRecord() => new()
    {
        Sequence = Sequence, Timestamp = Timestamp, WorkflowInstanceId = InstanceId, ActivityInstanceId = ActivityInstanceId, ParentActivityInstanceId = ParentActivityInstanceId,
        ActivityId = ActivityId, NodeId = NodeId, ActivityType = ActivityType, ActivityTypeVersion = ActivityTypeVersion, ActivityName = ActivityName,
        EventName = EventName, Actor = Actor, Message = Message, Payload = PayloadJson is null ? null : System.Text.Json.Nodes.JsonNode.Parse(PayloadJson), PreviousHash = PreviousHash, Hash = Hash, Algorithm = Algorithm
    };
}

/// <summary>An SM2 signature over an instance's journal head after a step (see <see cref="Workflows.Runtime.JournalCheckpoint"/>).</summary>
public sealed class JournalCheckpointEntry
{
    /// <summary>Instance id.</summary>
    public string InstanceId { get; set; } = "";
    /// <summary>The record signed.</summary>
    public long Sequence { get; set; }
    /// <summary>Its hash.</summary>
    public string Hash { get; set; } = "";
    /// <summary>When signed.</summary>
    public DateTimeOffset SignedAt { get; set; }
    /// <summary>The signing key's id.</summary>
    public string KeyId { get; set; } = "";
    /// <summary>SM2 signature (DER, hex).</summary>
    public string Signature { get; set; } = "";

    /// <summary>The row of a checkpoint.</summary>
    public static JournalCheckpointEntry From(Workflows.Runtime.JournalCheckpoint c) => new()
    {
        InstanceId = c.InstanceId, Sequence = c.Sequence, Hash = c.Hash, SignedAt = c.SignedAt, KeyId = c.KeyId, Signature = c.Signature
    };

    /// <summary>The checkpoint of this row.</summary>
    public Workflows.Runtime.JournalCheckpoint ToCheckpoint() => new(InstanceId, Sequence, Hash, SignedAt, KeyId, Signature);
}

/// <summary>
/// The journal and legacy snapshots of a finished case, moved out of their tables by the retention policy
/// (<c>GovFlow:Retention:ArchiveAfterDays</c>): one row per case holding its records compressed and sealed under the
/// personal data key, so every node and every backup see it. The chain head (in the instance's state) and the signed
/// checkpoints stay where they are, so the archived records verify against them exactly as before.
/// </summary>
public sealed class JournalArchiveRecord
{
    /// <summary>The case.</summary>
    public string CaseId { get; set; } = "";
    /// <summary>The case's own instance, whose chain head and checkpoints vouch for the records.</summary>
    public string InstanceId { get; set; } = "";
    /// <summary>Journal records archived (of every instance of the case).</summary>
    public int Records { get; set; }
    /// <summary>The first sequence of the case's own instance in the archive.</summary>
    public long FirstSequence { get; set; }
    /// <summary>The last sequence of the case's own instance in the archive.</summary>
    public long LastSequence { get; set; }
    /// <summary>Legacy case snapshots archived.</summary>
    public int Snapshots { get; set; }
    /// <summary>SM3 (hex) of the clear archive content, before compression and sealing.</summary>
    public string Digest { get; set; } = "";
    /// <summary>The content: JSON, Brotli-compressed, then SM4-sealed like other personal data (see <see cref="KeyVersion"/>).</summary>
    public byte[] Content { get; set; } = [];
    /// <summary>The SM4 key version that sealed <see cref="Content"/>; null when stored without a key.</summary>
    public string? KeyVersion { get; set; }
    /// <summary>When archived.</summary>
    public DateTimeOffset ArchivedAt { get; set; }
}

/// <summary>
/// One reveal of an applicant's full personal data on a case page: who, when and why. Auditors read them; nothing
/// changes or deletes them.
/// </summary>
public sealed class PersonalDataReveal
{
    /// <summary>Id.</summary>
    public string Id { get; set; } = "";
    /// <summary>The case.</summary>
    public string CaseId { get; set; } = "";
    /// <summary>Its number.</summary>
    public string CaseNumber { get; set; } = "";
    /// <summary>Who saw it.</summary>
    public string UserName { get; set; } = "";
    /// <summary>In which role.</summary>
    public string Role { get; set; } = "";
    /// <summary>Why (a reason picked or typed).</summary>
    public string Reason { get; set; } = "";
    /// <summary>When.</summary>
    public DateTimeOffset At { get; set; }
}

/// <summary>A case (办件).</summary>
public sealed class CaseRecord
{
    /// <summary>Case id.</summary>
    public string Id { get; set; } = "";
    /// <summary>Case number.</summary>
    public string CaseNumber { get; set; } = "";
    /// <summary>Matter code.</summary>
    public string MatterCode { get; set; } = "";
    /// <summary>Matter name.</summary>
    public string MatterName { get; set; } = "";
    /// <summary>Implementing department.</summary>
    public string Department { get; set; } = "";
    /// <summary>Applicant name.</summary>
    public string ApplicantName { get; set; } = "";
    /// <summary>111 or 001.</summary>
    public string ApplicantIdType { get; set; } = "111";
    /// <summary>ID number or credit code (encrypted at rest).</summary>
    public string ApplicantIdNumber { get; set; } = "";
    /// <summary>Phone (encrypted at rest).</summary>
    public string? ApplicantPhone { get; set; }
    /// <summary>Address (encrypted at rest).</summary>
    public string? ApplicantAddress { get; set; }
    /// <summary>The ID number's blind index (keyed SM3), which lookups by ID number use; filled on every write.</summary>
    public string? ApplicantIdIndex { get; set; }
    /// <summary>The phone's blind index, which lookups by phone use; filled on every write.</summary>
    public string? ApplicantPhoneIndex { get; set; }
    /// <summary>Channel.</summary>
    public string Channel { get; set; } = "window";
    /// <summary>The hall (the accepting clerk's department) that took the application; its clerks see the case.</summary>
    public string? Hall { get; set; }
    /// <summary>Received.</summary>
    public DateTimeOffset ReceivedAt { get; set; }
    /// <summary>Accepted.</summary>
    public DateTimeOffset? AcceptedAt { get; set; }
    /// <summary>Promised due.</summary>
    public DateTimeOffset? PromisedDue { get; set; }
    /// <summary>Statutory due.</summary>
    public DateTimeOffset? StatutoryDue { get; set; }
    /// <summary>Completed.</summary>
    public DateTimeOffset? CompletedAt { get; set; }
    /// <summary>Status.</summary>
    public string Status { get; set; } = "Received";
    /// <summary>Warning light.</summary>
    public string WarningLevel { get; set; } = "Green";
    /// <summary>Workflow instance.</summary>
    public string InstanceId { get; set; } = "";
    /// <summary>Whether the applicant broke a tolerance commitment in this case (credit record).</summary>
    public bool BrokenCommitment { get; set; }
    /// <summary>From when the case's light is yellow: its matter's yellow working days before the promised date.</summary>
    public DateTimeOffset? YellowFrom { get; set; }
    /// <summary>The case file JSON (checklist, pauses, decisions, waybill, rating...).</summary>
    public string CaseFileJson { get; set; } = "{}";
    /// <summary>Concurrency token.</summary>
    public string Stamp { get; set; } = "";
    /// <summary>The priority kind (绿色通道, see <see cref="GovFlow.Host.Priority.PriorityKinds"/>) the applicant was registered for on the day of receipt; null for ordinary cases.</summary>
    public string? Priority { get; set; }
    /// <summary>The bundle case (一件事一次办) this case is a member of, started by the bundle's flow; null for a case applied for on its own.</summary>
    public string? ParentCaseId { get; set; }
    /// <summary>The China date received, as days since 1970-01-01: the day the metrics count the case under.</summary>
    public int ReceivedDay { get; set; }
    /// <summary>办件类型 from the catalog when the case last moved: 1 即办件, 2 承诺件.</summary>
    public string? CaseType { get; set; }
    /// <summary>Working days from acceptance to completion, pauses not counted (<see cref="GovFlow.Host.Api.Metrics.HandlingWorkingDays"/>); null until completed.</summary>
    public double? HandlingWorkingDays { get; set; }
    /// <summary>Visits in person the case took (<see cref="GovFlow.Host.Api.Metrics.VisitsOf"/>); null until completed.</summary>
    public int? Visits { get; set; }
    /// <summary>Completed on a China date before the promised one.</summary>
    public bool CompletedEarly { get; set; }
    /// <summary>The applicant's rating, 1 (very satisfied) to 5; null until rated.</summary>
    public int? RatingLevel { get; set; }
    /// <summary>A bad rating (4, 5) whose rectification is closed.</summary>
    public bool BadRatingRectified { get; set; }
    /// <summary>When the case last moved and its metric facts were set; null for a row whose facts are not filled in yet.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }
}

/// <summary>
/// The additive sums of the metrics over the cases received on one China day, of one matter, department and case
/// type, as the rollup refresher last computed them from the cases.
/// </summary>
public sealed class MetricDayRecord
{
    /// <summary>Row id (time-ordered, so a refresh appends to the key's index).</summary>
    public string Id { get; set; } = "";
    /// <summary>The China date received, as days since 1970-01-01.</summary>
    public int Day { get; set; }
    /// <summary>Matter code.</summary>
    public string MatterCode { get; set; } = "";
    /// <summary>Matter name.</summary>
    public string MatterName { get; set; } = "";
    /// <summary>Implementing department.</summary>
    public string Department { get; set; } = "";
    /// <summary>1 即办件, 2 承诺件.</summary>
    public string CaseType { get; set; } = "2";
    /// <summary>Cases received.</summary>
    public int Received { get; set; }
    /// <summary>Accepted (受理).</summary>
    public int Accepted { get; set; }
    /// <summary>Completed with a completion moment: what the rates count.</summary>
    public int Completed { get; set; }
    /// <summary>In a completed status: what the volumes by matter, department and week count.</summary>
    public int Finished { get; set; }
    /// <summary>Refused.</summary>
    public int Refused { get; set; }
    /// <summary>Not accepted.</summary>
    public int NotAccepted { get; set; }
    /// <summary>Withdrawn.</summary>
    public int Withdrawn { get; set; }
    /// <summary>Neither finished nor refused, not accepted or withdrawn.</summary>
    public int InProgress { get; set; }
    /// <summary>Completed with a promised date.</summary>
    public int Timed { get; set; }
    /// <summary>Of those, finished by the promised date.</summary>
    public int OnTime { get; set; }
    /// <summary>Of those, finished on a day before the promised one.</summary>
    public int Early { get; set; }
    /// <summary>Of those, finished after the promised date.</summary>
    public int Overdue { get; set; }
    /// <summary>Sum of the completed cases' handling working days.</summary>
    public double HandlingDays { get; set; }
    /// <summary>Completed cases with handling working days.</summary>
    public int Handled { get; set; }
    /// <summary>Ratings of level 1.</summary>
    public int Rated1 { get; set; }
    /// <summary>Ratings of level 2.</summary>
    public int Rated2 { get; set; }
    /// <summary>Ratings of level 3.</summary>
    public int Rated3 { get; set; }
    /// <summary>Ratings of level 4.</summary>
    public int Rated4 { get; set; }
    /// <summary>Ratings of level 5.</summary>
    public int Rated5 { get; set; }
    /// <summary>Bad ratings whose rectification is closed.</summary>
    public int BadRectified { get; set; }
    /// <summary>Completed cases that took at most one visit in person.</summary>
    public int AtMostOneVisit { get; set; }
}

/// <summary>How far the metric rollups are refreshed: the one row the refresher moves on, on whichever node it runs.</summary>
public sealed class MetricRefreshRecord
{
    /// <summary>The id of the one row there is.</summary>
    public const int Only = 1;
    /// <summary>Always <see cref="Only"/>.</summary>
    public int Id { get; set; } = Only;
    /// <summary>The days of every case that moved at or before this moment have their rollup rows.</summary>
    public DateTimeOffset Watermark { get; set; }
    /// <summary>When the refresher last moved it.</summary>
    public DateTimeOffset RefreshedAt { get; set; }
    /// <summary>Concurrency token: two nodes refreshing at once, one wins.</summary>
    public string Stamp { get; set; } = "";
}

/// <summary>A remembered response to an idempotent request.</summary>
public sealed class IdempotencyRecord
{
    /// <summary>Scope and key.</summary>
    public string Key { get; set; } = "";
    /// <summary>Status code returned.</summary>
    public int StatusCode { get; set; }
    /// <summary>Response JSON.</summary>
    public string ResponseJson { get; set; } = "";
    /// <summary>When.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// The row key of a case submission's Idempotency-Key: scoped to the caller, so one clerk reusing another's key
    /// gets a case of their own, never the other's answer.
    /// </summary>
    public static string ForCase(string actor, string idempotencyKey) => $"case:{actor}:{idempotencyKey}";
}

/// <summary>A user of GovFlow.</summary>
public sealed class UserRecord
{
    /// <summary>Login name.</summary>
    public string UserName { get; set; } = "";
    /// <summary>PBKDF2 hash (pbkdf2-sha256$iterations$salt$hash).</summary>
    public string PasswordHash { get; set; } = "";
    /// <summary>policy, window, reviewer, auditor or applicant.</summary>
    public string Role { get; set; } = "";
    /// <summary>Department (window hall or reviewing department).</summary>
    public string? Department { get; set; }
    /// <summary>
    /// Roles held besides <see cref="Role"/>, comma-separated: a clerk who also audits, a head who also designs matters.
    /// Only roles without a department's inbox (policy, auditor, admin); the post (<see cref="Role"/>) routes tasks.
    /// </summary>
    public string? OtherRoles { get; set; }

    /// <summary>The post and every other role held.</summary>
    public IReadOnlyList<string> AllRoles() => [Role, .. Security.Roles.Parse(OtherRoles)];
    /// <summary>Display name.</summary>
    public string DisplayName { get; set; } = "";
    /// <summary>For applicants: their ID number (encrypted at rest), which links them to their cases.</summary>
    public string? IdNumber { get; set; }
    /// <summary>The ID number's blind index: the applicant's cases are those with this <see cref="CaseRecord.ApplicantIdIndex"/>.</summary>
    public string? IdNumberIndex { get; set; }
    /// <summary>
    /// For applicants authorised as an enterprise's staff (企业经办人): the enterprise's unified social credit code
    /// (证件类型 001). They see and open the enterprise's cases as their own.
    /// </summary>
    public string? EnterpriseUscc { get; set; }
    /// <summary>The credit code's blind index, matched against <see cref="CaseRecord.ApplicantIdIndex"/> as the ID number's is.</summary>
    public string? EnterpriseIndex { get; set; }
    /// <summary>Head of the department (科长): may reassign or release any task of it.</summary>
    public bool IsHead { get; set; }
    /// <summary>May sign in (an administrator disables leavers; leaving demo mode disables the demo accounts).</summary>
    public bool Active { get; set; } = true;
    /// <summary>Signed in with a one-time password: nothing but changing it is allowed until it is changed.</summary>
    public bool MustChangePassword { get; set; }
}

/// <summary>A department or a hall (大厅) with windows, as the administrator keeps them.</summary>
public sealed class DepartmentRecord
{
    /// <summary>Id.</summary>
    public string Id { get; set; } = "";
    /// <summary>Its full name, as users, flows and matters name it.</summary>
    public string Name { get; set; } = "";
    /// <summary>统一社会信用代码.</summary>
    public string? Uscc { get; set; }
    /// <summary>The department it belongs to.</summary>
    public string? ParentId { get; set; }
    /// <summary>A service hall whose windows accept applications.</summary>
    public bool IsHall { get; set; }
    /// <summary>In use.</summary>
    public bool Active { get; set; } = true;
    /// <summary>行政区划代码 of where it sits (440305): decides which matters its windows may accept (通办).</summary>
    public string? RegionCode { get; set; }
    /// <summary>That region's name (深圳市南山区).</summary>
    public string? RegionName { get; set; }
}

/// <summary>One change an administrator made to people or departments: who, when, what it was and what it became.</summary>
public sealed class AdminChange
{
    /// <summary>Id (time-ordered).</summary>
    public string Id { get; set; } = "";
    /// <summary>When.</summary>
    public DateTimeOffset At { get; set; }
    /// <summary>Who made it.</summary>
    public string Actor { get; set; } = "";
    /// <summary>user or department.</summary>
    public string Entity { get; set; } = "";
    /// <summary>The user name or department id.</summary>
    public string Key { get; set; } = "";
    /// <summary>What was done (created, updated, password-reset, disabled).</summary>
    public string Action { get; set; } = "";
    /// <summary>The row before, as JSON (null when created).</summary>
    public string? Before { get; set; }
    /// <summary>The row after, as JSON.</summary>
    public string? After { get; set; }
}

/// <summary>The case as it stood after a step, for auditors' replay.</summary>
public sealed class CaseSnapshot
{
    /// <summary>Case id.</summary>
    public string CaseId { get; set; } = "";
    /// <summary>The last journal record of the step.</summary>
    public long UpToSequence { get; set; }
    /// <summary>Status then.</summary>
    public string Status { get; set; } = "";
    /// <summary>Case file then.</summary>
    public string CaseFileJson { get; set; } = "{}";
    /// <summary>When.</summary>
    public DateTimeOffset At { get; set; }
}

/// <summary>Failed sign-ins of one user name (existing or not), and its lock.</summary>
public sealed class SignInLock
{
    /// <summary>The user name as typed, trimmed and lower-cased.</summary>
    public string UserName { get; set; } = "";
    /// <summary>Wrong passwords since <see cref="WindowStart"/>.</summary>
    public int Failures { get; set; }
    /// <summary>When the count started.</summary>
    public DateTimeOffset WindowStart { get; set; }
    /// <summary>Locked until then.</summary>
    public DateTimeOffset? LockedUntil { get; set; }
}

/// <summary>A signed-in session: the cookie holds only its id, so signing out ends it on the server.</summary>
public sealed class SessionRecord
{
    /// <summary>The session key (random, 64 hex digits).</summary>
    public string Id { get; set; } = "";
    /// <summary>Whose session.</summary>
    public string UserName { get; set; } = "";
    /// <summary>The authentication ticket (ASP.NET's ticket serialization).</summary>
    public byte[] Ticket { get; set; } = [];
    /// <summary>Started.</summary>
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Ends then unless renewed.</summary>
    public DateTimeOffset ExpiresAt { get; set; }
}
