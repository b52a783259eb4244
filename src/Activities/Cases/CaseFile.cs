using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using GovFlow.Activities.Supervision;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Activities.Cases;

/// <summary>
/// What the flow records about its case (办件): status, material checklist, pauses, handling steps, parallel
/// decisions, tolerance, certificate uses, result, waybill, rating. Kept in the instance's properties as JSON,
/// so it travels with the workflow state and the host can store it in its own tables after each step; every part
/// is read and written as the record <see cref="CaseParts"/> declares for it.
/// </summary>
public sealed class CaseFile
{
    /// <summary>Property holding the case file.</summary>
    public const string PropertyName = "govflow:case";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
    private readonly WorkflowExecutionContext? _workflow;

    private CaseFile(WorkflowExecutionContext? workflow, JsonObject data)
    {
        _workflow = workflow;
        Data = data;
    }

    /// <summary>The workflow instance; only a case file opened inside a flow has one.</summary>
    public WorkflowExecutionContext Workflow => _workflow ?? throw new InvalidOperationException("This case file was read outside its flow.");

    /// <summary>The stored JSON (what the host keeps and the journal hashes).</summary>
    public JsonObject Data { get; }

    /// <summary>The case file of an instance (created on first use).</summary>
    public static CaseFile Of(WorkflowExecutionContext workflow)
    {
        var raw = workflow.Properties.GetValueOrDefault(PropertyName);
        var data = raw as JsonObject ?? Values.ToJson(raw) as JsonObject ?? new JsonObject { ["status"] = CaseStatus.Received };
        workflow.Properties[PropertyName] = data;
        return new CaseFile(workflow, data);
    }

    /// <summary>A stored case file read outside its flow (the host's projections and views).</summary>
    public static CaseFile Read(JsonObject data) => new(null, data);

    /// <summary>A stored case file read from its JSON text.</summary>
    public static CaseFile Read(string json) => Read(JsonNode.Parse(json) as JsonObject ?? []);

    /// <summary>The case submitted at the start (the workflow input <c>case</c>).</summary>
    public CaseInput Input => CaseInput.From(Workflow);

    /// <summary>Status; moves only along the allowed transitions (<see cref="CaseStatus.Refusal"/>), else the step faults.</summary>
    public string Status
    {
        get => Data["status"]?.GetValue<string>() ?? CaseStatus.Received;
        set
        {
            if (CaseStatus.Refusal(Status, value) is { } refusal) throw new InvalidOperationException(refusal);
            Data["status"] = value;
        }
    }

    /// <summary>When the case was received (接件).</summary>
    public DateTimeOffset? ReceivedAt
    {
        get => ChinaTime.ParseMoment(Data["receivedAt"]);
        set => Data["receivedAt"] = value?.ToString("O");
    }

    /// <summary>When it was accepted (受理); null when it was not.</summary>
    public DateTimeOffset? AcceptedAt
    {
        get => ChinaTime.ParseMoment(Data["acceptedAt"]);
        set => Data["acceptedAt"] = value?.ToString("O");
    }

    /// <summary>When it was decided (办结).</summary>
    public DateTimeOffset? CompletedAt
    {
        get => ChinaTime.ParseMoment(Data["completedAt"]);
        set => Data["completedAt"] = value?.ToString("O");
    }

    /// <summary>
    /// The priority kind (绿色通道) the host found the applicant registered for at submission; null for an ordinary
    /// case. A flagged case counts its promised date from the matter's <see cref="Matters.ServiceMatter.PriorityPromisedLimit"/>.
    /// </summary>
    public string? Priority => Data["priority"]?["kind"]?.GetValue<string>();

    /// <summary>Whether the applicant broke a tolerance commitment (a credit record follows).</summary>
    public bool BrokenCommitment
    {
        get => Data["brokenCommitment"]?.GetValue<bool>() == true;
        set => Data["brokenCommitment"] = value;
    }

