using System.Linq.Expressions;
using GovFlow.Host.Security;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Persistence;

/// <summary>
/// Brings every stored value of personal data under the current SM4 key: rows written before encryption (clear
/// text) and rows under an older key version are rewritten in batches, and the blind indexes are filled. Runs at
/// start-up and as the <c>protect-personal-data</c> command (rotation: add a key version, make it current, run it).
/// </summary>
/// <remarks>
/// It works on a context without converters, so it sees what is stored and selects only the rows whose text does
/// not start with the current <c>sm4:VERSION:</c>: a database already under the current key costs one scan per
/// column. A row changed by someone else meanwhile is skipped by its concurrency token and taken again in the next batch.
/// </remarks>
public sealed class PersonalDataProtection(PersonalDataProtector protector, ILogger<PersonalDataProtection> logger, TimeProvider clock)
{
    /// <summary>Rows rewritten per transaction.</summary>
    public const int BatchSize = 500;

    /// <summary>
    /// Checks the keys open the stored data, then rewrites what is not under the current key; returns the rows
    /// rewritten. Once a pass has brought everything under the current key, later starts only check the keys (every
    /// write since is under that key): the pass reads every row of every table with personal data, the notices'
    /// PDFs included, which are most of a database's size. <paramref name="always"/> passes anyway (the
    /// <c>protect-personal-data</c> command).
    /// </summary>
    /// <exception cref="PersonalDataKeyException">A stored value's key version is not configured, or its key is wrong.</exception>
    public async Task<int> RunAsync(GovFlowDb raw, bool always = true, CancellationToken cancellationToken = default)
    {
        if (raw.Protector is not null) throw new ArgumentException("The rewrite needs a context without protection, to see the stored text.", nameof(raw));
        await CheckKeysAsync(raw, cancellationToken);
        var version = protector.CurrentVersion;
        var passed = await raw.PersonalDataPasses.AnyAsync(p => p.KeyVersion == version, cancellationToken);
        if (passed && !always) return 0;
        var rows = await RewriteAllAsync(raw, cancellationToken);
        if (!passed)
        {
            raw.PersonalDataPasses.Add(new PersonalDataPass { KeyVersion = version, CompletedAt = clock.GetUtcNow() });
            try { await raw.SaveChangesAsync(cancellationToken); }
            catch (DbUpdateException) { /* another node finished its pass at the same moment */ }
            raw.ChangeTracker.Clear();
        }
        return rows;
    }

    private async Task<int> RewriteAllAsync(GovFlowDb raw, CancellationToken cancellationToken)
    {
        var p = CurrentPrefix;
        var rows = 0;
        var legacyApplicants = new List<string>();
        rows += await RewriteAsync(raw, raw.Cases.Where(c => c.ApplicantIdIndex == null || !c.ApplicantIdNumber.StartsWith(p) || (c.ApplicantPhone != null && !c.ApplicantPhone.StartsWith(p))
                                                            || (c.ApplicantAddress != null && !c.ApplicantAddress.StartsWith(p)) || !c.CaseFileJson.StartsWith(p)), c =>
        {
            var id = Clear(c.ApplicantIdNumber)!;
            var phone = Clear(c.ApplicantPhone);
            c.ApplicantIdNumber = protector.Protect(id)!;
            c.ApplicantPhone = protector.Protect(phone);
            c.ApplicantAddress = Current(c.ApplicantAddress);
            c.CaseFileJson = Current(c.CaseFileJson)!;
            c.ApplicantIdIndex = protector.IdIndex(id);
            c.ApplicantPhoneIndex = protector.PhoneIndex(phone);
        }, cancellationToken);
        rows += await RewriteAsync(raw, raw.Users.Where(u => u.IdNumber != null && (u.IdNumberIndex == null || !u.IdNumber.StartsWith(p))), u =>
        {
            if (!u.IdNumber!.StartsWith(PersonalDataProtector.Prefix, StringComparison.Ordinal)) legacyApplicants.Add(u.UserName);
            var id = Clear(u.IdNumber);
            u.IdNumber = protector.Protect(id);
            u.IdNumberIndex = protector.IdIndex(id);
        }, cancellationToken);
        // Their sessions' tickets carried the ID number in clear: they sign in again and get a ticket with its index.
        if (legacyApplicants.Count > 0) await raw.Sessions.Where(s => legacyApplicants.Contains(s.UserName)).ExecuteDeleteAsync(cancellationToken);
        rows += await RewriteAsync(raw, raw.Instances.Where(Stale<InstanceRecord>(i => i.StateJson)), i => i.StateJson = Current(i.StateJson)!, cancellationToken);
        rows += await RewriteAsync(raw, raw.Bookmarks.Where(Stale<BookmarkRecord>(b => b.PayloadJson, b => b.LastError)), b =>
        {
            b.PayloadJson = Current(b.PayloadJson);
            b.LastError = Current(b.LastError);
        }, cancellationToken);
        rows += await RewriteAsync(raw, raw.Journal.Where(Stale<JournalEntry>(j => j.PayloadJson)), j => j.PayloadJson = Current(j.PayloadJson), cancellationToken);
        rows += await RewriteAsync(raw, raw.Snapshots.Where(Stale<CaseSnapshot>(s => s.CaseFileJson)), s => s.CaseFileJson = Current(s.CaseFileJson)!, cancellationToken);
        rows += await RewriteAsync(raw, raw.CaseDocuments.Where(Stale<Documents.CaseDocumentRecord>(d => d.Pdf, d => d.Html)), d =>
        {
            d.Pdf = Current(d.Pdf)!;
            d.Html = Current(d.Html)!;
        }, cancellationToken);
        rows += await RewriteAsync(raw, raw.Idempotency.Where(Stale<IdempotencyRecord>(r => r.ResponseJson)), r => r.ResponseJson = Current(r.ResponseJson)!, cancellationToken);
        rows += await RewriteAsync(raw, raw.Incidents.Where(Stale<IncidentRecord>(i => i.InputJson, i => i.Message)), i =>
        {
            i.InputJson = Current(i.InputJson);
            i.Message = Current(i.Message)!;
        }, cancellationToken);
        rows += await RewriteAsync(raw, raw.PriorityApplicants.Where(Stale<Priority.PriorityApplicant>(p => p.IdNumber)), p => p.IdNumber = Current(p.IdNumber)!, cancellationToken);
        rows += await RewriteAsync(raw, raw.AdminChanges.Where(Stale<AdminChange>(a => a.Before, a => a.After)), a =>
        {
            a.Before = Current(a.Before);
            a.After = Current(a.After);
        }, cancellationToken);
        rows += await ResealArchivesAsync(raw, cancellationToken);
        if (rows > 0) logger.LogInformation("Personal data: {Rows} rows rewritten under SM4 key {Version}", rows, protector.CurrentVersion);
        return rows;
    }

