using System.Text.Json;
using System.Text.Json.Nodes;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Matters;
using GovFlow.Activities.Services;
using GovFlow.Activities.Steps;
using GovFlow.Host.Api.Contracts;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using GovFlow.Host.Simulators;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Applications;

/// <summary>
/// 网上申办: the applicant's form from the guide and what GovFlow knows, certificate lookups under consent (免证办),
/// the checks before submitting, and the submission through the window's own path, where the application waits for
/// the window's online pre-review (网上预审). Also the online supply of owed materials (在线补正).
/// </summary>
public sealed class OnlineApplications(GovFlowDb db, MatterCatalog catalog, ICertificateService certificates, CaseService cases, TimeProvider clock, UploadOptions uploadOptions)
{
    /// <summary>The form's start for <paramref name="caller"/>.</summary>
    public async Task<ApplicationStart> StartAsync(Caller caller, string? matterCode, CancellationToken cancellationToken)
    {
        var entry = Find(matterCode);
        var user = await ApplicantAsync(caller, cancellationToken);
        var fields = Fields(entry.Matter);
        var (phone, address, data, from) = await EarlierAsync(caller, entry.Matter.Code, fields, cancellationToken);
        var prefill = new ApplicationPrefill(user.DisplayName, PersonalData.MaskIdNumber("111", user.IdNumber!), phone, address, data, from);
        return new ApplicationStart(Api.MatterEndpoints.Detail(entry), AcceptanceHall(entry), prefill, fields, Materials(entry.Matter), uploadOptions.MaxBytes);
    }

    /// <summary>Records the consent and looks up each certificate-replaceable material's certificate; nothing is looked up without consent.</summary>
    public async Task<CertificateLookupResult> LookupAsync(Caller caller, CertificateLookupRequest body, CancellationToken cancellationToken)
    {
        var entry = Find(body.Matter);
        if (!body.Consent) throw new InputException("consent", "调取电子证照须经您本人同意：请先勾选同意");
        var user = await ApplicantAsync(caller, cancellationToken);
        var replaceable = entry.Matter.Materials.Where(m => m is { CertificateReplaceable: true, CertificateType.Length: > 0 }).ToList();
        var purpose = $"网上申办{entry.Matter.Name}，核验申请材料";
        var now = clock.GetUtcNow();
        var today = ChinaTime.Date(now);
        var found = new List<CertificateFound>();
        foreach (var material in replaceable)
        {
            IReadOnlyList<Certificate> held;
            try { held = await certificates.LookupAsync(new CertificateQuery(user.IdNumber!, "111", material.CertificateType!, null, purpose, null, caller.UserName), null, cancellationToken); }
            catch (ServiceUnavailableException) { held = []; }
            var valid = held.FirstOrDefault(c => c.IsValidOn(today));
            found.Add(new CertificateFound(material.Name, material.CertificateType!, SimulatedWorld.CertificateTypeNames.GetValueOrDefault(material.CertificateType!, "电子证照"),
                valid is not null, valid?.Number, valid?.ValidTo));
        }
        var consent = new CertificateConsent
        {
            Id = Guid.CreateVersion7().ToString("N"), UserName = caller.UserName, MatterCode = entry.Matter.Code, At = now, Purpose = purpose,
            CertificateTypes = string.Join(",", replaceable.Select(m => m.CertificateType).Distinct()),
            FoundJson = JsonSerializer.Serialize(found.Where(f => f.Found).ToDictionary(f => f.Material, f => f.Number))
        };
        db.CertificateConsents.Add(consent);
        await db.CommitAsync(cancellationToken);
        return new CertificateLookupResult(consent.Id, now, purpose, found);
    }

