using GovFlow.Activities.Calendar;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Services;
using GovFlow.Host.Api.Contracts;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Api;

/// <summary>Cases: submission, the case view, search, and the journal with its verification and replay; certificate lookups.</summary>
public static class CaseEndpoints
{
    /// <summary>Maps /api/cases and /api/certificates.</summary>
    public static void MapCaseApi(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/cases").WithTags("Cases").RequireAuthorization();
        cases.MapPost("/", Submit).RequireAuthorization(p => p.RequireRole(Roles.Window)).WithMetadata(FormDataLimited.Instance);
        cases.MapGet("/{id}", Get);
        cases.MapGet("/", Search);
        cases.MapGet("/export", ExportList).Produces<byte[]>(StatusCodes.Status200OK, "text/csv");
        cases.MapGet("/{id}/journal", JournalOf);
        cases.MapGet("/{id}/journal/verify", Verify);
        cases.MapGet("/{id}/journal/export", Export);
        cases.MapPost("/{id}/applicant/reveal", Reveal).RequireAuthorization(p => p.RequireRole(Roles.Window, Roles.Reviewer));
        cases.MapGet("/{id}/reveals", Reveals).RequireAuthorization(p => p.RequireRole(Roles.Auditor));
        app.MapGet("/api/journal/public-key", PublicKey).RequireAuthorization().WithTags("Cases");
        cases.MapGet("/{id}/replay", Replay);
        cases.MapGet("/{id}/bundle", BundleEndpoints.Get);
        // The window looks up an applicant's certificates before accepting, so replaceable materials tick themselves.
        app.MapGet("/api/certificates", Certificates).RequireAuthorization(p => p.RequireRole(Roles.Window)).WithTags("Certificates");
    }

    private static async Task<Created<CaseCreated>> Submit(CaseSubmission body, HttpContext http, CaseService service, Queue.QueueService queue)
    {
        var caller = Caller.From(http.User);
        // The called number is linked in the case's own commit, so a case is linked to it once or not at all.
        var result = await service.SubmitAsync(body, http.Request.Headers["Idempotency-Key"].FirstOrDefault(), caller.UserName, http.RequestAborted,
            withCase: body.TicketId is { Length: > 0 } ticket ? (caseId, ct) => queue.LinkAsync(caller, ticket, caseId, ct) : null);
        return TypedResults.Created($"/api/cases/{result["caseId"]}", CaseViews.Created(result));
    }

    private static async Task<Ok<CaseView>> Get(string id, HttpContext http, GovFlowDb db, WorkingCalendar calendar, TimeProvider clock, GovFlow.Workflows.Runtime.InMemoryWorkflowDefinitionStore definitions)
    {
        var record = await Visible(db, Caller.From(http.User), id);
        var tasks = await db.Tasks.Where(t => t.CaseId == id && (t.Status == TaskStatuses.Open || t.Status == TaskStatuses.Claimed)).OrderBy(t => t.CreatedAt).ToListAsync();
        var waiting = await db.Bookmarks.Where(b => b.InstanceId == record.InstanceId).Select(b => new CaseViews.Waiting(b.Id, b.ActivityId, b.Name, b.PayloadJson)).ToListAsync();
        var incidents = await IncidentEndpoints.ViewsAsync(await db.Incidents.AsNoTracking().Where(i => i.CaseId == id && i.Status == IncidentStatuses.Open).ToListAsync(), db, definitions);
        var actions = await OfferedActions.OfTasksAsync(db, tasks, http.RequestAborted);
        return TypedResults.Ok(CaseViews.View(record, tasks, waiting, WarningLights.At(calendar, clock.GetUtcNow()), incidents, actions, calendar));
    }

