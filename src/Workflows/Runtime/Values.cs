using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GovFlow.Workflows.Runtime;

/// <summary>
/// Runtime values are plain CLR values: strings, numbers, booleans, dates and time spans, with
/// <see cref="Dictionary{TKey,TValue}"/> of string to object for objects and <see cref="List{T}"/> of object for arrays.
/// This class converts between those, Elsa's type aliases and JSON.
/// </summary>
public static class Values
{
    private static readonly Dictionary<string, Type> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["String"] = typeof(string), ["Boolean"] = typeof(bool), ["Int16"] = typeof(short), ["Int32"] = typeof(int),
        ["Int64"] = typeof(long), ["Single"] = typeof(float), ["Double"] = typeof(double), ["Decimal"] = typeof(decimal),
        ["DateTime"] = typeof(DateTime), ["DateTimeOffset"] = typeof(DateTimeOffset), ["TimeSpan"] = typeof(TimeSpan),
        ["Guid"] = typeof(Guid), ["Object"] = typeof(object), ["ExpandoObject"] = typeof(Dictionary<string, object?>),
        ["JsonObject"] = typeof(Dictionary<string, object?>), ["Char"] = typeof(char), ["Byte"] = typeof(byte),
        ["String[]"] = typeof(List<string>), ["Object[]"] = typeof(List<object?>)
    };

    /// <summary>The CLR type behind an Elsa type alias (unknown aliases are <see cref="object"/>).</summary>
    public static Type TypeOf(string? alias, bool isArray = false)
    {
        if (string.IsNullOrEmpty(alias)) return typeof(object);
        var t = Aliases.TryGetValue(alias, out var found) ? found : typeof(object);
        return isArray ? typeof(List<object?>) : t;
    }

    /// <summary>Converts a value to the target type the way Elsa's input and variable conversion does.</summary>
    public static object? Convert(object? value, Type target)
    {
        if (target == typeof(object)) return value is JsonNode n ? FromJson(n) : value;
        if (value is null) return target.IsValueType ? Activator.CreateInstance(target) : null;
        if (value is JsonNode node) value = FromJson(node);
        if (value is null) return target.IsValueType ? Activator.CreateInstance(target) : null;
        if (target.IsInstanceOfType(value)) return value;
        var inv = CultureInfo.InvariantCulture;
        if (target == typeof(string)) return ToText(value);
        if (target == typeof(bool))
            return value switch
            {
                string s => bool.TryParse(s.Trim(), out var b) ? b : throw Fail(value, target),
                IConvertible c => c.ToDouble(inv) != 0,
                _ => throw Fail(value, target)
            };
        if (target == typeof(TimeSpan))
            return value switch
            {
                string s => TimeSpan.TryParse(s, inv, out var ts) ? ts : throw Fail(value, target),
                IConvertible c => TimeSpan.FromMilliseconds(c.ToDouble(inv)),
                _ => throw Fail(value, target)
            };
        if (target == typeof(DateTimeOffset))
            return value switch
            {
                string s => DateTimeOffset.Parse(s, inv, DateTimeStyles.AssumeUniversal),
                DateTime d => new DateTimeOffset(d),
                _ => throw Fail(value, target)
            };
        if (target == typeof(DateTime))
            return value switch
            {
                string s => DateTime.Parse(s, inv, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
                DateTimeOffset d => d.UtcDateTime,
                _ => throw Fail(value, target)
            };
        if (target == typeof(Guid)) return Guid.Parse(ToText(value)!);
        if (target.IsEnum)
            return value is string es ? Enum.Parse(target, es, ignoreCase: true) : Enum.ToObject(target, value);
        if (target == typeof(Dictionary<string, object?>))
            return value switch
            {
                string s => FromJson(ParseJson(s, target)) as Dictionary<string, object?> ?? throw Fail(value, target),
                IDictionary d => d.Keys.Cast<object>().ToDictionary(k => k.ToString()!, k => d[k]),
                _ => throw Fail(value, target)
            };
        if (target == typeof(List<object?>) || target == typeof(List<string>))
        {
            var items = value switch
            {
                string s when s.TrimStart().StartsWith('[') => (IEnumerable)(FromJson(ParseJson(s, target)) as List<object?>)!,
                string s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                IEnumerable e => e,
                _ => new[] { value }
            };
            return target == typeof(List<string>)
                ? items.Cast<object?>().Select(ToText).Select(x => x ?? "").ToList()
                : items.Cast<object?>().ToList();
        }
        if (value is IConvertible convertible && typeof(IConvertible).IsAssignableFrom(target))
        {
            try { return System.Convert.ChangeType(value is string str ? str.Trim() : convertible, target, inv); }
            catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException) { throw Fail(value, target); }
        }
        throw Fail(value, target);
    }

    /// <summary>Renders a value as text the way .NET's ToString would (invariant culture), objects as JSON.</summary>
    public static string? ToText(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "True" : "False",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IDictionary or IList => ToJson(value)!.ToJsonString(),
        JsonNode n => n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : n.ToJsonString(),
        _ => value.ToString()
    };

    /// <summary>A JSON node as a runtime value.</summary>
    public static object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => FromJson(p.Value)),
        JsonArray a => a.Select(FromJson).ToList(),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => v.TryGetValue<int>(out var i) ? i : v.TryGetValue<long>(out var l) ? l : v.TryGetValue<double>(out var d) ? d : v.GetValue<decimal>(),
            JsonValueKind.Null => null,
            _ => v.ToJsonString()
        },
        _ => null
    };

    /// <summary>A runtime value as JSON.</summary>
    public static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        JsonNode n => n.DeepClone(),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(d.ToString(CultureInfo.InvariantCulture)),
        float f => JsonValue.Create(f),
        decimal m => JsonValue.Create(m),
        DateTime dt => JsonValue.Create(dt.ToString("O", CultureInfo.InvariantCulture)),
        DateTimeOffset dto => JsonValue.Create(dto.ToString("O", CultureInfo.InvariantCulture)),
        TimeSpan ts => JsonValue.Create(ts.ToString("c", CultureInfo.InvariantCulture)),
        Guid g => JsonValue.Create(g.ToString()),
        Enum e => JsonValue.Create(e.ToString()),
        IDictionary<string, object?> d => new JsonObject(d.Select(p => KeyValuePair.Create(p.Key, ToJson(p.Value)))),
        IDictionary d => new JsonObject(d.Keys.Cast<object>().Select(k => KeyValuePair.Create(k.ToString()!, ToJson(d[k])))),
        IEnumerable e => new JsonArray(e.Cast<object?>().Select(ToJson).ToArray()),
        IConvertible c => JsonValue.Create(c.ToString(CultureInfo.InvariantCulture)),
        _ => JsonSerializer.SerializeToNode(value, value.GetType())
    };

    private static JsonNode? ParseJson(string s, Type target)
    {
        try { return JsonNode.Parse(s); }
        catch (JsonException) { throw new InvalidCastException($"'{Shorten(s)}' is not valid JSON for {Describe(target)}."); }
    }

    private static InvalidCastException Fail(object value, Type target) =>
        new($"Cannot convert {Describe(value.GetType())} '{Shorten(ToText(value) ?? "")}' to {Describe(target)}.");

    private static string Shorten(string s) => s.Length > 80 ? s[..77] + "..." : s;

    private static string Describe(Type t) => t == typeof(Dictionary<string, object?>) ? "an object" : t == typeof(List<object?>) || t == typeof(List<string>) ? "a list" : t.Name;
}