    /// <summary>
    /// Checks the application (every error at once, by field) and submits it as the window's own submissions are,
    /// to wait for the window's pre-review; the uploads become the case's materials.
    /// </summary>
    public async Task<(JsonObject? Created, Dictionary<string, string[]> Errors)> SubmitAsync(Caller caller, OnlineApplication body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        // A repeat answers what the first stored: its uploads are the case's by now and would fail the checks below.
        if (idempotencyKey is { Length: > 0 and <= 100 }
            && await db.Idempotency.AsNoTracking().FirstOrDefaultAsync(r => r.Key == IdempotencyRecord.ForCase(caller.UserName, idempotencyKey), cancellationToken) is { } first)
            return (JsonNode.Parse(first.ResponseJson)!.AsObject(), []);
        var entry = Find(body.MatterCode);
        var user = await ApplicantAsync(caller, cancellationToken);
        var errors = new Dictionary<string, string[]>();
        void Error(string field, string message) => errors[field] = [message];
        if (string.IsNullOrWhiteSpace(body.Phone)) Error("phone", "请填写手机号码，办理结果和补正通知以短信告知");
        if (body.Channel is { } channel && channel is not ("pc" or "mobile")) Error("channel", "网上申办的渠道为 pc 或 mobile");
        var data = body.Data ?? [];
        foreach (var field in Fields(entry.Matter))
            if (!data.TryGetValue(field.Name, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined || value is { ValueKind: JsonValueKind.String } s && s.GetString() is "")
                Error($"data.{field.Name}", $"请填写“{field.Label}”");

        var given = (body.Materials ?? []).Where(m => !string.IsNullOrWhiteSpace(m.Name)).GroupBy(m => m.Name!).ToDictionary(g => g.Key, g => g.Last());
        foreach (var name in given.Keys.Where(n => entry.Matter.Materials.All(m => m.Name != n)))
            Error($"materials.{name}", $"“{name}”不是{entry.Matter.Name}的申请材料");
        var uploadIds = given.Values.Where(m => m.UploadId is { Length: > 0 }).Select(m => m.UploadId!).ToList();
        var uploads = await db.Uploads.Where(u => uploadIds.Contains(u.Id) && u.Owner == caller.UserName && u.CaseId == null).ToDictionaryAsync(u => u.Id, cancellationToken);
        var consent = body.ConsentId is { Length: > 0 } id
            ? await db.CertificateConsents.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id && c.UserName == caller.UserName && c.MatterCode == entry.Matter.Code, cancellationToken)
            : null;
        var certified = consent is null ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(consent.FoundJson) ?? [];
        var materials = new List<MaterialInput>();
        foreach (var material in entry.Matter.Materials)
        {
            var line = given.GetValueOrDefault(material.Name);
            if (line?.Certificate is { Length: > 0 } number)
            {
                if (certified.GetValueOrDefault(material.Name) != number) Error($"materials.{material.Name}", $"“{material.Name}”的电子证照须经您同意后调取，请点击“调取电子证照”");
                else materials.Add(new MaterialInput { Name = material.Name, Certificate = number });
            }
            else if (line?.UploadId is { Length: > 0 } uploadId)
            {
                if (!uploads.TryGetValue(uploadId, out var upload)) Error($"materials.{material.Name}", $"“{material.Name}”的上传文件不存在或已用于其他申请，请重新上传");
                else materials.Add(new MaterialInput { Name = material.Name, Provided = true, UploadId = upload.Id, UploadSha256 = upload.Sha256 });
            }
            else if (material.Required)
                Error($"materials.{material.Name}", material.CertificateReplaceable ? $"请上传“{material.Name}”或调取其电子证照" : $"请上传“{material.Name}”");
        }
        if (errors.Count > 0) return (null, errors);

        // Trusted data, not a typed claim: the age every condition reads is the ID number's.
        var form = data.Where(p => p.Key is not ("acceptance" or "notAcceptedReasons" or "age")).ToDictionary(p => p.Key, p => p.Value);
        form["age"] = JsonSerializer.SerializeToElement(IdentityNumber.Age(user.IdNumber!, ChinaTime.Date(clock.GetUtcNow())));
        form["acceptance"] = JsonSerializer.SerializeToElement("pending");
        var submission = new CaseSubmission
        {
            MatterCode = entry.Matter.Code, Channel = body.Channel ?? "pc", Materials = materials, Data = form,
            Applicant = new ApplicantInput { Name = user.DisplayName, IdType = "111", IdNumber = user.IdNumber, Phone = body.Phone?.Trim(), Address = body.Address?.Trim() }
        };
        // The uploads become the case's in the case's own commit: a crash cannot leave a case whose files are nobody's.
        var handedIn = materials.Where(m => m.UploadId is not null).ToDictionary(m => m.UploadId!, m => m.Name!);
        var created = await cases.SubmitAsync(submission, idempotencyKey, caller.UserName, cancellationToken, hall: AcceptanceHall(entry), withCase: async (caseId, ct) =>
        {
            var now = clock.GetUtcNow();
            foreach (var upload in await db.Uploads.Where(u => handedIn.Keys.Contains(u.Id)).ToListAsync(ct))
                (upload.CaseId, upload.Material, upload.Purpose, upload.AttachedAt) = (caseId, handedIn[upload.Id], UploadPurposes.Application, now);
        });
        return (created, []);
    }

