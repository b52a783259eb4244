using System.Text;

namespace GovFlow.Workflows.Model;

/// <summary>Name transformations that must match Elsa's so that generated names resolve the same way.</summary>
public static class Naming
{
    /// <summary>
    /// Pascalizes like Humanizer (used by Elsa for workflow-as-activity type names and JS accessors):
    /// spaces and underscores are removed and the next letter is upper-cased; other characters stay.
    /// </summary>
    public static string Pascalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        var upper = true;
        foreach (var c in text)
        {
            if (c is ' ' or '_') { upper = true; continue; }
            sb.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }
        return sb.ToString();
    }

    /// <summary>camelCase of a Pascal name, as Elsa names input/output JSON properties.</summary>
    public static string Camelize(string text) =>
        text.Length == 0 || char.IsLower(text[0]) ? text : char.ToLowerInvariant(text[0]) + text[1..];
}
