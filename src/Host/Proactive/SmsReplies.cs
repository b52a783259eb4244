using System.Text.Json;
using GovFlow.Activities.Services;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Proactive;

/// <summary>What became of an SMS reply.</summary>
/// <param name="Action">applied (a case was created), alreadyApplied, declined, optedOut, expired, noInvitation or ignored.</param>
/// <param name="InvitationId">The invitation it answered, if any.</param>
/// <param name="CaseNumber">The application's case number, after “同意”.</param>
public sealed record SmsReplyOutcome(string Action, string? InvitationId, string? CaseNumber);

/// <summary>
/// Answers residents' SMS replies to proactive invitations: “同意” is the application (created once, prefilled from
/// the population database, with the consent in its data and journal, pending the window's pre-review), “不同意”
/// declines, “退订” opts the resident out of every proactive service.
/// </summary>
public sealed class SmsReplies(GovFlowDb db, CaseService cases, IPopulationService population, PersonalDataProtector protector, TimeProvider clock)
{
    /// <summary>The channel of applications a proactive invitation created.</summary>
    public const string Channel = "proactive";

    private static readonly string[] Agree = ["同意", "是", "Y", "YES", "1"];
    private static readonly string[] Decline = ["不同意", "否", "N", "NO", "2"];
    private static readonly string[] Unsubscribe = ["退订", "TD", "T"];

    /// <summary>Handles a reply from <paramref name="phone"/>.</summary>
    public async Task<SmsReplyOutcome> HandleAsync(string phone, string text, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var word = text.Trim().ToUpperInvariant();
        var index = protector.PhoneIndex(phone);
        var invitations = await db.ProactiveInvitations.Where(i => i.PhoneIndex == index).OrderByDescending(i => i.InvitedAt).ToListAsync(cancellationToken);
        if (Unsubscribe.Contains(word)) return await OptOutAsync(invitations, text, now, cancellationToken);
        var agree = Agree.Contains(word);
        if (!agree && !Decline.Contains(word)) return new("ignored", null, null);
        if (invitations.Count == 0) return new("noInvitation", null, null);
        var open = invitations.FirstOrDefault(i => i.Status == InvitationStatuses.Invited && i.ValidUntil >= now);
        if (open is null)
        {
            // A second “同意” finds the application the first one created and changes nothing.
            var agreed = invitations.FirstOrDefault(i => i.Status == InvitationStatuses.Agreed);
            if (agree && agreed is not null) return new("alreadyApplied", agreed.Id, agreed.CaseNumber);
            return new(invitations[0].Status == InvitationStatuses.Invited ? "expired" : invitations[0].Status, invitations[0].Id, invitations[0].CaseNumber);
        }
        open.RepliedAt = now;
        open.Reply = text.Trim();
        open.Stamp = CaseProjection.NewStamp();
        if (!agree)
        {
            open.Status = InvitationStatuses.Declined;
            await CaseService.SaveOrConflictAsync(db, "该邀请刚被处理", cancellationToken);
            return new("declined", open.Id, null);
        }
        var created = await ApplyAsync(open, now, cancellationToken);
        open.Status = InvitationStatuses.Agreed;
        open.CaseId = created["caseId"]!.GetValue<string>();
        open.CaseNumber = created["caseNumber"]!.GetValue<string>();
        await CaseService.SaveOrConflictAsync(db, "该邀请刚被处理", cancellationToken);
        return new("applied", open.Id, open.CaseNumber);
    }

    // The application, prefilled from the population database as it is today; the idempotency key of the invitation
    // makes a repeat (a crash after the case, a reply processed twice at once) find the same case.
    private async Task<System.Text.Json.Nodes.JsonObject> ApplyAsync(ProactiveInvitation invitation, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var resident = await population.LookupAsync(new ResidentQuery(invitation.ResidentIdNumber, $"免申即享：{invitation.MatterName}，申请人回复同意后预填申请", null, ProactiveSweeper.Actor), "apply-" + invitation.Id, cancellationToken)
            ?? throw new NotFoundException("人口库中已无该居民，无法生成申请");
        var consent = new
        {
            invitationId = invitation.Id, by = resident.Name, phone = invitation.Phone, reply = invitation.Reply, at = now.ToString("O"), channel = "sms",
            scope = "同意以本次回复作为申请，并同意调取户籍和身份信息"
        };
        var submission = new CaseSubmission
        {
            MatterCode = invitation.MatterCode, Channel = Channel, Materials = [],
            Applicant = new ApplicantInput { Name = resident.Name, IdType = "111", IdNumber = resident.IdNumber, Phone = invitation.Phone, Address = resident.Address },
            Data = new Dictionary<string, JsonElement>
            {
                // Online-style: the window pre-reviews the application before it is accepted.
                ["acceptance"] = JsonSerializer.SerializeToElement("pending"),
                ["age"] = JsonSerializer.SerializeToElement(resident.Age),
                ["birthDate"] = JsonSerializer.SerializeToElement(resident.BirthDate.ToString("yyyy-MM-dd")),
                ["hukouDistrict"] = JsonSerializer.SerializeToElement(resident.HukouDistrict),
                ["consent"] = JsonSerializer.SerializeToElement(consent, JsonSerializerOptions.Web)
            }
        };
        return await cases.SubmitAsync(submission, "proactive-" + invitation.Id, ProactiveSweeper.Actor, cancellationToken);
    }

    private async Task<SmsReplyOutcome> OptOutAsync(List<ProactiveInvitation> invitations, string text, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (invitations.Count == 0) return new("noInvitation", null, null);
        foreach (var key in invitations.Select(i => i.ResidentKey).Distinct())
            if (await db.ProactiveOptOuts.FindAsync([key], cancellationToken) is null)
                db.ProactiveOptOuts.Add(new ProactiveOptOut { ResidentKey = key, At = now, Reply = text.Trim(), InvitationId = invitations.First(i => i.ResidentKey == key).Id });
        foreach (var open in invitations.Where(i => i.Status == InvitationStatuses.Invited))
        {
            open.Status = InvitationStatuses.OptedOut;
            open.RepliedAt = now;
            open.Reply = text.Trim();
            open.Stamp = CaseProjection.NewStamp();
        }
        await CaseService.SaveOrConflictAsync(db, "该退订刚被处理", cancellationToken);
        return new("optedOut", invitations[0].Id, null);
    }
}
