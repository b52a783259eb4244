namespace GovFlow.Activities.Cases;

/// <summary>
/// A named part of the case file holding one record (the parallel approval, the tolerance, the rating, the
/// waybill...). Activities edit it through <see cref="CaseFile.Edit{T}"/>; the host and the API read it typed.
/// </summary>
/// <typeparam name="T">The record kept there.</typeparam>
/// <param name="Name">Its property name in the stored JSON.</param>
public sealed record CaseSection<T>(string Name) where T : class, new();

/// <summary>A named list in the case file (steps, pauses, supplements...), appended to through <see cref="CaseFile.Add{T}"/>.</summary>
/// <typeparam name="T">The entry type.</typeparam>
/// <param name="Name">Its property name in the stored JSON.</param>
public sealed record CaseList<T>(string Name);

/// <summary>
/// Every part of the case file, declared once: the stored JSON's names and the records they hold. Adding a part
/// means adding it here, so nothing reads or writes a case file by a string key of its own.
/// </summary>
public static class CaseParts
{
    /// <summary>材料清单: what the matter asks for and how each material was satisfied.</summary>
    public static readonly CaseList<CaseMaterial> Checklist = new("checklist");
    /// <summary>办理过程: the handling steps.</summary>
    public static readonly CaseList<CaseStep> Steps = new("steps");
    /// <summary>暂停计时: the clock's stops.</summary>
    public static readonly CaseList<Supervision.Pause> Pauses = new("pauses");
    /// <summary>Materials supplied after acceptance (补正, 容缺).</summary>
    public static readonly CaseList<MaterialSupplied> Supplements = new("supplements");
    /// <summary>补正告知: the correction notices sent.</summary>
    public static readonly CaseList<CorrectionNotice> Corrections = new("corrections");
    /// <summary>电子证照用证记录: the certificate look-ups.</summary>
    public static readonly CaseList<CertificateUse> CertificateUses = new("certificateUses");
    /// <summary>延期: extensions of the decision limit (《行政许可法》第四十二条).</summary>
    public static readonly CaseList<Extension> Extensions = new("extensions");
    /// <summary>告知: what the applicant was told about the clock (an extension, a special procedure's start and end).</summary>
    public static readonly CaseList<ApplicantNotice> ApplicantNotices = new("applicantNotices");
    /// <summary>SMS notices sent to the applicant.</summary>
    public static readonly CaseList<NoticeSent> Notifications = new("notifications");
    /// <summary>并联审批: the members' decisions.</summary>
    public static readonly CaseSection<ParallelRecord> Parallel = new("parallel");
    /// <summary>容缺受理: what is owed and by when.</summary>
    public static readonly CaseSection<ToleranceRecord> Tolerance = new("tolerance");
    /// <summary>好差评: the rating and its rectification.</summary>
    public static readonly CaseSection<RatingRecord> Rating = new("rating");
    /// <summary>EMS 寄递: the waybill and its tracking.</summary>
    public static readonly CaseSection<WaybillRecord> Waybill = new("waybill");
    /// <summary>办理结果: the result certificate issued.</summary>
    public static readonly CaseSection<IssuedResult> Result = new("result");
    /// <summary>人口库核验: the applicant's record in the population database, as the rules read it (<c>population.*</c>).</summary>
    public static readonly CaseSection<PopulationUse> Population = new("population");
    /// <summary>秒批: the rule check.</summary>
    public static readonly CaseSection<RuleCheckRecord> RuleCheck = new("ruleCheck");
    /// <summary>受理转交 (通办): accepting hall, owner, the hand-over's receipt and the result's collection.</summary>
    public static readonly CaseSection<HandOverRecord> HandOver = new("handOver");
}
