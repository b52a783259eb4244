using GovFlow.Host.Api.Contracts;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Api;

/// <summary>
/// A case's official notices (文书) for whoever may read the case (its clerks, auditors, its applicant): the list, and
/// each notice's stored PDF and HTML, served as issued so a reprint is byte for byte the copy whose hash is journaled.
/// </summary>
public static class DocumentEndpoints
{
    /// <summary>Maps /api/cases/{id}/documents.</summary>
    public static void MapDocumentApi(this IEndpointRouteBuilder app)
    {
        var documents = app.MapGroup("/api/cases/{id}/documents").WithTags("Documents").RequireAuthorization();
        documents.MapGet("/", List);
        documents.MapGet("/{docId}.pdf", Pdf).Produces<byte[]>(StatusCodes.Status200OK, "application/pdf");
        documents.MapGet("/{docId}.html", Html).Produces<string>(StatusCodes.Status200OK, "text/html");
    }

    private static async Task<Ok<IReadOnlyList<CaseDocumentView>>> List(string id, HttpContext http, GovFlowDb db)
    {
        var record = await CaseEndpoints.Visible(db, Caller.From(http.User), id);
        // The printed forms are not read for the list: they are the large, encrypted columns.
        var rows = await db.CaseDocuments.AsNoTracking().Where(d => d.CaseId == record.Id).OrderBy(d => d.JournalSequence)
            .Select(d => new { d.Id, d.Kind, d.Title, d.CreatedAt, d.PdfHash, d.Algorithm, d.JournalSequence }).ToListAsync(http.RequestAborted);
        return TypedResults.Ok<IReadOnlyList<CaseDocumentView>>([.. rows.Select(d => new CaseDocumentView(d.Id, d.Kind, d.Title, d.CreatedAt, d.PdfHash, d.Algorithm, d.JournalSequence,
            new CaseDocumentLinks($"/api/cases/{record.Id}/documents/{d.Id}.pdf", $"/api/cases/{record.Id}/documents/{d.Id}.html")))]);
    }

    private static async Task<FileContentHttpResult> Pdf(string id, string docId, HttpContext http, GovFlowDb db)
    {
        var (record, document) = await FindAsync(id, docId, http, db);
        return TypedResults.File(Convert.FromBase64String(document.Pdf), "application/pdf", $"{document.Title}-{record.CaseNumber}.pdf");
    }

    private static async Task<FileContentHttpResult> Html(string id, string docId, HttpContext http, GovFlowDb db)
    {
        var (_, document) = await FindAsync(id, docId, http, db);
        // The page is the applicant's notice, not part of the app: it may style itself and show its inline QR code, nothing more.
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(document.Html), "text/html; charset=utf-8");
    }

    private static async Task<(CaseRecord Record, Documents.CaseDocumentRecord Document)> FindAsync(string id, string docId, HttpContext http, GovFlowDb db)
    {
        var record = await CaseEndpoints.Visible(db, Caller.From(http.User), id);
        var document = await db.CaseDocuments.AsNoTracking().FirstOrDefaultAsync(d => d.Id == docId && d.CaseId == record.Id, http.RequestAborted)
            ?? throw new Cases.NotFoundException("该办件没有这份文书");
        return (record, document);
    }
}
