// A record documents the parameters whose name does not say it all, not every one.
#pragma warning disable CS1573

using System.Text.Json.Nodes;

namespace GovFlow.Host.Api.Contracts;

/// <summary>The validator's answer for a definition being designed: every problem, each where it is.</summary>
/// <param name="Problems">Empty when the definition could be published as it is.</param>
public sealed record DefinitionCheck(IReadOnlyList<DefinitionProblem> Problems);

/// <summary>One problem of a definition, in the hall's words, at a matter field or a flow node.</summary>
/// <param name="Path">The JSON path in the definition (what import errors name).</param>
/// <param name="Field">The matter field it is at, relative to the matter (<c>materials[2].condition</c>), or null.</param>
/// <param name="ActivityId">The root flowchart's node it is at (for a nested activity: the top-level node containing it), or null.</param>
/// <param name="Message">What is wrong, in Chinese, naming the material, step or activity.</param>
public sealed record DefinitionProblem(string Path, string? Field, string? ActivityId, string Message);

/// <summary>What the matter editor offers to pick from.</summary>
/// <param name="Departments">The active departments (implementing body, joint departments, step and parallel departments).</param>
/// <param name="CertificateTypes">Electronic certificate types a material or a result may name.</param>
/// <param name="CaseFields">What a material condition or an instant-approval rule may read in JavaScript.</param>
/// <param name="Codes">The GB/T 39046 code tables.</param>
/// <param name="TimeUnits">Units of a time limit.</param>
/// <param name="Roles">The posts that do a step.</param>
/// <param name="BlankMatter">A new matter with GovFlow's defaults, as stored in a definition.</param>
public sealed record DesignerLookups(
    IReadOnlyList<DepartmentOption> Departments, IReadOnlyList<CodeName> CertificateTypes, IReadOnlyList<CaseField> CaseFields,
    MatterCodeTables Codes, IReadOnlyList<CodeName> TimeUnits, IReadOnlyList<CodeName> Roles, JsonObject BlankMatter,
    IReadOnlyList<string> ExpressionSyntaxes);

/// <summary>A draft saved from the designer, and how many problems still stand in the way of publishing it.</summary>
/// <param name="DefinitionId">The definition (the matter's code for a new matter).</param>
/// <param name="Id">The version's id.</param>
/// <param name="Version">The draft's version number.</param>
/// <param name="Problems">The validator's problems with the saved draft (publishing refuses while there are any).</param>
public sealed record DesignerDraft(string DefinitionId, string Id, int Version, int Problems);

/// <summary>A department to pick.</summary>
/// <param name="Uscc">Its unified social credit code, when registered.</param>
/// <param name="Kind"><c>hall</c> for a service hall, otherwise null.</param>
public sealed record DepartmentOption(string Name, string? Uscc, string? Kind);

/// <summary>A code and its name in the hall's words.</summary>
public sealed record CodeName(string Code, string Name);

/// <summary>A name a condition may use.</summary>
/// <param name="Name">As written in JavaScript: <c>age</c>, <c>applicant.name</c>, <c>certificates.t111</c>.</param>
/// <param name="Label">What it is, in Chinese.</param>
/// <param name="Type"><c>number</c>, <c>boolean</c>, <c>string</c> or <c>object</c>.</param>
public sealed record CaseField(string Name, string Label, string Type);

/// <summary>The GB/T 39046 code tables (code → name).</summary>
public sealed record MatterCodeTables(
    IReadOnlyDictionary<string, string> Types, IReadOnlyDictionary<string, string> Levels, IReadOnlyDictionary<string, string> ServiceObjects,
    IReadOnlyDictionary<string, string> HandlingForms, IReadOnlyDictionary<string, string> CaseTypes);