    private static async Task<Results<Ok<CasePage>, ForbidHttpResult>> Search([AsParameters] CaseFilter filter, int? page, int? pageSize, HttpContext http, GovFlowDb db, WorkingCalendar calendar, TimeProvider clock)
    {
        var lights = WarningLights.At(calendar, clock.GetUtcNow());
        if (Matching(filter, Caller.From(http.User), db, lights) is not { } query) return TypedResults.Forbid();
        var (p, size) = Paging(page, pageSize);
        var total = await query.CountAsync();
        // 绿色通道 cases first (on the server, so paging keeps them on the first pages), then newest first.
        // Only the columns a summary shows: the case file and the encrypted applicant columns stay unread (and undecrypted).
        var items = await query.OrderBy(c => c.Priority == null).ThenByDescending(c => c.ReceivedAt).Skip((p - 1) * size).Take(size)
            .Select(c => new CaseRecord
            {
                Id = c.Id, CaseNumber = c.CaseNumber, MatterCode = c.MatterCode, MatterName = c.MatterName, Department = c.Department, ApplicantName = c.ApplicantName,
                Channel = c.Channel, ReceivedAt = c.ReceivedAt, AcceptedAt = c.AcceptedAt, PromisedDue = c.PromisedDue, StatutoryDue = c.StatutoryDue,
                CompletedAt = c.CompletedAt, Status = c.Status, WarningLevel = c.WarningLevel, YellowFrom = c.YellowFrom, Priority = c.Priority
            }).ToListAsync();
        return TypedResults.Ok(new CasePage(items.Select(c => CaseViews.Summary(c, lights, calendar)).ToList(), total, p, size));
    }

    /// <summary>The most cases one export writes; a larger list is narrowed first, not truncated silently.</summary>
    internal const int MaxExportRows = 5000;

    // The list as the caller filtered it, for a spreadsheet: the same cases the search finds (same authorisation),
    // personal data masked as on every screen, and one log line saying who exported what.
    private static async Task<Results<FileContentHttpResult, ForbidHttpResult>> ExportList([AsParameters] CaseFilter filter, HttpContext http, GovFlowDb db, WorkingCalendar calendar, TimeProvider clock, ILoggerFactory logs)
    {
        var now = clock.GetUtcNow();
        var lights = WarningLights.At(calendar, now);
        var caller = Caller.From(http.User);
        if (Matching(filter, caller, db, lights) is not { } query) return TypedResults.Forbid();
        var total = await query.CountAsync(http.RequestAborted);
        if (total > MaxExportRows) throw new InputException("filter", $"符合条件的办件有 {total} 件，一次最多导出 {MaxExportRows} 件，请缩小查询范围");
        var items = await query.OrderByDescending(c => c.ReceivedAt).ToListAsync(http.RequestAborted);
        logs.CreateLogger("GovFlow.CaseExport").LogInformation("{User} exported {Count} cases", caller.UserName, items.Count);
        var file = CaseListExport.Csv(items, lights);
        return TypedResults.File(file, "text/csv; charset=utf-8", $"办件清单-{ChinaTime.Local(now):yyyyMMdd-HHmm}.csv");
    }

    /// <summary>
    /// The cases <paramref name="caller"/> may list that match <paramref name="filter"/>, or null when the caller's role
    /// lists none. An ID number or phone is matched through its blind index: the encrypted columns are never read.
    /// </summary>
    internal static IQueryable<CaseRecord>? Matching(CaseFilter filter, Caller caller, GovFlowDb db, WarningLights lights)
    {
        if (caller.CaseRole is Roles.Policy or Roles.Applicant or Roles.Admin) return null;
        var query = db.Cases.AsQueryable();
        if (caller.CaseRole == Roles.Reviewer) query = query.Where(c => c.Department == caller.Department || db.Tasks.Any(t => t.CaseId == c.Id && t.Department == caller.Department));
        // A window clerk lists their own hall's cases (and those with a task at the hall, such as a correction); any
        // other case only by its full number, for a walk-in enquiry.
        var q = filter.Q?.Trim();
        if (caller.CaseRole == Roles.Window)
            query = query.Where(c => c.Hall == caller.Department || db.Tasks.Any(t => t.CaseId == c.Id && t.Department == caller.Department) || c.CaseNumber == q);
        if (!string.IsNullOrWhiteSpace(filter.Matter)) query = query.Where(c => c.MatterCode == filter.Matter);
        if (!string.IsNullOrWhiteSpace(filter.Status)) query = query.Where(c => c.Status == filter.Status);
        if (!string.IsNullOrWhiteSpace(filter.Department)) query = query.Where(c => c.Department == filter.Department);
        if (!string.IsNullOrWhiteSpace(filter.Warning)) query = lights.Showing(query, filter.Warning);
        if (!string.IsNullOrWhiteSpace(q)) query = query.Where(Text(q, db.Protector));
        if (!string.IsNullOrWhiteSpace(filter.IdNumber))
        {
            var idNumber = filter.IdNumber.Trim();
            if (!IsFullIdNumber(idNumber)) throw new InputException("idNumber", "请填写完整证件号码");
            var idIndex = db.Protector?.IdIndex(idNumber) ?? throw new InputException("idNumber", "未配置个人信息索引密钥，不能按证件号码查询");
            query = query.Where(c => c.ApplicantIdIndex == idIndex);
        }
        if (!string.IsNullOrWhiteSpace(filter.Phone))
        {
            if (!IsFullPhone(filter.Phone)) throw new InputException("phone", "请填写完整手机号码");
            var phoneIndex = db.Protector?.PhoneIndex(filter.Phone.Trim()) ?? throw new InputException("phone", "未配置个人信息索引密钥，不能按电话查询");
            query = query.Where(c => c.ApplicantPhoneIndex == phoneIndex);
        }
        var from = Day(filter.From, "from");
        var to = Day(filter.To, "to");
        if (from is { } f && to is { } t && t < f) throw new InputException("to", "收件日期的截止日不能早于起始日");
        // Days are the hall's (China time): "to" includes the whole of its day.
        if (from is { } start) { var since = ChinaTime.ToMoment(start.ToDateTime(TimeOnly.MinValue)); query = query.Where(c => c.ReceivedAt >= since); }
        if (to is { } end) { var before = ChinaTime.ToMoment(end.AddDays(1).ToDateTime(TimeOnly.MinValue)); query = query.Where(c => c.ReceivedAt < before); }
        return query;
    }

