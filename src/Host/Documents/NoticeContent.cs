using System.Globalization;
using GovFlow.Activities.Calendar;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Matters;
using GovFlow.Activities.Supervision;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;

namespace GovFlow.Host.Documents;

/// <summary>
/// What a notice says, independent of how it is printed: both the A4 HTML page and the PDF are drawn from one
/// content, so the two copies of a notice never say different things.
/// </summary>
/// <param name="Title">The notice's title (受理通知书...).</param>
/// <param name="Reference">Its reference number (文号), made from the hall and the case number.</param>
/// <param name="Addressee">The applicant the notice is addressed to.</param>
/// <param name="Facts">The case's particulars: case number, applicant (ID masked), matter, hall, dates.</param>
/// <param name="Body">The notice's text: paragraphs and list items.</param>
/// <param name="Issuer">The organ that issues it.</param>
/// <param name="IssuedAt">When.</param>
/// <param name="ProgressUrl">The public progress page the QR code points to.</param>
/// <param name="CaseNumber">The case number, printed beside the QR code for those who type it in.</param>
public sealed record NoticeContent(string Title, string Reference, string Addressee, IReadOnlyList<NoticeFact> Facts, IReadOnlyList<NoticeBlock> Body,
    string Issuer, DateTimeOffset IssuedAt, string ProgressUrl, string CaseNumber);

/// <summary>A labelled particular of a notice (办件编号: …).</summary>
public sealed record NoticeFact(string Label, string Value);

/// <summary>A paragraph of a notice's text, or (<paramref name="Item"/>) an entry of a numbered list.</summary>
public sealed record NoticeBlock(string Text, bool Item = false);

