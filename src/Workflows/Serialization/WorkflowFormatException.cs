namespace GovFlow.Workflows.Serialization;

/// <summary>A workflow definition file that cannot be read; names the JSON path and what was expected there.</summary>
public class WorkflowFormatException(string source, string path, string message, Exception? inner = null)
    : Exception($"{source}: {path}: {message}", inner)
{
    /// <summary>The file or source name.</summary>
    public string SourceName { get; } = source;

    /// <summary>The JSON path of the problem, e.g. <c>$.root.activities[2].type</c>.</summary>
    public string JsonPath { get; } = path;

    /// <summary>What was expected or what is wrong, without the location.</summary>
    public string Problem { get; } = message;
}
