namespace GovFlow.Host.Api.Contracts;

/// <summary>A case's place in a bundle (一件事一次办).</summary>
/// <param name="Bundle">The bundle case this case is a member of; null for a case applied for on its own or a bundle.</param>
/// <param name="Members">The bundle's member cases (子办件), by matter code; empty for a case that bundles nothing.</param>
/// <param name="Release">together (统一出件) or asEach (办结一项出件一项), for a bundle matter.</param>
/// <param name="Refusal">continueOthers or stopAll: what a member's refusal does to the others, for a bundle matter.</param>
/// <param name="SharedMaterials">The materials asked once for all members.</param>
public sealed record CaseBundleView(CaseSummary? Bundle, IReadOnlyList<CaseSummary> Members, string? Release, string? Refusal, IReadOnlyList<string> SharedMaterials);
