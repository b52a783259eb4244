using System.Text.Json.Nodes;
using GovFlow.Activities.Calendar;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Matters;
using GovFlow.Activities.Steps;
using GovFlow.Activities.Tasks;
using GovFlow.Host.Persistence;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Host.Cases;

/// <summary>
/// Moves a case's working-day dates from one calendar to another (a year's notice replacing its provisional days):
/// the promised and statutory due dates, and every open task, deadline and timer that GovFlow's activities counted in
/// working days (a bookmark whose payload carries <c>dueAt</c> or <c>deadline</c>; Elsa's own timers are absolute
/// times and stay). Each is counted again from when it was set, the same number of working days, at the same time of
/// day. The change is one journal record on the case's instance: what moved, from when to when, and why.
/// </summary>
public sealed class CaseRedating(WorkingCalendar before, WorkingCalendar after, string reason)
{
    /// <summary>The journal event of a redating.</summary>
    public const string EventName = "DueDatesRecomputed";

    /// <summary>One date that moved; <paramref name="BookmarkId"/> names the bookmark (and task) it belongs to, if any.</summary>
    public sealed record Move(string What, string? BookmarkId, DateTimeOffset? Old, DateTimeOffset? New);

    /// <summary>The dates that moved, once <see cref="Plan"/> has run.</summary>
    public List<Move> Moves { get; } = [];

    /// <summary>What to change on the instance, or null when nothing moves.</summary>
    public WorkflowAmendment? Plan(WorkflowState state, CaseRecord record, ServiceMatter? matter, DateTimeOffset now)
    {
        Moves.Clear();
        if (matter is not null && record.InstanceId == state.Id)
        {
            var file = CaseFile.Read(state.Properties[CaseFile.PropertyName] as JsonObject ?? []);
            var was = CaseProjection.DueDates(before, record, matter, file, now);
            var will = CaseProjection.DueDates(after, record, matter, file, now);
            if (was.Promised != will.Promised) Moves.Add(new("承诺办结时限", null, was.Promised, will.Promised));
            if (was.Statutory != will.Statutory) Moves.Add(new("法定办结时限", null, was.Statutory, will.Statutory));
        }
        foreach (var b in state.Bookmarks)
        {
            if (DueKey(b) is not { } key || ChinaTime.ParseMoment(b.Payload![key]) is not { } due) continue;
            var moved = Recount(b.CreatedAt, b.DueAt ?? due);
            if (moved != (b.DueAt ?? due)) Moves.Add(new(Name(b), b.Id, b.DueAt ?? due, moved));
        }
        // The reminder before a tolerance deadline is counted back from the deadline as it now stands.
        if (state.Bookmarks.FirstOrDefault(b => b.Name == ToleranceGap.ReminderBookmark) is { DueAt: { } remindAt } reminder
            && state.Bookmarks.FirstOrDefault(b => b.Name == ToleranceGap.DeadlineBookmark)?.DueAt is { } deadline
            && ToleranceGap.ReminderAt(after, Moves.FirstOrDefault(m => m.Old == deadline && m.BookmarkId != null)?.New ?? deadline, matter?.Tolerance?.RemindBeforeWorkingDays ?? 0) is { } remind
            && remind != remindAt && remind > now)
            Moves.Add(new("容缺补齐提醒", reminder.Id, remindAt, remind));
        if (Moves.Count == 0) return null;
        var changes = new JsonArray([.. Moves.Select(m => (JsonNode)new JsonObject { ["what"] = m.What, ["old"] = m.Old?.ToString("O"), ["new"] = m.New?.ToString("O") })]);
        var message = $"{reason}：" + string.Join("；", Moves.Select(m => $"{m.What}由 {Day(m.Old)} 改为 {Day(m.New)}"));
        return new WorkflowAmendment(EventName, new JsonObject { ["reason"] = reason, ["changes"] = changes }, message, Apply);
    }

    // The due moment counted again: as many working days after the day it was set as before, at the same time of day.
    private DateTimeOffset Recount(DateTimeOffset set, DateTimeOffset due)
    {
        var from = ChinaTime.Date(set);
        var days = before.WorkingDaysBetween(from, ChinaTime.Date(due));
        if (days <= 0) return due;
        return ChinaTime.ToMoment(after.AddWorkingDays(from, days).ToDateTime(TimeOnly.FromDateTime(ChinaTime.Local(due))));
    }

    private void Apply(WorkflowExecutionContext context)
    {
        var file = CaseFile.Of(context).Data;
        foreach (var move in Moves.Where(m => m.BookmarkId is not null && m.Old is not null && m.New is not null))
        {
            var b = context.Bookmarks.First(x => x.Id == move.BookmarkId);
            if (b.DueAt is not null) b.DueAt = move.New;
            // A reminder's moment lives only in its timer and payload, not in the case file.
            if (b.Name == ToleranceGap.ReminderBookmark)
            {
                b.Payload!["remindAt"] = move.New!.Value.ToString("O");
                continue;
            }
            b.Payload![DueKey(b)!] = move.New!.Value.ToString("O");
            // The case file keeps the same moment where it shows it (a tolerance or correction deadline).
            Replace(file, move.Old!.Value, move.New.Value);
        }
    }

    private static string? DueKey(Bookmark b) =>
        b.Payload is null ? null : b.Payload.ContainsKey("dueAt") ? "dueAt" : b.Payload.ContainsKey("deadline") ? "deadline" : null;

    private static string Name(Bookmark b) => b.Name switch
    {
        Acceptance.CorrectionDeadlineBookmark => "补正期限",
        ToleranceGap.DeadlineBookmark => "容缺补齐期限",
        ParallelApproval.TimeoutBookmark => "并联答复期限",
        _ => (b.Payload?["stepName"]?.GetValue<string>() ?? TaskContracts.Find(b.Name)?.DefaultStepName ?? b.Name) + "期限"
    };

    private static string Day(DateTimeOffset? at) => at is { } a ? WorkingCalendar.Format(ChinaTime.Date(a)) : "无";

    // Every moment in the case file equal to the old one, however it was written, becomes the new one.
    private static void Replace(JsonNode? node, DateTimeOffset old, DateTimeOffset replacement)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                    if (Is(o[key], old)) o[key] = replacement.ToString("O");
                    else Replace(o[key], old, replacement);
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                    if (Is(a[i], old)) a[i] = replacement.ToString("O");
                    else Replace(a[i], old, replacement);
                break;
        }
    }

    private static bool Is(JsonNode? node, DateTimeOffset moment) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && s.Contains('T') && ChinaTime.ParseMoment(v) == moment;
}
