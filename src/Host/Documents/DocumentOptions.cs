namespace GovFlow.Host.Documents;

/// <summary>
/// Settings of official notices (<c>GovFlow:Documents</c>): the CJK font the PDFs embed, where the QR code's progress
/// page is (<c>GovFlow:PublicUrl</c>), and the bodies named in the right to review and to sue, which differ per city.
/// </summary>
public sealed class DocumentOptions
{
    /// <summary>Debian's fonts-wqy-zenhei, which the CI installs.</summary>
    public const string DefaultFontFile = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc";

    /// <summary>The TrueType font or collection (.ttf, .ttc) with Chinese glyphs; its first face is embedded.</summary>
    public string FontFile { get; init; } = DefaultFontFile;

    /// <summary>The public address of GovFlow's web pages; the QR code opens its progress page.</summary>
    public string PublicUrl { get; init; } = "http://127.0.0.1:5080";

    /// <summary>
    /// Where an applicant applies for administrative review; <c>{department}</c> stands for the deciding department.
    /// By 《行政复议法》(2023) it is in most cases the people's government at the department's level.
    /// </summary>
    public string ReviewBodyTemplate { get; init; } = "本级人民政府（{department}的同级人民政府）";

    /// <summary>The court of a lawsuit against the decision.</summary>
    public string Court { get; init; } = "有管辖权的人民法院";

    /// <summary>The review body for decisions of <paramref name="department"/>.</summary>
    public string ReviewBody(string department) => ReviewBodyTemplate.Replace("{department}", department, StringComparison.Ordinal);

    /// <summary>Reads <c>GovFlow:Documents</c> and <c>GovFlow:PublicUrl</c>.</summary>
    public static DocumentOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("GovFlow:Documents");
        var defaults = new DocumentOptions();
        return new DocumentOptions
        {
            FontFile = section["FontFile"] is { Length: > 0 } font ? font : defaults.FontFile,
            PublicUrl = configuration["GovFlow:PublicUrl"] is { Length: > 0 } url ? url.TrimEnd('/') : defaults.PublicUrl,
            ReviewBodyTemplate = section["ReviewBody"] is { Length: > 0 } review ? review : defaults.ReviewBodyTemplate,
            Court = section["Court"] is { Length: > 0 } court ? court : defaults.Court
        };
    }
}