    /// <summary>Attaches uploads for owed materials while the case waits for them, for the window to confirm (材料已补齐).</summary>
    public async Task<CaseRecord> SupplyAsync(Caller caller, string caseId, SupplyRequest body, CancellationToken cancellationToken)
    {
        var record = await Api.CaseEndpoints.Visible(db, caller, caseId);
        if (caller.Role != Roles.Applicant) throw new Api.ForbiddenException();
        var owed = record.Status == CaseStatus.Correction ? CaseFile.Read(record.CaseFileJson).Corrections.LastOrDefault()?.Materials ?? [] : [];
        var task = owed.Count == 0 ? null : await db.Tasks.AsNoTracking()
            .Where(t => t.CaseId == record.Id && t.Kind == Acceptance.CorrectionBookmark && (t.Status == TaskStatuses.Open || t.Status == TaskStatuses.Claimed))
            .Select(t => t.Id).FirstOrDefaultAsync(cancellationToken);
        if (task is null) throw new ConflictException("该办件当前没有需要补正的材料");
        var lines = body.Materials ?? [];
        if (lines.Count == 0) throw new InputException("materials", "请上传需补正的材料");
        var ids = lines.Select(l => l.UploadId).ToList();
        var uploads = await db.Uploads.Where(u => ids.Contains(u.Id) && u.Owner == caller.UserName && u.CaseId == null).ToDictionaryAsync(u => u.Id, cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var (line, i) in lines.Select((l, i) => (l, i)))
        {
            if (line.Name is not { } name || !owed.Contains(name))
                throw new InputException($"materials[{i}].name", $"“{line.Name}”不是需补正的材料，需补正：{string.Join("、", owed)}");
            if (line.UploadId is not { } uploadId || !uploads.TryGetValue(uploadId, out var upload))
                throw new InputException($"materials[{i}].uploadId", $"“{name}”的上传文件不存在或已使用，请重新上传");
            (upload.CaseId, upload.Material, upload.Purpose, upload.TaskId, upload.AttachedAt) = (record.Id, name, UploadPurposes.Supply, task, now);
        }
        await db.CommitAsync(cancellationToken);
        return record;
    }

    /// <summary>
    /// The owed materials supplied online since the case's last correction notice, by case: the applicant's progress says
    /// they wait for the window's confirmation.
    /// </summary>
    public static async Task<ILookup<string, (string Material, DateTimeOffset At)>> SuppliedOnlineAsync(GovFlowDb db, IReadOnlyCollection<string> caseIds, CancellationToken cancellationToken)
    {
        var rows = await db.Uploads.AsNoTracking().Where(u => u.CaseId != null && caseIds.Contains(u.CaseId) && u.Purpose == UploadPurposes.Supply)
            .Select(u => new { u.CaseId, u.Material, u.AttachedAt }).ToListAsync(cancellationToken);
        return rows.ToLookup(r => r.CaseId!, r => (r.Material ?? "", r.AttachedAt ?? default));
    }

