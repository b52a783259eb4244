using GovFlow.Activities.Cases;
using GovFlow.Activities.Matters;

namespace GovFlow.Host.Documents;

/// <summary>The kinds of official notice (文书) a case receives, by what happened to it.</summary>
public static class NoticeKinds
{
    /// <summary>收件回执: an application received but not yet decided on (applied online, or waiting for the window's decision).</summary>
    public const string Receipt = "receipt";
    /// <summary>受理通知书.</summary>
    public const string Acceptance = "acceptance";
    /// <summary>补正材料通知书 (一次性告知).</summary>
    public const string Correction = "correction";
    /// <summary>不予受理决定书.</summary>
    public const string NotAccepted = "notAccepted";
    /// <summary>容缺受理告知承诺书.</summary>
    public const string Tolerance = "tolerance";
    /// <summary>延期告知书.</summary>
    public const string Extension = "extension";
    /// <summary>特别程序告知书 (start or end of a hearing, inspection, expert review...).</summary>
    public const string SpecialProcedure = "specialProcedure";
    /// <summary>准予决定书.</summary>
    public const string Approval = "approval";
    /// <summary>不予决定书 (不予许可决定书…), or for a proof 不予出具…通知书.</summary>
    public const string Refusal = "refusal";
    /// <summary>送达回证.</summary>
    public const string Delivery = "delivery";

    /// <summary>
    /// The decision's verb for a matter: 许可 for a licence (行政许可), 出具 for a certificate of proof (证明), 给付 for a
    /// benefit, 确认 for a confirmation, 办理 otherwise; so 无犯罪记录证明 is refused as 不予出具, not 不予许可.
    /// </summary>
    public static string DecisionVerb(ServiceMatter? matter) =>
        IsProof(matter) ? "出具"
        : matter?.Type switch { "01" => "许可", "05" => "给付", "07" => "确认", _ => "办理" };

    /// <summary>Whether the matter's result is a certificate of proof (证明), which is issued or not, never licensed.</summary>
    public static bool IsProof(ServiceMatter? matter) =>
        matter?.Result is { } result && (result.Type == "proof" || result.Name.Contains("证明", StringComparison.Ordinal));

    /// <summary>
    /// The refusal's title: a proof is refused by a 不予出具…通知书 (the 公安机关办理无犯罪记录证明工作规定 has the
    /// office notify the applicant that the proof is not issued; no licence is refused, so no 不予许可决定书).
    /// </summary>
    private static string RefusalTitle(ServiceMatter? matter) =>
        IsProof(matter) ? $"不予出具{matter!.Result!.Name}通知书" : $"不予{DecisionVerb(matter)}决定书";

    /// <summary>The title a notice of <paramref name="kind"/> carries for <paramref name="matter"/>.</summary>
    public static string Title(string kind, ServiceMatter? matter, string? detail = null) => kind switch
    {
        Receipt => "收件回执",
        Acceptance => "受理通知书",
        Correction => "补正材料通知书",
        NotAccepted => "不予受理决定书",
        Tolerance => "容缺受理告知承诺书",
        Extension => "延期告知书",
        SpecialProcedure => detail == "特别程序结束" ? "特别程序结束告知书" : "特别程序告知书",
        Approval => $"准予{DecisionVerb(matter)}决定书",
        Refusal => RefusalTitle(matter),
        Delivery => "送达回证",
        _ => "文书"
    };

    /// <summary>
    /// The notices a case file calls for, each under a key unique in its case (a list's notices are numbered by their
    /// place in it). A step issues the ones its case file calls for and the file before it did not, so each is issued
    /// exactly once, in the step that made it due. <paramref name="awaitingDecision"/>: the application waits for the
    /// window's acceptance decision, which is when a receipt is due (a case merely waiting for a service call is not).
    /// </summary>
    public static IReadOnlyList<NoticeDue> Due(CaseFile file, bool awaitingDecision)
    {
        var due = new List<NoticeDue>();
        var status = file.Status;
        if (awaitingDecision && status == CaseStatus.Received) due.Add(new NoticeDue(Receipt, Receipt));
        if (file.AcceptedAt is not null && file.Tolerance is null && status != CaseStatus.NotAccepted) due.Add(new NoticeDue(Acceptance, Acceptance));
        if (file.Tolerance is { Deadline: not null }) due.Add(new NoticeDue(Tolerance, Tolerance));
        var corrections = file.Corrections;
        for (var i = 0; i < corrections.Count; i++) due.Add(new NoticeDue($"{Correction}-{i + 1}", Correction, i));
        var notices = file.ApplicantNotices;
        for (var i = 0; i < notices.Count; i++)
        {
            var kind = notices[i].Kind == "延期" ? Extension : notices[i].Kind.StartsWith("特别程序", StringComparison.Ordinal) ? SpecialProcedure : null;
            if (kind is not null) due.Add(new NoticeDue($"{kind}-{i + 1}", kind, i));
        }
        if (status == CaseStatus.NotAccepted) due.Add(new NoticeDue(NotAccepted, NotAccepted));
        if (status is CaseStatus.Completed or CaseStatus.CompletedWithTolerance) due.Add(new NoticeDue(Approval, Approval));
        if (status == CaseStatus.Refused) due.Add(new NoticeDue(Refusal, Refusal));
        // The result's delivery, not that of the materials a cross-region hall forwards to the competent office.
        if (file.Waybill is { Status: "delivered" } && CaseStatus.IsFinal(status)) due.Add(new NoticeDue(Delivery, Delivery));
        return due;
    }
}

/// <summary>A notice a case file calls for: its key in the case, its kind, and the entry of the list it answers (a correction, a clock notice).</summary>
public sealed record NoticeDue(string Key, string Kind, int Index = 0);
