using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace GovFlow.Workflows.Runtime;

/// <summary>
/// Everything needed to resume a workflow instance in another process: status, memory, running
/// executions, queued work, bookmarks, incidents and the journal's chain head. Plain JSON-friendly data.
/// </summary>
public sealed class WorkflowState
{
    /// <summary>Instance id.</summary>
    public string Id { get; set; } = "";

    /// <summary>Definition id.</summary>
    public string DefinitionId { get; set; } = "";

    /// <summary>The definition version id the instance is pinned to.</summary>
    public string DefinitionVersionId { get; set; } = "";

    /// <summary>The definition version number the instance is pinned to.</summary>
    public int DefinitionVersion { get; set; }

    /// <summary>Correlation id.</summary>
    public string? CorrelationId { get; set; }

    /// <summary>Instance name.</summary>
    public string? Name { get; set; }

    /// <summary>Main status.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<WorkflowStatus>))]
    public WorkflowStatus Status { get; set; }

    /// <summary>Sub-status.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<WorkflowSubStatus>))]
    public WorkflowSubStatus SubStatus { get; set; }

    /// <summary>Input.</summary>
    public JsonObject Input { get; set; } = [];

    /// <summary>Output.</summary>
    public JsonObject Output { get; set; } = [];

    /// <summary>Instance properties.</summary>
    public JsonObject Properties { get; set; } = [];

    /// <summary>Workflow-level variables.</summary>
    public List<VariableState> Variables { get; set; } = [];

    /// <summary>Open bookmarks.</summary>
    public List<Bookmark> Bookmarks { get; set; } = [];

    /// <summary>Incidents.</summary>
    public List<Incident> Incidents { get; set; } = [];

    /// <summary>Running activity executions, parents before children.</summary>
    public List<ActivityContextState> Contexts { get; set; } = [];

    /// <summary>Queued work.</summary>
    public List<WorkItemState> Queue { get; set; } = [];

    /// <summary>Activity outputs: node id → name → value.</summary>
    public JsonObject ActivityOutputs { get; set; } = [];

    /// <summary>Sequence of the newest journal record.</summary>
    public long JournalSequence { get; set; }

    /// <summary>Hash of the newest journal record.</summary>
    public string JournalHash { get; set; } = "";

    /// <summary>Next id counter.</summary>
    public long NextId { get; set; }

    /// <summary>When the instance was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When it finished.</summary>
    public DateTimeOffset? FinishedAt { get; set; }

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>Serializes the state to JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Options);

    /// <summary>Reads state written by <see cref="ToJson"/>.</summary>
    public static WorkflowState FromJson(string json) => JsonSerializer.Deserialize<WorkflowState>(json, Options)
        ?? throw new JsonException("Workflow state JSON is empty.");
}

/// <summary>A variable and its value.</summary>
public sealed class VariableState
{
    /// <summary>Id.</summary>
    public string Id { get; set; } = "";

    /// <summary>Name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Type alias.</summary>
    public string TypeName { get; set; } = "Object";

    /// <summary>Whether it is an array.</summary>
    public bool IsArray { get; set; }

    /// <summary>Value.</summary>
    public JsonNode? Value { get; set; }
}

/// <summary>A running activity execution.</summary>
public sealed class ActivityContextState
{
    /// <summary>Execution id.</summary>
    public string Id { get; set; } = "";

    /// <summary>Runtime node id of the activity.</summary>
    public string NodeId { get; set; } = "";

    /// <summary>Parent execution id.</summary>
    public string? ParentId { get; set; }

    /// <summary>The activity's own state.</summary>
    public JsonNode? State { get; set; }

    /// <summary>Variables declared on it.</summary>
    public List<VariableState> Variables { get; set; } = [];

    /// <summary>Schedule-time input.</summary>
    public JsonObject? ScheduleInput { get; set; }
}

/// <summary>A queued work item.</summary>
public sealed class WorkItemState
{
    /// <summary>Runtime node id of the activity to run.</summary>
    public string NodeId { get; set; } = "";

    /// <summary>Owner execution id.</summary>
    public string? OwnerId { get; set; }

    /// <summary>Schedule-time input.</summary>
    public JsonObject? Input { get; set; }

    /// <summary>Variables to declare.</summary>
    public List<VariableState> Variables { get; set; } = [];
}
