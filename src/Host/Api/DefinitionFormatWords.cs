using System.Text.RegularExpressions;

namespace GovFlow.Host.Api;

/// <summary>
/// Says where and what is wrong in a definition file that cannot be read, in words for policy staff: the engine
/// reports a JSON path and an English reason ("$.root.activities[2].type: expected a string"), which becomes
/// "第 3 个活动的“type”应为文本". The path stays the problem's error key, for tools.
/// </summary>
public static partial class DefinitionFormatWords
{
    /// <summary>The problem at <paramref name="jsonPath"/> (the engine's <paramref name="reason"/>) in words.</summary>
    public static string Of(string jsonPath, string reason) => $"导入的流程定义无法读取：{Where(jsonPath)}{What(reason)}";

    /// <summary>The place a JSON path points at, in words: the innermost activity, connection or variable, and the field.</summary>
    public static string Where(string jsonPath)
    {
        var parts = new List<string>();
        foreach (Match m in Indexed().Matches(jsonPath))
        {
            var n = int.Parse(m.Groups["i"].Value, System.Globalization.CultureInfo.InvariantCulture) + 1;
            parts.Add(m.Groups["name"].Value switch
            {
                "activities" => $"第 {n} 个活动",
                "connections" => $"第 {n} 条连线",
                "variables" => $"第 {n} 个变量",
                "inputs" or "outputs" => $"第 {n} 个参数",
                "outcomes" => $"第 {n} 个结果",
                _ => $"第 {n} 项"
            });
        }
        var place = parts.Count > 0 ? string.Join("中的", parts) : jsonPath.Contains("customProperties", StringComparison.Ordinal) ? "事项信息" : "文件";
        var field = LastField().Match(jsonPath) is { Success: true } f && f.Groups["f"].Value is not ("root" or "activities" or "connections" or "variables") ? $"的“{f.Groups["f"].Value}”" : "";
        return place + field;
    }

    private static string What(string reason) =>
        reason.StartsWith("not valid JSON", StringComparison.Ordinal) ? "不是有效的 JSON（请确认上传的是导出的流程定义文件）"
        : reason.Contains("a workflow definition", StringComparison.Ordinal) ? "不是流程定义"
        : reason.StartsWith("expected a string", StringComparison.Ordinal) ? "应为文本"
        : reason.StartsWith("expected a whole number", StringComparison.Ordinal) ? "应为整数"
        : reason.StartsWith("expected true or false", StringComparison.Ordinal) ? "应为“是”或“否”"
        : reason.StartsWith("expected an array", StringComparison.Ordinal) ? "应为列表"
        : reason.StartsWith("expected an activity", StringComparison.Ordinal) ? "不是活动（缺少类型或标识）"
        : reason.Contains("needs an id", StringComparison.Ordinal) ? "缺少标识"
        : ProblemLanguage.HasChinese(reason) ? "：" + reason
        : "格式不对";

    [GeneratedRegex(@"(?<name>[A-Za-z]+)\[(?<i>\d+)\]")]
    private static partial Regex Indexed();

    [GeneratedRegex(@"\.(?<f>[A-Za-z_][A-Za-z0-9_]*)$")]
    private static partial Regex LastField();
}
