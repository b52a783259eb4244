using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Counter mode (Elsa's default): an implicit join waits until every inbound connection was visited and runs if any was followed; dead branches are skipped.</summary>
public sealed partial class Flowchart
{
    private async ValueTask OnCounterChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child, FlowchartState state)
    {
        if (child.Activity.IsTerminal) { await context.CompleteAsync(); return; }
        var index = _index[child.Activity];
        var backward = child.ScheduleInput?.TryGetValue(BackwardConnection, out var b) == true && b is true;
        var scheduled = await ScheduleOutboundAsync(Graph(state.Start), state, context, index, child.CompletedOutcomes, backward);
        if (!scheduled) await CompleteIfIdleAsync(context);
    }

    private async ValueTask<bool> ScheduleOutboundAsync(FlowGraph graph, FlowchartState state, ActivityExecutionContext context, int index, IReadOnlyList<string> outcomes, bool backward)
    {
        if (graph.IsDangling(index))
            throw new InvalidOperationException($"Activity {_activities[index].Id} is not reachable from the flowchart's start; its outbound activities cannot be scheduled.");
        if (!backward) state.ActivityVisits![index]++;
        var scheduled = false;
        foreach (var ci in graph.Outbound(index))
        {
            var connection = _connections[ci];
            var followed = Contains(outcomes, connection.Port);
            state.ConnectionVisits![ci]++;
            state.LastFollowed![ci] = followed;
            if (!graph.IsForward(ci))
            {
                if (!followed) continue;
                if (!graph.IsValidBackward(ci))
                    throw new InvalidOperationException($"Invalid backward connection: every path from '{_activities[connection.Source].Id}' to the start must pass through '{_activities[connection.Target].Id}'.");
                context.Schedule(_activities[connection.Target], new Dictionary<string, object?> { [BackwardConnection] = true });
                scheduled = true;
            }
            else scheduled |= await ScheduleTargetAsync(graph, state, context, ci);
        }
        return scheduled;
    }

    private async ValueTask<bool> ScheduleTargetAsync(FlowGraph graph, FlowchartState state, ActivityExecutionContext context, int connectionIndex)
    {
        var target = _connections[connectionIndex].Target;
        var activity = _activities[target];
        var mode = activity is FlowJoin join ? join.ModeIn(context) : FlowJoinMode.WaitAllActive;
        switch (mode)
        {
            case FlowJoinMode.WaitAll:
                if (!AllInboundVisited(graph, state, target)) return false;
                if (AllInboundFollowed(graph, state, target)) { context.Schedule(activity); return true; }
                return await ScheduleOutboundAsync(graph, state, context, target, Outcomes.Empty, backward: false);
            case FlowJoinMode.WaitAllActive:
                if (!AllInboundVisited(graph, state, target)) return false;
                if (AnyInboundFollowed(graph, state, target)) { context.Schedule(activity); return true; }
                return await ScheduleOutboundAsync(graph, state, context, target, Outcomes.Empty, backward: false);
            default: // WaitAny
                if (state.ActivityVisits![target] >= state.ConnectionVisits![connectionIndex]) return false;
                if (context.IsQueued(activity)) return false;
                if (AnyInboundFollowed(graph, state, target))
                {
                    context.Schedule(activity);
                    await CancelAncestorsAsync(graph, context, target);
                    return true;
                }
                if (AllInboundVisited(graph, state, target))
                    return await ScheduleOutboundAsync(graph, state, context, target, Outcomes.Empty, backward: false);
                return false;
        }
    }

    private static bool AllInboundVisited(FlowGraph graph, FlowchartState state, int target)
    {
        foreach (var ci in graph.ForwardInbound(target))
            if (state.ConnectionVisits![ci] <= state.ActivityVisits![target]) return false;
        return true;
    }

    private static bool AllInboundFollowed(FlowGraph graph, FlowchartState state, int target)
    {
        foreach (var ci in graph.ForwardInbound(target))
            if (!state.LastFollowed![ci]) return false;
        return true;
    }

    /// <summary>Whether the most recent round of visits followed an inbound connection (loops make older rounds irrelevant).</summary>
    private static bool AnyInboundFollowed(FlowGraph graph, FlowchartState state, int target)
    {
        var max = 0;
        foreach (var ci in graph.ForwardInbound(target)) max = Math.Max(max, state.ConnectionVisits![ci]);
        if (max <= state.ActivityVisits![target]) return false;
        foreach (var ci in graph.ForwardInbound(target))
            if (state.ConnectionVisits![ci] == max && state.LastFollowed![ci]) return true;
        return false;
    }

    private async ValueTask CancelAncestorsAsync(FlowGraph graph, ActivityExecutionContext context, int target)
    {
        var ancestors = graph.Ancestors(target);
        foreach (var child in context.Children.ToArray())
            if (child.Status == ActivityStatus.Running && _index.TryGetValue(child.Activity, out var i) && ancestors.Contains(i))
                await child.CancelAsync();
    }
}