    /// <summary>
    /// What the search box's text matches, each through an index so that a million cases answer at once: the start
    /// of a case number (the whole number being its own start), the start of an applicant's name, and a full ID
    /// number or phone through its blind index. Nothing is matched inside a value: LIKE '%x%' reads every case.
    /// </summary>
    private static System.Linq.Expressions.Expression<Func<CaseRecord, bool>> Text(string q, Security.PersonalDataProtector? protector)
    {
        var (from, before) = Prefix(q);
        System.Linq.Expressions.Expression<Func<CaseRecord, bool>> match = c => string.Compare(c.CaseNumber, from) >= 0 && string.Compare(c.CaseNumber, before) < 0;
        // Names are never all digits, and a number-shaped text would only add a range that finds nothing.
        if (!q.All(char.IsAsciiDigit)) match = Or(match, c => string.Compare(c.ApplicantName, from) >= 0 && string.Compare(c.ApplicantName, before) < 0);
        if (IsFullIdNumber(q) && protector?.IdIndex(q) is { } idIndex) match = Or(match, c => c.ApplicantIdIndex == idIndex);
        if (IsFullPhone(q) && protector?.PhoneIndex(q) is { } phoneIndex) match = Or(match, c => c.ApplicantPhoneIndex == phoneIndex);
        return match;
    }

    // The values starting with the text are those from it up to (not including) the text with its last character
    // one higher: a range an ordinary index serves on every provider, where LIKE 'x%' needs a special collation.
    private static (string From, string Before) Prefix(string text) =>
        text[^1] == char.MaxValue ? (text, text + char.MaxValue) : (text, text[..^1] + (char)(text[^1] + 1));

    private static System.Linq.Expressions.Expression<Func<CaseRecord, bool>> Or(System.Linq.Expressions.Expression<Func<CaseRecord, bool>> left, System.Linq.Expressions.Expression<Func<CaseRecord, bool>> right) =>
        System.Linq.Expressions.Expression.Lambda<Func<CaseRecord, bool>>(System.Linq.Expressions.Expression.OrElse(left.Body,
            Microsoft.EntityFrameworkCore.Query.ReplacingExpressionVisitor.Replace(right.Parameters[0], left.Parameters[0], right.Body)), left.Parameters);

    /// <summary>Whether the text is a whole ID number or unified social credit code (18 letters and digits), as a blind index needs.</summary>
    internal static bool IsFullIdNumber(string text) => text.Trim() is { Length: 18 } t && t.All(char.IsAsciiLetterOrDigit);

    /// <summary>
    /// Whether the text is a whole phone number, as a blind index needs: a mobile's 11 digits, or a landline with its
    /// area code (0 and 9 to 11 more digits); separators such as spaces and hyphens are allowed.
    /// </summary>
    internal static bool IsFullPhone(string text)
    {
        if (!text.All(ch => char.IsAsciiDigit(ch) || ch is ' ' or '-' or '(' or ')')) return false;
        var digits = new string([.. text.Where(char.IsAsciiDigit)]);
        return digits is [ '1', ..] && digits.Length == 11 || digits is [ '0', ..] && digits.Length is >= 10 and <= 12;
    }

