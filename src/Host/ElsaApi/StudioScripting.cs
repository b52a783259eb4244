using System.Text;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Host.ElsaApi;

/// <summary>
/// The JavaScript type definitions Studio feeds its script editor (Monaco) for a definition: the functions GovFlow's
/// JavaScript evaluator gives every script, and the accessors and <c>variables</c> object of the definition's variables.
/// </summary>
public static class StudioScripting
{
    // The evaluator's functions (GovFlow.Workflows.Expressions.JavaScriptEvaluator), as a script sees them.
    private const string Globals = """
        declare function getVariable(name: string): any;
        declare function setVariable(name: string, value: any): void;
        declare function getInput(name: string): any;
        declare function getOutputFrom(activityName: string, outputName?: string): any;
        declare function getWorkflowInstanceId(): string;
        declare function getWorkflowDefinitionId(): string;
        declare function getCorrelationId(): string | null;
        declare function setCorrelationId(value: string): void;
        declare function getWorkflowInstanceName(): string | null;
        declare function setWorkflowInstanceName(value: string): void;
        declare function setOutcome(outcome: string): void;
        declare function setOutcomes(outcomes: string[]): void;
        declare function isNullOrWhiteSpace(value: any): boolean;
        declare function isNullOrEmpty(value: any): boolean;
        declare function newGuidString(): string;
        declare function toJson(value: any): string;

        """;

    /// <summary>Maps scripting/javascript/type-definitions.</summary>
    public static void Map(RouteGroupBuilder read) =>
        read.MapGet("/scripting/javascript/type-definitions/{definitionId}", (string definitionId, InMemoryWorkflowDefinitionStore store) =>
            TypedResults.Text(TypeDefinitions(store.Find(definitionId, VersionSelector.Latest)), "application/x-typescript", Encoding.UTF8));

    /// <summary>The declarations for a definition (the globals alone when there is none).</summary>
    public static string TypeDefinitions(Workflows.Model.WorkflowDefinition? definition)
    {
        var text = new StringBuilder(Globals);
        var variables = definition?.Variables.Where(v => IsIdentifier(v.Name)).ToList() ?? [];
        foreach (var v in variables)
            text.Append($"declare function get{v.Name}(): {TypeOf(v.TypeName, v.IsArray)};\ndeclare function set{v.Name}(value: {TypeOf(v.TypeName, v.IsArray)}): void;\n");
        text.Append("declare const variables: {\n");
        foreach (var v in variables) text.Append($"    {v.Name}: {TypeOf(v.TypeName, v.IsArray)};\n");
        text.Append("};\n");
        return text.ToString();
    }

    // A name that is not an identifier cannot be declared (nor called as an accessor); getVariable still reads it.
    private static bool IsIdentifier(string name) =>
        name.Length > 0 && (char.IsLetter(name[0]) || name[0] is '_' or '$') && name.All(c => char.IsLetterOrDigit(c) || c is '_' or '$');

    private static string TypeOf(string typeName, bool isArray)
    {
        var type = typeName switch
        {
            "String" or "Guid" => "string",
            "Boolean" => "boolean",
            "Int32" or "Int64" or "Double" or "Decimal" or "Single" => "number",
            "DateTime" or "DateTimeOffset" => "Date | string",
            _ => "any"
        };
        return isArray ? $"Array<{type}>" : type;
    }
}
