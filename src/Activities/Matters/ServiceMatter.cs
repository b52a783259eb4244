using System.Text.Json.Serialization;
using GovFlow.Activities.Supervision;

namespace GovFlow.Activities.Matters;

/// <summary>
/// A standardized government service matter (政务服务事项) with the standard elements of GB/T 39046-2020.
/// Stored in its workflow definition under <c>customProperties["govflow:matter"]</c>, so the file stays valid Elsa JSON.
/// Codes follow the standard: type 01–10/20, level 1–6, service object 1–6, handling form 1–4, case type 1–2.
/// </summary>
public sealed class ServiceMatter
{
    /// <summary>Basic code (基本编码, catalogue id).</summary>
    public string Code { get; set; } = "";

    /// <summary>Implementation code (实施编码).</summary>
    public string? ImplementationCode { get; set; }

    /// <summary>Name (an..200).</summary>
    public string Name { get; set; } = "";

    /// <summary>Matter type (事项类型): 01 许可 … 10 其他, 20 公共服务.</summary>
    public string Type { get; set; } = "01";

    /// <summary>Level (行使层级): 1 national … 6 community.</summary>
    public string Level { get; set; } = "4";

    /// <summary>Implementing body (实施主体).</summary>
    public string Department { get; set; } = "";

    /// <summary>The body's unified social credit code (18 characters).</summary>
    public string? DepartmentUscc { get; set; }

    /// <summary>Joint departments (联办机构).</summary>
    public List<Department> JointDepartments { get; set; } = [];

    /// <summary>Service objects (服务对象): 1 natural person … 6 other.</summary>
    public List<string> ServiceObjects { get; set; } = [];

    /// <summary>Handling forms (办理形式): 1 window, 2 PC online, 3 mobile, 4 courier.</summary>
    public List<string> HandlingForms { get; set; } = [];

    /// <summary>Case type (办件类型): 1 即办件, 2 承诺件.</summary>
    public string CaseType { get; set; } = "2";

    /// <summary>Legal basis (设定依据).</summary>
    public string? LegalBasis { get; set; }

    /// <summary>Acceptance conditions (受理条件).</summary>
    public List<string> Conditions { get; set; } = [];

    /// <summary>Fees.</summary>
    public FeeInfo Fee { get; set; } = new();

    /// <summary>The result issued.</summary>
    public ResultInfo? Result { get; set; }

    /// <summary>Visits required (到现场次数; target ≤ 1).</summary>
    public int Visits { get; set; }

    /// <summary>Support flags.</summary>
    public MatterFlags Flags { get; set; } = new();

    /// <summary>Cross-region scope (通办范围): nationwide, cross-province, cross-city, district; null when none.</summary>
    public string? CrossRegionScope { get; set; }

    /// <summary>
    /// Where the matter may be accepted (受理范围, 通办): the halls whose region falls within it. Null when the file
    /// declares none; <see cref="AcceptanceScope"/> then reads the old <see cref="CrossRegionScope"/> string.
    /// </summary>
    public AcceptanceScope? Acceptance { get; set; }

    /// <summary>The acceptance scope in force: the declared one, else the one the old string means, else none (any hall).</summary>
    [JsonIgnore]
    public AcceptanceScope? EffectiveAcceptance => Acceptance ?? AcceptanceScope.FromCrossRegionScope(CrossRegionScope);

    /// <summary>Statutory limit (法定办结时限).</summary>
    public TimeLimit StatutoryLimit { get; set; } = new(20, TimeUnit.WD);

    /// <summary>Promised limit (承诺办结时限).</summary>
    public TimeLimit PromisedLimit { get; set; } = new(20, TimeUnit.WD);

    /// <summary>
    /// A shorter promised limit for applicants on the priority register (绿色通道); null when they get the ordinary
    /// <see cref="PromisedLimit"/>. Never longer than it.
    /// </summary>
    public TimeLimit? PriorityPromisedLimit { get; set; }

    /// <summary>The promised limit a case gets: <see cref="PriorityPromisedLimit"/> for a priority applicant when the matter sets one.</summary>
    public TimeLimit PromisedLimitFor(bool priority) => priority && PriorityPromisedLimit is { } shorter ? shorter : PromisedLimit;

