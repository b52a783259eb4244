using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace GovFlow.Host.Security;

/// <summary>
/// Masks personal information (《个人信息保护法》: an ID number is sensitive personal information) wherever GovFlow
/// shows it outside the audited reveal: 440305********123X, 138****8000, an address up to its district.
/// </summary>
public static partial class PersonalData
{
    /// <summary>A resident ID number with its birth date and sequence hidden; credit codes (enterprises) stay whole.</summary>
    public static string MaskIdNumber(string idType, string idNumber) =>
        idType == "111" && idNumber.Length >= 15 ? idNumber[..6] + new string('*', idNumber.Length - 10) + idNumber[^4..] : idType == "111" ? Stars(idNumber) : idNumber;

    /// <summary>A phone number with its middle four digits hidden.</summary>
    public static string? MaskPhone(string? phone) =>
        phone is null ? null : phone.Length >= 11 ? phone[..3] + "****" + phone[^4..] : Stars(phone);

    /// <summary>An address cut after its first six characters (province, city), the rest hidden.</summary>
    public static string? MaskAddress(string? address) =>
        address is null ? null : address.Length <= 6 ? Stars(address) : address[..6] + "****";

    /// <summary>
    /// Text (a journal payload, a case file) with every resident ID number and mobile number in it masked, for
    /// views that show records as they were written.
    /// </summary>
    public static string MaskText(string text) => Phone().Replace(IdNumber().Replace(text, "$1********$2"), "$1****$2");

    /// <summary>
    /// A JSON document (a journal payload, a case file, a certificate's data) with personal data masked: addresses
    /// under an <c>address</c> key, and every ID or mobile number in any text.
    /// </summary>
    public static JsonNode? MaskJson(string? json) => json is null ? null : Mask(JsonNode.Parse(json), null);

    /// <summary>A copy of <paramref name="node"/> masked as <see cref="MaskJson(string?)"/> says.</summary>
    public static JsonNode? MaskJson(JsonNode? node) => node is null ? null : Mask(node.DeepClone(), null);

    // Masks in place: strings are replaced by masked copies, objects and arrays are walked.
    private static JsonNode? Mask(JsonNode? node, string? key)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var name in o.Select(p => p.Key).ToList())
                    if (Masked(o[name], name) is { } text) o[name] = text;
                    else Mask(o[name], name);
                return o;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                    if (Masked(a[i], key) is { } text) a[i] = text;
                    else Mask(a[i], key);
                return a;
            default:
                return Masked(node, key) is { } masked ? JsonValue.Create(masked) : node;
        }
    }

    private static string? Masked(JsonNode? node, string? key) =>
        node is JsonValue v && v.TryGetValue<string>(out var text)
            ? key is not null && key.Contains("address", StringComparison.OrdinalIgnoreCase) ? MaskAddress(text) : MaskText(text)
            : null;

    private static string Stars(string value) => new('*', value.Length);

    [GeneratedRegex(@"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")]
    private static partial Regex IdNumber();

    [GeneratedRegex(@"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")]
    private static partial Regex Phone();
}
