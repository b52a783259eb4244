// A record documents the parameters whose name does not say it all, not every one.
#pragma warning disable CS1573

namespace GovFlow.Host.Api.Contracts;

/// <summary>A workflow definition in the policy staff's list.</summary>
/// <param name="PublishedVersion">The version new cases start on, or null when none is published.</param>
/// <param name="MatterCode">The service matter it implements, or null when its matter elements do not read.</param>
public sealed record DefinitionSummary(string DefinitionId, string? Name, int LatestVersion, int? PublishedVersion, string? MatterCode);

/// <summary>One version of a definition, with who saved, published and retracted it and how many cases still run on it.</summary>
/// <param name="Id">The version id (what an instance is pinned to).</param>
/// <param name="State">draft (never published), published (new cases start on it) or retired (published once, no longer).</param>
/// <param name="CreatedAt">When it was first saved (null: shipped with GovFlow and never changed here).</param>
/// <param name="CreatedBy">Who first saved it (null: shipped with GovFlow, or saved before authors were recorded).</param>
/// <param name="UpdatedAt">When the draft was last saved over, if it was.</param>
/// <param name="PublishedAt">When it was last published (null: never here, or shipped published).</param>
/// <param name="RetractedAt">When it last stopped being the published version: retracted, or replaced by a newer version.</param>
/// <param name="RetractedBy">Who retracted it, or published the version that replaced it.</param>
/// <param name="OpenCases">Cases not finished that run on this version.</param>
public sealed record DefinitionVersionView(string? Id, int Version, bool IsPublished, bool IsLatest, string? Name, string State,
    DateTimeOffset? CreatedAt, string? CreatedBy, DateTimeOffset? UpdatedAt, string? UpdatedBy,
    DateTimeOffset? PublishedAt, string? PublishedBy, DateTimeOffset? RetractedAt, string? RetractedBy, int OpenCases);

/// <summary>A matter element (or a material's or step's property) that differs between two versions.</summary>
/// <param name="Field">Its path in the matter's JSON (camelCase, e.g. <c>promisedLimit</c>, <c>fee.charged</c>) or the property name of a material or step.</param>
/// <param name="Label">Its name in Chinese (承诺办结时限).</param>
/// <param name="Before">The earlier version's value as text, or null when it had none.</param>
/// <param name="After">The later version's value as text, or null when it has none.</param>
public sealed record ElementChange(string Field, string Label, string? Before, string? After);

/// <summary>A material or a step added, removed or changed (matched by name).</summary>
/// <param name="Change">added, removed or changed.</param>
/// <param name="Properties">For a changed one, each property that differs.</param>
public sealed record ItemChange(string Name, string Change, IReadOnlyList<ElementChange> Properties);

/// <summary>A top-level activity of the flow added, removed or changed (matched by id).</summary>
/// <param name="Change">added, removed or changed (its name, type or any input differs; where it stands on the canvas does not count).</param>
/// <param name="Properties">For a changed one, the properties that differ (<c>name</c>, <c>type</c> or an input's name).</param>
/// <param name="Labels">The same properties in Chinese (名称, 类型, an input's display name).</param>
public sealed record ActivityChange(string Id, string? Name, string Type, string Change, IReadOnlyList<string> Properties, IReadOnlyList<string> Labels);

/// <summary>A connection of the flow added or removed.</summary>
/// <param name="Change">added or removed.</param>
public sealed record ConnectionChange(string Source, string? SourcePort, string Target, string? TargetPort, string Change);

/// <summary>What differs from version <c>From</c> to version <c>To</c> of a definition.</summary>
public sealed record DefinitionChanges(string DefinitionId, int From, int To, IReadOnlyList<ElementChange> Elements, IReadOnlyList<ItemChange> Materials,
    IReadOnlyList<ItemChange> Steps, IReadOnlyList<ActivityChange> Activities, IReadOnlyList<ConnectionChange> Connections);

/// <summary>How many open cases run on one version.</summary>
public sealed record VersionCases(int Version, int Count);

/// <summary>What publishing a version (or retracting the published one) changes, for the confirmation before it.</summary>
/// <param name="Action">publish or retract.</param>
/// <param name="Version">The version to publish (null for a retract).</param>
/// <param name="PublishedVersion">The version new cases start on now, or null when none is published.</param>
/// <param name="NewCases">For new applications: starts (they start on <c>Version</c> instead of <c>PublishedVersion</c>), unchanged (it is already published) or refused (after a retract the matter takes no new applications).</param>
/// <param name="OpenCases">Open cases that stay on a version other than the one published after the act (all open cases, for a retract).</param>
/// <param name="OpenCasesByVersion">Those open cases per version they run on.</param>
/// <param name="Migration">The migration preview that can move them to the new version afterwards (GET), or null when there is nothing to move.</param>
/// <param name="Refusal">Why publishing would be refused, in Chinese, or null.</param>
/// <param name="Changes">The version compared with the published one, or null when none is published (or it is the same).</param>
public sealed record PublishImpact(string DefinitionId, string Action, int? Version, int? PublishedVersion, string NewCases, int OpenCases,
    IReadOnlyList<VersionCases> OpenCasesByVersion, string? Migration, string? Refusal, DefinitionChanges? Changes);

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
