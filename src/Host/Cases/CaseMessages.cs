using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GovFlow.Activities.Calendar;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Matters;
using GovFlow.Activities.Services;
using GovFlow.Activities.Supervision;
using GovFlow.Host.Documents;
using GovFlow.Host.Persistence;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Host.Cases;

/// <summary>
/// The SMS texts the host sends the applicant at each stage of a case, as templates with placeholders. The defaults
/// live here; policy staff's edits are admin changes (<see cref="Entity"/>), the latest per moment winning.
/// </summary>
public static partial class MessageTemplates
{
    /// <summary>The admin change entity under which edited templates are journaled.</summary>
    public const string Entity = "messageTemplate";

    /// <summary>Dispatch of the result by post (its waybill number); the moments with a notice are <see cref="NoticeKinds"/>.</summary>
    public const string Dispatch = "dispatch";

    /// <summary>The reminder before a tolerance deadline (容缺补齐提醒) while materials are still owed.</summary>
    public const string ToleranceReminder = "toleranceReminder";

    /// <summary>The invitation to rate the service (好差评), with where to rate.</summary>
    public const string RatingInvitation = "ratingInvitation";

    /// <summary>The office's feedback on a poor rating's rectification (差评整改反馈): what was done.</summary>
    public const string RectificationFeedback = "rectificationFeedback";

    /// <summary>What each placeholder stands for, in the hall's words, for the staff who edit the texts.</summary>
    public static readonly IReadOnlyDictionary<string, string> PlaceholderNames = new Dictionary<string, string>
    {
        ["caseNumber"] = "办件编号", ["matter"] = "事项名称", ["name"] = "申请人姓名或名称", ["promisedDate"] = "承诺办结日期",
        ["materials"] = "需补交的材料（以顿号分隔）", ["deadline"] = "补交截止日期", ["detail"] = "延期或特别程序的说明",
        ["waybill"] = "寄递运单号", ["link"] = "查询进度和评价的网址", ["resolution"] = "处理方式（整改、解释说明或申诉）",
        ["feedback"] = "整改反馈的内容"
    };

    /// <summary>Sample values a preview fills in, so staff see a whole message before it goes to applicants.</summary>
    public static readonly IReadOnlyDictionary<string, string> SampleValues = new Dictionary<string, string>
    {
        ["caseNumber"] = "44030520260001001", ["matter"] = "高龄津贴申领", ["name"] = "张三", ["promisedDate"] = "2026年12月31日",
        ["materials"] = "户口簿、银行卡", ["deadline"] = "2026年12月18日", ["detail"] = "因需现场核查，办理期限延长5个工作日。",
        ["waybill"] = "SF1234567890", ["link"] = "https://zwfw.example.gov.cn/progress?caseNumber=44030520260001001",
        ["resolution"] = "整改", ["feedback"] = "已对窗口人员进行培训，并缩短了排队时间"
    };

    /// <summary>Each moment's default text and the placeholders it may use.</summary>
    public static readonly IReadOnlyDictionary<string, (string Name, string Text, string[] Placeholders)> Defaults =
        new Dictionary<string, (string, string, string[])>
        {
            [NoticeKinds.Acceptance] = ("受理", "【政务服务】您申请的{matter}（办件编号{caseNumber}）已受理，承诺于{promisedDate}前办结。", ["caseNumber", "matter", "name", "promisedDate"]),
            [NoticeKinds.Correction] = ("补正", "【政务服务】您申请的{matter}（办件编号{caseNumber}）需补正以下材料：{materials}。请于{deadline}前一次补齐，逾期视为撤回申请。", ["caseNumber", "matter", "name", "materials", "deadline"]),
            [NoticeKinds.Extension] = ("延期", "【政务服务】您申请的{matter}（办件编号{caseNumber}）办理期限延长：{detail}", ["caseNumber", "matter", "name", "detail"]),
            [NoticeKinds.SpecialProcedure] = ("特别程序", "【政务服务】您申请的{matter}（办件编号{caseNumber}）{detail}", ["caseNumber", "matter", "name", "detail"]),
            [NoticeKinds.NotAccepted] = ("不予受理", "【政务服务】您申请的{matter}（办件编号{caseNumber}）不予受理，请查阅不予受理决定书。", ["caseNumber", "matter", "name"]),
            [NoticeKinds.Approval] = ("准予", "【政务服务】您申请的{matter}（办件编号{caseNumber}）已办结，准予办理。", ["caseNumber", "matter", "name"]),
            [NoticeKinds.Refusal] = ("不予", "【政务服务】您申请的{matter}（办件编号{caseNumber}）经审查不予办理，理由及救济途径见决定书。", ["caseNumber", "matter", "name"]),
            [Dispatch] = ("寄递", "【政务服务】您申请的{matter}（办件编号{caseNumber}）办理结果已寄出，运单号{waybill}。", ["caseNumber", "matter", "name", "waybill"]),
            [ToleranceReminder] = ("容缺补齐提醒", "【政务服务】您申请的{matter}（办件编号{caseNumber}）容缺受理时承诺后补的材料尚未补齐：{materials}。请于{deadline}前补齐，逾期将按告知承诺处理。", ["caseNumber", "matter", "name", "materials", "deadline"]),
            [RatingInvitation] = ("评价邀请", "【政务服务】您申请的{matter}（办件编号{caseNumber}）已办结，请对本次服务作出评价（非常满意至非常不满意），评价网址：{link}", ["caseNumber", "matter", "name", "link"]),
            [RectificationFeedback] = ("差评整改反馈", "【政务服务】您对{matter}（办件编号{caseNumber}）的评价已处理（{resolution}）：{feedback}。欢迎再次评价：{link}", ["caseNumber", "matter", "name", "resolution", "feedback", "link"]),
        };

