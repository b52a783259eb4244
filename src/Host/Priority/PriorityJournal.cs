using System.Text.Json.Nodes;
using GovFlow.Activities.Cases;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Host.Priority;

/// <summary>
/// The use of a priority mark, chained into the case's journal in the case's own first commit: which kind, and the
/// reason policy staff gave, so an auditor sees why this case went ahead of others without asking the register
/// (whose entry may since have been changed or revoked).
/// </summary>
public static class PriorityJournal
{
    /// <summary>The record's event name.</summary>
    public const string EventName = "PriorityApplied";

    /// <summary>The record's activity type, marking it as the host's.</summary>
    public const string ActivityType = "GovFlow.Priority";

    /// <summary>The case file's key under which submission records the mark it applied.</summary>
    public const string CaseFileKey = "priority";

    /// <summary>The case file part that records <paramref name="entry"/> (kind, its label, reason, entry id).</summary>
    public static JsonObject Part(PriorityApplicant entry) => new()
    {
        ["kind"] = entry.Kind, ["kindName"] = PriorityKinds.Names.GetValueOrDefault(entry.Kind, entry.Kind), ["reason"] = entry.Reason, ["entryId"] = entry.Id
    };

    /// <summary>
    /// The <see cref="EventName"/> record after <paramref name="last"/> when the state's case file carries a mark
    /// (null otherwise), moving the state's chain head past it.
    /// </summary>
    public static JournalRecord? Applied(WorkflowState state, JournalRecord last)
    {
        if ((state.Properties[CaseFile.PropertyName] as JsonObject)?[CaseFileKey] is not JsonObject mark) return null;
        var journal = new Journal(state.JournalSequence, state.JournalHash);
        var record = journal.Append(new JournalRecord
        {
            Timestamp = last.Timestamp, WorkflowInstanceId = state.Id, ActivityInstanceId = last.ActivityInstanceId, ActivityId = last.ActivityId,
            NodeId = last.NodeId, ActivityType = ActivityType, EventName = EventName, Actor = last.Actor,
            Message = $"按{mark["kindName"]}优先办理：{mark["reason"]}", Payload = (JsonObject)mark.DeepClone()
        });
        state.JournalSequence = journal.LastSequence;
        state.JournalHash = journal.LastHash;
        return record;
    }
}
