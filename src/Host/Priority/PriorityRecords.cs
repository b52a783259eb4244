using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Priority;

/// <summary>The kinds of priority service (绿色通道) policy staff may grant, with the labels the UI shows.</summary>
public static class PriorityKinds
{
    /// <summary>绿色通道: a person or enterprise the government has decided to serve first (e.g. a major project).</summary>
    public const string GreenChannel = "green";
    /// <summary>重点企业: an enterprise on the district's key-enterprise list.</summary>
    public const string KeyEnterprise = "key-enterprise";
    /// <summary>贵宾服务 (VIP): an applicant served by appointment and escorted through the hall.</summary>
    public const string Vip = "vip";

    /// <summary>Every kind, in the order the form offers them.</summary>
    public static readonly IReadOnlyList<string> All = [GreenChannel, KeyEnterprise, Vip];

    /// <summary>The Chinese label of each kind.</summary>
    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [GreenChannel] = "绿色通道", [KeyEnterprise] = "重点企业", [Vip] = "贵宾服务"
    };
}

/// <summary>
/// An applicant on the priority register: a person (by ID number) or an enterprise (by USCC) whose cases are
/// flagged and handled first until <see cref="EndsOn"/>. The number is personal data, encrypted at rest; its blind
/// index (the same keyed SM3 as the cases') is what a submission is matched by.
/// </summary>
public sealed class PriorityApplicant
{
    /// <summary>Entry id (time-ordered).</summary>
    public string Id { get; set; } = "";
    /// <summary>111 (resident ID) or 001 (unified social credit code), as on cases.</summary>
    public string IdType { get; set; } = "111";
    /// <summary>The ID number or credit code (encrypted at rest).</summary>
    public string IdNumber { get; set; } = "";
    /// <summary>Blind index of the number, equal to the <see cref="Persistence.CaseRecord.ApplicantIdIndex"/> of the applicant's cases.</summary>
    public string IdIndex { get; set; } = "";
    /// <summary>The person's or enterprise's name.</summary>
    public string Name { get; set; } = "";
    /// <summary>One of <see cref="PriorityKinds"/>.</summary>
    public string Kind { get; set; } = PriorityKinds.GreenChannel;
    /// <summary>Why the applicant is served first (a decision, a list, a policy document).</summary>
    public string Reason { get; set; } = "";
    /// <summary>The last day (China time) the applicant's new cases are flagged.</summary>
    public DateOnly EndsOn { get; set; }
    /// <summary>Who marked the applicant.</summary>
    public string MarkedBy { get; set; } = "";
    /// <summary>When.</summary>
    public DateTimeOffset MarkedAt { get; set; }
    /// <summary>Who revoked the mark; null while it stands.</summary>
    public string? RevokedBy { get; set; }
    /// <summary>When it was revoked.</summary>
    public DateTimeOffset? RevokedAt { get; set; }
    /// <summary>Concurrency stamp: two staff editing one entry cannot both win.</summary>
    public string Stamp { get; set; } = "";

    /// <summary>The table <c>priority_applicants</c>.</summary>
    public static void Configure(ModelBuilder b) => b.Entity<PriorityApplicant>(e =>
    {
        e.ToTable("priority_applicants");
        e.HasKey(x => x.Id).HasName("pk_priority_applicants");
        e.Property(x => x.Stamp).IsConcurrencyToken().HasMaxLength(40);
        // Every submission asks: is this applicant's number on the register today?
        e.HasIndex(x => x.IdIndex).HasDatabaseName("ix_priority_applicants_id_index");
        // A day as yyyy-MM-dd text, the same on every provider (and ordered as text).
        e.Property(x => x.EndsOn).HasConversion(new Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateOnlyToStringConverter()).HasMaxLength(10);
        e.Property(x => x.Id).HasMaxLength(64);
        e.Property(x => x.IdType).HasMaxLength(8);
        e.Property(x => x.IdNumber).HasMaxLength(200);
        e.Property(x => x.IdIndex).HasMaxLength(64);
        e.Property(x => x.Name).HasMaxLength(100);
        e.Property(x => x.Kind).HasMaxLength(20);
        e.Property(x => x.Reason).HasMaxLength(200);
        e.Property(x => x.MarkedBy).HasMaxLength(64);
        e.Property(x => x.RevokedBy).HasMaxLength(64);
        b.Entity<Persistence.CaseRecord>().Property(x => x.Priority).HasMaxLength(20);
        b.Entity<Persistence.TaskRecord>().Property(x => x.Priority).HasMaxLength(20);
    });
}
