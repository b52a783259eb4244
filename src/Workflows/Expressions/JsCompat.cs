using System.Text;

namespace GovFlow.Workflows.Expressions;

/// <summary>
/// Rewrites the few ES2020 forms Elsa scripts use that Jurassic (ES5 plus some ES6) cannot parse:
/// <c>a ?? b</c> becomes <c>__coalesce(a, b)</c>. Only used when a script fails to compile as written.
/// </summary>
internal static class JsCompat
{
    /// <summary>Rewrites every <c>??</c> outside strings and comments; returns null when there is none.</summary>
    public static string? Rewrite(string script)
    {
        var changed = false;
        while (FindCoalesce(script) is { } at)
        {
            var left = LeftOperandStart(script, at);
            var right = RightOperandEnd(script, at + 2);
            if (left < 0 || right <= at + 2) return null;
            script = script[..left] + "__coalesce(" + script[left..at].Trim() + ", " + script[(at + 2)..right].Trim() + ")" + script[right..];
            changed = true;
        }
        return changed ? script : null;
    }

    private static int? FindCoalesce(string s)
    {
        for (var i = 0; i < s.Length - 1; i++)
        {
            var skip = SkipLiteral(s, i);
            if (skip > i) { i = skip - 1; continue; }
            if (s[i] == '?' && s[i + 1] == '?') return i;
        }
        return null;
    }

    /// <summary>Index after a string, template or comment starting at <paramref name="i"/>, or <paramref name="i"/> itself.</summary>
    private static int SkipLiteral(string s, int i)
    {
        var c = s[i];
        if (c is '"' or '\'' or '`')
        {
            for (var j = i + 1; j < s.Length; j++)
            {
                if (s[j] == '\\') { j++; continue; }
                if (s[j] == c) return j + 1;
            }
            return s.Length;
        }
        if (c == '/' && i + 1 < s.Length && s[i + 1] == '/') { var end = s.IndexOf('\n', i); return end < 0 ? s.Length : end; }
        if (c == '/' && i + 1 < s.Length && s[i + 1] == '*') { var end = s.IndexOf("*/", i + 2, StringComparison.Ordinal); return end < 0 ? s.Length : end + 2; }
        return i;
    }

    private static int LeftOperandStart(string s, int at)
    {
        var i = at - 1;
        while (i >= 0 && char.IsWhiteSpace(s[i])) i--;
        if (i < 0) return -1;
        while (i >= 0)
        {
            var c = s[i];
            if (c is ')' or ']')
            {
                var open = c == ')' ? '(' : '[';
                var depth = 0;
                for (; i >= 0; i--)
                {
                    if (s[i] == c) depth++;
                    else if (s[i] == open && --depth == 0) break;
                }
                i--;
            }
            else if (c is '"' or '\'' or '`')
            {
                var j = i - 1;
                while (j >= 0 && !(s[j] == c && (j == 0 || s[j - 1] != '\\'))) j--;
                i = j - 1;
            }
            else if (char.IsLetterOrDigit(c) || c is '_' or '$' or '.') i--;
            else break;
            if (i >= 0 && !(char.IsLetterOrDigit(s[i]) || s[i] is '_' or '$' or '.' or ')' or ']')) break;
        }
        var start = i + 1;
        // 'return x ?? y' must not swallow the keyword.
        var word = new StringBuilder();
        for (var k = start; k < at && (char.IsLetter(s[k])); k++) word.Append(s[k]);
        if (word.ToString() is "return" or "typeof" or "void" or "new" && start + word.Length < at && char.IsWhiteSpace(s[start + word.Length])) start += word.Length;
        return start;
    }

    private static int RightOperandEnd(string s, int from)
    {
        var depth = 0;
        for (var i = from; i < s.Length; i++)
        {
            var skip = SkipLiteral(s, i);
            if (skip > i) { i = skip - 1; continue; }
            var c = s[i];
            if (c is '(' or '[' or '{') depth++;
            else if (c is ')' or ']' or '}') { if (depth == 0) return i; depth--; }
            else if (depth == 0 && (c is ';' or ',' or ':' || (c == '?' && !(i + 1 < s.Length && s[i + 1] == '?')))) return i;
        }
        return s.Length;
    }
}
