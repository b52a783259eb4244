using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GovFlow.Activities.Calendar;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Matters;
using GovFlow.Host.Persistence;
using Microsoft.EntityFrameworkCore;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Host.Cases;

/// <summary>
/// 收件: checks a submission and stages its case row with the start of the matter's flow (not yet saved). The case
/// starts on the version of the matter published now and keeps that version to the end.
/// </summary>
internal sealed partial class CaseSubmissions(GovFlowDb db, MatterCatalog catalog, WorkflowRuntime runtime, TimeProvider clock, WorkingCalendar calendar)
{
    [GeneratedRegex(@"^1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$")]
    private static partial Regex PhonePattern();

    /// <summary>Stages the case, its instance and its first step; the answer is what the applicant's receipt shows.</summary>
    public async Task<(CaseRecord Record, JsonObject Response)> StageAsync(CatalogEntry entry, CaseSubmission submission, string? idempotencyKey, string actor, CancellationToken cancellationToken, string? hall = null)
    {
        var now = clock.GetUtcNow();
        // Time-ordered like instance and bookmark ids: rows keyed by them are appended to their indexes (random keys
        // made every step dirty pages all over a large database and halved the submission rate past ~50,000 cases).
        var caseId = Guid.CreateVersion7().ToString("N");
        var instanceId = Guid.CreateVersion7().ToString("N");
        var number = $"{ChinaTime.Date(now):yyyyMMdd}{entry.Matter.Code[^5..]}{RandomNumberGenerator.GetInt32(0, 1_000_000):D6}";
        var applicant = submission.Applicant!;
        var record = new CaseRecord
        {
            Id = caseId, CaseNumber = number, MatterCode = entry.Matter.Code, MatterName = entry.Matter.Name, Department = entry.Matter.Department,
            ApplicantName = applicant.Name!.Trim(), ApplicantIdType = applicant.IdType!, ApplicantIdNumber = applicant.IdNumber!.Trim().ToUpperInvariant(),
            ApplicantPhone = applicant.Phone, ApplicantAddress = applicant.Address, Channel = submission.Channel ?? "window", ReceivedAt = now,
            InstanceId = instanceId, Stamp = CaseProjection.NewStamp()
        };
        db.Cases.Add(record);
        var facts = await SubmissionFacts.ReadAsync(db, actor, entry.Matter.Department, db.Protector?.IdIndex(record.ApplicantIdNumber), ChinaTime.Date(now), cancellationToken);
        // Corrections go back to the window that took the application, so the flow learns who and where that was.
        var window = facts.Window;
        // 通办: a window accepts only what its hall's region is within the matter's scope of; the regions go to the flow for the hand-over.
        var (hallRegion, ownerRegion) = (facts.HallRegion, facts.OwnerRegion);
        if (window is not null && HallScope.Refusal(entry.Matter, window, hallRegion, ownerRegion) is { } refusal) throw new InputException("matterCode", refusal);
        record.Hall = window ?? hall;
        var caseFile = new JsonObject { ["status"] = CaseStatus.Received, ["receivedAt"] = now.ToString("O") };
        // 绿色通道: an applicant on the register on the day of receipt is flagged for good; the case file carries the
        // mark so the promised date and the journal's PriorityApplied record follow from the first step.
        if (facts.PriorityEntryId is { } entryId && await db.PriorityApplicants.AsNoTracking().FirstOrDefaultAsync(p => p.Id == entryId, cancellationToken) is { } mark)
        {
            record.Priority = mark.Kind;
            caseFile[Priority.PriorityJournal.CaseFileKey] = Priority.PriorityJournal.Part(mark);
        }
        await runtime.StartAsync(entry.Definition, new StartWorkflowRequest
        {
            InstanceId = instanceId, Input = Input(submission, number, entry.Matter.Code, window is null ? null : (actor, window, hallRegion), ownerRegion.Code), CorrelationId = number,
            Properties = new Dictionary<string, object?> { [CaseFile.PropertyName] = caseFile }
        }, actor, cancellationToken);
        var response = new JsonObject
        {
            ["caseId"] = caseId, ["caseNumber"] = number, ["status"] = record.Status,
            ["promisedDue"] = record.PromisedDue?.ToString("O"), ["statutoryDue"] = record.StatutoryDue?.ToString("O"),
            ["promisedDueProvisional"] = ChinaTime.IsProvisional(calendar, record.ReceivedAt, record.PromisedDue),
            ["statutoryDueProvisional"] = ChinaTime.IsProvisional(calendar, record.ReceivedAt, record.StatutoryDue)
        };
        if (idempotencyKey is { Length: > 0 })
            db.Idempotency.Add(new IdempotencyRecord { Key = IdempotencyRecord.ForCase(actor, idempotencyKey), StatusCode = 201, ResponseJson = response.ToJsonString(), CreatedAt = now });
        return (record, response);
    }