    /// <summary>Procedure steps with their limits (受理 → 审查 → 决定 → 送达).</summary>
    public List<MatterStep> Steps { get; set; } = [];

    /// <summary>Application materials.</summary>
    public List<Material> Materials { get; set; } = [];

    /// <summary>Tolerance-gap acceptance rules, when the matter allows it.</summary>
    public ToleranceRules? Tolerance { get; set; }

    /// <summary>Parallel approval settings, when several departments review at once.</summary>
    public ParallelRules? Parallel { get; set; }

    /// <summary>Instant-approval rules (all must pass), when the matter is 秒批.</summary>
    public List<ApprovalRule> InstantApprovalRules { get; set; } = [];

    /// <summary>免申即享: whom the hall invites without an application, when the matter serves residents proactively.</summary>
    public ProactiveService? Proactive { get; set; }

    /// <summary>Rating settings.</summary>
    public RatingRules Rating { get; set; } = new();

    /// <summary>The light turns yellow when this many working days remain before the promised date (黄灯预警提前量).</summary>
    public int YellowWorkingDays { get; set; } = 2;

    /// <summary>How long the applicant has to supply what a correction notice asks for; after it the application is withdrawn.</summary>
    public TimeLimit CorrectionLimit { get; set; } = new(20, TimeUnit.WD);

    /// <summary>Where the matter's elements were checked (依据来源): the guide or rule each element follows, and when.</summary>
    public List<MatterSource> Sources { get; set; } = [];

    /// <summary>A benefit's monthly amounts by age (给付标准, e.g. 高龄津贴), youngest band first; empty for other matters.</summary>
    public List<AgeBand> AgeBands { get; set; } = [];

    /// <summary>The monthly amount (元) for an applicant of <paramref name="age"/>, or null when no band covers the age.</summary>
    public decimal? MonthlyAmountAt(int age) =>
        AgeBands.LastOrDefault(b => age >= b.FromAge && (b.ToAge is not { } to || age <= to))?.MonthlyAmount;
    /// <summary>一件事一次办: the member matters this matter bundles and how their results and refusals are handled; null for a single matter.</summary>
    public BundleRules? Bundle { get; set; }

    /// <summary>Chinese name of the matter type.</summary>
    [JsonIgnore]
    public string TypeName => MatterCodes.TypeName(Type);
}

/// <summary>The source of some of a matter's elements (a published 办事指南, a regulation or a notice), so a reviewer can check them again.</summary>
public sealed class MatterSource
{
    /// <summary>Which elements it gives, in words (e.g. 申请条件、申请材料, 承诺时限, 津贴标准).</summary>
    public string Element { get; set; } = "";

    /// <summary>The source: title, issuer and document number (e.g. 《食品经营许可和备案管理办法》（国家市场监督管理总局令第78号）).</summary>
    public string Source { get; set; } = "";

    /// <summary>Where it is published, when it is online.</summary>
    public string? Url { get; set; }

    /// <summary>The day the element was last checked against the source.</summary>
    public DateOnly? CheckedOn { get; set; }
}

/// <summary>An age band of a benefit: from <see cref="FromAge"/> to <see cref="ToAge"/> (周岁, both included; open above when null).</summary>
public sealed class AgeBand
{
    /// <summary>The youngest age of the band.</summary>
    public int FromAge { get; set; }

    /// <summary>The oldest age of the band; null for “and older”.</summary>
    public int? ToAge { get; set; }

    /// <summary>Yuan a month.</summary>
    public decimal MonthlyAmount { get; set; }
}

/// <summary>A department with its credit code.</summary>
public sealed class Department
{
    /// <summary>Name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Unified social credit code.</summary>
    public string? Uscc { get; set; }
}

/// <summary>Fees (是否收费 and the items).</summary>
public sealed class FeeInfo
{
    /// <summary>Whether fees are charged.</summary>
    public bool Charged { get; set; }

    /// <summary>Fee items.</summary>
    public List<FeeItem> Items { get; set; } = [];
}

/// <summary>A fee item.</summary>
public sealed class FeeItem
{
    /// <summary>Name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Amount in yuan.</summary>
    public decimal Amount { get; set; }

    /// <summary>Basis.</summary>
    public string? Basis { get; set; }
}

