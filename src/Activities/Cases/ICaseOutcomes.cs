using GovFlow.Activities.Matters;

namespace GovFlow.Activities.Cases;

/// <summary>
/// What a GovFlow step can end with for a given matter, and which of those endings give the case its final status
/// themselves. Publishing refuses a flow that leaves an ending it can take unconnected and not final: the case
/// would stop there with no task and no decision. Steps that do not implement it can take every declared outcome.
/// </summary>
public interface ICaseOutcomes
{
    /// <summary>The outcomes this step, as configured, can complete with for <paramref name="matter"/>.</summary>
    IEnumerable<string> OutcomesTaken(ServiceMatter? matter);

    /// <summary>Whether completing with <paramref name="outcome"/> gives the case a final status (so the flow may end there).</summary>
    bool GivesFinalStatus(string outcome, ServiceMatter? matter);
}
