using System.Text.Json;
using System.Text.Json.Nodes;
using GovFlow.Activities.Calendar;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Tasks;
using GovFlow.Host.Api.Contracts;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;

namespace GovFlow.Host.Api;

/// <summary>Turns case rows into the API's case contracts.</summary>
internal static class CaseViews
{
    /// <summary>An open bookmark of the case's instance, as the case view reads it.</summary>
    public sealed record Waiting(string Id, string ActivityId, string Name, string? PayloadJson);

    public static CaseCreated Created(JsonObject response) => response.Deserialize<CaseCreated>(JsonSerializerOptions.Web)!;

    public static CaseSummary Summary(CaseRecord c, WarningLights lights, WorkingCalendar calendar) => new(
        c.Id, c.CaseNumber, c.MatterCode, c.MatterName, c.Department, c.ApplicantName, c.Channel, c.ReceivedAt, c.AcceptedAt,
        c.PromisedDue, c.StatutoryDue, c.CompletedAt, c.Status, lights.Of(c),
        ChinaTime.IsProvisional(calendar, c.ReceivedAt, c.PromisedDue), ChinaTime.IsProvisional(calendar, c.ReceivedAt, c.StatutoryDue));

    public static CaseView View(CaseRecord c, IReadOnlyList<TaskRecord> open, IReadOnlyList<Waiting> waiting, WarningLights lights, IReadOnlyList<IncidentRecord> incidents,
        IReadOnlyDictionary<string, IReadOnlyList<OfferedAction>> actions, WorkingCalendar calendar)
    {
        var byId = waiting.ToDictionary(w => w.Id);
        var file = CaseFile.Read(c.CaseFileJson);
        return new CaseView(
            c.Id, c.CaseNumber, c.MatterCode, c.MatterName, c.Department, c.Status, lights.Of(c),
            new CaseApplicant(c.ApplicantName, c.ApplicantIdType, c.ApplicantIdNumber, c.ApplicantPhone, c.ApplicantAddress),
            c.Channel, c.ReceivedAt, c.AcceptedAt, c.PromisedDue, c.StatutoryDue, c.CompletedAt,
            open.Select(t => Step(t, byId.GetValueOrDefault(t.Id), actions.GetValueOrDefault(t.Id) ?? [], calendar)).ToList(),
            waiting.Select(w => new FlowPosition(w.ActivityId, w.Name)).Distinct().ToList(),
            file.Checklist, file.Pauses, file.Steps, file.Parallel, file.Tolerance,
            file.CertificateUses, file.Waybill, file.Rating, file.Result, file.Corrections, incidents.Select(IncidentEndpoints.View).ToList(),
            ChinaTime.IsProvisional(calendar, c.ReceivedAt, c.PromisedDue), ChinaTime.IsProvisional(calendar, c.ReceivedAt, c.StatutoryDue),
            file.Extensions, file.ApplicantNotices);
    }

    public static JournalRecordView Journal(JournalEntry e) => new(
        e.Sequence, e.Timestamp, e.ActivityId, e.ActivityType, e.ActivityName, e.EventName, e.Actor, e.Message,
        e.PayloadJson is null ? null : JsonNode.Parse(e.PayloadJson), e.Hash, e.PreviousHash);

    private static CurrentStep Step(TaskRecord t, Waiting? bookmark, IReadOnlyList<OfferedAction> actions, WorkingCalendar calendar)
    {
        var payload = bookmark?.PayloadJson is { } json ? JsonNode.Parse(json) : null;
        return new CurrentStep(t.Id, t.StepName, t.Department, t.Role, t.Assignee, t.Status, t.DueAt, t.Kind, bookmark?.ActivityId, payload, actions,
            ChinaTime.IsProvisional(calendar, t.CreatedAt, t.DueAt));
    }
}
