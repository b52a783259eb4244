using System.Net;
using System.Text;

namespace GovFlow.Host.Documents;

/// <summary>
/// A notice as a self-contained printable A4 page (no scripts, no external files: the QR code is inline SVG), so the
/// stored copy prints the same years later.
/// </summary>
public static class NoticeHtml
{
    /// <summary>The page of <paramref name="notice"/>, UTF-8.</summary>
    public static byte[] Render(NoticeContent notice)
    {
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>").Append(E(notice.Title)).Append(" ").Append(E(notice.CaseNumber)).Append("</title><style>")
         .Append("@page{size:A4;margin:25mm 20mm}body{font-family:'FangSong','STFangsong','WenQuanYi Zen Hei',serif;font-size:14pt;line-height:1.8;color:#000;max-width:170mm;margin:0 auto}")
         .Append("h1{text-align:center;font-size:22pt;letter-spacing:.2em;margin:0 0 4pt}.ref{text-align:center;margin:0 0 12pt}table{border-collapse:collapse;width:100%;margin:8pt 0;font-size:12pt}")
         .Append("td{border:1px solid #000;padding:2pt 6pt}td.l{width:30%;white-space:nowrap}p{text-indent:2em;margin:4pt 0}ol{margin:4pt 0 4pt 2em}.sign{text-align:right;margin-top:24pt}")
         .Append(".qr{display:flex;gap:12pt;align-items:center;margin-top:24pt;font-size:11pt;border-top:1px dashed #000;padding-top:8pt}.qr p{text-indent:0}")
         .Append("</style></head><body>");
        h.Append("<h1>").Append(E(notice.Title)).Append("</h1><p class=\"ref\">").Append(E(notice.Reference)).Append("</p>");
        h.Append("<p style=\"text-indent:0\">").Append(E(notice.Addressee)).Append("</p>");
        var list = false;
        foreach (var block in notice.Body)
        {
            if (block.Item != list) h.Append(block.Item ? "<ol>" : "</ol>");
            list = block.Item;
            h.Append(block.Item ? "<li>" : "<p>").Append(E(block.Text)).Append(block.Item ? "</li>" : "</p>");
        }
        if (list) h.Append("</ol>");
        h.Append("<table>");
        foreach (var fact in notice.Facts) h.Append("<tr><td class=\"l\">").Append(E(fact.Label)).Append("</td><td>").Append(E(fact.Value)).Append("</td></tr>");
        h.Append("</table>");
        h.Append("<div class=\"sign\"><div>").Append(E(notice.Issuer)).Append("（盖章）</div><div>").Append(E(NoticeWriter.Day(notice.IssuedAt))).Append("</div></div>");
        h.Append("<div class=\"qr\">").Append(QrModules.Of(notice.ProgressUrl).ToSvg(96)).Append("<div><p>扫码或访问 ").Append(E(notice.ProgressUrl))
         .Append(" ，凭办件编号 ").Append(E(notice.CaseNumber)).Append(" 及证件号码查询办理进度。</p></div></div>");
        h.Append("</body></html>");
        return Encoding.UTF8.GetBytes(h.ToString());
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
