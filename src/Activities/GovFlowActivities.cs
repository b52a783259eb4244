using GovFlow.Workflows.Runtime;

namespace GovFlow.Activities;

/// <summary>Registers GovFlow's activities next to Elsa's built-in ones.</summary>
public static class GovFlowActivities
{
    /// <summary>Elsa's built-in activities plus GovFlow's.</summary>
    public static ActivityRegistry CreateRegistry() => ActivityRegistry.CreateDefault().RegisterAssembly(typeof(GovFlowActivities).Assembly);
}
