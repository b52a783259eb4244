using QRCoder;

namespace GovFlow.Host.Documents;

/// <summary>
/// The dark modules of a QR code, which both printed forms draw themselves (squares in the PDF, an SVG path in the
/// HTML), so the code stays sharp at any print size and needs no image library.
/// </summary>
public sealed class QrModules
{
    private readonly bool[,] _dark;

    private QrModules(bool[,] dark) => _dark = dark;

    /// <summary>Modules per side, quiet zone included.</summary>
    public int Size => _dark.GetLength(0);

    /// <summary>Whether the module at column <paramref name="x"/>, row <paramref name="y"/> is dark.</summary>
    public bool IsDark(int x, int y) => _dark[y, x];

    /// <summary>The code of <paramref name="text"/> at error correction level M.</summary>
    public static QrModules Of(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var rows = data.ModuleMatrix;
        var dark = new bool[rows.Count, rows.Count];
        for (var y = 0; y < rows.Count; y++)
            for (var x = 0; x < rows.Count; x++) dark[y, x] = rows[y][x];
        return new QrModules(dark);
    }

    /// <summary>An SVG drawing of the code, <paramref name="pixels"/> wide.</summary>
    public string ToSvg(int pixels)
    {
        var path = new System.Text.StringBuilder();
        // One rectangle per horizontal run of dark modules keeps the page small.
        for (var y = 0; y < Size; y++)
            for (var x = 0; x < Size; x++)
            {
                if (!IsDark(x, y)) continue;
                var run = 1;
                while (x + run < Size && IsDark(x + run, y)) run++;
                path.Append('M').Append(x).Append(' ').Append(y).Append('h').Append(run).Append("v1h-").Append(run).Append('z');
                x += run - 1;
            }
        return $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{pixels}\" height=\"{pixels}\" viewBox=\"0 0 {Size} {Size}\" shape-rendering=\"crispEdges\"><rect width=\"{Size}\" height=\"{Size}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>";
    }
}
