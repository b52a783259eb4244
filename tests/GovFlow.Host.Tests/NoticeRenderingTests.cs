using System.Text;
using GovFlow.Host.Documents;
using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;

namespace GovFlow.Host.Tests;

/// <summary>The printed forms of a notice: an A4 PDF with the Chinese font embedded, and a self-contained HTML page.</summary>
[TestFixture]
public class NoticeRenderingTests
{
    private static readonly NoticeContent Notice = new("补正材料通知书", "区民政局〔2026〕2026030205001000123号", "张三：",
        [new("办件编号", "2026030205001000123"), new("证件号码", "440305********123X")],
        [new("您提交的申请材料不齐全。现一次性告知您需要补正的全部内容如下：" + new string('详', 300)), new("银行卡", Item: true), new("照片", Item: true)],
        "南山区政务服务中心", TestHost.Now, "http://localhost/progress?caseNumber=2026030205001000123", "2026030205001000123");

    [Test]
    public void The_pdf_is_A4_and_embeds_the_CJK_font_with_its_unicode_map()
    {
        var bytes = new NoticePdf(new DocumentOptions()).Render(Notice);
        using var pdf = PdfReader.Open(new MemoryStream(bytes), PdfDocumentOpenMode.Import);
        var fonts = pdf.Pages[0].Resources.Elements.GetDictionary("/Font")!;
        var font = (fonts.Elements.Values.Select(v => v is PdfSharp.Pdf.Advanced.PdfReference r ? r.Value : v).OfType<PdfDictionary>().First());
        var descendant = ((PdfArray)font.Elements.GetObject("/DescendantFonts")!).Elements.GetDictionary(0)!;
        var descriptor = descendant.Elements.GetDictionary("/FontDescriptor")!;
        Assert.Multiple(() =>
        {
            Assert.That(pdf.PageCount, Is.GreaterThanOrEqualTo(1));
            Assert.That(pdf.Pages[0].Width.Millimeter, Is.EqualTo(210).Within(0.5));
            Assert.That(pdf.Pages[0].Height.Millimeter, Is.EqualTo(297).Within(0.5));
            Assert.That(font.Elements.GetName("/Subtype"), Is.EqualTo("/Type0"), "a composite font, as Chinese needs");
            Assert.That(font.Elements.ContainsKey("/ToUnicode"), "the text can be extracted and searched");
            Assert.That(descriptor.Elements.ContainsKey("/FontFile2"), "the font is embedded, so it prints without fonts installed");
            Assert.That(pdf.Info.Title, Does.Contain("补正材料通知书"));
        });
    }

    [Test]
    public void A_missing_font_is_refused_in_words_that_say_what_to_install()
    {
        var ex = Assert.Throws<DocumentFontException>(() => new NoticePdf(new DocumentOptions { FontFile = "/nonexistent/font.ttc" }));
        Assert.That(ex!.Message, Does.Contain("fonts-wqy-zenhei").And.Contain("GovFlow:Documents:FontFile"));
    }

    [Test]
    public void The_html_page_is_A4_escaped_and_carries_its_QR_code_inline()
    {
        var html = Encoding.UTF8.GetString(NoticeHtml.Render(Notice with { Addressee = "<script>x</script>：" }));
        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain("size:A4"));
            Assert.That(html, Does.Contain("<h1>补正材料通知书</h1>"));
            Assert.That(html, Does.Not.Contain("<script>"));
            Assert.That(html, Does.Contain("<svg").And.Contain("<li>银行卡</li>"));
        });
    }
}
