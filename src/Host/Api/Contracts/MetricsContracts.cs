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

/// <summary>The figures a hall is judged by, over the cases received in [<paramref name="From"/>, <paramref name="To"/>); rates are percentages with one decimal.</summary>
/// <param name="OnTimeRate">Completed cases finished by the promised date, of those that have one.</param>
/// <param name="EarlyCompletionRate">Completed before the promised day.</param>
/// <param name="OverdueOpen">Open cases past their promised date.</param>
/// <param name="AverageHandlingWorkingDays">Working days from receipt to completion, pauses not counted.</param>
/// <param name="Ratings">Ratings per level, "1" to "5".</param>
/// <param name="SatisfactionRate">Ratings of level 1 to 3, of all ratings.</param>
/// <param name="RatingCoverage">Ratings, of completed cases.</param>
/// <param name="BadRatingRectificationRate">Bad ratings (4, 5) whose rectification is closed.</param>
public sealed record MetricsView(
    DateTimeOffset From, DateTimeOffset To, CaseVolumes Volumes, double OnTimeRate, double EarlyCompletionRate, double OverdueRate, int OverdueOpen,
    double AverageHandlingWorkingDays, IReadOnlyDictionary<string, int> Ratings, double SatisfactionRate, double RatingCoverage,
    double BadRatingRectificationRate, IReadOnlyList<MatterVolume> ByMatter, IReadOnlyList<DepartmentVolume> ByDepartment, IReadOnlyList<WeekVolume> ByWeek);
