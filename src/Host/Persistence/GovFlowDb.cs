using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Persistence;

/// <summary>
/// GovFlow's database: the same schema on SQLite, PostgreSQL and SQL Server. A step is committed with
/// <see cref="UnitOfWork.CommitAsync"/>, which knows the SQLite writer; the context does not. The code injects this
/// type; each provider has its own subclass (<see cref="SqliteGovFlowDb"/>, <see cref="PostgresGovFlowDb"/>,
/// <see cref="SqlServerGovFlowDb"/>) because EF Core keeps one set of generated migrations and one model snapshot
/// per context type.
/// </summary>
public abstract class GovFlowDb : DbContext
{
    /// <summary>A context on the options its provider's subclass was given; with <see cref="ProtectedColumns.UsePersonalDataProtection"/>, personal data is encrypted at rest.</summary>
    protected GovFlowDb(DbContextOptions options) : base(options) =>
        Protector = options.FindExtension<ProtectionExtension>()?.Protector;

    /// <summary>
    /// Encrypts personal data columns and computes blind indexes; null in a context that reads and writes the stored
    /// text as it is (the rewriting of legacy rows).
    /// </summary>
    public Security.PersonalDataProtector? Protector { get; }

    /// <summary>Fills the blind indexes of the staged cases and users (a no-op without a protector).</summary>
    public void IndexPersonalData()
    {
        if (Protector is not null) ProtectedColumns.IndexChanges(this, Protector);
    }

    /// <summary>
    /// Whether this context derives the inbox's tally deltas from the tasks it commits (<see cref="InboxTallies.Stage"/>).
    /// Off for a writer that replays another context's changes: that context staged their deltas already.
    /// </summary>
    public bool KeepsTaskTallies { get; set; } = true;

    /// <summary>The deltas the last <see cref="InboxTallies.Stage"/> added, replaced when the same commit is staged again.</summary>
    internal List<TaskTally> StagedTallies { get; } = [];

    /// <inheritdoc />
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        IndexPersonalData();
        InboxTallies.Stage(this);
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <inheritdoc />
    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        IndexPersonalData();
        InboxTallies.Stage(this);
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>Definition versions.</summary>
    public DbSet<DefinitionRecord> Definitions => Set<DefinitionRecord>();
    /// <summary>Instances.</summary>
    public DbSet<InstanceRecord> Instances => Set<InstanceRecord>();
    /// <summary>Open bookmarks.</summary>
    public DbSet<BookmarkRecord> Bookmarks => Set<BookmarkRecord>();
    /// <summary>Inbox tasks.</summary>
    public DbSet<TaskRecord> Tasks => Set<TaskRecord>();
    /// <summary>The inbox's counts per key, as signed deltas folded now and then (<see cref="InboxTallies"/>).</summary>
    public DbSet<TaskTally> TaskTallies => Set<TaskTally>();
    /// <summary>Journals.</summary>
    public DbSet<JournalEntry> Journal => Set<JournalEntry>();
    /// <summary>SM2-signed journal heads.</summary>
    public DbSet<JournalCheckpointEntry> Checkpoints => Set<JournalCheckpointEntry>();
    /// <summary>Journals of finished cases moved out of <see cref="Journal"/> by the retention policy.</summary>
    public DbSet<JournalArchiveRecord> JournalArchives => Set<JournalArchiveRecord>();
    /// <summary>Reveals of applicants' personal data.</summary>
    public DbSet<PersonalDataReveal> Reveals => Set<PersonalDataReveal>();
    /// <summary>Cases.</summary>
    public DbSet<CaseRecord> Cases => Set<CaseRecord>();
    /// <summary>Users.</summary>
    public DbSet<UserRecord> Users => Set<UserRecord>();
    /// <summary>The metrics' daily rollups.</summary>
    public DbSet<MetricDayRecord> MetricDays => Set<MetricDayRecord>();
    /// <summary>How far the metrics' daily rollups are refreshed.</summary>
    public DbSet<MetricRefreshRecord> MetricRefresh => Set<MetricRefreshRecord>();
    /// <summary>Case snapshots per step.</summary>
    public DbSet<CaseSnapshot> Snapshots => Set<CaseSnapshot>();
    /// <summary>Idempotent responses.</summary>
    public DbSet<IdempotencyRecord> Idempotency => Set<IdempotencyRecord>();
    /// <summary>Faulted steps waiting for a retry.</summary>
    public DbSet<IncidentRecord> Incidents => Set<IncidentRecord>();
    /// <summary>电子监察 red cards of overdue cases.</summary>
    public DbSet<RedCard> RedCards => Set<RedCard>();
    /// <summary>Failed sign-ins and locks per user name.</summary>
    public DbSet<SignInLock> SignInLocks => Set<SignInLock>();
    /// <summary>Signed-in sessions.</summary>
    public DbSet<SessionRecord> Sessions => Set<SessionRecord>();
    /// <summary>Departments and halls.</summary>
    public DbSet<DepartmentRecord> Departments => Set<DepartmentRecord>();
    /// <summary>Administrators' changes to people and departments.</summary>
    public DbSet<AdminChange> AdminChanges => Set<AdminChange>();
    /// <summary>Official notices (文书) issued to cases.</summary>
    public DbSet<GovFlow.Host.Documents.CaseDocumentRecord> CaseDocuments => Set<GovFlow.Host.Documents.CaseDocumentRecord>();
    /// <summary>Holiday notices loaded at run time.</summary>
    public DbSet<CalendarYearRecord> CalendarYears => Set<CalendarYearRecord>();
    /// <summary>免申即享 invitations, one per matter and resident.</summary>
    public DbSet<Proactive.ProactiveInvitation> ProactiveInvitations => Set<Proactive.ProactiveInvitation>();
    /// <summary>Residents who refused proactive contact.</summary>
    public DbSet<Proactive.ProactiveOptOut> ProactiveOptOuts => Set<Proactive.ProactiveOptOut>();

