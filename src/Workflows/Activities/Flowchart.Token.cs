using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Token mode: tokens travel along followed connections, and each activity's <c>mergeMode</c> decides when it runs.</summary>
public sealed partial class Flowchart
{
    private async ValueTask OnTokenChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child, FlowchartState state)
    {
        var tokens = state.Tokens!;
        if (child.Activity.IsTerminal)
        {
            tokens.Clear();
            await context.CompleteAsync();
            return;
        }
        var index = _index[child.Activity];
        var graph = Graph(state.Start);
        var outcomes = child.CompletedOutcomes;
        var active = new List<int>();
        foreach (var ci in graph.Outbound(index))
            if (Contains(outcomes, _connections[ci].Port)) active.Add(ci);
        foreach (var ci in active)
            tokens.Add(new FlowToken { From = index, Outcome = _connections[ci].Port, To = _connections[ci].Target });
        foreach (var t in tokens)
            if (t.To == index && !t.Consumed && !t.Blocked) t.Consumed = true;

        foreach (var ci in active)
        {
            var connection = _connections[ci];
            var target = connection.Target;
            var activity = _activities[target];
            switch (MergeModeOf(activity, context))
            {
                case MergeMode.Cascade:
                case MergeMode.Race:
                    if (MergeModeOf(activity, context) == MergeMode.Race) await CancelAncestorsAsync(graph, context, target);
                    var blocked = tokens.FirstOrDefault(t => t.To == target && t.From == connection.Source && t.Outcome == connection.Port && t.Blocked);
                    if (blocked is null)
                    {
                        context.Schedule(activity);
                        foreach (var other in graph.ForwardInbound(target))
                            if (_connections[other].Source != index)
                                tokens.Add(new FlowToken { From = _connections[other].Source, Outcome = _connections[other].Port, To = target, Blocked = true });
                    }
                    else blocked.Consumed = true;
                    break;
                case MergeMode.Merge:
                    if (graph.ForwardInbound(target).Count <= 1 || HasTokensFor(tokens, graph.ForwardInbound(target), target)) context.Schedule(activity);
                    break;
                case MergeMode.Converge:
                    if (graph.Inbound(target).Count <= 1 || HasTokensFor(tokens, graph.Inbound(target), target)) context.Schedule(activity);
                    break;
                default: // Stream: go once no forward inbound source still holds an unconsumed token.
                    var waiting = false;
                    foreach (var inbound in graph.ForwardInbound(target))
                    {
                        var source = _connections[inbound].Source;
                        if (tokens.Any(t => !t.Consumed && !t.Blocked && t.To == source)) { waiting = true; break; }
                    }
                    if (!waiting) context.Schedule(activity);
                    break;
            }
        }
        if (!HasPendingTokenWork(context, tokens))
        {
            tokens.Clear();
            await context.CompleteAsync();
        }
        tokens.RemoveAll(t => t.To == index && t.Consumed);
    }

    /// <summary>
    /// Elsa's token flowchart is busy while a child runs or is queued and while any token waits unconsumed: a token
    /// whose target never runs (a dead inbound branch at a Merge/Converge, a late arrival at a raced join) keeps the
    /// flowchart, and so the workflow, running with nothing to resume, exactly as Elsa leaves it.
    /// </summary>
    private static bool HasPendingTokenWork(ActivityExecutionContext context, List<FlowToken> tokens)
    {
        if (context.HasPendingWork()) return true;
        foreach (var t in tokens)
            if (!t.Consumed && !t.Blocked) return true;
        return false;
    }

    private bool HasTokensFor(List<FlowToken> tokens, IReadOnlyList<int> connections, int target)
    {
        foreach (var ci in connections)
        {
            var c = _connections[ci];
            if (!tokens.Any(t => !t.Consumed && !t.Blocked && t.From == c.Source && t.To == target && t.Outcome == c.Port)) return false;
        }
        return true;
    }

    private static MergeMode MergeModeOf(Activity activity, ActivityExecutionContext context)
    {
        // Elsa maps the deprecated join's modes onto merge modes: WaitAny races, both wait-all modes converge.
        if (activity is FlowJoin join) return join.ModeIn(context) == FlowJoinMode.WaitAny ? MergeMode.Race : MergeMode.Converge;
        var text = JsonAccess.GetString(activity.Node.EffectiveCustomProperties, "mergeMode");
        return text != null && Enum.TryParse<MergeMode>(text, ignoreCase: true, out var mode) && mode != MergeMode.None ? mode : MergeMode.Stream;
    }
}
