// A record documents the parameters whose name does not say it all, not every one.
#pragma warning disable CS1573

namespace GovFlow.Host.Api.Contracts;

/// <summary>A workflow definition in the policy staff's list.</summary>
/// <param name="PublishedVersion">The version new cases start on, or null when none is published.</param>
/// <param name="MatterCode">The service matter it implements, or null when its matter elements do not read.</param>
public sealed record DefinitionSummary(string DefinitionId, string? Name, int LatestVersion, int? PublishedVersion, string? MatterCode);

/// <summary>One version of a definition.</summary>
/// <param name="Id">The version id (what an instance is pinned to).</param>
public sealed record DefinitionVersionView(string? Id, int Version, bool IsPublished, bool IsLatest, string? Name);

/// <summary>An imported definition, saved as a draft version.</summary>
public sealed record DefinitionDraft(string? DefinitionId, string? Id, int Version, bool IsPublished);

/// <summary>The version published: new cases of the matter start on it; running cases keep theirs.</summary>
public sealed record DefinitionPublished(string? DefinitionId, string? Id, int Version);

/// <summary>A retracted definition: no version is published any more.</summary>
public sealed record DefinitionRetracted(string DefinitionId, int? PublishedVersion);

/// <summary>What moving a definition's open cases to a version would do.</summary>
/// <param name="ToVersion">The version they would move to.</param>
/// <param name="Cases">Every open case on another version, with what the new version lacks of where it is.</param>
public sealed record MigrationPreview(string DefinitionId, int ToVersion, IReadOnlyList<Cases.MigrationCandidate> Cases);

/// <summary>Moves open cases to a version (the published one when none is named).</summary>
/// <param name="To">The version number.</param>
/// <param name="CaseIds">The cases to move; all movable ones when absent.</param>
public sealed record MigrationRequest(int? To, IReadOnlyList<string>? CaseIds);

/// <summary>The cases moved, and the ones refused with why.</summary>
public sealed record MigrationResult(string DefinitionId, int ToVersion, IReadOnlyList<string> Moved, IReadOnlyList<Cases.MigrationCandidate> Refused);