    /// <summary>Files applicants uploaded, theirs until attached to a case.</summary>
    public DbSet<Applications.MaterialUpload> Uploads => Set<Applications.MaterialUpload>();

    /// <summary>Applicants' consents to certificate lookups.</summary>
    public DbSet<Applications.CertificateConsent> CertificateConsents => Set<Applications.CertificateConsent>();

    /// <summary>Applicants served first (绿色通道), by the blind index of their ID number or credit code.</summary>
    public DbSet<Priority.PriorityApplicant> PriorityApplicants => Set<Priority.PriorityApplicant>();
    /// <summary>Halls' booking rules (预约).</summary>
    public DbSet<Queue.QueueHall> QueueHalls => Set<Queue.QueueHall>();
    /// <summary>Halls' windows.</summary>
    public DbSet<Queue.QueueWindow> QueueWindows => Set<Queue.QueueWindow>();
    /// <summary>Bookings per slot.</summary>
    public DbSet<Queue.QueueSlotLoad> QueueSlotLoads => Set<Queue.QueueSlotLoad>();
    /// <summary>Applicants' bookings.</summary>
    public DbSet<Queue.QueueBooking> QueueBookings => Set<Queue.QueueBooking>();
    /// <summary>Queue numbers (取号).</summary>
    public DbSet<Queue.QueueTicket> QueueTickets => Set<Queue.QueueTicket>();
    /// <summary>The SM4 key versions every stored value of personal data has been brought under, one row each.</summary>
    public DbSet<PersonalDataPass> PersonalDataPasses => Set<PersonalDataPass>();

