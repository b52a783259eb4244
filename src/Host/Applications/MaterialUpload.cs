using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Applications;

/// <summary>
/// A file an applicant uploaded (网上申办, 在线补正): owned by the uploader until it becomes one of a case's
/// materials, which it does once; its SHA-256 goes into the case's input and so into the journal.
/// </summary>
public sealed class MaterialUpload
{
    /// <summary>Upload id.</summary>
    public string Id { get; set; } = "";
    /// <summary>The applicant who uploaded it (user name): nobody else may attach it.</summary>
    public string Owner { get; set; } = "";
    /// <summary>The file's name as uploaded.</summary>
    public string FileName { get; set; } = "";
    /// <summary>application/pdf, image/jpeg or image/png, as its first bytes say.</summary>
    public string ContentType { get; set; } = "";
    /// <summary>Bytes.</summary>
    public long Size { get; set; }
    /// <summary>Hex SHA-256 of the content.</summary>
    public string Sha256 { get; set; } = "";
    /// <summary>When it was uploaded.</summary>
    public DateTimeOffset UploadedAt { get; set; }
    /// <summary>The case it belongs to once attached; null while it is only the uploader's.</summary>
    public string? CaseId { get; set; }
    /// <summary>The material of the matter it stands for.</summary>
    public string? Material { get; set; }
    /// <summary><see cref="UploadPurposes.Application"/> or <see cref="UploadPurposes.Supply"/>.</summary>
    public string? Purpose { get; set; }
    /// <summary>For a supply: the window's correction task it answers, which the clerk confirms (材料已补齐).</summary>
    public string? TaskId { get; set; }
    /// <summary>When it was attached to the case.</summary>
    public DateTimeOffset? AttachedAt { get; set; }
    /// <summary>The content.</summary>
    public byte[] Content { get; set; } = [];

    /// <summary>The table <c>material_uploads</c>.</summary>
    public static void Configure(ModelBuilder b) => b.Entity<MaterialUpload>(e =>
    {
        e.ToTable("material_uploads");
        e.HasKey(x => x.Id).HasName("pk_material_uploads");
        e.HasIndex(x => x.CaseId).HasDatabaseName("ix_material_uploads_case");
        e.HasIndex(x => x.Owner).HasDatabaseName("ix_material_uploads_owner");
        e.Property(x => x.Id).HasMaxLength(64);
        e.Property(x => x.Owner).HasMaxLength(64);
        e.Property(x => x.FileName).HasMaxLength(200);
        e.Property(x => x.ContentType).HasMaxLength(64);
        e.Property(x => x.Sha256).HasMaxLength(64);
        e.Property(x => x.CaseId).HasMaxLength(64);
        e.Property(x => x.Material).HasMaxLength(200);
        e.Property(x => x.Purpose).HasMaxLength(16);
        e.Property(x => x.TaskId).HasMaxLength(64);
    });
}

/// <summary>Why an upload was attached to a case.</summary>
public static class UploadPurposes
{
    /// <summary>Handed in with the online application.</summary>
    public const string Application = "application";
    /// <summary>Supplied online for a correction (补正), waiting for the window's confirmation.</summary>
    public const string Supply = "supply";
}

/// <summary>
/// An applicant's consent to look up their electronic certificates (免证办): who, when, which certificate types and
/// for what, with what was found, so a submission can name only certificates found under a consent.
/// </summary>
public sealed class CertificateConsent
{
    /// <summary>Consent id.</summary>
    public string Id { get; set; } = "";
    /// <summary>The applicant (user name).</summary>
    public string UserName { get; set; } = "";
    /// <summary>The matter applied for.</summary>
    public string MatterCode { get; set; } = "";
    /// <summary>The certificate types looked up, comma-separated.</summary>
    public string CertificateTypes { get; set; } = "";
    /// <summary>The use the applicant agreed to (用证事由).</summary>
    public string Purpose { get; set; } = "";
    /// <summary>When consent was given.</summary>
    public DateTimeOffset At { get; set; }
    /// <summary>What was found: material name → certificate number, as JSON.</summary>
    public string FoundJson { get; set; } = "{}";

    /// <summary>The table <c>certificate_consents</c>.</summary>
    public static void Configure(ModelBuilder b) => b.Entity<CertificateConsent>(e =>
    {
        e.ToTable("certificate_consents");
        e.HasKey(x => x.Id).HasName("pk_certificate_consents");
        e.HasIndex(x => new { x.UserName, x.At }).HasDatabaseName("ix_certificate_consents_user_at");
        e.Property(x => x.Id).HasMaxLength(64);
        e.Property(x => x.UserName).HasMaxLength(64);
        e.Property(x => x.MatterCode).HasMaxLength(40);
        e.Property(x => x.CertificateTypes).HasMaxLength(200);
        e.Property(x => x.Purpose).HasMaxLength(200);
    });
}