    /// <summary>The placeholders a text uses.</summary>
    public static IEnumerable<string> PlaceholdersIn(string text) => Placeholder().Matches(text).Select(m => m.Groups[1].Value);

    /// <summary>What is wrong with <paramref name="text"/> as the template of <paramref name="moment"/> (empty when nothing).</summary>
    public static IReadOnlyList<string> Problems(string moment, string? text)
    {
        if (!Defaults.TryGetValue(moment, out var known)) return [$"没有“{moment}”这一短信环节"];
        if (string.IsNullOrWhiteSpace(text)) return ["短信内容不能为空"];
        if (text.Length > 500) return ["短信内容不能超过500字"];
        var unknown = PlaceholdersIn(text).Where(p => !known.Placeholders.Contains(p)).Distinct().ToList();
        return unknown.Count == 0 ? [] : [$"不能使用占位符{string.Join("、", unknown.Select(p => "{" + p + "}"))}，可用：{string.Join(" ", known.Placeholders.Select(p => "{" + p + "}"))}"];
    }

    /// <summary>The texts in force: each moment's latest edit, else its default.</summary>
    public static Dictionary<string, string> Current(GovFlowDb db)
    {
        var texts = Defaults.ToDictionary(d => d.Key, d => d.Value.Text);
        var edits = db.AdminChanges.Where(c => c.Entity == Entity).OrderBy(c => c.Id).Select(c => new { c.Key, c.After }).ToList();
        foreach (var edit in edits)
            if (texts.ContainsKey(edit.Key) && JsonNode.Parse(edit.After ?? "null")?["text"]?.GetValue<string>() is { } text) texts[edit.Key] = text;
        return texts;
    }

    /// <summary>Fills a template's placeholders; an unknown one stays as written.</summary>
    public static string Fill(string template, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);

    [GeneratedRegex(@"\{([A-Za-z]+)\}")]
    private static partial Regex Placeholder();
}

/// <summary>
/// Stages the applicant's SMS of a step as outbox service calls in the step's own unit of work, one per case and moment
/// under a key of both (the call's id is its idempotency key), so a crash neither loses nor repeats one.
/// </summary>
internal sealed class CaseMessages(WorkingCalendar calendar, OutboxOptions outbox, DocumentOptions documents)
{
    /// <summary>Marks a stored call as the host's own message: no workflow step waits for its reply.</summary>
    public const string HostMessage = "hostMessage";

    /// <summary>Whether a stored service call's payload is a host message.</summary>
    public static bool IsHostMessage(JsonObject payload) => payload[HostMessage]?.GetValue<bool>() == true;

