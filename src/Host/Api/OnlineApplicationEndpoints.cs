using GovFlow.Host.Api.Contracts;
using GovFlow.Host.Applications;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Api;

/// <summary>
/// 网上申办 over HTTP: the applicant's form start, certificate lookups under consent, uploads, the submission, and the
/// online supply of owed materials; and the uploaded materials of a case for everyone who may see the case.
/// </summary>
public static class OnlineApplicationEndpoints
{
    /// <summary>Maps /api/my/applications, /api/my/uploads, /api/my/cases/{id}/supply and /api/cases/{id}/uploads.</summary>
    public static void MapOnlineApplications(this IEndpointRouteBuilder app)
    {
        var my = app.MapGroup("/api/my").WithTags("Online applications").RequireAuthorization(p => p.RequireRole(Roles.Applicant));
        my.MapGet("/applications/start", Start);
        my.MapPost("/applications/certificates", Certificates);
        my.MapPost("/applications", Submit).WithMetadata(FormDataLimited.Instance);
        my.MapPost("/uploads", Upload).DisableAntiforgery().Accepts<IFormFile>("multipart/form-data");
        my.MapPost("/cases/{id}/supply", Supply);
        var cases = app.MapGroup("/api/cases").WithTags("Online applications").RequireAuthorization();
        cases.MapGet("/{id}/uploads", CaseUploads);
        cases.MapGet("/{id}/uploads/{uploadId}", Download).Produces<byte[]>(StatusCodes.Status200OK, "application/pdf", "image/jpeg", "image/png");
    }

    private static async Task<Ok<ApplicationStart>> Start(string? matter, HttpContext http, OnlineApplications applications) =>
        TypedResults.Ok(await applications.StartAsync(Caller.From(http.User), matter, http.RequestAborted));

    private static async Task<Ok<CertificateLookupResult>> Certificates(CertificateLookupRequest body, HttpContext http, OnlineApplications applications) =>
        TypedResults.Ok(await applications.LookupAsync(Caller.From(http.User), body, http.RequestAborted));

    private static async Task<Results<Created<CaseCreated>, ValidationProblem>> Submit(OnlineApplication body, HttpContext http, OnlineApplications applications)
    {
        var (created, errors) = await applications.SubmitAsync(Caller.From(http.User), body, http.Request.Headers["Idempotency-Key"].FirstOrDefault(), http.RequestAborted);
        if (created is null) return TypedResults.ValidationProblem(errors, detail: string.Join("；", errors.Values.SelectMany(e => e)), title: "申请未通过提交前检查");
        return TypedResults.Created($"/api/my/cases/{created["caseId"]}", CaseViews.Created(created));
    }

    // The body is read here, not bound: the request's size limit is raised for this path first (see RequestGuards).
    private static async Task<Created<UploadView>> Upload(HttpContext http, GovFlowDb db, UploadOptions options, TimeProvider clock)
    {
        if (!http.Request.HasFormContentType) throw new InputException("file", "请以 multipart/form-data 上传一个文件（字段名 file）");
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        if (form.Files.Count > 1) throw new InputException("file", "一次只能上传一个文件");
        var upload = await Uploads.StageAsync(db, form.Files.GetFile("file") ?? form.Files.FirstOrDefault(), Caller.From(http.User).UserName, options, clock.GetUtcNow(), http.RequestAborted);
        await db.CommitAsync(http.RequestAborted);
        return TypedResults.Created($"/api/my/uploads/{upload.Id}", new UploadView(upload.Id, upload.FileName, upload.Size, upload.Sha256, upload.ContentType));
    }

    private static async Task<Ok<ProgressView>> Supply(string id, SupplyRequest body, HttpContext http, OnlineApplications applications, GovFlowDb db,
        GovFlow.Activities.Matters.MatterCatalog catalog, GovFlow.Activities.Calendar.WorkingCalendar calendar)
    {
        var record = await applications.SupplyAsync(Caller.From(http.User), id, body, http.RequestAborted);
        return TypedResults.Ok(await ApplicantViews.ProgressAsync(db, record, catalog, calendar));
    }

    private static async Task<Ok<IReadOnlyList<CaseUploadView>>> CaseUploads(string id, HttpContext http, GovFlowDb db)
    {
        var record = await CaseEndpoints.Visible(db, Caller.From(http.User), id);
        var uploads = await db.Uploads.AsNoTracking().Where(u => u.CaseId == record.Id).OrderBy(u => u.AttachedAt).ThenBy(u => u.Material)
            .Select(u => new CaseUploadView(u.Id, u.FileName, u.Material ?? "", u.Purpose ?? "", u.Size, u.Sha256, u.ContentType, u.UploadedAt, u.AttachedAt, u.TaskId))
            .ToListAsync(http.RequestAborted);
        return TypedResults.Ok<IReadOnlyList<CaseUploadView>>(uploads);
    }

    private static async Task<FileContentHttpResult> Download(string id, string uploadId, HttpContext http, GovFlowDb db)
    {
        var record = await CaseEndpoints.Visible(db, Caller.From(http.User), id);
        var upload = await db.Uploads.AsNoTracking().FirstOrDefaultAsync(u => u.Id == uploadId && u.CaseId == record.Id, http.RequestAborted)
            ?? throw new NotFoundException("该办件没有这份材料");
        return TypedResults.File(upload.Content, upload.ContentType, upload.FileName);
    }
}
