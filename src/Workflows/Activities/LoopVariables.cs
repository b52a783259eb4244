using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>The loop-scoped variables Elsa declares on each iteration's body.</summary>
internal static class LoopVariables
{
    public static IReadOnlyList<VariableSlot> For(object? value, int index) =>
    [
        new VariableSlot("CurrentValue", "CurrentValue", "Object", false, value),
        new VariableSlot("CurrentIndex", "CurrentIndex", "Int32", false, index)
    ];
}
