using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Matters;
using GovFlow.Activities.Services;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using GovFlow.Workflows.Expressions;
using Microsoft.EntityFrameworkCore;
using Jint;
using Quartz;

namespace GovFlow.Host.Proactive;

/// <summary>
/// 免申即享 sweep: for every matter that declares <see cref="ServiceMatter.Proactive"/>, searches the population
/// database for residents who reach the age within the matter's window, keeps those its condition accepts and who
/// have not refused contact, and invites each once: the invitation row and its SMS (an outbox call) are committed
/// together, and the unique (matter, resident) index makes a second node's or a second run's invitation fail rather
/// than repeat. Invitations not answered in time expire.
/// </summary>
public sealed class ProactiveSweeper(IServiceScopeFactory scopes, MatterCatalog catalog, IPopulationService population, PersonalDataProtector protector,
    ExpressionEvaluators evaluators, OutboxOptions outbox, TimeProvider clock, ILogger<ProactiveSweeper> logger)
{
    /// <summary>The actor proactive steps are credited to.</summary>
    public const string Actor = "proactive";

    /// <summary>Invites the residents who newly qualify and expires late invitations; returns how many were invited.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        await ExpireAsync(cancellationToken);
        var invited = 0;
        foreach (var entry in catalog.Entries.Where(e => e.Matter.Proactive is not null).ToList())
        {
            try { invited += await SweepMatterAsync(entry.Matter, entry.Matter.Proactive!, cancellationToken); }
            catch (ServiceUnavailableException ex)
            {
                // The population database is down: the next sweep finds the same residents (they are not invited yet).
                logger.LogWarning("Proactive sweep of {Matter} skipped: {Reason}", entry.Matter.Code, ex.Message);
            }
        }
        if (invited > 0) logger.LogInformation("Invited {Count} resident(s) to proactive services", invited);
        return invited;
    }

    private async Task<int> SweepMatterAsync(ServiceMatter matter, ProactiveService proactive, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var today = ChinaTime.Date(now);
        var age = proactive.Population.TurningAge;
        // Reaching the age tomorrow … within the window: born that many years before those days.
        var found = await population.SearchAsync(new ResidentSearch(today.AddDays(1).AddYears(-age), today.AddDays(proactive.Population.WithinDays).AddYears(-age),
            proactive.Population.HukouCity, proactive.Population.HukouDistrict, $"免申即享：{matter.Name}"), cancellationToken);
        var candidates = found.Where(r => !r.OptedOut && r.Alive && !string.IsNullOrWhiteSpace(r.Phone))
            .Select(r => (Resident: r, Key: protector.IdIndex(r.IdNumber)!)).ToList();
        if (candidates.Count == 0) return 0;
        var keys = candidates.Select(c => c.Key).ToList();
        HashSet<string> known;
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
            known = [.. await db.ProactiveInvitations.AsNoTracking().Where(i => i.MatterCode == matter.Code && keys.Contains(i.ResidentKey)).Select(i => i.ResidentKey).ToListAsync(cancellationToken),
                .. await db.ProactiveOptOuts.AsNoTracking().Where(o => keys.Contains(o.ResidentKey)).Select(o => o.ResidentKey).ToListAsync(cancellationToken)];
        }
        var invited = 0;
        foreach (var (resident, key) in candidates.Where(c => !known.Contains(c.Key)))
        {
            if (!Eligible(proactive.Condition, resident, matter.Code)) continue;
            if (await InviteAsync(matter, proactive, resident, key, now, cancellationToken)) invited++;
        }
        return invited;
    }

    private async Task<bool> InviteAsync(ServiceMatter matter, ProactiveService proactive, Resident resident, string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        var qualifiesOn = resident.BirthDate.AddYears(proactive.Population.TurningAge);
        var validUntil = ChinaTime.Date(now).AddDays(proactive.ValidDays);
        var invitation = new ProactiveInvitation
        {
            Id = Guid.CreateVersion7().ToString("N"), MatterCode = matter.Code, MatterName = matter.Name, ResidentKey = key, ResidentIdNumber = resident.IdNumber,
            ResidentName = resident.Name, Phone = resident.Phone!, PhoneIndex = protector.PhoneIndex(resident.Phone)!, QualifiesOn = qualifiesOn,
            InvitedAt = now, ValidUntil = ChinaTime.ToMoment(validUntil.ToDateTime(new TimeOnly(23, 59, 59))), Stamp = CaseProjection.NewStamp()
        };
        invitation.Message = MessageTemplates.Fill(proactive.Invitation, new Dictionary<string, string>
        {
            ["name"] = resident.Name, ["matter"] = matter.Name, ["birthday"] = Day(qualifiesOn), ["validUntil"] = Day(validUntil)
        });
        db.ProactiveInvitations.Add(invitation);
        var call = "sms-proactive-" + invitation.Id;
        db.Bookmarks.Add(new BookmarkRecord
        {
            // No instance waits for it: a host message, delivered now or by the due-bookmark sweep after the lease.
            Id = call, InstanceId = "", Name = ServiceCalls.BookmarkName, ActivityId = "", DueAt = outbox.DeliverInline ? now + CaseProjection.DeliveryLease : now,
            PayloadJson = new JsonObject
            {
                ["operation"] = "notify.send", ["request"] = new JsonObject { ["phone"] = invitation.Phone, ["message"] = invitation.Message },
                [CaseMessages.HostMessage] = true, ["moment"] = "proactive-" + matter.Code, ["actor"] = Actor
            }.ToJsonString(),
            CreatedAt = now
        });
        try { await db.CommitAsync(cancellationToken); }
        catch (DbUpdateException ex) when (CaseService.IsUniqueViolation(ex))
        {
            // Another node invited this resident for this matter first.
            return false;
        }
        if (outbox.DeliverInline) await scope.ServiceProvider.GetRequiredService<CaseService>().DeliverCallAsync(call, cancellationToken);
        return true;
    }

    private async Task ExpireAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        var now = clock.GetUtcNow();
        var late = await db.ProactiveInvitations.Where(i => i.Status == InvitationStatuses.Invited && i.ValidUntil < now).OrderBy(i => i.ValidUntil).Take(500).ToListAsync(cancellationToken);
        if (late.Count == 0) return;
        foreach (var invitation in late)
        {
            invitation.Status = InvitationStatuses.Expired;
            invitation.Stamp = CaseProjection.NewStamp();
        }
        // A reply that moved one meanwhile wins; the rest expire on the next sweep.
        try { await db.CommitAsync(cancellationToken); }
        catch (DbUpdateConcurrencyException) { logger.LogDebug("Invitations answered while expiring; retried next sweep"); }
    }

    /// <summary>Whether the matter's condition accepts the resident (no condition accepts everyone; a failing script accepts no one).</summary>
    public bool Eligible(string? condition, Resident resident, string matterCode)
    {
        if (string.IsNullOrWhiteSpace(condition)) return true;
        var limits = (evaluators.Find("JavaScript") as JavaScriptEvaluator)?.Limits ?? ScriptLimits.Default;
        try
        {
            var engine = new Jint.Engine(o => o.TimeoutInterval(limits.TimeLimit).MaxStatements(limits.MaxStatements).LimitMemory(limits.MemoryLimitBytes).LimitRecursion(limits.MaxRecursionDepth));
            // JSON is a JavaScript expression: the resident arrives as a plain object, no .NET types.
            engine.Execute("var resident = " + JsonSerializer.Serialize(resident, JsonSerializerOptions.Web) + ";");
            return engine.Evaluate(condition) is { } result && result.IsBoolean() && result.AsBoolean();
        }
        catch (Exception ex) when (ex is Jint.Runtime.JavaScriptException or Jint.Runtime.StatementsCountOverflowException or TimeoutException
            or Jint.Runtime.MemoryLimitExceededException or Jint.Runtime.RecursionDepthOverflowException or Acornima.ParseErrorException)
        {
            logger.LogWarning("The proactive condition of {Matter} failed for a resident: {Reason}", matterCode, ex.Message);
            return false;
        }
    }

    private static string Day(DateOnly day) => day.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);
}

/// <summary>The Quartz job of the proactive sweep; clustered, it runs on one node at a time.</summary>
[DisallowConcurrentExecution]
public sealed class ProactiveSweepJob(ProactiveSweeper sweeper) : IJob
{
    /// <summary>The job's key.</summary>
    public static readonly JobKey Key = new("proactive-sweep", "govflow");

    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await sweeper.SweepAsync(cancellationToken);
}
