using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>A loop over its body: a Break inside it ends the loop after the current iteration and goes no further.</summary>
public abstract class LoopActivity(ActivityNode node, ActivityBuildContext build) : BodyActivity(node, build)
{
    /// <inheritdoc />
    protected internal override ValueTask<bool> OnSignalAsync(ActivityExecutionContext context, ActivitySignal signal, ActivityExecutionContext sender)
    {
        if (signal is not BreakSignal) return new(false);
        context.GetState<LoopState>().Breaking = true;
        return new(true);
    }
}
