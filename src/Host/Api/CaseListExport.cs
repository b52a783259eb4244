using System.Text;
using GovFlow.Activities.Cases;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using Microsoft.AspNetCore.Mvc;

namespace GovFlow.Host.Api;

/// <summary>What a case search asks for; the list and its export read the same filter.</summary>
/// <param name="Q">The start of a case number or of an applicant's name (a whole one included), or a full ID number or phone.</param>
/// <param name="Matter">Matter code.</param>
/// <param name="Status">Case status code (Accepted, InReview…).</param>
/// <param name="Warning">Supervision light: green, yellow or red.</param>
/// <param name="Department">The implementing department, by its name.</param>
/// <param name="IdNumber">The applicant's full ID number or credit code (18 characters), matched through its blind index; part of one is refused.</param>
/// <param name="Phone">The applicant's full phone number (a mobile's 11 digits, or a landline with its area code), matched through its blind index; part of one is refused.</param>
/// <param name="From">First day received (yyyy-MM-dd, China time).</param>
/// <param name="To">Last day received (yyyy-MM-dd, China time), included.</param>
public sealed record CaseFilter(
    [FromQuery(Name = "q")] string? Q, [FromQuery(Name = "matter")] string? Matter, [FromQuery(Name = "status")] string? Status, [FromQuery(Name = "warning")] string? Warning,
    [FromQuery(Name = "department")] string? Department, [FromQuery(Name = "idNumber")] string? IdNumber, [FromQuery(Name = "phone")] string? Phone,
    [FromQuery(Name = "from")] string? From, [FromQuery(Name = "to")] string? To);

/// <summary>A case list as a CSV file a spreadsheet opens in Chinese: a UTF-8 byte-order mark, the hall's words, personal data masked.</summary>
public static class CaseListExport
{
    private static readonly string[] Header = ["办件编号", "事项名称", "事项编码", "实施部门", "申请人", "证件号码", "联系电话", "办理渠道", "收件时间", "承诺办结日", "办结时间", "状态", "预警"];

    /// <summary>The cases as CSV bytes, one line each, in the order given.</summary>
    public static byte[] Csv(IEnumerable<CaseRecord> cases, WarningLights lights)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', Header).Append("\r\n");
        foreach (var c in cases)
        {
            string[] row =
            [
                c.CaseNumber, c.MatterName, c.MatterCode, c.Department, c.ApplicantName,
                PersonalData.MaskIdNumber(c.ApplicantIdType, c.ApplicantIdNumber), PersonalData.MaskPhone(c.ApplicantPhone) ?? "",
                Channel(c.Channel), Moment(c.ReceivedAt), Moment(c.PromisedDue), Moment(c.CompletedAt),
                Designer.DryRunner.StatusName(c.Status), Light(lights.Of(c))
            ];
            text.AppendJoin(',', row.Select(Cell)).Append("\r\n");
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    /// <summary>
    /// One cell: quoted when it holds a comma, quote or line break; text a spreadsheet would run as a formula
    /// (=, +, -, @, tab, carriage return first) is prefixed with ' so it opens as text.
    /// </summary>
    public static string Cell(string value)
    {
        var text = value.Length > 0 && "=+-@\t\r".Contains(value[0]) ? "'" + value : value;
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{text.Replace("\"", "\"\"")}\"" : text;
    }

    private static string Moment(DateTimeOffset? at) => at is { } a ? ChinaTime.Local(a).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) : "";

    private static string Channel(string channel) => channel switch
    {
        "window" => "窗口", "pc" => "网上办事大厅", "mobile" => "移动端", "courier" => "邮寄", "selfService" => "自助终端", _ => channel
    };

    private static string Light(string light) => light switch { "green" => "绿灯", "yellow" => "黄灯", "red" => "红灯", _ => light };
}
