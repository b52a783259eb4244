using GovFlow.Activities.Matters;

// A record documents the parameters whose name does not say it all, not every one.
#pragma warning disable CS1573

namespace GovFlow.Host.Api.Contracts;

/// <summary>A time limit of a matter.</summary>
/// <param name="Unit">WD (working days), ND (natural days) or WH (working hours).</param>
/// <param name="Text">The limit in words, e.g. 20个工作日.</param>
public sealed record MatterLimit(int Value, string Unit, string Text);

/// <summary>What a matter offers and how it is handled.</summary>
/// <param name="Tolerance">Tolerance-gap acceptance (容缺受理) is allowed.</param>
/// <param name="Parallel">Several departments approve in parallel (并联审批).</param>
/// <param name="InstantApproval">Rule-based instant approval (秒批) applies.</param>
/// <param name="CertificateFree">Some material can be replaced by an e-certificate (免证办).</param>
/// <param name="CrossRegion">Where it can be handled across regions (跨域通办), or null.</param>
public sealed record CatalogFlags(bool Appointment, bool OnlinePayment, bool CourierDelivery, bool OnlineHandling, bool Tolerance, bool Parallel,
    bool InstantApproval, bool CertificateFree, string? CrossRegion);

/// <summary>A matter in the catalog list.</summary>
/// <param name="DefinitionId">The workflow definition that runs it.</param>
public sealed record MatterSummary(string Code, string Name, string Type, string TypeName, string Department, string Level, string CaseType,
    MatterLimit PromisedLimit, MatterLimit StatutoryLimit, CatalogFlags Flags, string? DefinitionId);

/// <summary>Every standard element (GB/T 39046) of one matter, with the definition that runs it.</summary>
/// <param name="File">The definition's file in workflows-json/.</param>
/// <param name="CaseTypeName">The name of the matter's case type (办件类型), or null for an unknown code.</param>
/// <param name="LevelName">The name of its level (行使层级).</param>
/// <param name="ServiceObjectNames">Its service objects by name (服务对象), for the guide.</param>
/// <param name="HandlingFormNames">Its handling forms by name (办理形式), for the guide.</param>
/// <param name="RoleNames">The names of the posts its steps name (窗口人员, 审批人员).</param>
public sealed record MatterDetail(ServiceMatter Matter, string? DefinitionId, int Version, string File, string TypeName, string? CaseTypeName,
    string? LevelName, IReadOnlyList<string> ServiceObjectNames, IReadOnlyList<string> HandlingFormNames, IReadOnlyDictionary<string, string> RoleNames);

/// <summary>A date computed on the working-day calendar (YYYY-MM-DD).</summary>
/// <param name="Provisional">The count crossed a year without its holiday notice, computed from the statute (暂按法定节假日计算).</param>
public sealed record CalendarDate(string Date, bool Provisional);

/// <summary>A year's holidays as they are in force: its State Council notice, or the statute's days while it has none.</summary>
/// <param name="Source">The notice, or the statute when provisional.</param>
/// <param name="Provisional">No notice is loaded: the days are the statute's (暂按法定节假日计算).</param>
/// <param name="Holidays">Days off, as named ranges.</param>
/// <param name="Workdays">Make-up working days (only a notice has them).</param>
public sealed record CalendarYearView(int Year, string Source, bool Provisional, IReadOnlyList<CalendarHoliday> Holidays, IReadOnlyList<CalendarWorkday> Workdays);

/// <summary>A named range of days off (YYYY-MM-DD).</summary>
public sealed record CalendarHoliday(string Name, string From, string To);

/// <summary>A weekend day worked, and the holiday it makes up for.</summary>
public sealed record CalendarWorkday(string Date, string For);

/// <summary>A number of working days.</summary>
/// <param name="Provisional">The count crossed a year without its holiday notice, computed from the statute (暂按法定节假日计算).</param>
public sealed record WorkingDayCount(int Days, bool Provisional);