    /// <summary>The window that takes the matter's applications: its acceptance step's department (the hall whose inbox gets the pre-review).</summary>
    public static string? AcceptanceHall(CatalogEntry entry) =>
        entry.Definition.Root?.Descendants().Where(n => n.Type == "GovFlow.Acceptance").Select(n => DemoStaff.Literal(n.Raw("department")))
            .OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var d) ? d : null).FirstOrDefault(d => d is { Length: > 0 });

    // The fields a material's condition reads besides those every case has; the age is the ID number's, not asked.
    private static List<ApplicationField> Fields(ServiceMatter matter)
    {
        var names = matter.Materials.Where(m => !string.IsNullOrWhiteSpace(m.Condition)).SelectMany(m => Checklist.FormFields(m.Condition!))
            .Where(n => n is not ("age" or "today")).Distinct().ToList();
        var known = MatterCaseFields.For([matter], []).ToDictionary(f => f.Name);
        return [.. names.Select(n => known.TryGetValue(n, out var f) ? new ApplicationField(n, f.Label, f.Type) : new ApplicationField(n, $"表单字段“{n}”", "string"))];
    }

    private static List<ApplicationMaterial> Materials(ServiceMatter matter) =>
        [.. matter.Materials.Select(m => new ApplicationMaterial(m.Name, m.Required, m.Condition, m.CertificateReplaceable, m.CertificateType,
            m.CertificateType is { } t ? SimulatedWorld.CertificateTypeNames.GetValueOrDefault(t) : null))];

    private CatalogEntry Find(string? code)
    {
        if (string.IsNullOrWhiteSpace(code)) throw new InputException("matter", "请选择办理事项");
        return catalog.Find(code.Trim()) ?? throw new NotFoundException($"没有编码为“{code}”的政务服务事项，或该事项已停止受理");
    }

    private async Task<UserRecord> ApplicantAsync(Caller caller, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.UserName == caller.UserName, cancellationToken);
        if (user?.IdNumber is not { Length: > 0 } number || !IdentityNumber.IsValid(number))
            throw new ConflictException("您的账号未登记有效的居民身份证号码，无法网上申办，请到窗口办理");
        return user;
    }

    // 一次采集，终身通用: the newest earlier case gives phone and address; each field is the newest answer to it.
    private async Task<(string? Phone, string? Address, JsonObject Data, string? From)> EarlierAsync(Caller caller, string matterCode, List<ApplicationField> fields, CancellationToken cancellationToken)
    {
        var earlier = await db.Cases.AsNoTracking().Where(c => caller.IdIndex != null && c.ApplicantIdIndex == caller.IdIndex)
            .OrderByDescending(c => c.ReceivedAt).ThenByDescending(c => c.CaseNumber).Take(20)
            .Select(c => new { c.CaseNumber, c.ApplicantPhone, c.ApplicantAddress, c.InstanceId, c.MatterCode }).ToListAsync(cancellationToken);
        var data = new JsonObject();
        if (earlier.Count == 0) return (null, null, data, null);
        var latest = earlier[0];
        // The same matter's answers first, then the newest of any other.
        var ordered = earlier.OrderBy(c => c.MatterCode == matterCode ? 0 : 1).ToList();
        var states = await db.Instances.AsNoTracking().Where(i => ordered.Select(c => c.InstanceId).Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => i.StateJson, cancellationToken);
        foreach (var c in ordered)
        {
            if (fields.All(f => data.ContainsKey(f.Name))) break;
            if (!states.TryGetValue(c.InstanceId, out var state) || JsonNode.Parse(state)?["input"]?["case"]?["data"] is not JsonObject answers) continue;
            foreach (var f in fields.Where(f => !data.ContainsKey(f.Name) && answers[f.Name] is not null)) data[f.Name] = answers[f.Name]!.DeepClone();
        }
        return (latest.ApplicantPhone, latest.ApplicantAddress, data, latest.CaseNumber);
    }
}