    // The workflow input "case" that GovFlow's activities read (CaseInput).
    private static Dictionary<string, object?> Input(CaseSubmission submission, string number, string matterCode, (string User, string Department, Region Region)? window, string? ownerRegion)
    {
        var applicant = submission.Applicant!;
        return new Dictionary<string, object?>
        {
            ["case"] = new Dictionary<string, object?>
            {
                ["caseNumber"] = number, ["matterCode"] = matterCode, ["channel"] = submission.Channel ?? "window",
                ["applicant"] = new Dictionary<string, object?> { ["name"] = applicant.Name!.Trim(), ["idType"] = applicant.IdType, ["idNumber"] = applicant.IdNumber!.Trim().ToUpperInvariant(), ["phone"] = applicant.Phone, ["address"] = applicant.Address },
                ["materials"] = (submission.Materials ?? []).Select(m => (object?)Material(m)).ToList(),
                ["data"] = (submission.Data ?? []).ToDictionary(p => p.Key, p => Values.FromJson(JsonNode.Parse(p.Value.GetRawText()))),
                ["acceptedBy"] = window is { } w ? new Dictionary<string, object?> { ["user"] = w.User, ["department"] = w.Department, ["region"] = w.Region.Code, ["regionName"] = w.Region.Name } : null,
                ["ownerRegion"] = ownerRegion
            }
        };
    }

    // An online upload's id and hash go into the input, so the journal's chain covers the file handed in.
    private static Dictionary<string, object?> Material(MaterialInput m)
    {
        var line = new Dictionary<string, object?> { ["name"] = m.Name, ["provided"] = m.Provided, ["certificate"] = m.Certificate };
        if (m.UploadId is not null) line["upload"] = new Dictionary<string, object?> { ["id"] = m.UploadId, ["sha256"] = m.UploadSha256 };
        return line;
    }

    /// <summary>Checks a submission field by field; the matter must be in the catalog (published, not retracted).</summary>
    public CatalogEntry Validate(CaseSubmission s)
    {
        if (string.IsNullOrWhiteSpace(s.MatterCode)) throw new InputException("matterCode", "请选择办理事项");
        var entry = catalog.Find(s.MatterCode.Trim()) ?? throw new InputException("matterCode", $"没有编码为“{s.MatterCode}”的政务服务事项，或该事项已停止受理");
        var a = s.Applicant ?? throw new InputException("applicant", "请填写申请人");
        if (string.IsNullOrWhiteSpace(a.Name) || a.Name.Trim().Length > 100) throw new InputException("applicant.name", "请填写申请人姓名或名称（不超过 100 字）");
        if (a.IdType is not ("111" or "001")) throw new InputException("applicant.idType", "证件类型为 111（居民身份证）或 001（统一社会信用代码）");
        var id = a.IdNumber?.Trim().ToUpperInvariant() ?? "";
        if (a.IdType == "111" && !IdentityNumber.IsValid(id)) throw new InputException("applicant.idNumber", "不是有效的 18 位居民身份证号码（校验位不符）");
        if (a.IdType == "001" && !CreditCode.IsValid(id)) throw new InputException("applicant.idNumber", "不是有效的统一社会信用代码");
        if (a.Phone is { Length: > 0 } phone && !PhonePattern().IsMatch(phone)) throw new InputException("applicant.phone", "不是有效的手机号（1xxxxxxxxxx）或固定电话（0xxx-xxxxxxx）");
        if (a.Address is { Length: > 300 }) throw new InputException("applicant.address", "地址不能超过 300 字");
        if (s.Channel is { } ch && ch is not ("window" or "pc" or "mobile" or "courier" or "selfService" or "proactive")) throw new InputException("channel", "办理渠道只能是 window、pc、mobile、courier、selfService 或 proactive（免申即享）");
        // How the applicant wants the result (窗口领取 or 邮寄送达), which the mailing step follows.
        if (s.Data is { } answers && answers.TryGetValue(Activities.Cases.ResultDelivery.ChoiceField, out var choice)
            && !(choice.ValueKind == System.Text.Json.JsonValueKind.String && choice.GetString() is Activities.Cases.ResultDelivery.ByPost or Activities.Cases.ResultDelivery.AtWindow))
            throw new InputException("data." + Activities.Cases.ResultDelivery.ChoiceField, "领取方式只能是窗口领取或邮寄送达");
        if (s.Data?.GetValueOrDefault(Activities.Cases.ResultDelivery.AddressField) is { ValueKind: System.Text.Json.JsonValueKind.String } to && to.GetString() is { Length: > 0 } toAddress
            && !Activities.Steps.SendByPost.LooksDeliverable(toAddress))
            throw new InputException("data." + Activities.Cases.ResultDelivery.AddressField, "邮寄地址不完整：请写明省市区、街道和门牌号");
        var names = entry.Matter.Materials.Select(m => m.Name).ToHashSet();
        for (var i = 0; i < (s.Materials?.Count ?? 0); i++)
            if (s.Materials![i] is not { Name: { } n } || !names.Contains(n))
                throw new InputException($"materials[{i}].name", $"“{s.Materials[i]?.Name}”不是{entry.Matter.Name}的申请材料，可选：{string.Join("、", names)}");
        return entry;
    }
}
