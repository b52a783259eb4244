using System.Text.Json.Nodes;
using GovFlow.Activities.Cases;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Host.Cases;

/// <summary>
/// The case file as it stood after a step, chained into the case's journal as its own record. The replay shows the
/// case from these hashed records, so an auditor never reads a "case as it stood" that someone could have edited
/// without breaking the chain (the replay snapshots written before this record existed were outside it).
/// </summary>
public static class CaseFileRecord
{
    /// <summary>The record's event name.</summary>
    public const string EventName = "CaseFileRecorded";

    /// <summary>The record's activity type, marking it as the host's, not an activity's.</summary>
    public const string ActivityType = "GovFlow.CaseFile";

    /// <summary>
    /// Appends the case file of <paramref name="state"/> after <paramref name="last"/>, the step's last record, and
    /// moves the state's chain head to it (the state is stored after this, with the head that includes it).
    /// </summary>
    public static JournalRecord Seal(WorkflowState state, JournalRecord last)
    {
        var file = state.Properties[CaseFile.PropertyName] as JsonObject ?? [];
        var journal = new Journal(state.JournalSequence, state.JournalHash);
        var sealedRecord = journal.Append(new JournalRecord
        {
            Timestamp = last.Timestamp, WorkflowInstanceId = state.Id, ActivityInstanceId = last.ActivityInstanceId, ActivityId = last.ActivityId,
            NodeId = last.NodeId, ActivityType = ActivityType, EventName = EventName, Actor = last.Actor,
            Payload = new JsonObject { ["status"] = CaseFile.Read(file).Status, ["caseFile"] = file.DeepClone() }
        });
        state.JournalSequence = journal.LastSequence;
        state.JournalHash = journal.LastHash;
        return sealedRecord;
    }

    /// <summary>The status and case file a sealed record holds.</summary>
    public static (string Status, JsonNode? CaseFile) Read(JsonNode? payload) =>
        (payload?["status"]?.GetValue<string>() ?? CaseStatus.Received, payload?["caseFile"]?.DeepClone());
}