    /// <summary>
    /// Stages the messages of the notices <paramref name="issued"/> in this step and of a waybill new in it; returns
    /// the ids of the staged calls. A decision the matter's flow tells the applicant itself (a GovFlow.Notify step) is
    /// not told twice.
    /// </summary>
    public IReadOnlyList<string> Stage(GovFlowDb db, CaseRecord record, CaseFile? before, WorkflowStep step, ServiceMatter? matter, IEnumerable<JournalRecord> issued, DateTimeOffset now)
    {
        var after = CaseFile.Read(step.State.Properties[CaseFile.PropertyName] as JsonObject ?? []);
        var moments = issued.Select(r => (Key: r.Payload?["key"]?.GetValue<string>() ?? "", Kind: r.Payload?["kind"]?.GetValue<string>() ?? "")).ToList();
        if (after.Waybill?.Number is { Length: > 0 } number && before?.Waybill?.Number != number && CaseStatus.IsFinal(after.Status))
            moments.Add(($"{MessageTemplates.Dispatch}-{number}", MessageTemplates.Dispatch));
        // The moments without a notice show in the case file as a step first sets them.
        if (after.Tolerance?.RemindedAt is not null && before?.Tolerance?.RemindedAt is null && !after.Tolerance.Supplied)
            moments.Add((MessageTemplates.ToleranceReminder, MessageTemplates.ToleranceReminder));
        if (after.Rating?.InvitedAt is not null && before?.Rating?.InvitedAt is null)
            moments.Add((MessageTemplates.RatingInvitation, MessageTemplates.RatingInvitation));
        if (Feedback(after) is not null && Feedback(before) is null)
            moments.Add((MessageTemplates.RectificationFeedback, MessageTemplates.RectificationFeedback));
        var flowNotifies = step.Definition.Root?.Descendants().Any(n => n.Type == "GovFlow.Notify") == true;
        moments.RemoveAll(m => !MessageTemplates.Defaults.ContainsKey(m.Kind)
            || (flowNotifies && m.Kind is NoticeKinds.NotAccepted or NoticeKinds.Approval or NoticeKinds.Refusal));
        var phone = record.ApplicantPhone;
        if (moments.Count == 0 || string.IsNullOrWhiteSpace(phone)) return [];
        var templates = MessageTemplates.Current(db);
        var staged = new List<string>();
        foreach (var (key, kind) in moments)
        {
            var id = $"sms-{record.Id}-{key}";
            if (id.Length > 64) id = $"sms-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(record.Id + key)))[..40]}";
            if (db.Bookmarks.Local.Any(b => b.Id == id) || db.Bookmarks.Find(id) is not null) continue;
            var text = MessageTemplates.Fill(templates[kind], Values(record, after, matter, key, kind, now));
            db.Bookmarks.Add(new BookmarkRecord
            {
                Id = id, InstanceId = record.InstanceId, Name = ServiceCalls.BookmarkName, ActivityId = "",
                DueAt = outbox.DeliverInline ? now + CaseProjection.DeliveryLease : now,
                PayloadJson = new JsonObject
                {
                    ["operation"] = "notify.send", ["request"] = new JsonObject { ["phone"] = phone, ["message"] = text },
                    [HostMessage] = true, ["moment"] = key, ["actor"] = step.Actor
                }.ToJsonString(),
                CreatedAt = now
            });
            staged.Add(id);
        }
        return staged;
    }

    // The rectification's last stage, in which the office tells the applicant what it did.
    private static RectificationStage? Feedback(CaseFile? file) =>
        file?.Rating?.Rectification?.Stages.LastOrDefault(s => s.Stage == "feedback");

    private Dictionary<string, string> Values(CaseRecord record, CaseFile after, ServiceMatter? matter, string key, string kind, DateTimeOffset now)
    {
        var values = new Dictionary<string, string>
        {
            ["caseNumber"] = record.CaseNumber, ["matter"] = matter?.Name ?? record.MatterName, ["name"] = record.ApplicantName,
            ["waybill"] = after.Waybill?.Number ?? "",
            // The public progress page is where the applicant follows the case and rates it.
            ["link"] = $"{documents.PublicUrl.TrimEnd('/')}/progress?caseNumber={Uri.EscapeDataString(record.CaseNumber)}"
        };
        if (kind == MessageTemplates.ToleranceReminder && after.Tolerance is { } tolerance)
        {
            var supplied = after.Supplements.Select(s => s.Material).ToHashSet();
            values["materials"] = string.Join("、", (tolerance.Missing ?? []).Where(m => !supplied.Contains(m)));
            values["deadline"] = tolerance.Deadline is { } d ? NoticeWriter.Day(d) : "";
        }
        if (kind == MessageTemplates.RectificationFeedback && after.Rating?.Rectification is { } rectification)
        {
            var resolution = rectification.Stages.LastOrDefault(s => s.Stage == "resolve")?.Resolution;
            values["resolution"] = resolution switch { "rectify" => "整改", "explain" => "解释说明", "appeal" => "申诉", _ => "处理" };
            values["feedback"] = Feedback(after)?.Note?.Trim().TrimEnd('。') ?? "";
        }
        if (kind == NoticeKinds.Acceptance && matter is not null)
            values["promisedDate"] = CaseClock.DueDates(calendar, record.ReceivedAt, null, matter, after.Pauses, after.Extensions, now, after.Priority is not null).Promised is { } p ? NoticeWriter.Day(p) : "法定时限内";
        var index = int.TryParse(key[(key.LastIndexOf('-') + 1)..], out var n) ? n - 1 : 0;
        if (kind == NoticeKinds.Correction && after.Corrections.ElementAtOrDefault(index) is { } correction)
        {
            values["materials"] = string.Join("、", correction.Materials);
            // The applicant's time runs from the first notice, as the 补正材料通知书 says.
            var first = after.Corrections[0].NotifiedAt;
            var limit = (int)(matter?.CorrectionLimit ?? new TimeLimit(20, TimeUnit.WD)).InWorkingDays();
            values["deadline"] = NoticeWriter.Day(ChinaTime.EndOfWorkingDays(calendar, first, limit));
        }
        if (kind is NoticeKinds.Extension or NoticeKinds.SpecialProcedure && after.ApplicantNotices.ElementAtOrDefault(index) is { } notice)
            values["detail"] = notice.Text;
        return values;
    }
}