    private string CurrentPrefix => protector.CurrentPrefix;

    private string? Clear(string? stored) => protector.Unprotect(stored);

    private string? Current(string? stored) => protector.IsCurrent(stored) ? stored : protector.Protect(protector.Unprotect(stored));

    // Rows where any of the columns holds text not under the current key.
    private Expression<Func<T, bool>> Stale<T>(params Expression<Func<T, string?>>[] columns)
    {
        var row = Expression.Parameter(typeof(T), "row");
        var startsWith = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!;
        Expression? any = null;
        foreach (var column in columns)
        {
            var value = new Replace(column.Parameters[0], row).Visit(column.Body);
            var stale = Expression.AndAlso(Expression.NotEqual(value, Expression.Constant(null, typeof(string))),
                Expression.Not(Expression.Call(value, startsWith, Expression.Constant(CurrentPrefix))));
            any = any is null ? stale : Expression.OrElse(any, stale);
        }
        return Expression.Lambda<Func<T, bool>>(any!, row);
    }

    private sealed class Replace(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }

    private static async Task<int> RewriteAsync<T>(GovFlowDb raw, IQueryable<T> stale, Action<T> rewrite, CancellationToken cancellationToken) where T : class
    {
        var rows = 0;
        while (true)
        {
            var batch = await stale.Take(BatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0) return rows;
            foreach (var row in batch) rewrite(row);
            try
            {
                await raw.SaveChangesAsync(cancellationToken);
                rows += batch.Count;
            }
            catch (DbUpdateConcurrencyException)
            {
                // Someone else changed one of these rows (through the protecting context): the next batch reads it again.
            }
            raw.ChangeTracker.Clear();
        }
    }

    // Archived journals are binary and name their key in a column of their own. Keyset-paged, so a row that does not
    // open (altered; its verification says so) is left as it is instead of being selected again for ever.
    private async Task<int> ResealArchivesAsync(GovFlowDb raw, CancellationToken cancellationToken)
    {
        var current = protector.CurrentVersion;
        var rows = 0;
        var after = "";
        while (true)
        {
            var batch = await raw.JournalArchives.Where(a => a.CaseId.CompareTo(after) > 0 && (a.KeyVersion == null || a.KeyVersion != current))
                .OrderBy(a => a.CaseId).Take(BatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0) return rows;
            after = batch[^1].CaseId;
            foreach (var archive in batch)
            {
                try
                {
                    var clear = archive.KeyVersion is null ? archive.Content : protector.UnprotectBytes(archive.Content, archive.KeyVersion);
                    (archive.Content, archive.KeyVersion) = protector.ProtectBytes(clear);
                    rows++;
                }
                catch (PersonalDataKeyException ex)
                {
                    logger.LogWarning("Archived journal of case {CaseId} left under key {Version}: {Reason}", archive.CaseId, archive.KeyVersion, ex.Message);
                }
            }
            await raw.SaveChangesAsync(cancellationToken);
            raw.ChangeTracker.Clear();
        }
    }

    // A wrong key would otherwise go unnoticed until a case is opened: try one stored value of each key version.
    private async Task CheckKeysAsync(GovFlowDb raw, CancellationToken cancellationToken)
    {
        foreach (var version in protector.Versions)
        {
            var prefix = PersonalDataProtector.Prefix + version + ":";
            var value = await raw.Cases.AsNoTracking().Where(c => c.ApplicantIdNumber.StartsWith(prefix)).Select(c => c.ApplicantIdNumber).FirstOrDefaultAsync(cancellationToken)
                        ?? await raw.Users.AsNoTracking().Where(u => u.IdNumber != null && u.IdNumber.StartsWith(prefix)).Select(u => u.IdNumber).FirstOrDefaultAsync(cancellationToken);
            if (value is not null) protector.Unprotect(value);
        }
    }
}

/// <summary>A key version every stored value of personal data was brought under, and when that pass finished.</summary>
public sealed class PersonalDataPass
{
    /// <summary>The SM4 key version (v1).</summary>
    public string KeyVersion { get; set; } = "";
    /// <summary>When the pass finished.</summary>
    public DateTimeOffset CompletedAt { get; set; }
}
