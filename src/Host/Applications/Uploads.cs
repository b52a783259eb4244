using System.Security.Cryptography;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;

namespace GovFlow.Host.Applications;

/// <summary>How large an applicant's upload may be (<c>GovFlow:Uploads:MaxBytes</c>, 10 MB unless configured).</summary>
/// <param name="MaxBytes">The largest file accepted.</param>
public sealed record UploadOptions(long MaxBytes)
{
    /// <summary>The path uploads are posted to; the request guards let its multipart body through.</summary>
    public const string Path = "/api/my/uploads";

    /// <summary>Room for the multipart framing around the file.</summary>
    public const long Framing = 64 * 1024;

    /// <summary>Reads the limit from configuration.</summary>
    public static UploadOptions From(IConfiguration configuration) =>
        new(Math.Max(1, configuration.GetValue("GovFlow:Uploads:MaxBytes", 10L * 1024 * 1024)));

    /// <summary>The limit in the hall's words.</summary>
    public string Describe() => MaxBytes >= 1024 * 1024 ? $"{MaxBytes / 1024.0 / 1024.0:0.#} MB" : $"{MaxBytes / 1024.0:0.#} KB";
}

/// <summary>Takes an applicant's file: PDF, JPEG or PNG by its content (a renamed file is refused), within the size limit.</summary>
public static class Uploads
{
    /// <summary>The content type its first bytes show, or null when it is none of the accepted kinds.</summary>
    public static string? Sniff(ReadOnlySpan<byte> head) =>
        head.StartsWith("%PDF-"u8) ? "application/pdf"
        : head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "image/jpeg"
        : head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
        : null;

    /// <summary>Checks and stores one file for <paramref name="owner"/> (not yet committed).</summary>
    public static async Task<MaterialUpload> StageAsync(GovFlowDb db, IFormFile? file, string owner, UploadOptions options, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0) throw new InputException("file", "请选择要上传的文件");
        if (file.Length > options.MaxBytes) throw new PayloadTooLargeException("file", $"文件过大：单个文件不超过 {options.Describe()}");
        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, cancellationToken);
        var bytes = buffer.ToArray();
        var type = Sniff(bytes) ?? throw new InputException("file", "只能上传 PDF、JPG 或 PNG 文件（按文件内容判断，改扩展名无效）");
        var name = System.IO.Path.GetFileName(file.FileName ?? "").Trim();
        if (name.Length == 0) name = "材料";
        if (name.Length > 200) name = name[^200..];
        var upload = new MaterialUpload
        {
            Id = Guid.CreateVersion7().ToString("N"), Owner = owner, FileName = name, ContentType = type, Size = bytes.LongLength,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)), UploadedAt = now, Content = bytes
        };
        db.Uploads.Add(upload);
        return upload;
    }
}