/// <summary>Writes the text of each kind of notice from the case, its case file and its matter.</summary>
public static class NoticeWriter
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The content of <paramref name="due"/> for the case as it stands after the step that made it due.</summary>
    public static NoticeContent Write(NoticeDue due, CaseRecord record, CaseFile file, ServiceMatter? matter, WorkingCalendar calendar, DocumentOptions options, DateTimeOffset now)
    {
        var hall = record.Hall ?? matter?.Department ?? record.Department;
        var department = matter?.Department ?? record.Department;
        var notice = file.ApplicantNotices.ElementAtOrDefault(due.Index);
        var title = NoticeKinds.Title(due.Kind, matter, notice?.Kind);
        var facts = new List<NoticeFact>
        {
            new("办件编号", record.CaseNumber),
            new("申请人", record.ApplicantName),
            new(record.ApplicantIdType == "001" ? "统一社会信用代码" : "证件号码", PersonalData.MaskIdNumber(record.ApplicantIdType, record.ApplicantIdNumber)),
            new("申请事项", record.MatterName),
            new("办理部门", department),
            new("受理窗口", hall),
            new("收件时间", Moment(record.ReceivedAt))
        };
        var body = due.Kind switch
        {
            NoticeKinds.Receipt => Receipt(record, file),
            NoticeKinds.Acceptance => Acceptance(record, file, matter, calendar, now),
            NoticeKinds.Correction => Correction(file, matter, calendar, hall, due.Index),
            NoticeKinds.NotAccepted => NotAccepted(file, matter, options, department),
            NoticeKinds.Tolerance => Tolerance(file, matter),
            NoticeKinds.Extension or NoticeKinds.SpecialProcedure => ClockNotice(notice),
            NoticeKinds.Approval => Approval(file, matter, record),
            NoticeKinds.Refusal => Refusal(file, matter, options, department),
            NoticeKinds.Delivery => Delivery(file, matter),
            _ => []
        };
        var progress = $"{options.PublicUrl.TrimEnd('/')}/progress?caseNumber={Uri.EscapeDataString(record.CaseNumber)}";
        var reference = $"{department}〔{ChinaTime.Date(now).Year}〕{record.CaseNumber}号";
        // The organ issues every notice under its seal; the hall that took the application is among the particulars.
        return new NoticeContent(title, reference, record.ApplicantName + "：", facts, body, department, now, progress, record.CaseNumber);
    }

    private static List<NoticeBlock> Receipt(CaseRecord record, CaseFile file) =>
    [
        new($"您于{Moment(record.ReceivedAt)}提交的{record.MatterName}申请及下列材料已收到。本回执仅证明收到申请材料，不代表已受理。"),
        .. Materials(file),
        new("受理机关将自收到申请材料之日起五个工作日内作出是否受理的决定；逾期不告知的，自收到申请材料之日起即为受理（《中华人民共和国行政许可法》第三十二条）。")
    ];

    private static List<NoticeBlock> Acceptance(CaseRecord record, CaseFile file, ServiceMatter? matter, WorkingCalendar calendar, DateTimeOffset now)
    {
        // Counted here: the case row's due dates are those of the step before.
        var promised = matter is null ? null : CaseClock.DueDates(calendar, record.ReceivedAt, null, matter, file.Pauses, file.Extensions, now, file.Priority is not null).Promised;
        return
        [
            new($"您申请的{record.MatterName}，经审查，申请材料齐全、符合法定形式，本机关决定予以受理，受理时间为{Moment(file.AcceptedAt ?? now)}。"),
            .. Materials(file),
            new(promised is { } p ? $"本机关承诺于{Day(p)}前办结（承诺时限不含补正、听证、检验检测、专家评审等特别程序所需时间）。" : "本机关将在法定时限内作出决定。")
        ];
    }

    private static List<NoticeBlock> Correction(CaseFile file, ServiceMatter? matter, WorkingCalendar calendar, string hall, int index)
    {
        var notice = file.Corrections.ElementAtOrDefault(index) ?? new CorrectionNotice();
        // The applicant's time runs from the first notice (a later, partial supply does not give it again).
        var first = file.Corrections.FirstOrDefault()?.NotifiedAt ?? notice.NotifiedAt;
        var (deadline, limit) = CorrectionDeadline(calendar, first, matter);
        var lines = new List<NoticeBlock> { new($"您提交的申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》第三十二条，现一次性告知您需要补正的全部内容如下：") };
        foreach (var name in notice.Materials)
        {
            var material = matter?.Materials.FirstOrDefault(m => m.Name == name);
            var copies = material is null ? "" : string.Join("，", new[] { material.Originals > 0 ? $"原件{material.Originals}份" : null, material.Copies > 0 ? $"复印件{material.Copies}份" : null }.OfType<string>());
            var issuing = material?.IssuingBody is { Length: > 0 } body ? $"，由{body}出具" : "";
            lines.Add(new NoticeBlock($"{name}{(copies.Length > 0 ? "（" + copies + "）" : "")}{issuing}", Item: true));
        }
        lines.Add(new($"请于{Day(deadline)}前（自首次告知之日起{limit}个工作日内）将上述材料一次补齐，可携带至{(hall.EndsWith("窗口") ? hall : hall + "窗口")}提交，或通过网上办事大厅上传；办理期间暂停计时，补齐之日起恢复。"));
        lines.Add(new("逾期未补正的，视为您撤回申请。除上述材料外，本机关不再要求您补正其他材料。"));
        return lines;
    }

    private static List<NoticeBlock> NotAccepted(CaseFile file, ServiceMatter? matter, DocumentOptions options, string department) =>
    [
        new($"您申请的{matter?.Name ?? "事项"}，经审查，本机关决定不予受理。"),
        new("理由：" + Reasons(file, "NotAccepted", "不符合受理条件")),
        new("依据：" + (matter?.LegalBasis is { Length: > 0 } basis ? basis + "；" : "") + "《中华人民共和国行政许可法》第三十二条。"),
        Remedies(options, department)
    ];

    private static List<NoticeBlock> Tolerance(CaseFile file, ServiceMatter? matter)
    {
        var tolerance = file.Tolerance ?? new ToleranceRecord();
        var lines = new List<NoticeBlock> { new($"您申请的{matter?.Name ?? "事项"}，主要申请材料齐全，下列次要材料暂缺，经您书面承诺，本机关予以容缺受理：") };
        lines.AddRange((tolerance.Missing ?? []).Select(m => new NoticeBlock(m, Item: true)));
        lines.Add(new($"您承诺于{(tolerance.Deadline is { } d ? Day(d) : "（待定）")}前补齐上述材料。"));
        lines.Add(new(tolerance.OnExpiry == "suspend"
            ? "逾期未补齐的，本机关中止办理，并记录您的失信承诺。"
            : "逾期未补齐的，本机关终止办理，已作出的决定依法撤销，并记录您的失信承诺。"));
        lines.Add(new("申请人（签字）：____________    日期：____________"));
        return lines;
    }

    private static List<NoticeBlock> ClockNotice(ApplicantNotice? notice) =>
        [new(notice?.Text ?? ""), new("计时变化以本告知书为准，您可扫描下方二维码随时查询办理进度。")];

    private static List<NoticeBlock> Approval(CaseFile file, ServiceMatter? matter, CaseRecord record)
    {
        var verb = NoticeKinds.DecisionVerb(matter);
        var result = file.Result;
        var lines = new List<NoticeBlock> { new($"您申请的{record.MatterName}，经审查，符合法定条件，本机关决定准予{verb}。") };
        if (matter?.Result?.Name is { } name) lines.Add(new($"办理结果：{name}{(result?.Number is { } n ? "，编号 " + n : "")}。"));
        if (file.Tolerance is { Supplied: true }) lines.Add(new("本件为容缺受理，承诺补交的材料已补齐。"));
        if (matter?.LegalBasis is { Length: > 0 } basis) lines.Add(new("依据：" + basis + "。"));
        lines.Add(new(file.Waybill is not null ? "办理结果将通过邮政EMS寄递至您登记的地址。" : "请凭本决定书及身份证件到窗口领取办理结果。"));
        return lines;
    }

    private static List<NoticeBlock> Refusal(CaseFile file, ServiceMatter? matter, DocumentOptions options, string department) =>
        NoticeKinds.IsProof(matter) ? NotIssued(file, matter!, options, department) :
    [
        new($"您申请的{matter?.Name ?? "事项"}，经审查，本机关决定不予{NoticeKinds.DecisionVerb(matter)}。"),
        new("理由：" + Reasons(file, null, "不符合法定条件")),
        new("依据：" + (matter?.LegalBasis is { Length: > 0 } basis ? basis + "；" : "") + "《中华人民共和国行政许可法》第三十八条。"),
        Remedies(options, department)
    ];

    // A proof is not a licence: the notice says what the check found and on which rule, without 《行政许可法》.
    private static List<NoticeBlock> NotIssued(CaseFile file, ServiceMatter matter, DocumentOptions options, string department) =>
    [
        new($"您申请的{matter.Name}，经查询核实，本机关不予出具{matter.Result!.Name}。"),
        new("理由：" + Reasons(file, null, "经查询，申请人不符合出具条件")),
        new("依据：" + (matter.LegalBasis is { Length: > 0 } basis ? basis : "相关规定") + "。"),
        new("您对查询结果有异议的，可以向本机关提出复核申请。"),
        Remedies(options, department)
    ];

    private static List<NoticeBlock> Delivery(CaseFile file, ServiceMatter? matter)
    {
        var waybill = file.Waybill ?? new WaybillRecord();
        var delivered = waybill.History.LastOrDefault(h => h.Status == "delivered")?.At;
        return
        [
            new($"送达文书：{NoticeKinds.Title(file.Status == CaseStatus.Refused ? NoticeKinds.Refusal : NoticeKinds.Approval, matter)}{(waybill.Item is { Length: > 0 } item ? "及" + item : "")}"),
            new("送达方式：邮政EMS寄递"),
            new($"邮件号码：{waybill.Number ?? "—"}"),
            new($"送达地址：{PersonalData.MaskAddress(waybill.Address) ?? "—"}"),
            new($"送达时间：{(delivered is { } at ? Moment(at) : "—")}"),
            new("受送达人（签收）：____________    送达人：____________")
        ];
    }

    /// <summary>When a correction's materials are due: the matter's correction limit (20 working days unless set) from the first notice.</summary>
    internal static (DateTimeOffset Deadline, int WorkingDays) CorrectionDeadline(WorkingCalendar calendar, DateTimeOffset firstNotice, ServiceMatter? matter)
    {
        var limit = (int)(matter?.CorrectionLimit ?? new TimeLimit(20, TimeUnit.WD)).InWorkingDays();
        return (ChinaTime.EndOfWorkingDays(calendar, firstNotice, limit), limit);
    }

    // The right to administrative review (《行政复议法》第二十条: 60 days) and to litigation (《行政诉讼法》第四十六条: 6 months).
    private static NoticeBlock Remedies(DocumentOptions options, string department) =>
        new($"如不服本决定，可以自收到本决定书之日起六十日内向{options.ReviewBody(department)}申请行政复议，或者自收到本决定书之日起六个月内向{options.Court}提起行政诉讼。");

    // The opinion of the step that decided: the last refusal (or a not-accepted step), else the last opinion given.
    internal static string Reasons(CaseFile file, string? action, string fallback)
    {
        var steps = file.Steps;
        var decided = action is not null
            ? steps.LastOrDefault(s => s.Action == action)
            : steps.LastOrDefault(s => s.Action is "reject" or "disagree" or "Rejected" && !string.IsNullOrWhiteSpace(s.Opinion) && s.Opinion != "不予办结");
        return decided?.Opinion is { Length: > 0 } opinion ? opinion : fallback;
    }

    private static IEnumerable<NoticeBlock> Materials(CaseFile file)
    {
        var lines = file.Checklist.Where(m => m.Applies && m.SatisfiedBy is not null).ToList();
        if (lines.Count == 0) yield break;
        yield return new NoticeBlock("已收材料：");
        foreach (var m in lines) yield return new NoticeBlock(m.Name + m.SatisfiedBy switch { "certificate" => "（电子证照）", "upload" => "（网上提交）", _ => "" }, Item: true);
    }

    /// <summary>A day as printed on notices (2026年3月2日), China time.</summary>
    public static string Day(DateTimeOffset at) => ChinaTime.Date(at).ToString("yyyy年M月d日", Invariant);

    private static string Moment(DateTimeOffset at) => ChinaTime.Local(at).ToString("yyyy年M月d日 HH:mm", Invariant);
}