    private static DateOnly? Day(string? text, string field) =>
        string.IsNullOrWhiteSpace(text) ? null
        : DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day) ? day
        : throw new InputException(field, "日期须为“年-月-日”格式，例如 2026-03-02");

    private static async Task<Ok<IEnumerable<JournalRecordView>>> JournalOf(string id, HttpContext http, GovFlowDb db)
    {
        var record = await Visible(db, Caller.From(http.User), id, auditOnly: true);
        var (records, _) = await JournalArchives.EntriesAsync(db, record.InstanceId, record.Id, cancellationToken: http.RequestAborted);
        return TypedResults.Ok(records.Select(CaseViews.Journal));
    }

    private static async Task<Ok<JournalAuditView>> Verify(string id, HttpContext http, GovFlowDb db, JournalKeys keys)
    {
        var record = await Visible(db, Caller.From(http.User), id, auditOnly: true);
        var audit = (await CaseJournal.LoadAsync(db, record, http.RequestAborted)).Audit(keys.PublicKey);
        return TypedResults.Ok(new JournalAuditView(audit.Valid, audit.Chain.Entries, audit.Chain.FirstBrokenSequence, audit.Problem, audit.SignedUpTo, audit.Checkpoints, keys.PublicKey.KeyId));
    }

    private static async Task<Ok<JournalExport>> Export(string id, HttpContext http, GovFlowDb db, JournalKeys keys, TimeProvider clock)
    {
        var record = await Visible(db, Caller.From(http.User), id, auditOnly: true);
        var journal = await CaseJournal.LoadAsync(db, record, http.RequestAborted);
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"journal-{record.CaseNumber}.json\"";
        return TypedResults.Ok(new JournalExport(JournalExport.CurrentFormat, record.Id, record.CaseNumber, record.InstanceId, journal.Head, journal.Records, journal.Checkpoints,
            keys.PublicKey.KeyId, clock.GetUtcNow()));
    }

    // The full ID number, phone and address, for a handler who needs them, logged with who, when and why in the
    // same commit as the answer: no reveal goes unrecorded.
    private static async Task<Ok<CaseApplicant>> Reveal(string id, RevealRequest body, HttpContext http, GovFlowDb db, TimeProvider clock)
    {
        var caller = Caller.From(http.User);
        var record = await Visible(db, caller, id);
        var reason = body.Reason?.Trim();
        if (string.IsNullOrEmpty(reason)) throw new InputException("reason", "请说明查看完整个人信息的理由");
        if (reason.Length > 200) throw new InputException("reason", "理由不超过 200 字");
        db.Reveals.Add(new PersonalDataReveal
        {
            Id = Guid.CreateVersion7().ToString("N"), CaseId = record.Id, CaseNumber = record.CaseNumber, UserName = caller.UserName, Role = caller.Role, Reason = reason, At = clock.GetUtcNow()
        });
        await db.CommitAsync(http.RequestAborted);
        return TypedResults.Ok(CaseViews.FullApplicant(record));
    }

    private static async Task<Ok<IReadOnlyList<RevealView>>> Reveals(string id, HttpContext http, GovFlowDb db)
    {
        var record = await Visible(db, Caller.From(http.User), id, auditOnly: true);
        var reveals = await db.Reveals.AsNoTracking().Where(r => r.CaseId == record.Id).OrderBy(r => r.At).ToListAsync(http.RequestAborted);
        return TypedResults.Ok<IReadOnlyList<RevealView>>([.. reveals.Select(r => new RevealView(r.UserName, r.Role, r.Reason, r.At))]);
    }

    // Public by nature; signed-in users only so the API's surface stays behind sign-in like the rest.
    private static Ok<JournalPublicKeyView> PublicKey(JournalKeys keys) => TypedResults.Ok(new JournalPublicKeyView("SM2", keys.PublicKey.KeyId, keys.PublicKey.ToPem()));

    private static async Task<Ok<ReplayView>> Replay(string id, long? upTo, HttpContext http, GovFlowDb db)
    {
        if (upTo is not { } last || last < 1) throw new InputException("upTo", "请给出要回放到的日志序号（从 1 起）");
        var record = await Visible(db, Caller.From(http.User), id, auditOnly: true);
        var (records, _) = await JournalArchives.EntriesAsync(db, record.InstanceId, record.Id, last, http.RequestAborted);
        if (records.Count == 0 || records[^1].Sequence < last) throw new InputException("upTo", $"办件 {record.CaseNumber} 的日志只有 {records.Count} 条");
        // The case file sealed into the chain; cases journaled before the seal existed fall back to their snapshots.
        if (records.LastOrDefault(r => r.EventName == CaseFileRecord.EventName) is { } seal)
        {
            var (status, file) = CaseFileRecord.Read(PersonalData.MaskJson(seal.PayloadJson));
            return TypedResults.Ok(new ReplayView(last, status, file, new ReplayStep(seal.Sequence, seal.Timestamp), CaseViews.Journal(records[^1]), Hashed: true));
        }
        var snapshot = await db.Snapshots.Where(s => s.CaseId == id && s.UpToSequence <= last).OrderByDescending(s => s.UpToSequence).FirstOrDefaultAsync()
                       ?? (await JournalArchives.ReadAsync(db, id, http.RequestAborted))?.Content.Snapshots.LastOrDefault(s => s.UpToSequence <= last);
        return TypedResults.Ok(new ReplayView(last, snapshot?.Status ?? CaseStatus.Received, PersonalData.MaskJson(snapshot?.CaseFileJson ?? "{}"),
            snapshot is null ? null : new ReplayStep(snapshot.UpToSequence, snapshot.At), CaseViews.Journal(records[^1]), Hashed: false));
    }

    private static async Task<Results<Ok<IReadOnlyList<Certificate>>, ProblemHttpResult>> Certificates(string? holderCode, string? holderType, string? type, string? reason, HttpContext http, ICertificateService certificates)
    {
        if (string.IsNullOrWhiteSpace(holderCode)) throw new InputException("holderCode", "请填写持证人的身份证号码或统一社会信用代码");
        if (string.IsNullOrWhiteSpace(type)) throw new InputException("type", "请填写证照类型代码");
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 200) throw new InputException("reason", "请填写用证事由（不超过 200 字）");
        try
        {
            return TypedResults.Ok(await certificates.LookupAsync(new CertificateQuery(holderCode.Trim().ToUpperInvariant(), holderType ?? "111", type, null, reason, null, Caller.From(http.User).UserName), null, http.RequestAborted));
        }
        catch (ServiceUnavailableException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "电子证照库暂不可用");
        }
    }

    /// <summary>The case, if <paramref name="caller"/> may read it (404 for another applicant's case, 403 outside the caller's role or department).</summary>
    internal static async Task<CaseRecord> Visible(GovFlowDb db, Caller caller, string id, bool auditOnly = false)
    {
        var record = await db.Cases.FindAsync(id) ?? throw new NotFoundException("没有这件办件");
        var allowed = caller.CaseRole switch
        {
            Roles.Auditor or Roles.Window => true,
            Roles.Reviewer => record.Department == caller.Department || await db.Tasks.AnyAsync(t => t.CaseId == id && t.Department == caller.Department),
            Roles.Applicant => !auditOnly && OfApplicant(caller).Compile()(record),
            _ => false
        };
        // Another applicant's case does not exist as far as an applicant can tell.
        if (!allowed && caller.Role == Roles.Applicant) throw new NotFoundException("没有这件办件");
        if (!allowed) throw new ForbiddenException();
        Operations.Logs.Concerns(record.CaseNumber);
        return record;
    }

    /// <summary>
    /// The cases an applicant may see: their own (their ID number's), and as an enterprise's authorised staff
    /// (企业经办人) the enterprise's (its credit code's, 证件类型 001).
    /// </summary>
    internal static System.Linq.Expressions.Expression<Func<CaseRecord, bool>> OfApplicant(Caller caller)
    {
        var own = caller.IdIndex;
        var enterprise = caller.EnterpriseIndex;
        return c => (own != null && c.ApplicantIdIndex == own) || (enterprise != null && c.ApplicantIdType == "001" && c.ApplicantIdIndex == enterprise);
    }

    /// <summary>Checks a page request: page from 1, 1 to 100 a page (20 unless asked).</summary>
    internal static (int Page, int Size) Paging(int? page, int? pageSize)
    {
        if (page is < 1) throw new InputException("page", "页码从 1 开始");
        if (pageSize is < 1 or > 100) throw new InputException("pageSize", "每页条数为 1 至 100");
        return (page ?? 1, pageSize ?? 20);
    }

}

/// <summary>Outside the caller's role or department (becomes a 403).</summary>
public sealed class ForbiddenException() : Exception("您的岗位或部门无权进行此操作");
