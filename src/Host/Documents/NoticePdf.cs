using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace GovFlow.Host.Documents;

/// <summary>
/// A notice as an A4 PDF with the CJK font embedded (subset, Unicode-mapped, so its text can be searched and copied).
/// Lines are broken by measured width, character by character, since Chinese text has no spaces to break at.
/// </summary>
public sealed class NoticePdf
{
    private const double Margin = 56.7; // 20 mm
    private const double Top = 70.9; // 25 mm
    private readonly string _family;

    /// <summary>A renderer using the font file of <paramref name="options"/>; fails at once, in words, when it is missing.</summary>
    public NoticePdf(DocumentOptions options)
    {
        if (!File.Exists(options.FontFile))
            throw new DocumentFontException($"找不到文书 PDF 所需的中文字体文件“{options.FontFile}”：请安装 fonts-wqy-zenhei（apt-get install -y fonts-wqy-zenhei），"
                + "或在 GovFlow:Documents:FontFile 中配置一个含中文字形的 TrueType 字体（.ttf 或 .ttc）。");
        CjkFontResolver.Install();
        _family = CjkFontResolver.FamilyOf(options.FontFile);
    }

    /// <summary>The PDF of <paramref name="notice"/>.</summary>
    public byte[] Render(NoticeContent notice)
    {
        using var document = new PdfDocument();
        document.Info.Title = notice.Title + " " + notice.CaseNumber;
        document.Info.Author = notice.Issuer;
        document.Info.Creator = "GovFlow";
        document.Info.CreationDate = notice.IssuedAt.UtcDateTime;
        var options = new XPdfFontOptions(PdfFontEncoding.Unicode);
        var page = new Writer(document, _family, options);

        page.Centered(notice.Title, 20, spaceAfter: 6);
        page.Centered(notice.Reference, 10.5, spaceAfter: 14);
        page.Paragraph(notice.Addressee, 12, indent: false);
        var item = 0;
        foreach (var block in notice.Body)
        {
            item = block.Item ? item + 1 : 0;
            if (block.Item) page.Item($"{item}. ", block.Text, 12);
            else page.Paragraph(block.Text, 12, indent: true);
        }
        page.Space(8);
        page.Table(notice.Facts, 10.5);
        page.Space(16);
        page.Right(notice.Issuer + "（盖章）", 12);
        page.Right(NoticeWriter.Day(notice.IssuedAt), 12);
        page.Space(18);
        page.Qr(QrModules.Of(notice.ProgressUrl), $"扫码或访问 {notice.ProgressUrl} ，凭办件编号 {notice.CaseNumber} 及证件号码查询办理进度。", 9.5);
        page.Finish();

        using var stream = new MemoryStream();
        document.Save(stream, false);
        return stream.ToArray();
    }

    // Draws top to bottom, starting a new page when the next line does not fit.
    private sealed class Writer
    {
        private readonly PdfDocument _document;
        private readonly string _family;
        private readonly XPdfFontOptions _options;
        private readonly Dictionary<double, XFont> _fonts = [];
        private PdfPage _page = null!;
        private XGraphics _g = null!;
        private double _y;

        public Writer(PdfDocument document, string family, XPdfFontOptions options)
        {
            _document = document;
            _family = family;
            _options = options;
            NewPage();
        }

        private double Width => _page.Width.Point - 2 * Margin;
        private double Bottom => _page.Height.Point - Top;

        private XFont Font(double size) => _fonts.TryGetValue(size, out var f) ? f : _fonts[size] = new XFont(_family, size, XFontStyleEx.Regular, _options);

        private void NewPage()
        {
            _g?.Dispose();
            _page = _document.AddPage();
            _page.Width = XUnit.FromMillimeter(210);
            _page.Height = XUnit.FromMillimeter(297);
            _g = XGraphics.FromPdfPage(_page);
            _y = Top;
        }

        private void Fit(double height)
        {
            if (_y + height > Bottom) NewPage();
        }

        public void Space(double points) => _y += points;

        public void Centered(string text, double size, double spaceAfter)
        {
            var font = Font(size);
            foreach (var line in Wrap(text, font, Width))
            {
                Fit(size * 1.5);
                var width = _g.MeasureString(line, font).Width;
                _g.DrawString(line, font, XBrushes.Black, new XPoint(Margin + (Width - width) / 2, _y), XStringFormats.TopLeft);
                _y += size * 1.5;
            }
            _y += spaceAfter;
        }

        public void Right(string text, double size)
        {
            var font = Font(size);
            Fit(size * 1.7);
            var width = _g.MeasureString(text, font).Width;
            _g.DrawString(text, font, XBrushes.Black, new XPoint(Margin + Width - width, _y), XStringFormats.TopLeft);
            _y += size * 1.7;
        }

        public void Paragraph(string text, double size, bool indent)
        {
            var font = Font(size);
            var lead = indent ? 2 * size : 0;
            var first = true;
            foreach (var line in Wrap(text, font, Width, lead))
            {
                Fit(size * 1.7);
                _g.DrawString(line, font, XBrushes.Black, new XPoint(Margin + (first ? lead : 0), _y), XStringFormats.TopLeft);
                _y += size * 1.7;
                first = false;
            }
        }

        public void Item(string number, string text, double size)
        {
            var font = Font(size);
            var hang = 2 * size;
            var first = true;
            foreach (var line in Wrap(text, font, Width - hang))
            {
                Fit(size * 1.7);
                if (first) _g.DrawString(number, font, XBrushes.Black, new XPoint(Margin + size * 0.5, _y), XStringFormats.TopLeft);
                _g.DrawString(line, font, XBrushes.Black, new XPoint(Margin + hang, _y), XStringFormats.TopLeft);
                _y += size * 1.7;
                first = false;
            }
        }

