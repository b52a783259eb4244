using System.Text.Json;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Matters;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Priority;

/// <summary>What policy staff send to mark an applicant for priority service.</summary>
/// <param name="IdType">111 (resident ID) or 001 (unified social credit code).</param>
/// <param name="IdNumber">The ID number or credit code.</param>
/// <param name="Name">The person's or enterprise's name.</param>
/// <param name="Kind">green, key-enterprise or vip.</param>
/// <param name="Reason">Why (required).</param>
/// <param name="EndsOn">The last day of priority service; after today.</param>
public sealed record PriorityApplicantInput(string? IdType, string? IdNumber, string? Name, string? Kind, string? Reason, DateOnly? EndsOn);

/// <summary>A change of an entry's end date (and, optionally, its reason).</summary>
/// <param name="EndsOn">The new last day; after today.</param>
/// <param name="Reason">A new reason; the old one stays when empty.</param>
public sealed record PriorityApplicantChange(DateOnly? EndsOn, string? Reason);

/// <summary>An entry as policy staff and auditors see it (an ID number masked; a credit code is public).</summary>
/// <param name="Id">Entry id.</param>
/// <param name="IdType">111 or 001.</param>
/// <param name="IdNumber">The masked number.</param>
/// <param name="Name">Name.</param>
/// <param name="Kind">green, key-enterprise or vip.</param>
/// <param name="KindName">The kind's Chinese label.</param>
/// <param name="Reason">Why.</param>
/// <param name="EndsOn">Last day.</param>
/// <param name="State">active, expired or revoked on the server's today.</param>
/// <param name="MarkedBy">Who marked (user name).</param>
/// <param name="MarkedAt">When.</param>
/// <param name="RevokedBy">Who revoked.</param>
/// <param name="RevokedAt">When revoked.</param>
public sealed record PriorityApplicantView(string Id, string IdType, string IdNumber, string Name, string Kind, string KindName, string Reason, DateOnly EndsOn,
    string State, string MarkedBy, DateTimeOffset MarkedAt, string? RevokedBy, DateTimeOffset? RevokedAt)
{
    /// <summary>The display name of whoever marked the applicant, as the page shows it.</summary>
    public string? MarkedByName { get; init; }
}

/// <summary>
/// The priority register (绿色通道名单): policy staff mark, extend and revoke; every change is an admin change with
/// the entry before and after; a submission asks <see cref="Applying"/> whether its applicant is served first.
/// </summary>
public sealed class PriorityRegister(GovFlowDb db, PersonalDataProtector protector, TimeProvider clock)
{
    /// <summary>The admin change log's entity name for the register.</summary>
    public const string Entity = "priority";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The entries that flag a case of the applicant with blind index <paramref name="idIndex"/> received on
    /// <paramref name="day"/>: not revoked, not ended; the latest marked first when there are several.
    /// </summary>
    public static IQueryable<PriorityApplicant> Applying(GovFlowDb db, string idIndex, DateOnly day) =>
        db.PriorityApplicants.AsNoTracking().Where(p => p.IdIndex == idIndex && p.RevokedAt == null && p.EndsOn >= day).OrderByDescending(p => p.MarkedAt);

