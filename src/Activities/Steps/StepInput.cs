using GovFlow.Workflows.Runtime;

namespace GovFlow.Activities.Steps;

/// <summary>Reads fields of resume input (a JSON-like dictionary), refusing bad ones with the field named.</summary>
internal static class StepInput
{
    public static Dictionary<string, object?> Fields(object? input) =>
        input as Dictionary<string, object?> is { } d ? new Dictionary<string, object?>(d, StringComparer.OrdinalIgnoreCase) : new(StringComparer.OrdinalIgnoreCase);

    public static string? Text(Dictionary<string, object?> fields, string name) =>
        Values.ToText(fields.GetValueOrDefault(name)) is { } s && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null;

    public static string RequiredText(Dictionary<string, object?> fields, string name, string why) =>
        Text(fields, name) ?? throw new BookmarkInputException(name, why);

    public static List<string> TextList(Dictionary<string, object?> fields, string name) =>
        fields.GetValueOrDefault(name) switch
        {
            List<object?> list => list.Select(Values.ToText).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!).ToList(),
            string s when !string.IsNullOrWhiteSpace(s) => [.. s.Split(['、', ',', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            _ => []
        };
}