        public void Table(IReadOnlyList<NoticeFact> facts, double size)
        {
            var font = Font(size);
            var label = Width * 0.3;
            var pen = new XPen(XColors.Black, 0.6);
            foreach (var fact in facts)
            {
                var lines = Wrap(fact.Value, font, Width - label - 12);
                var height = Math.Max(1, lines.Count) * size * 1.5 + 6;
                Fit(height);
                _g.DrawRectangle(pen, Margin, _y, label, height);
                _g.DrawRectangle(pen, Margin + label, _y, Width - label, height);
                _g.DrawString(fact.Label, font, XBrushes.Black, new XPoint(Margin + 6, _y + 3), XStringFormats.TopLeft);
                for (var i = 0; i < lines.Count; i++)
                    _g.DrawString(lines[i], font, XBrushes.Black, new XPoint(Margin + label + 6, _y + 3 + i * size * 1.5), XStringFormats.TopLeft);
                _y += height;
            }
        }

        public void Qr(QrModules qr, string caption, double size)
        {
            const double side = 72; // one inch: scans from a phone at arm's length
            Fit(side + 4);
            var module = side / qr.Size;
            for (var y = 0; y < qr.Size; y++)
                for (var x = 0; x < qr.Size; x++)
                    if (qr.IsDark(x, y)) _g.DrawRectangle(XBrushes.Black, Margin + x * module, _y + y * module, module, module);
            var font = Font(size);
            var lineY = _y + side / 2 - size;
            foreach (var line in Wrap(caption, font, Width - side - 12))
            {
                _g.DrawString(line, font, XBrushes.Black, new XPoint(Margin + side + 12, lineY), XStringFormats.TopLeft);
                lineY += size * 1.5;
            }
            _y += side + 4;
        }

        public void Finish() => _g.Dispose();

        // Breaks before the character that would overflow; the first line may be shorter by its indent.
        private List<string> Wrap(string text, XFont font, double width, double firstIndent = 0)
        {
            var lines = new List<string>();
            var start = 0;
            var available = width - firstIndent;
            for (var end = 1; end <= text.Length; end++)
            {
                if (_g.MeasureString(text[start..end], font).Width <= available) continue;
                var cut = Math.Max(start + 1, end - 1);
                lines.Add(text[start..cut]);
                start = cut;
                end = cut;
                available = width;
            }
            if (start < text.Length || lines.Count == 0) lines.Add(text[start..]);
            return lines;
        }
    }
}

/// <summary>The CJK font file named in the settings is missing or unreadable.</summary>
public sealed class DocumentFontException(string message) : InvalidOperationException(message);

/// <summary>
/// PDFsharp's font resolver for GovFlow's notices: a family name carries the font file's path, so hosts configured
/// with different fonts share PDFsharp's one process-wide resolver; a collection (.ttc) gives its first face.
/// </summary>
internal sealed class CjkFontResolver : IFontResolver
{
    private const string Prefix = "GovFlowCJK:";
    private static readonly Lock Gate = new();

    /// <summary>The family name to ask for the font in <paramref name="path"/>.</summary>
    public static string FamilyOf(string path) => Prefix + Path.GetFullPath(path);

    /// <summary>Makes this PDFsharp's resolver (once per process).</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is not CjkFontResolver) GlobalFontSettings.FontResolver = new CjkFontResolver();
        }
    }

    /// <inheritdoc />
    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        familyName.StartsWith(Prefix, StringComparison.Ordinal) ? new FontResolverInfo(familyName, bold, italic) : null;

    /// <inheritdoc />
    public byte[]? GetFont(string faceName)
    {
        var path = faceName[Prefix.Length..];
        try { return FirstFace(File.ReadAllBytes(path)); }
        catch (IOException ex) { throw new DocumentFontException($"无法读取文书 PDF 所需的中文字体文件“{path}”：{ex.Message}"); }
    }

    /// <summary>
    /// A TrueType collection's first face as a font file of its own (PDFsharp 6.2 reads no collections): its table
    /// directory with the tables copied after it, offsets made relative to the new file. A plain font is returned as is.
    /// </summary>
    internal static byte[] FirstFace(byte[] file)
    {
        if (file.Length < 12 || file[0] != 't' || file[1] != 't' || file[2] != 'c' || file[3] != 'f') return file;
        var face = (int)ReadUInt32(file, 12);
        var tables = ReadUInt16(file, face + 4);
        var directory = 12 + 16 * tables;
        var size = directory;
        for (var i = 0; i < tables; i++) size += (int)((ReadUInt32(file, face + 12 + 16 * i + 12) + 3) & ~3u);
        var font = new byte[size];
        Array.Copy(file, face, font, 0, 12);
        var at = directory;
        for (var i = 0; i < tables; i++)
        {
            var record = face + 12 + 16 * i;
            var offset = (int)ReadUInt32(file, record + 8);
            var length = (int)ReadUInt32(file, record + 12);
            Array.Copy(file, record, font, 12 + 16 * i, 16);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(font.AsSpan(12 + 16 * i + 8), (uint)at);
            Array.Copy(file, offset, font, at, length);
            at += (length + 3) & ~3;
        }
        return font;
    }

    private static uint ReadUInt32(byte[] data, int at) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(at));

    private static ushort ReadUInt16(byte[] data, int at) => System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(at));
}
