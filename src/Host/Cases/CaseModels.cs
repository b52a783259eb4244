namespace GovFlow.Host.Cases;

/// <summary>A case as submitted at the window or online.</summary>
public sealed class CaseSubmission
{
    /// <summary>Matter code.</summary>
    public string? MatterCode { get; set; }
    /// <summary>Applicant.</summary>
    public ApplicantInput? Applicant { get; set; }
    /// <summary>Materials and whether each was handed in.</summary>
    public List<MaterialInput>? Materials { get; set; }
    /// <summary>Form data.</summary>
    public Dictionary<string, System.Text.Json.JsonElement>? Data { get; set; }
    /// <summary>window, pc, mobile, courier, selfService.</summary>
    public string? Channel { get; set; }
    /// <summary>The queue number (取号) the window called for this visitor: the case is linked to it and its booking.</summary>
    public string? TicketId { get; set; }
}

/// <summary>Applicant fields.</summary>
public sealed class ApplicantInput
{
    /// <summary>Name.</summary>
    public string? Name { get; set; }
    /// <summary>111 citizen ID, 001 USCC.</summary>
    public string? IdType { get; set; }
    /// <summary>ID number or credit code.</summary>
    public string? IdNumber { get; set; }
    /// <summary>Phone.</summary>
    public string? Phone { get; set; }
    /// <summary>Address.</summary>
    public string? Address { get; set; }
}

/// <summary>A material line.</summary>
public sealed class MaterialInput
{
    /// <summary>Material name.</summary>
    public string? Name { get; set; }
    /// <summary>Handed in.</summary>
    public bool Provided { get; set; }
    /// <summary>The number of the valid electronic certificate the window found for it (用证), when it replaces the paper.</summary>
    public string? Certificate { get; set; }
    // Set by the online application only (not part of the window's API): the upload that is this material.
    internal string? UploadId { get; set; }
    internal string? UploadSha256 { get; set; }
}

/// <summary>A task action.</summary>
public sealed class TaskAction
{
    /// <summary>approve, reject, return, requestCorrection, transfer (review tasks); agree, disagree, agreePending (parallel opinions).</summary>
    public string? Action { get; set; }
    /// <summary>Opinion.</summary>
    public string? Opinion { get; set; }
    /// <summary>Transfer target.</summary>
    public string? Assignee { get; set; }
    /// <summary>Step to return to.</summary>
    public string? ReturnTo { get; set; }
    /// <summary>Missing or supplied materials.</summary>
    public List<string>? Materials { get; set; }
    /// <summary>Working days of an extension (延期) or of a special procedure's expected duration.</summary>
    public string? Days { get; set; }
    /// <summary>Who approved an extension.</summary>
    public string? Approver { get; set; }
    /// <summary>Which special procedure starts (听证, 招标, 拍卖, 检验, 检测, 检疫, 鉴定, 专家评审).</summary>
    public string? Procedure { get; set; }
}

/// <summary>Input that cannot be accepted, with the field at fault (becomes a problem-details 400).</summary>
public sealed class InputException(string field, string message) : Exception(message)
{
    /// <summary>The field.</summary>
    public string Field { get; } = field;
}

/// <summary>A request body over a size limit, with the limit named (becomes a 413).</summary>
public sealed class PayloadTooLargeException(string limit, string message) : Exception(message)
{
    /// <summary>The limit, as its configuration key.</summary>
    public string Limit { get; } = limit;
}

/// <summary>Someone else changed it first (becomes a 409).</summary>
public sealed class ConflictException(string message) : Exception(message);

/// <summary>Not found (becomes a 404).</summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>Locked for a while after too many failed attempts (becomes a 423).</summary>
public sealed class LockedException(string message) : Exception(message);