    /// <inheritdoc />
    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        // Moments are stored as UTC milliseconds: sortable and comparable on every provider (SQLite has no date type).
        configuration.Properties<DateTimeOffset>().HaveConversion<UtcMillisecondsConverter>();
        configuration.Properties<DateTimeOffset?>().HaveConversion<UtcMillisecondsConverter>();
    }

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder b)
    {
        // Names and lengths are those the hand-written migrations gave the schema, so a database they created is the
        // schema the generated baseline describes. Every key and indexed string is bounded: SQL Server cannot index
        // nvarchar(max).
        b.Entity<DefinitionRecord>(e =>
        {
            e.ToTable("definitions");
            e.HasKey(x => x.Id).HasName("pk_definitions");
            e.HasIndex(x => new { x.DefinitionId, x.Version }).IsUnique().HasDatabaseName("ix_definitions_definition_version");
            Lengths(e, (x => x.Id, 64), (x => x.DefinitionId, 64), (x => x.Name, 200), (x => x.Stamp, 40),
                (x => x.CreatedBy, 64), (x => x.UpdatedBy, 64), (x => x.PublishedBy, 64), (x => x.RetractedBy, 64));
        });
        b.Entity<InstanceRecord>(e =>
        {
            e.ToTable("instances");
            e.HasKey(x => x.Id).HasName("pk_instances");
            e.Property(x => x.Stamp).IsConcurrencyToken();
            e.HasIndex(x => x.CaseId).HasDatabaseName("ix_instances_case");
            Lengths(e, (x => x.Id, 64), (x => x.DefinitionId, 64), (x => x.DefinitionVersionId, 64), (x => x.Status, 16), (x => x.SubStatus, 16),
                (x => x.CorrelationId, 128), (x => x.CaseId, 64), (x => x.Stamp, 40));
        });
        b.Entity<BookmarkRecord>(e =>
        {
            e.ToTable("bookmarks");
            e.HasKey(x => x.Id).HasName("pk_bookmarks");
            e.HasIndex(x => x.InstanceId).HasDatabaseName("ix_bookmarks_instance");
            e.HasIndex(x => x.DueAt).HasDatabaseName("ix_bookmarks_due");
            // The waybill sweep reads the open tracking bookmarks oldest first, a sweep's worth after where it stopped.
            e.HasIndex(x => new { x.Name, x.CreatedAt, x.Id }).HasDatabaseName("ix_bookmarks_name_created");
            Lengths(e, (x => x.Id, 64), (x => x.InstanceId, 64), (x => x.Name, 100), (x => x.ActivityId, 100));
        });
        b.Entity<TaskRecord>(e =>
        {
            e.ToTable("tasks");
            e.HasKey(x => x.Id).HasName("pk_tasks");
            e.Property(x => x.Stamp).IsConcurrencyToken();
            // The inbox asks: open tasks of a department (or mine), by due date.
            e.HasIndex(x => new { x.Department, x.Status, x.DueAt }).HasDatabaseName("ix_tasks_department_status_due");
            e.HasIndex(x => new { x.Assignee, x.Status, x.DueAt }).HasDatabaseName("ix_tasks_assignee_status_due");
            // The inbox's first page walks these in due order and stops after one page.
            e.HasIndex(x => new { x.Department, x.DueAt }).HasDatabaseName("ix_tasks_department_due");
            e.HasIndex(x => new { x.Assignee, x.DueAt }).HasDatabaseName("ix_tasks_assignee_due");
            e.HasIndex(x => x.CaseId).HasDatabaseName("ix_tasks_case");
            // The inbox reads 绿色通道 tasks apart (few) before the others: this keeps that read off the department's whole range.
            // Id last: tasks of a department share their due moments by the tens of thousands (a working day's end), and
            // without it the page's tie-break by id sorted a whole due moment's tasks for every page.
            e.HasIndex(x => new { x.Department, x.Priority, x.DueAt, x.Id }).HasDatabaseName("ix_tasks_department_priority_due");
            Lengths(e, (x => x.Id, 64), (x => x.InstanceId, 64), (x => x.CaseId, 64), (x => x.CaseNumber, 40), (x => x.MatterCode, 40), (x => x.MatterName, 200),
                (x => x.ApplicantName, 100), (x => x.Kind, 100), (x => x.StepName, 100), (x => x.Department, 200), (x => x.Role, 40), (x => x.Assignee, 64),
                (x => x.Status, 16), (x => x.CompletedBy, 64), (x => x.Action, 40), (x => x.Stamp, 40));
        });
        b.Entity<TaskTally>(e =>
        {
            e.ToTable("task_tallies");
            e.HasKey(x => x.Id).HasName("pk_task_tallies");
            // The counts sum a department's rows (or an assignee's); the fold groups by the whole key.
            e.HasIndex(x => new { x.Department, x.Assignee, x.Status, x.MatterCode, x.StepName, x.DueAt, x.YellowFrom }).HasDatabaseName("ix_task_tallies_key");
            e.HasIndex(x => new { x.Assignee, x.Status }).HasDatabaseName("ix_task_tallies_assignee");
            Lengths(e, (x => x.Id, 64), (x => x.Department, 200), (x => x.Assignee, 64), (x => x.Status, 16), (x => x.MatterCode, 40), (x => x.StepName, 100));
        });
        b.Entity<JournalEntry>(e =>
        {
            e.ToTable("journal");
            e.HasKey(x => new { x.InstanceId, x.Sequence }).HasName("pk_journal");
            Lengths(e, (x => x.InstanceId, 64), (x => x.ActivityInstanceId, 64), (x => x.ParentActivityInstanceId, 64), (x => x.ActivityId, 100), (x => x.NodeId, 400),
                (x => x.ActivityType, 200), (x => x.ActivityName, 200), (x => x.EventName, 64), (x => x.Actor, 64), (x => x.PreviousHash, 64), (x => x.Hash, 64),
                (x => x.Algorithm, 16));
        });
        b.Entity<PersonalDataReveal>(e =>
        {
            e.ToTable("personal_data_reveals");
            e.HasKey(x => x.Id).HasName("pk_personal_data_reveals");
            e.HasIndex(x => new { x.CaseId, x.At }).HasDatabaseName("ix_personal_data_reveals_case_at");
            Lengths(e, (x => x.Id, 64), (x => x.CaseId, 64), (x => x.CaseNumber, 40), (x => x.UserName, 64), (x => x.Role, 16), (x => x.Reason, 200));
        });
        b.Entity<JournalCheckpointEntry>(e =>
        {
            e.ToTable("journal_checkpoints");
            e.HasKey(x => new { x.InstanceId, x.Sequence }).HasName("pk_journal_checkpoints");
            Lengths(e, (x => x.InstanceId, 64), (x => x.Hash, 64), (x => x.KeyId, 16), (x => x.Signature, 160));
        });
        b.Entity<JournalArchiveRecord>(e =>
        {
            e.ToTable("journal_archives");
            // One row per case: a second archiver's insert fails on the key, so a case is archived once.
            e.HasKey(x => x.CaseId).HasName("pk_journal_archives");
            // Rotation finds the rows still sealed under an older key.
            e.HasIndex(x => x.KeyVersion).HasDatabaseName("ix_journal_archives_key_version");
            Lengths(e, (x => x.CaseId, 64), (x => x.InstanceId, 64), (x => x.Digest, 64), (x => x.KeyVersion, 16));
        });
        b.Entity<CaseRecord>(e =>
        {
            e.ToTable("cases");
            e.HasKey(x => x.Id).HasName("pk_cases");
            e.Property(x => x.Stamp).IsConcurrencyToken();
            e.HasIndex(x => x.CaseNumber).IsUnique().HasDatabaseName("ix_cases_number");
            e.HasIndex(x => new { x.MatterCode, x.Status }).HasDatabaseName("ix_cases_matter_status");
            // Lookups by ID number or phone go through the blind indexes; the encrypted columns are never filtered on.
            e.HasIndex(x => x.ApplicantIdIndex).HasDatabaseName("ix_cases_applicant_id_index");
            e.HasIndex(x => x.ApplicantPhoneIndex).HasDatabaseName("ix_cases_applicant_phone_index");
            e.HasIndex(x => x.ReceivedAt).HasDatabaseName("ix_cases_received");
            e.HasIndex(x => new { x.Hall, x.ReceivedAt }).HasDatabaseName("ix_cases_hall_received");
            // The search box finds an applicant by the start of their name (a range on this index, never LIKE '%x%').
            e.HasIndex(x => x.ApplicantName).HasDatabaseName("ix_cases_applicant_name");
            // The ID number, phone and address are stored encrypted (sm4:VERSION:base64), longer than in clear; the address is unbounded.
            Lengths(e, (x => x.Id, 64), (x => x.CaseNumber, 40), (x => x.MatterCode, 40), (x => x.MatterName, 200), (x => x.Department, 200), (x => x.ApplicantName, 100),
                (x => x.ApplicantIdType, 8), (x => x.ApplicantIdNumber, 200), (x => x.ApplicantPhone, 200), (x => x.Channel, 20),
                (x => x.Hall, 200), (x => x.Status, 32), (x => x.WarningLevel, 8), (x => x.InstanceId, 64), (x => x.Stamp, 40),
                (x => x.ApplicantIdIndex, 64), (x => x.ApplicantPhoneIndex, 64));
            e.Property(x => x.ParentCaseId).HasMaxLength(64);
            e.HasIndex(x => x.ParentCaseId).HasDatabaseName("ix_cases_parent");
            e.Property(x => x.CaseType).HasMaxLength(1);
            // The metrics find the days of the cases that moved since the rollups' watermark (and rows without facts),
            // the cases of a day, and the open ones past their promised date.
            e.HasIndex(x => new { x.UpdatedAt, x.ReceivedDay }).HasDatabaseName("ix_cases_updated");
            e.HasIndex(x => x.ReceivedDay).HasDatabaseName("ix_cases_received_day");
            e.HasIndex(x => new { x.CompletedAt, x.PromisedDue, x.ReceivedDay }).HasDatabaseName("ix_cases_completed_promised");
        });
        b.Entity<MetricDayRecord>(e =>
        {
            e.ToTable("metric_days");
            e.HasKey(x => x.Id).HasName("pk_metric_days");
            e.HasIndex(x => x.Day).HasDatabaseName("ix_metric_days_day");
            Lengths(e, (x => x.Id, 32), (x => x.MatterCode, 40), (x => x.MatterName, 200), (x => x.Department, 200), (x => x.CaseType, 1));
        });
        b.Entity<PersonalDataPass>(e =>
        {
            e.ToTable("personal_data_passes");
            e.HasKey(x => x.KeyVersion).HasName("pk_personal_data_passes");
            Lengths(e, (x => x.KeyVersion, 32));
        });
        b.Entity<MetricRefreshRecord>(e =>
        {
            e.ToTable("metric_refresh");
            e.HasKey(x => x.Id).HasName("pk_metric_refresh");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Stamp).IsConcurrencyToken();
            Lengths(e, (x => x.Stamp, 40));
        });
        b.Entity<UserRecord>(e =>
        {
            e.ToTable("users");
            e.HasKey(x => x.UserName).HasName("pk_users");
            Lengths(e, (x => x.UserName, 64), (x => x.PasswordHash, 200), (x => x.Role, 16), (x => x.Department, 200), (x => x.DisplayName, 100), (x => x.IdNumber, 200), (x => x.IdNumberIndex, 64),
                (x => x.EnterpriseUscc, 18), (x => x.EnterpriseIndex, 64));
            e.HasIndex(x => x.IdNumberIndex).HasDatabaseName("ix_users_id_number_index");
        });
        b.Entity<CaseSnapshot>(e =>
        {
            e.ToTable("case_snapshots");
            e.HasKey(x => new { x.CaseId, x.UpToSequence }).HasName("pk_case_snapshots");
            Lengths(e, (x => x.CaseId, 64), (x => x.Status, 32));
        });
        b.Entity<IdempotencyRecord>(e =>
        {
            e.ToTable("idempotency");
            e.HasKey(x => x.Key).HasName("pk_idempotency");
            Lengths(e, (x => x.Key, 200));
        });
        b.Entity<CalendarYearRecord>(e =>
        {
            e.ToTable("calendar_years");
            e.HasKey(x => x.Year).HasName("pk_calendar_years");
            e.Property(x => x.Year).ValueGeneratedNever();
            Lengths(e, (x => x.Source, 400), (x => x.LoadedBy, 64), (x => x.Stamp, 40));
        });
        b.Entity<Proactive.ProactiveInvitation>(e =>
        {
            e.ToTable("proactive_invitations");
            e.HasKey(x => x.Id).HasName("pk_proactive_invitations");
            e.Property(x => x.Stamp).IsConcurrencyToken();
            // Two nodes sweeping at once cannot invite a resident twice for one matter.
            e.HasIndex(x => new { x.MatterCode, x.ResidentKey }).IsUnique().HasDatabaseName("ix_proactive_invitations_matter_resident");
            e.HasIndex(x => x.PhoneIndex).HasDatabaseName("ix_proactive_invitations_phone");
            // A day as yyyy-MM-dd text, the same on every provider.
            e.Property(x => x.QualifiesOn).HasConversion(new Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateOnlyToStringConverter()).HasMaxLength(10);
            e.HasIndex(x => new { x.Status, x.InvitedAt }).HasDatabaseName("ix_proactive_invitations_status");
            Lengths(e, (x => x.Id, 64), (x => x.MatterCode, 40), (x => x.MatterName, 200), (x => x.ResidentKey, 64), (x => x.ResidentName, 100),
                (x => x.PhoneIndex, 64), (x => x.Status, 16), (x => x.Reply, 200), (x => x.CaseId, 64), (x => x.CaseNumber, 40), (x => x.Stamp, 40));
        });
        b.Entity<Proactive.ProactiveOptOut>(e =>
        {
            e.ToTable("proactive_opt_outs");
            e.HasKey(x => x.ResidentKey).HasName("pk_proactive_opt_outs");
            Lengths(e, (x => x.ResidentKey, 64), (x => x.Reply, 200), (x => x.InvitationId, 64));
        });
        b.Entity<RedCard>(e =>
        {
            e.ToTable("red_cards");
            e.HasKey(x => x.CaseId).HasName("pk_red_cards");
            e.HasIndex(x => new { x.Department, x.IssuedAt }).HasDatabaseName("ix_red_cards_department_issued");
            Lengths(e, (x => x.CaseId, 64), (x => x.CaseNumber, 40), (x => x.MatterName, 200), (x => x.Department, 200));
        });
        b.Entity<IncidentRecord>(e =>
        {
            e.ToTable("incidents");
            e.HasKey(x => x.Id).HasName("pk_incidents");
            e.HasIndex(x => new { x.Status, x.OccurredAt }).HasDatabaseName("ix_incidents_status_occurred");
            e.HasIndex(x => x.CaseId).HasDatabaseName("ix_incidents_case");
            Lengths(e, (x => x.Id, 64), (x => x.CaseId, 64), (x => x.CaseNumber, 40), (x => x.InstanceId, 64), (x => x.BookmarkId, 64), (x => x.BookmarkName, 100),
                (x => x.ActivityId, 100), (x => x.ActivityType, 200), (x => x.ExceptionType, 200), (x => x.Actor, 64), (x => x.Status, 16), (x => x.ResolvedBy, 64));
        });
        b.Entity<SignInLock>(e =>
        {
            e.ToTable("sign_in_locks");
            e.HasKey(x => x.UserName).HasName("pk_sign_in_locks");
            Lengths(e, (x => x.UserName, 64));
        });
        b.Entity<SessionRecord>(e =>
        {
            e.ToTable("sessions");
            e.HasKey(x => x.Id).HasName("pk_sessions");
            e.HasIndex(x => x.UserName).HasDatabaseName("ix_sessions_user");
            e.HasIndex(x => x.ExpiresAt).HasDatabaseName("ix_sessions_expires");
            Lengths(e, (x => x.Id, 64), (x => x.UserName, 64));
        });
        b.Entity<DepartmentRecord>(e =>
        {
            e.ToTable("departments");
            e.HasKey(x => x.Id).HasName("pk_departments");
            e.HasIndex(x => x.Name).IsUnique().HasDatabaseName("ix_departments_name");
            Lengths(e, (x => x.Id, 64), (x => x.Name, 200), (x => x.Uscc, 18), (x => x.ParentId, 64));
            Lengths(e, (x => x.RegionCode, 6), (x => x.RegionName, 100));
        });
        b.Entity<AdminChange>(e =>
        {
            e.ToTable("admin_changes");
            e.HasKey(x => x.Id).HasName("pk_admin_changes");
            e.HasIndex(x => new { x.Entity, x.Key }).HasDatabaseName("ix_admin_changes_entity_key");
            Lengths(e, (x => x.Id, 64), (x => x.Actor, 64), (x => x.Entity, 16), (x => x.Key, 200), (x => x.Action, 32));
        });
        GovFlow.Host.Documents.CaseDocumentRecord.Configure(b);
        Applications.MaterialUpload.Configure(b);
        Applications.CertificateConsent.Configure(b);
        Priority.PriorityApplicant.Configure(b);
        Queue.QueueModel.Configure(b);
        if (Protector is not null) ProtectedColumns.Apply(b, Protector);
    }

    private static void Lengths<T>(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<T> entity,
        params (System.Linq.Expressions.Expression<Func<T, string?>> Property, int Length)[] lengths) where T : class
    {
        foreach (var (property, length) in lengths) entity.Property(property).HasMaxLength(length);
    }
}

/// <summary>Stores a moment as UTC Unix milliseconds.</summary>
public sealed class UtcMillisecondsConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, long>(
    v => v.ToUnixTimeMilliseconds(), v => DateTimeOffset.FromUnixTimeMilliseconds(v));