    /// <summary>The material checklist.</summary>
    public IReadOnlyList<CaseMaterial> Checklist => Get(CaseParts.Checklist);
    /// <summary>The handling steps.</summary>
    public IReadOnlyList<CaseStep> Steps => Get(CaseParts.Steps);
    /// <summary>The pauses of the clock (补正, special procedures), open ones without an end.</summary>
    public IReadOnlyList<Pause> Pauses => Get(CaseParts.Pauses);
    /// <summary>Materials supplied after acceptance.</summary>
    public IReadOnlyList<MaterialSupplied> Supplements => Get(CaseParts.Supplements);
    /// <summary>The correction notices.</summary>
    public IReadOnlyList<CorrectionNotice> Corrections => Get(CaseParts.Corrections);
    /// <summary>The certificate look-ups.</summary>
    public IReadOnlyList<CertificateUse> CertificateUses => Get(CaseParts.CertificateUses);
    /// <summary>The extensions of the limit.</summary>
    public IReadOnlyList<Extension> Extensions => Get(CaseParts.Extensions);
    /// <summary>What the applicant was told about the clock.</summary>
    public IReadOnlyList<ApplicantNotice> ApplicantNotices => Get(CaseParts.ApplicantNotices);
    /// <summary>The SMS notices.</summary>
    public IReadOnlyList<NoticeSent> Notifications => Get(CaseParts.Notifications);
    /// <summary>The parallel approval, once started.</summary>
    public ParallelRecord? Parallel => Get(CaseParts.Parallel);
    /// <summary>The tolerance, when a material was accepted under it (the case ends as 容缺通过 when approved).</summary>
    public ToleranceRecord? Tolerance => Get(CaseParts.Tolerance);
    /// <summary>The rating, once invited.</summary>
    public RatingRecord? Rating => Get(CaseParts.Rating);
    /// <summary>The waybill, once posting started.</summary>
    public WaybillRecord? Waybill => Get(CaseParts.Waybill);
    /// <summary>The result issued.</summary>
    public IssuedResult? Result => Get(CaseParts.Result);

    /// <summary>A section's record, or null when the case has none.</summary>
    public T? Get<T>(CaseSection<T> section) where T : class, new() =>
        Data[section.Name] is JsonObject o ? o.Deserialize<T>(Json) : null;

    /// <summary>A list's entries (empty when none).</summary>
    public IReadOnlyList<T> Get<T>(CaseList<T> list) =>
        Data[list.Name] is JsonArray a ? a.Deserialize<List<T>>(Json) ?? [] : [];

    /// <summary>Changes a section's record (created when absent) and stores it; returns the record stored.</summary>
    public T Edit<T>(CaseSection<T> section, Action<T> change) where T : class, new()
    {
        var record = Get(section) ?? new T();
        change(record);
        Set(section, record);
        return record;
    }

    /// <summary>Replaces a section's record.</summary>
    public void Set<T>(CaseSection<T> section, T record) where T : class, new() => Data[section.Name] = ToJson(record);

    /// <summary>Appends to a list.</summary>
    public void Add<T>(CaseList<T> list, T entry)
    {
        if (Data[list.Name] is not JsonArray a) Data[list.Name] = a = [];
        a.Add(ToJson(entry));
    }

    /// <summary>Replaces a list.</summary>
    public void Set<T>(CaseList<T> list, IEnumerable<T> entries) => Data[list.Name] = new JsonArray([.. entries.Select(e => ToJson(e))]);

    /// <summary>A record as the JSON the case file (and the journal) keeps.</summary>
    public static JsonNode ToJson<T>(T record) => JsonSerializer.SerializeToNode(record, Json)!;

    /// <summary>A record back from the JSON <see cref="ToJson{T}"/> wrote (a service call's memo, say).</summary>
    public static T FromJson<T>(JsonNode node) => node.Deserialize<T>(Json)!;

    /// <summary>Records a handling step (GB/T 39046 办理过程).</summary>
    public void RecordStep(CaseStep step) => Add(CaseParts.Steps, step);

    /// <summary>Records a handling step: action, step, handler, opinion and times.</summary>
    public void RecordStep(string step, string action, string? handler, string? opinion, DateTimeOffset started, DateTimeOffset ended, string? department = null) =>
        RecordStep(new CaseStep { Step = step, Action = action, Handler = handler, Opinion = opinion, Start = started, End = ended, Department = department });

    /// <summary>Stops the clock (补正 or a special procedure); the day of <paramref name="at"/> is the first day stopped.</summary>
    public void StartPause(PauseKind kind, string reason, string? legalBasis, DateTimeOffset at, int? expectedWorkingDays = null) =>
        Add(CaseParts.Pauses, new Pause { Kind = kind, Start = ChinaTime.Date(at), Reason = reason, LegalBasis = legalBasis, ExpectedWorkingDays = expectedWorkingDays });

    /// <summary>Ends the open pause; the clock restarts the next day.</summary>
    public void EndPause(DateTimeOffset at)
    {
        var pauses = Pauses.ToList();
        foreach (var p in pauses.Where(p => p.End is null)) p.End = ChinaTime.Date(at);
        Set(CaseParts.Pauses, pauses);
    }

    /// <summary>Whether the clock is stopped now.</summary>
    public bool IsPaused => Pauses.Any(p => p.End is null);
}
