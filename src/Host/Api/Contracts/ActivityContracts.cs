using GovFlow.Workflows.Runtime;

namespace GovFlow.Host.Api.Contracts;

/// <summary>An activity type in the designer's toolbox.</summary>
/// <param name="TypeName">The type name as written in Elsa JSON.</param>
/// <param name="Version">The type's version.</param>
/// <param name="Category">The toolbox category.</param>
/// <param name="DisplayName">English name.</param>
/// <param name="DisplayNameZh">Chinese name.</param>
/// <param name="Description">What it does.</param>
/// <param name="Kind">Elsa's kind: Action, Trigger, Task (a person's work) or Job.</param>
/// <param name="IsTrigger">It can start a workflow.</param>
/// <param name="IsContainer">It holds other activities.</param>
/// <param name="Outcomes">Its outcome ports.</param>
/// <param name="Inputs">Its inputs, as declared with [Input].</param>
/// <param name="Outputs">Its outputs.</param>
public sealed record ActivityTypeView(
    string TypeName, int Version, string Category, string DisplayName, string? DisplayNameZh, string? Description, string Kind,
    bool IsTrigger, bool IsContainer, IReadOnlyList<string> Outcomes, IReadOnlyList<InputDescriptor> Inputs, IReadOnlyList<OutputDescriptor> Outputs);