/// <summary>The result of the matter.</summary>
public sealed class ResultInfo
{
    /// <summary>Result name (e.g. 卫生许可证).</summary>
    public string Name { get; set; } = "";

    /// <summary>certificate, approval, proof, other.</summary>
    public string Type { get; set; } = "certificate";

    /// <summary>Certificate type code when the result is an electronic certificate.</summary>
    public string? CertificateType { get; set; }
}

/// <summary>Support flags.</summary>
public sealed class MatterFlags
{
    /// <summary>Supports appointments (预约).</summary>
    public bool Appointment { get; set; }

    /// <summary>Supports online payment.</summary>
    public bool OnlinePayment { get; set; }

    /// <summary>Results can be posted (物流快递).</summary>
    public bool CourierDelivery { get; set; }

    /// <summary>Can be handled online (网上办理).</summary>
    public bool OnlineHandling { get; set; }
}

/// <summary>A procedure step and its limit.</summary>
public sealed class MatterStep
{
    /// <summary>Step name (受理, 初审, 审核, 审批, 办结, 送达).</summary>
    public string Name { get; set; } = "";

    /// <summary>Step limit.</summary>
    public TimeLimit Limit { get; set; } = new(1, TimeUnit.WD);

    /// <summary>Department doing the step.</summary>
    public string? Department { get; set; }

    /// <summary>Role doing the step (window, reviewer, ...).</summary>
    public string? Role { get; set; }
}

/// <summary>An application material (申请材料).</summary>
public sealed class Material
{
    /// <summary>Name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Issuing body.</summary>
    public string? IssuingBody { get; set; }

    /// <summary>Originals required.</summary>
    public int Originals { get; set; }

    /// <summary>Copies required.</summary>
    public int Copies { get; set; }

    /// <summary>Required (必备); otherwise conditional.</summary>
    public bool Required { get; set; } = true;

    /// <summary>When a conditional material is needed (a JavaScript condition over the application data, e.g. <c>age &lt; 90 &amp;&amp; onMinimumAllowance</c>).</summary>
    public string? Condition { get; set; }

    /// <summary>paper, electronic, both.</summary>
    public string Form { get; set; } = "paper";

    /// <summary>applicant, government, certificateLibrary, onlineForm.</summary>
    public string Source { get; set; } = "applicant";

    /// <summary>Main material (主审要件); only non-main materials may be missing under tolerance.</summary>
    public bool Main { get; set; } = true;

    /// <summary>Whether a valid electronic certificate replaces it (免证办).</summary>
    public bool CertificateReplaceable { get; set; }

    /// <summary>The certificate type code that replaces it.</summary>
    public string? CertificateType { get; set; }

    /// <summary>Whether it may be supplied later under tolerance-gap acceptance.</summary>
    public bool ToleranceAllowed { get; set; }

    /// <summary>Blank form or sample link.</summary>
    public string? Sample { get; set; }
}

/// <summary>Tolerance-gap acceptance rules (容缺受理).</summary>
public sealed class ToleranceRules
{
    /// <summary>Deadline for supplements; may not exceed the promised limit.</summary>
    public TimeLimit SupplementLimit { get; set; } = new(5, TimeUnit.WD);

    /// <summary>terminate (退件) or suspend when supplements do not arrive.</summary>
    public string OnExpiry { get; set; } = "terminate";

    /// <summary>A suspended case resumes if materials arrive within this many working days.</summary>
    public int ResumeWithinWorkingDays { get; set; } = 15;

    /// <summary>
    /// The applicant is reminded by SMS this many working days before the supplement deadline, if the materials are
    /// still owed then (0: no reminder).
    /// </summary>
    public int RemindBeforeWorkingDays { get; set; } = 2;
}

/// <summary>Parallel approval (并联审批).</summary>
public sealed class ParallelRules
{
    /// <summary>Lead department (牵头部门).</summary>
    public string Lead { get; set; } = "";

    /// <summary>Co-organising departments.</summary>
    public List<string> Members { get; set; } = [];

    /// <summary>Each member's limit.</summary>
    public TimeLimit MemberLimit { get; set; } = new(5, TimeUnit.WD);

    /// <summary>Whether silence past the limit counts as agreement (*local*).</summary>
    public bool DeemedAgreeOnTimeout { get; set; } = true;
}

