using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Documents;

/// <summary>
/// An official notice as issued to a case: both printed forms as they were produced (a reprint serves these, never a
/// new rendering), their SM3 hashes, and the journal record that carries the hashes. The forms name the applicant, so
/// they are encrypted at rest like the case file.
/// </summary>
public sealed class CaseDocumentRecord
{
    /// <summary>Document id.</summary>
    public string Id { get; set; } = "";
    /// <summary>The case.</summary>
    public string CaseId { get; set; } = "";
    /// <summary>The notice's key in its case (<see cref="NoticeDue.Key"/>): unique, so no notice is issued twice.</summary>
    public string Key { get; set; } = "";
    /// <summary>The kind (<see cref="NoticeKinds"/>).</summary>
    public string Kind { get; set; } = "";
    /// <summary>The title printed on it.</summary>
    public string Title { get; set; } = "";
    /// <summary>When it was issued.</summary>
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The hash algorithm (the journal's: SM3).</summary>
    public string Algorithm { get; set; } = "";
    /// <summary>Hex hash of the PDF's bytes.</summary>
    public string PdfHash { get; set; } = "";
    /// <summary>Hex hash of the HTML page's bytes.</summary>
    public string HtmlHash { get; set; } = "";
    /// <summary>The journal record of its issue, which carries both hashes in the case's hash chain.</summary>
    public long JournalSequence { get; set; }
    /// <summary>The PDF, base64 (a text column, so the personal-data converter encrypts it like the other documents).</summary>
    public string Pdf { get; set; } = "";
    /// <summary>The HTML page.</summary>
    public string Html { get; set; } = "";

    /// <summary>The table <c>case_documents</c>.</summary>
    public static void Configure(ModelBuilder b) => b.Entity<CaseDocumentRecord>(e =>
    {
        e.ToTable("case_documents");
        e.HasKey(x => x.Id).HasName("pk_case_documents");
        e.HasIndex(x => new { x.CaseId, x.Key }).IsUnique().HasDatabaseName("ix_case_documents_case_key");
        e.Property(x => x.Id).HasMaxLength(64);
        e.Property(x => x.CaseId).HasMaxLength(64);
        e.Property(x => x.Key).HasMaxLength(64);
        e.Property(x => x.Kind).HasMaxLength(32);
        e.Property(x => x.Title).HasMaxLength(100);
        e.Property(x => x.Algorithm).HasMaxLength(16);
        e.Property(x => x.PdfHash).HasMaxLength(64);
        e.Property(x => x.HtmlHash).HasMaxLength(64);
    });
}
