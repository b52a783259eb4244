// A record documents the parameters whose name does not say it all, not every one.
#pragma warning disable CS1573

namespace GovFlow.Host.Api.Contracts;

/// <summary>How the cases received in the period stand now.</summary>
/// <param name="InProgress">Neither finished nor refused, not accepted or withdrawn.</param>
public sealed record CaseVolumes(int Received, int Accepted, int Completed, int Refused, int NotAccepted, int Withdrawn, int InProgress);

/// <summary>Cases received and completed, by matter.</summary>
public sealed record MatterVolume(string Matter, int Received, int Completed);

/// <summary>Cases received and completed, by department.</summary>
public sealed record DepartmentVolume(string Department, int Received, int Completed);

/// <summary>Cases received and completed, by week (its Monday, YYYY-MM-DD).</summary>
public sealed record WeekVolume(string Week, int Received, int Completed);

/// <summary>Cases of one case type (办件类型): 即办件 (decided at the window) or 承诺件 (decided within a promised limit).</summary>
/// <param name="CaseType">immediate (即办件) or promised (承诺件).</param>
/// <param name="AverageHandlingWorkingDays">Working days from acceptance to completion, pauses not counted; null without completed cases.</param>
public sealed record CaseTypeVolume(string CaseType, int Received, int Completed, double? AverageHandlingWorkingDays)
{
    /// <summary>即办件.</summary>
    public const string Immediate = "immediate";

    /// <summary>承诺件.</summary>
    public const string Promised = "promised";
}

/// <summary>The figures a hall is judged by, over the cases received in [<paramref name="From"/>, <paramref name="To"/>); rates are percentages with one decimal, null where nothing is there to count.</summary>
/// <param name="OnTimeRate">Completed cases finished by the promised date, of those that have one.</param>
/// <param name="EarlyCompletionRate">Completed before the promised day.</param>
/// <param name="OverdueOpen">Open cases past their promised date.</param>
/// <param name="AverageHandlingWorkingDays">Working days (working hours over a working day's hours) from acceptance to completion, pauses not counted; null without completed cases.</param>
/// <param name="Ratings">Ratings per level, "1" to "5".</param>
/// <param name="SatisfactionRate">Ratings of level 1 to 3, of all ratings.</param>
/// <param name="RatingCoverage">Ratings, of completed cases.</param>
/// <param name="BadRatingRectificationRate">Bad ratings (4, 5) whose rectification is closed.</param>
public sealed record MetricsView(
    DateTimeOffset From, DateTimeOffset To, CaseVolumes Volumes, double? OnTimeRate, double? EarlyCompletionRate, double? OverdueRate, int OverdueOpen,
    double? AverageHandlingWorkingDays, IReadOnlyDictionary<string, int> Ratings, double? SatisfactionRate, double? RatingCoverage,
    double? BadRatingRectificationRate, IReadOnlyList<MatterVolume> ByMatter, IReadOnlyList<DepartmentVolume> ByDepartment, IReadOnlyList<WeekVolume> ByWeek)
{
    /// <summary>即办件 and 承诺件 apart.</summary>
    public IReadOnlyList<CaseTypeVolume> ByCaseType { get; init; } = [];

    /// <summary>
    /// Completed cases that took at most one visit in person (最多跑一次), of all completed: applying at a window or a
    /// hall's terminal is a visit, each correction asked of such an applicant another, collecting a paper result at a
    /// window another (unless handed over at once, posted or electronic); online and proactive applications none.
    /// </summary>
    public double? AtMostOneVisitRate { get; init; }
}
