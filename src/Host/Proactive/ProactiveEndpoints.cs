using System.Security.Cryptography;
using System.Text;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Proactive;

/// <summary>A reply the SMS gateway received from a resident.</summary>
/// <param name="Phone">The sender's mobile number.</param>
/// <param name="Text">What they wrote (“同意”, “不同意”, “退订”).</param>
public sealed record SmsReply(string? Phone, string? Text);

/// <summary>An invitation as policy staff and auditors see it (ID number and phone masked).</summary>
/// <param name="Id">Invitation id.</param>
/// <param name="MatterCode">Matter code.</param>
/// <param name="MatterName">Matter name.</param>
/// <param name="ResidentName">Resident's name.</param>
/// <param name="IdNumber">Masked ID number.</param>
/// <param name="Phone">Masked phone.</param>
/// <param name="QualifiesOn">The day the resident qualifies.</param>
/// <param name="Status">invited, agreed, declined, expired or opted-out.</param>
/// <param name="InvitedAt">When invited.</param>
/// <param name="ValidUntil">Last moment to answer.</param>
/// <param name="RepliedAt">When answered.</param>
/// <param name="Reply">The answer.</param>
/// <param name="CaseNumber">The application created, after “同意”.</param>
public sealed record InvitationView(string Id, string MatterCode, string MatterName, string ResidentName, string IdNumber, string? Phone, DateOnly QualifiesOn,
    string Status, DateTimeOffset InvitedAt, DateTimeOffset ValidUntil, DateTimeOffset? RepliedAt, string? Reply, string? CaseNumber);

/// <summary>免申即享 over HTTP: the SMS gateway's replies, and the invitations list for policy staff and auditors.</summary>
public static class ProactiveEndpoints
{
    /// <summary>The header the SMS gateway authenticates its replies with (a shared key, <c>GovFlow:Proactive:SmsReplyKey</c>).</summary>
    public const string KeyHeader = "X-Sms-Gateway-Key";

    /// <summary>Maps /api/sms/replies and /api/proactive/invitations.</summary>
    public static void MapProactive(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/sms/replies", Reply).AllowAnonymous().WithTags("Proactive");
        app.MapGet("/api/proactive/invitations", Invitations).WithTags("Proactive").RequireAuthorization(p => p.RequireRole(Roles.Policy, Roles.Auditor));
    }

    // The gateway is a machine, not a user: a configured key, compared in constant time, is its credential. No key
    // configured means no gateway is connected, and every reply is refused.
    private static async Task<Results<Ok<SmsReplyOutcome>, UnauthorizedHttpResult, ValidationProblem>> Reply(SmsReply body, HttpContext http, SmsReplies replies, IConfiguration configuration)
    {
        var key = configuration["GovFlow:Proactive:SmsReplyKey"];
        var given = http.Request.Headers[KeyHeader].ToString();
        if (string.IsNullOrEmpty(key) || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(key))) return TypedResults.Unauthorized();
        if (string.IsNullOrWhiteSpace(body.Phone)) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["phone"] = ["短信回复缺少手机号"] });
        if (string.IsNullOrWhiteSpace(body.Text) || body.Text.Length > 200) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["text"] = ["短信回复内容为空或超过200字"] });
        return TypedResults.Ok(await replies.HandleAsync(body.Phone, body.Text, http.RequestAborted));
    }

    private static async Task<Results<Ok<List<InvitationView>>, ValidationProblem>> Invitations(string? status, string? matterCode, GovFlowDb db, CancellationToken cancellationToken)
    {
        if (status is { Length: > 0 } && !InvitationStatuses.All.Contains(status))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = [$"状态只能是 {string.Join("、", InvitationStatuses.All)}"] });
        var query = db.ProactiveInvitations.AsNoTracking();
        if (status is { Length: > 0 }) query = query.Where(i => i.Status == status);
        if (matterCode is { Length: > 0 }) query = query.Where(i => i.MatterCode == matterCode);
        var rows = await query.OrderByDescending(i => i.InvitedAt).Take(500).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(i => new InvitationView(i.Id, i.MatterCode, i.MatterName, i.ResidentName, PersonalData.MaskIdNumber("111", i.ResidentIdNumber),
            PersonalData.MaskPhone(i.Phone), i.QualifiesOn, i.Status, i.InvitedAt, i.ValidUntil, i.RepliedAt, i.Reply, i.CaseNumber)).ToList());
    }
}
