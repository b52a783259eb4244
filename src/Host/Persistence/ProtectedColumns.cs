using GovFlow.Host.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace GovFlow.Host.Persistence;

/// <summary>
/// Which columns hold applicants' personal data, and the converters that encrypt them on the way to the database
/// and decrypt them on the way back. A context without a protector (<see cref="GovFlowDb.Protector"/> null) sees
/// the stored text as it is, which is what <see cref="PersonalDataProtection"/> uses to rewrite rows.
/// </summary>
public static class ProtectedColumns
{
    /// <summary>
    /// Encrypts the columns: the case's ID number, phone and address one by one (their blind indexes are their
    /// own columns), and whole documents that may carry them (the application form in instance state, bookmark
    /// and journal payloads, case files and snapshots, remembered responses, incidents, administrators' changes), and
    /// the ID number, phone and text of proactive invitations.
    /// </summary>
    public static void Apply(ModelBuilder b, PersonalDataProtector protector)
    {
        // Not generic: the same converter serves required and optional columns (EF never passes it a null).
        ValueConverter text = new ValueConverter<string, string>(v => protector.Protect(v)!, v => protector.Unprotect(v)!);
        b.Entity<CaseRecord>(e =>
        {
            e.Property(x => x.ApplicantIdNumber).HasConversion(text);
            e.Property(x => x.ApplicantPhone).HasConversion(text);
            e.Property(x => x.ApplicantAddress).HasConversion(text);
            e.Property(x => x.CaseFileJson).HasConversion(text);
        });
        b.Entity<UserRecord>().Property(x => x.IdNumber).HasConversion(text);
        b.Entity<InstanceRecord>().Property(x => x.StateJson).HasConversion(text);
        b.Entity<BookmarkRecord>(e =>
        {
            e.Property(x => x.PayloadJson).HasConversion(text);
            e.Property(x => x.LastError).HasConversion(text);
        });
        b.Entity<JournalEntry>().Property(x => x.PayloadJson).HasConversion(text);
        b.Entity<CaseSnapshot>().Property(x => x.CaseFileJson).HasConversion(text);
        b.Entity<IdempotencyRecord>().Property(x => x.ResponseJson).HasConversion(text);
        b.Entity<IncidentRecord>(e =>
        {
            e.Property(x => x.InputJson).HasConversion(text);
            e.Property(x => x.Message).HasConversion(text);
        });
        b.Entity<Documents.CaseDocumentRecord>(e =>
        {
            e.Property(x => x.Pdf).HasConversion(text);
            e.Property(x => x.Html).HasConversion(text);
        });
        b.Entity<Proactive.ProactiveInvitation>(e =>
        {
            e.Property(x => x.ResidentIdNumber).HasConversion(text);
            e.Property(x => x.Phone).HasConversion(text);
            e.Property(x => x.Message).HasConversion(text);
        });
        b.Entity<Priority.PriorityApplicant>().Property(x => x.IdNumber).HasConversion(text);
        b.Entity<AdminChange>(e =>
        {
            e.Property(x => x.Before).HasConversion(text);
            e.Property(x => x.After).HasConversion(text);
        });
    }

    /// <summary>
    /// Fills the blind indexes of the cases and users about to be written, so no writer can forget them; a case a
    /// step changes without touching its applicant keeps its indexes unhashed again.
    /// </summary>
    public static void IndexChanges(GovFlowDb db, PersonalDataProtector protector)
    {
        foreach (var entry in db.ChangeTracker.Entries<CaseRecord>())
            if (entry.State is EntityState.Added
                || entry.State is EntityState.Modified && (entry.Entity.ApplicantIdIndex is null || entry.Property(x => x.ApplicantIdNumber).IsModified || entry.Property(x => x.ApplicantPhone).IsModified))
            {
                var id = protector.IdIndex(entry.Entity.ApplicantIdNumber);
                var phone = protector.PhoneIndex(entry.Entity.ApplicantPhone);
                // Through the entry, so a modified row's index is written with it.
                if (entry.Entity.ApplicantIdIndex != id) entry.Property(x => x.ApplicantIdIndex).CurrentValue = id;
                if (entry.Entity.ApplicantPhoneIndex != phone) entry.Property(x => x.ApplicantPhoneIndex).CurrentValue = phone;
            }
        foreach (var entry in db.ChangeTracker.Entries<UserRecord>())
            if (entry.State is EntityState.Added or EntityState.Modified)
            {
                var index = protector.IdIndex(entry.Entity.IdNumber);
                if (entry.Entity.IdNumberIndex != index) entry.Property(x => x.IdNumberIndex).CurrentValue = index;
                var enterprise = protector.IdIndex(entry.Entity.EnterpriseUscc);
                if (entry.Entity.EnterpriseIndex != enterprise) entry.Property(x => x.EnterpriseIndex).CurrentValue = enterprise;
            }
    }

    /// <summary>Gives the contexts of these options the protector (and a model of their own keys).</summary>
    public static DbContextOptionsBuilder UsePersonalDataProtection(this DbContextOptionsBuilder options, PersonalDataProtector protector)
    {
        ((IDbContextOptionsBuilderInfrastructure)options).AddOrUpdateExtension(new ProtectionExtension(protector));
        return options.ReplaceService<IModelCacheKeyFactory, ProtectedModelCacheKeyFactory>();
    }
}

/// <summary>Carries the protector in a context's options.</summary>
public sealed class ProtectionExtension(PersonalDataProtector protector) : IDbContextOptionsExtension
{
    /// <summary>The protector.</summary>
    public PersonalDataProtector Protector { get; } = protector;

    /// <inheritdoc />
    public DbContextOptionsExtensionInfo Info => new ExtensionInfo(this);

    /// <inheritdoc />
    public void ApplyServices(IServiceCollection services) { }

    /// <inheritdoc />
    public void Validate(IDbContextOptions options) { }

    // The protector does not change EF's internal services, so every key set shares one internal service provider.
    private sealed class ExtensionInfo(IDbContextOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;
        public override string LogFragment => "PersonalDataProtection ";
        public override int GetServiceProviderHashCode() => 0;
        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;
        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo) => debugInfo["GovFlow:PersonalDataProtection"] = "1";
    }
}

/// <summary>One model per set of keys: the model's converters hold the protector, and EF caches models per key.</summary>
public sealed class ProtectedModelCacheKeyFactory : IModelCacheKeyFactory
{
    /// <inheritdoc />
    public object Create(DbContext context, bool designTime) =>
        (context.GetType(), (context as GovFlowDb)?.Protector?.Fingerprint, designTime);
}