/// <summary>A rule of instant approval: a JavaScript condition over application and certificate data.</summary>
public sealed class ApprovalRule
{
    /// <summary>Rule name shown when it fails.</summary>
    public string Name { get; set; } = "";

    /// <summary>JavaScript condition.</summary>
    public string Condition { get; set; } = "";
}

/// <summary>Rating (好差评) settings.</summary>
public sealed class RatingRules
{
    /// <summary>Natural days after which an unrated case defaults to 基本满意 (Guangdong: 7).</summary>
    public int DefaultAfterDays { get; set; } = 7;

    /// <summary>Working days to rectify a bad rating.</summary>
    public int RectifyWithinWorkingDays { get; set; } = 5;
}

/// <summary>Code tables of GB/T 39046.</summary>
public static class MatterCodes
{
    /// <summary>Matter types.</summary>
    public static readonly IReadOnlyDictionary<string, string> Types = new Dictionary<string, string>
    {
        ["01"] = "行政许可", ["02"] = "行政处罚", ["03"] = "行政强制", ["04"] = "行政征收", ["05"] = "行政给付",
        ["06"] = "行政检查", ["07"] = "行政确认", ["08"] = "行政奖励", ["09"] = "行政裁决", ["10"] = "其他行政权力", ["20"] = "公共服务"
    };

    /// <summary>Levels.</summary>
    public static readonly IReadOnlyDictionary<string, string> Levels = new Dictionary<string, string>
    {
        ["1"] = "国家级", ["2"] = "省级", ["3"] = "市级", ["4"] = "县级", ["5"] = "镇（乡、街道）级", ["6"] = "村（社区）级"
    };

    /// <summary>Service objects.</summary>
    public static readonly IReadOnlyDictionary<string, string> ServiceObjects = new Dictionary<string, string>
    {
        ["1"] = "自然人", ["2"] = "企业法人", ["3"] = "事业法人", ["4"] = "社会组织法人", ["5"] = "行政机关", ["6"] = "其他组织"
    };

    /// <summary>Handling forms.</summary>
    public static readonly IReadOnlyDictionary<string, string> HandlingForms = new Dictionary<string, string>
    {
        ["1"] = "窗口办理", ["2"] = "网上办理", ["3"] = "移动端办理", ["4"] = "快递申请"
    };

    /// <summary>Case types.</summary>
    public static readonly IReadOnlyDictionary<string, string> CaseTypes = new Dictionary<string, string> { ["1"] = "即办件", ["2"] = "承诺件" };

    /// <summary>Chinese name of a matter type code.</summary>
    public static string TypeName(string code) => Types.GetValueOrDefault(code, "未知类型");
}

/// <summary>
/// 免申即享 (proactive service): a sweep searches the population database for residents who are about to qualify,
/// keeps those the condition accepts, and invites each once by SMS; a reply of “同意” is the application.
/// </summary>
public sealed class ProactiveService
{
    /// <summary>Whom the population database is searched for.</summary>
    public PopulationCriteria Population { get; set; } = new();

    /// <summary>JavaScript condition over the resident found (<c>resident.alive</c>, <c>resident.hukouCity</c>, <c>resident.age</c>); empty accepts every one.</summary>
    public string? Condition { get; set; }

    /// <summary>The SMS text; placeholders {name}, {matter}, {birthday} (the day the age is reached) and {validUntil}.</summary>
    public string Invitation { get; set; } = "";

    /// <summary>Days an invitation can be answered; later it has expired.</summary>
    public int ValidDays { get; set; } = 30;
}

/// <summary>The population search of a proactive service: residents reaching an age soon, of a hukou city or district.</summary>
public sealed class PopulationCriteria
{
    /// <summary>The age (周岁) the residents reach.</summary>
    public int TurningAge { get; set; }

    /// <summary>How many days ahead a resident reaching the age is invited.</summary>
    public int WithinDays { get; set; } = 30;

    /// <summary>Only residents with hukou in this city (e.g. 深圳市), when given.</summary>
    public string? HukouCity { get; set; }

    /// <summary>Only residents with hukou in this district code (e.g. 440305), when given.</summary>
    public string? HukouDistrict { get; set; }
}