    /// <summary>The register, newest first; ended and revoked entries only when <paramref name="all"/>.</summary>
    public async Task<List<PriorityApplicantView>> ListAsync(bool all, CancellationToken cancellationToken)
    {
        var today = Today;
        var query = db.PriorityApplicants.AsNoTracking();
        if (!all) query = query.Where(p => p.RevokedAt == null && p.EndsOn >= today);
        var rows = await query.OrderByDescending(p => p.MarkedAt).Take(1000).ToListAsync(cancellationToken);
        var markers = rows.Select(r => r.MarkedBy).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => markers.Contains(u.UserName)).ToDictionaryAsync(u => u.UserName, u => u.DisplayName, cancellationToken);
        return [.. rows.Select(r => View(r) with { MarkedByName = names.GetValueOrDefault(r.MarkedBy) })];
    }

    /// <summary>Marks an applicant; refused while the same applicant has a standing entry.</summary>
    /// <exception cref="InputException">A field is missing or wrong.</exception>
    /// <exception cref="ConflictException">The applicant is on the register already.</exception>
    public async Task<PriorityApplicantView> MarkAsync(PriorityApplicantInput input, string actor, CancellationToken cancellationToken)
    {
        if (input.IdType is not ("111" or "001")) throw new InputException("idType", "请选择证件类型：居民身份证或统一社会信用代码");
        var number = input.IdNumber?.Trim().ToUpperInvariant() ?? "";
        if (input.IdType == "111" && !IdentityNumber.IsValid(number)) throw new InputException("idNumber", "不是有效的 18 位居民身份证号码（校验位不符）");
        if (input.IdType == "001" && !CreditCode.IsValid(number)) throw new InputException("idNumber", "不是有效的统一社会信用代码");
        var name = input.Name?.Trim() ?? "";
        if (name.Length is 0 or > 100) throw new InputException("name", "请填写申请人姓名或企业名称（不超过 100 字）");
        if (input.Kind is null || !PriorityKinds.All.Contains(input.Kind))
            throw new InputException("kind", $"请选择优先服务类别：{string.Join("、", PriorityKinds.All.Select(k => PriorityKinds.Names[k]))}");
        var reason = Reason(input.Reason) ?? throw new InputException("reason", "请填写列入名单的理由（如认定文件、会议纪要）");
        var endsOn = EndsOn(input.EndsOn);
        var index = protector.IdIndex(number)!;
        var today = Today;
        if (await db.PriorityApplicants.AnyAsync(p => p.IdIndex == index && p.RevokedAt == null && p.EndsOn >= today, cancellationToken))
            throw new ConflictException("该申请人已在优先服务名单中，请修改原有记录的结束日期");
        var row = new PriorityApplicant
        {
            Id = Guid.CreateVersion7().ToString("N"), IdType = input.IdType, IdNumber = number, IdIndex = index, Name = name, Kind = input.Kind, Reason = reason,
            EndsOn = endsOn, MarkedBy = actor, MarkedAt = clock.GetUtcNow(), Stamp = CaseProjection.NewStamp()
        };
        db.PriorityApplicants.Add(row);
        Journal(row.Id, "created", null, row, actor);
        await SaveAsync(cancellationToken);
        return View(row);
    }

    /// <summary>Moves a standing entry's end date (and replaces its reason when one is given).</summary>
    /// <exception cref="NotFoundException">No such entry.</exception>
    /// <exception cref="ConflictException">The entry was revoked.</exception>
    public async Task<PriorityApplicantView> ChangeAsync(string id, PriorityApplicantChange change, string actor, CancellationToken cancellationToken)
    {
        var row = await Find(id, cancellationToken);
        var endsOn = EndsOn(change.EndsOn);
        var before = Snapshot(row);
        row.EndsOn = endsOn;
        row.Reason = Reason(change.Reason) ?? row.Reason;
        row.Stamp = CaseProjection.NewStamp();
        Journal(row.Id, "updated", before, row, actor);
        await SaveAsync(cancellationToken);
        return View(row);
    }

    /// <summary>Ends an entry now: the applicant's cases submitted from now on are not flagged (those flagged stay so).</summary>
    /// <exception cref="NotFoundException">No such entry.</exception>
    /// <exception cref="ConflictException">Already revoked.</exception>
    public async Task<PriorityApplicantView> RevokeAsync(string id, string actor, CancellationToken cancellationToken)
    {
        var row = await Find(id, cancellationToken);
        var before = Snapshot(row);
        row.RevokedBy = actor;
        row.RevokedAt = clock.GetUtcNow();
        row.Stamp = CaseProjection.NewStamp();
        Journal(row.Id, "revoked", before, row, actor);
        await SaveAsync(cancellationToken);
        return View(row);
    }

    private DateOnly Today => ChinaTime.Date(clock.GetUtcNow());

    private async Task<PriorityApplicant> Find(string id, CancellationToken cancellationToken)
    {
        var row = await db.PriorityApplicants.FirstOrDefaultAsync(p => p.Id == id, cancellationToken) ?? throw new NotFoundException("优先服务名单中没有这条记录");
        if (row.RevokedAt is not null) throw new ConflictException("这条记录已撤销，不能再修改");
        return row;
    }

    private static string? Reason(string? reason)
    {
        var text = reason?.Trim();
        if (string.IsNullOrEmpty(text)) return null;
        return text.Length > 200 ? throw new InputException("reason", "理由不超过 200 字") : text;
    }

    private DateOnly EndsOn(DateOnly? endsOn)
    {
        if (endsOn is not { } day) throw new InputException("endsOn", "请填写优先服务的结束日期");
        return day <= Today ? throw new InputException("endsOn", $"结束日期须晚于今天（{Today:yyyy年M月d日}）") : day;
    }

    private PriorityApplicantView View(PriorityApplicant p) => new(p.Id, p.IdType, PersonalData.MaskIdNumber(p.IdType, p.IdNumber), p.Name, p.Kind,
        PriorityKinds.Names.GetValueOrDefault(p.Kind, p.Kind), p.Reason, p.EndsOn, p.RevokedAt is not null ? "revoked" : p.EndsOn < Today ? "expired" : "active",
        p.MarkedBy, p.MarkedAt, p.RevokedBy, p.RevokedAt);

    // The journaled form: the number masked, as the change log is read by administrators and auditors.
    private static string Snapshot(PriorityApplicant p) => JsonSerializer.Serialize(new
    {
        p.IdType, IdNumber = PersonalData.MaskIdNumber(p.IdType, p.IdNumber), p.Name, p.Kind, p.Reason, EndsOn = p.EndsOn.ToString("yyyy-MM-dd"), p.RevokedBy, p.RevokedAt
    }, Json);

    private void Journal(string key, string action, string? before, PriorityApplicant after, string actor) =>
        db.AdminChanges.Add(new AdminChange
        {
            Id = Guid.CreateVersion7().ToString("N"), At = clock.GetUtcNow(), Actor = actor, Entity = Entity, Key = key, Action = action, Before = before, After = Snapshot(after)
        });

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        try { await db.CommitAsync(cancellationToken); }
        catch (DbUpdateConcurrencyException) { throw new ConflictException("这条记录刚被他人修改，请刷新后重试"); }
    }
}
