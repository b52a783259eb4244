using System.Text.Json;
using System.Text.Json.Nodes;
using GovFlow.Activities.Calendar;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Tasks;
using GovFlow.Host.Api.Contracts;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;

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
        ChinaTime.IsProvisional(calendar, c.ReceivedAt, c.PromisedDue), ChinaTime.IsProvisional(calendar, c.ReceivedAt, c.StatutoryDue)) { Priority = c.Priority };

    public static CaseView View(CaseRecord c, IReadOnlyList<TaskRecord> open, IReadOnlyList<Waiting> waiting, WarningLights lights, IReadOnlyList<IncidentView> incidents,
        IReadOnlyDictionary<string, IReadOnlyList<OfferedAction>> actions, WorkingCalendar calendar)
    {
        var byId = waiting.ToDictionary(w => w.Id);
        var file = CaseFile.Read(c.CaseFileJson);
        return new CaseView(
            c.Id, c.CaseNumber, c.MatterCode, c.MatterName, c.Department, c.Status, lights.Of(c),
            MaskedApplicant(c),
            c.Channel, c.ReceivedAt, c.AcceptedAt, c.PromisedDue, c.StatutoryDue, c.CompletedAt,
            open.Select(t => Step(t, byId.GetValueOrDefault(t.Id), actions.GetValueOrDefault(t.Id) ?? [], calendar)).ToList(),
            waiting.Select(w => new FlowPosition(w.ActivityId, w.Name)).Distinct().ToList(),
            file.Checklist, file.Pauses, file.Steps, file.Parallel, file.Tolerance,
            [.. file.CertificateUses.Select(MaskHolder)], file.Waybill, file.Rating, file.Result, file.Corrections, incidents,
            ChinaTime.IsProvisional(calendar, c.ReceivedAt, c.PromisedDue), ChinaTime.IsProvisional(calendar, c.ReceivedAt, c.StatutoryDue),
            file.Extensions, file.ApplicantNotices)
        {
            Priority = c.Priority, Hall = c.Hall, HandOver = file.Get(CaseParts.HandOver)
        };
    }

    // Shown as written, with ID and phone numbers masked; the export (for verification) keeps the hashed bytes.
    public static JournalRecordView Journal(JournalEntry e) => new(
        e.Sequence, e.Timestamp, e.ActivityId, e.ActivityType, e.ActivityName, e.EventName, e.Actor, e.Message,
        PersonalData.MaskJson(e.PayloadJson), e.Hash, e.PreviousHash, e.Algorithm);

    /// <summary>The applicant as every view shows it: ID number, phone and address masked.</summary>
    public static CaseApplicant MaskedApplicant(CaseRecord c) => new(c.ApplicantName, c.ApplicantIdType, PersonalData.MaskIdNumber(c.ApplicantIdType, c.ApplicantIdNumber),
        PersonalData.MaskPhone(c.ApplicantPhone), PersonalData.MaskAddress(c.ApplicantAddress));

    /// <summary>The applicant in full, for an audited reveal.</summary>
    public static CaseApplicant FullApplicant(CaseRecord c) => new(c.ApplicantName, c.ApplicantIdType, c.ApplicantIdNumber, c.ApplicantPhone, c.ApplicantAddress);

    private static CertificateUse MaskHolder(CertificateUse use)
    {
        if (use.HolderCode is { } code) use.HolderCode = PersonalData.MaskIdNumber(use.HolderType ?? "111", code);
        use.Data = PersonalData.MaskJson(use.Data);
        return use;
    }

    private static CurrentStep Step(TaskRecord t, Waiting? bookmark, IReadOnlyList<OfferedAction> actions, WorkingCalendar calendar)
    {
        var payload = bookmark?.PayloadJson is { } json ? JsonNode.Parse(json) : null;
        return new CurrentStep(t.Id, t.StepName, t.Department, t.Role, t.Assignee, t.Status, t.DueAt, t.Kind, bookmark?.ActivityId, payload, actions,
            ChinaTime.IsProvisional(calendar, t.CreatedAt, t.DueAt));
    }
}
