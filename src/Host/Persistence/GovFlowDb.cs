using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace GovFlow.Host.Persistence;

/// <summary>
/// GovFlow's database: the same schema on SQLite and PostgreSQL (and, with its provider, SQL Server). A step is
/// committed with <see cref="UnitOfWork.CommitAsync"/>, which knows the SQLite writer; the context does not.
/// </summary>
public sealed class GovFlowDb : DbContext
{
    /// <summary>A context on the configured database; with <see cref="ProtectedColumns.UsePersonalDataProtection"/>, personal data is encrypted at rest.</summary>
    public GovFlowDb(DbContextOptions<GovFlowDb> options) : base(options) =>
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

    /// <inheritdoc />
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        IndexPersonalData();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <inheritdoc />
    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        IndexPersonalData();
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
    /// <summary>Journals.</summary>
    public DbSet<JournalEntry> Journal => Set<JournalEntry>();
    /// <summary>SM2-signed journal heads.</summary>
    public DbSet<JournalCheckpointEntry> Checkpoints => Set<JournalCheckpointEntry>();
    /// <summary>Reveals of applicants' personal data.</summary>
    public DbSet<PersonalDataReveal> Reveals => Set<PersonalDataReveal>();
    /// <summary>Cases.</summary>
    public DbSet<CaseRecord> Cases => Set<CaseRecord>();
    /// <summary>Users.</summary>
    public DbSet<UserRecord> Users => Set<UserRecord>();
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
    /// <summary>Holiday notices loaded at run time.</summary>
    public DbSet<CalendarYearRecord> CalendarYears => Set<CalendarYearRecord>();

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
        b.Entity<DefinitionRecord>(e =>
        {
            e.ToTable("definitions");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.DefinitionId, x.Version }).IsUnique();
        });
        b.Entity<InstanceRecord>(e =>
        {
            e.ToTable("instances");
            e.HasKey(x => x.Id);
            e.Property(x => x.Stamp).IsConcurrencyToken();
            e.HasIndex(x => x.CaseId);
        });
        b.Entity<BookmarkRecord>(e =>
        {
            e.ToTable("bookmarks");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.InstanceId);
            e.HasIndex(x => x.DueAt);
        });
        b.Entity<TaskRecord>(e =>
        {
            e.ToTable("tasks");
            e.HasKey(x => x.Id);
            e.Property(x => x.Stamp).IsConcurrencyToken();
            // The inbox asks: open tasks of a department (or mine), by due date.
            e.HasIndex(x => new { x.Department, x.Status, x.DueAt });
            e.HasIndex(x => new { x.Assignee, x.Status, x.DueAt });
            // The inbox's first page walks these in due order and stops after one page.
            e.HasIndex(x => new { x.Department, x.DueAt });
            e.HasIndex(x => new { x.Assignee, x.DueAt });
            e.HasIndex(x => x.CaseId);
        });
        b.Entity<JournalEntry>(e =>
        {
            e.ToTable("journal");
            e.HasKey(x => new { x.InstanceId, x.Sequence });
        });
        b.Entity<PersonalDataReveal>(e =>
        {
            e.ToTable("personal_data_reveals");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.CaseId, x.At });
        });
        b.Entity<JournalCheckpointEntry>(e =>
        {
            e.ToTable("journal_checkpoints");
            e.HasKey(x => new { x.InstanceId, x.Sequence });
        });
        b.Entity<CaseRecord>(e =>
        {
            e.ToTable("cases");
            e.HasKey(x => x.Id);
            e.Property(x => x.Stamp).IsConcurrencyToken();
            e.HasIndex(x => x.CaseNumber).IsUnique();
            e.HasIndex(x => new { x.MatterCode, x.Status });
            // Lookups by ID number or phone go through the blind indexes; the encrypted columns are never filtered on.
            e.HasIndex(x => x.ApplicantIdIndex);
            e.HasIndex(x => x.ApplicantPhoneIndex);
            e.HasIndex(x => x.ReceivedAt);
            e.HasIndex(x => new { x.Hall, x.ReceivedAt });
        });
        b.Entity<UserRecord>(e =>
        {
            e.ToTable("users");
            e.HasKey(x => x.UserName);
            e.HasIndex(x => x.IdNumberIndex);
        });
        b.Entity<CaseSnapshot>(e =>
        {
            e.ToTable("case_snapshots");
            e.HasKey(x => new { x.CaseId, x.UpToSequence });
        });
        b.Entity<IdempotencyRecord>(e =>
        {
            e.ToTable("idempotency");
            e.HasKey(x => x.Key);
        });
        b.Entity<CalendarYearRecord>(e =>
        {
            e.ToTable("calendar_years");
            e.HasKey(x => x.Year);
            e.Property(x => x.Year).ValueGeneratedNever();
        });
        b.Entity<RedCard>(e =>
        {
            e.ToTable("red_cards");
            e.HasKey(x => x.CaseId);
            e.HasIndex(x => new { x.Department, x.IssuedAt });
        });
        b.Entity<IncidentRecord>(e =>
        {
            e.ToTable("incidents");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.Status, x.OccurredAt });
            e.HasIndex(x => x.CaseId);
        });
        b.Entity<SignInLock>(e =>
        {
            e.ToTable("sign_in_locks");
            e.HasKey(x => x.UserName);
        });
        b.Entity<SessionRecord>(e =>
        {
            e.ToTable("sessions");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.UserName);
            e.HasIndex(x => x.ExpiresAt);
        });
        b.Entity<DepartmentRecord>(e =>
        {
            e.ToTable("departments");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.Name).IsUnique();
        });
        b.Entity<AdminChange>(e =>
        {
            e.ToTable("admin_changes");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.Entity, x.Key });
        });
        if (Protector is not null) ProtectedColumns.Apply(b, Protector);
    }
}

/// <summary>The first schema, written by hand (the design-time scaffolder is not available here) and provider-neutral.</summary>
[DbContext(typeof(GovFlowDb))]
[Migration("20261122000001_Initial")]
public sealed class InitialSchema : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("definitions", t => new
        {
            Id = t.Column<string>(maxLength: 64), DefinitionId = t.Column<string>(maxLength: 64), Version = t.Column<int>(), Name = t.Column<string>(maxLength: 200),
            IsPublished = t.Column<bool>(), IsLatest = t.Column<bool>(), Json = t.Column<string>(), CreatedAt = t.Column<long>()
        }, constraints: t => t.PrimaryKey("pk_definitions", x => x.Id));
        m.CreateIndex("ix_definitions_definition_version", "definitions", ["DefinitionId", "Version"], unique: true);

        m.CreateTable("instances", t => new
        {
            Id = t.Column<string>(maxLength: 64), DefinitionId = t.Column<string>(maxLength: 64), DefinitionVersionId = t.Column<string>(maxLength: 64),
            Status = t.Column<string>(maxLength: 16), SubStatus = t.Column<string>(maxLength: 16), CorrelationId = t.Column<string>(maxLength: 128, nullable: true),
            CaseId = t.Column<string>(maxLength: 64, nullable: true), StateJson = t.Column<string>(), UpdatedAt = t.Column<long>(), Stamp = t.Column<string>(maxLength: 40)
        }, constraints: t => t.PrimaryKey("pk_instances", x => x.Id));
        m.CreateIndex("ix_instances_case", "instances", "CaseId");

        m.CreateTable("bookmarks", t => new
        {
            Id = t.Column<string>(maxLength: 64), InstanceId = t.Column<string>(maxLength: 64), Name = t.Column<string>(maxLength: 100), ActivityId = t.Column<string>(maxLength: 100),
            DueAt = t.Column<long>(nullable: true), PayloadJson = t.Column<string>(nullable: true), CreatedAt = t.Column<long>()
        }, constraints: t => t.PrimaryKey("pk_bookmarks", x => x.Id));
        m.CreateIndex("ix_bookmarks_instance", "bookmarks", "InstanceId");
        m.CreateIndex("ix_bookmarks_due", "bookmarks", "DueAt");

        m.CreateTable("tasks", t => new
        {
            Id = t.Column<string>(maxLength: 64), InstanceId = t.Column<string>(maxLength: 64), CaseId = t.Column<string>(maxLength: 64), CaseNumber = t.Column<string>(maxLength: 40),
            MatterCode = t.Column<string>(maxLength: 40), MatterName = t.Column<string>(maxLength: 200), ApplicantName = t.Column<string>(maxLength: 100), Kind = t.Column<string>(maxLength: 100),
            StepName = t.Column<string>(maxLength: 100), Department = t.Column<string>(maxLength: 200), Role = t.Column<string>(maxLength: 40), Assignee = t.Column<string>(maxLength: 64, nullable: true),
            Status = t.Column<string>(maxLength: 16), DueAt = t.Column<long>(nullable: true), CreatedAt = t.Column<long>(), CompletedAt = t.Column<long>(nullable: true),
            CompletedBy = t.Column<string>(maxLength: 64, nullable: true), Action = t.Column<string>(maxLength: 40, nullable: true), Opinion = t.Column<string>(nullable: true), Stamp = t.Column<string>(maxLength: 40)
        }, constraints: t => t.PrimaryKey("pk_tasks", x => x.Id));
        m.CreateIndex("ix_tasks_department_status_due", "tasks", ["Department", "Status", "DueAt"]);
        m.CreateIndex("ix_tasks_assignee_status_due", "tasks", ["Assignee", "Status", "DueAt"]);
        m.CreateIndex("ix_tasks_case", "tasks", "CaseId");

        m.CreateTable("journal", t => new
        {
            InstanceId = t.Column<string>(maxLength: 64), Sequence = t.Column<long>(), Timestamp = t.Column<long>(), ActivityInstanceId = t.Column<string>(maxLength: 64),
            ParentActivityInstanceId = t.Column<string>(maxLength: 64, nullable: true), ActivityId = t.Column<string>(maxLength: 100), NodeId = t.Column<string>(maxLength: 400),
            ActivityType = t.Column<string>(maxLength: 200), ActivityTypeVersion = t.Column<int>(), ActivityName = t.Column<string>(maxLength: 200, nullable: true),
            EventName = t.Column<string>(maxLength: 64), Actor = t.Column<string>(maxLength: 64, nullable: true), Message = t.Column<string>(nullable: true),
            PayloadJson = t.Column<string>(nullable: true), PreviousHash = t.Column<string>(maxLength: 64), Hash = t.Column<string>(maxLength: 64)
        }, constraints: t => t.PrimaryKey("pk_journal", x => new { x.InstanceId, x.Sequence }));

        m.CreateTable("cases", t => new
        {
            Id = t.Column<string>(maxLength: 64), CaseNumber = t.Column<string>(maxLength: 40), MatterCode = t.Column<string>(maxLength: 40), MatterName = t.Column<string>(maxLength: 200),
            Department = t.Column<string>(maxLength: 200), ApplicantName = t.Column<string>(maxLength: 100), ApplicantIdType = t.Column<string>(maxLength: 8), ApplicantIdNumber = t.Column<string>(maxLength: 32),
            ApplicantPhone = t.Column<string>(maxLength: 32, nullable: true), ApplicantAddress = t.Column<string>(maxLength: 300, nullable: true), Channel = t.Column<string>(maxLength: 20),
            ReceivedAt = t.Column<long>(), AcceptedAt = t.Column<long>(nullable: true), PromisedDue = t.Column<long>(nullable: true),
            StatutoryDue = t.Column<long>(nullable: true), CompletedAt = t.Column<long>(nullable: true), Status = t.Column<string>(maxLength: 32),
            WarningLevel = t.Column<string>(maxLength: 8), BrokenCommitment = t.Column<bool>(), InstanceId = t.Column<string>(maxLength: 64), CaseFileJson = t.Column<string>(), Stamp = t.Column<string>(maxLength: 40)
        }, constraints: t => t.PrimaryKey("pk_cases", x => x.Id));
        m.CreateIndex("ix_cases_number", "cases", "CaseNumber", unique: true);
        m.CreateIndex("ix_cases_matter_status", "cases", ["MatterCode", "Status"]);
        m.CreateIndex("ix_cases_applicant", "cases", "ApplicantIdNumber");
        m.CreateIndex("ix_cases_received", "cases", "ReceivedAt");

        m.CreateTable("idempotency", t => new
        {
            Key = t.Column<string>(maxLength: 200), StatusCode = t.Column<int>(), ResponseJson = t.Column<string>(), CreatedAt = t.Column<long>()
        }, constraints: t => t.PrimaryKey("pk_idempotency", x => x.Key));
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder m)
    {
        foreach (var table in new[] { "idempotency", "cases", "journal", "tasks", "bookmarks", "instances", "definitions" }) m.DropTable(table);
    }
}

/// <summary>Users and replay snapshots.</summary>
[DbContext(typeof(GovFlowDb))]
[Migration("20261122000002_UsersAndSnapshots")]
public sealed class UsersAndSnapshots : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("users", t => new
        {
            UserName = t.Column<string>(maxLength: 64), PasswordHash = t.Column<string>(maxLength: 200), Role = t.Column<string>(maxLength: 16),
            Department = t.Column<string>(maxLength: 200, nullable: true), DisplayName = t.Column<string>(maxLength: 100), IdNumber = t.Column<string>(maxLength: 32, nullable: true)
        }, constraints: t => t.PrimaryKey("pk_users", x => x.UserName));
        m.CreateTable("case_snapshots", t => new
        {
            CaseId = t.Column<string>(maxLength: 64), UpToSequence = t.Column<long>(), Status = t.Column<string>(maxLength: 32), CaseFileJson = t.Column<string>(), At = t.Column<long>()
        }, constraints: t => t.PrimaryKey("pk_case_snapshots", x => new { x.CaseId, x.UpToSequence }));
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder m)
    {
        m.DropTable("case_snapshots");
        m.DropTable("users");
    }
}

/// <summary>Indexes that let the inbox read its first page in due order without sorting the department's tasks.</summary>
[DbContext(typeof(GovFlowDb))]
[Migration("20261122000003_InboxIndexes")]
public sealed class InboxIndexes : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder m)
    {
        m.CreateIndex("ix_tasks_department_due", "tasks", ["Department", "DueAt"]);
        m.CreateIndex("ix_tasks_assignee_due", "tasks", ["Assignee", "DueAt"]);
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder m)
    {
        m.DropIndex("ix_tasks_assignee_due", "tasks");
        m.DropIndex("ix_tasks_department_due", "tasks");
    }
}

/// <summary>The outbox: service calls are bookmarks, and these columns count and explain failed delivery attempts.</summary>
[DbContext(typeof(GovFlowDb))]
[Migration("20261122000004_ServiceCallOutbox")]
public sealed class ServiceCallOutbox : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder m)
    {
        m.AddColumn<int>("Attempts", "bookmarks", nullable: false, defaultValue: 0);
        m.AddColumn<string>("LastError", "bookmarks", nullable: true);
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder m)
    {
        m.DropColumn("LastError", "bookmarks");
        m.DropColumn("Attempts", "bookmarks");
    }
}

/// <summary>Faulted steps (异常) with what is needed to retry them.</summary>
[DbContext(typeof(GovFlowDb))]
[Migration("20261202000005_Incidents")]
public sealed class Incidents : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("incidents", t => new
        {
            Id = t.Column<string>(maxLength: 64), CaseId = t.Column<string>(maxLength: 64), CaseNumber = t.Column<string>(maxLength: 40), InstanceId = t.Column<string>(maxLength: 64),
            BookmarkId = t.Column<string>(maxLength: 64), BookmarkName = t.Column<string>(maxLength: 100), ActivityId = t.Column<string>(maxLength: 100), ActivityType = t.Column<string>(maxLength: 200),
            Message = t.Column<string>(), ExceptionType = t.Column<string>(maxLength: 200), Actor = t.Column<string>(maxLength: 64), InputJson = t.Column<string>(nullable: true),
            OccurredAt = t.Column<long>(), Attempts = t.Column<int>(), HeldDueAt = t.Column<long>(nullable: true), Status = t.Column<string>(maxLength: 16),
            ResolvedBy = t.Column<string>(maxLength: 64, nullable: true), ResolvedAt = t.Column<long>(nullable: true)
        }, constraints: t => t.PrimaryKey("pk_incidents", x => x.Id));
        m.CreateIndex("ix_incidents_status_occurred", "incidents", ["Status", "OccurredAt"]);
        m.CreateIndex("ix_incidents_case", "incidents", "CaseId");
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder m) => m.DropTable("incidents");
}

/// <summary>Department heads, who may reassign or release any task of their department.</summary>
[DbContext(typeof(GovFlowDb))]
[Migration("20261202000006_DepartmentHeads")]
public sealed class DepartmentHeads : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder m) => m.AddColumn<bool>("IsHead", "users", nullable: false, defaultValue: false);

    /// <inheritdoc />
    protected override void Down(MigrationBuilder m) => m.DropColumn("IsHead", "users");
}

/// <summary>A stamp per definition version, so every node follows imports, publications and retractions.</summary>
[DbContext(typeof(GovFlowDb))]
[Migration("20261202000007_DefinitionStamps")]
public sealed class DefinitionStamps : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder m) => m.AddColumn<string>("Stamp", "definitions", maxLength: 40, nullable: false, defaultValue: "");

    /// <inheritdoc />
    protected override void Down(MigrationBuilder m) => m.DropColumn("Stamp", "definitions");
}

/// <summary>Per-matter yellow lights (the moment a case turns yellow) and the 电子监察 red cards.</summary>
[DbContext(typeof(GovFlowDb))]
[Migration("20261202000008_LightsAndRedCards")]
public sealed class LightsAndRedCards : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder m)
    {
        m.AddColumn<long>("YellowFrom", "cases", nullable: true);
        m.CreateTable("red_cards", t => new
        {
            CaseId = t.Column<string>(maxLength: 64), CaseNumber = t.Column<string>(maxLength: 40), MatterName = t.Column<string>(maxLength: 200),
            Department = t.Column<string>(maxLength: 200), PromisedDue = t.Column<long>(), IssuedAt = t.Column<long>()
        }, constraints: t => t.PrimaryKey("pk_red_cards", x => x.CaseId));
        m.CreateIndex("ix_red_cards_department_issued", "red_cards", ["Department", "IssuedAt"]);
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder m)
    {
        m.DropTable("red_cards");
        m.DropColumn("YellowFrom", "cases");
    }
}

/// <summary>Each bookmark's count of failed sweeps, so a failing timer backs off and ends as an incident instead of blocking the sweep.</summary>
[DbContext(typeof(GovFlowDb))]
[Migration("20261203000009_SweepFailures")]
public sealed class SweepFailureCounts : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder m) => m.AddColumn<int>("SweepFailures", "bookmarks", nullable: false, defaultValue: 0);

    /// <inheritdoc />
    protected override void Down(MigrationBuilder m) => m.DropColumn("SweepFailures", "bookmarks");
}

/// <summary>Sign-in locks per user name and server-side sessions, so guessing is stopped and logout ends a session.</summary>
[DbContext(typeof(GovFlowDb))]
[Migration("20261203100001_SignInSecurity")]
public sealed class SignInSecurity : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("sign_in_locks", t => new
        {
            UserName = t.Column<string>(maxLength: 64), Failures = t.Column<int>(), WindowStart = t.Column<long>(), LockedUntil = t.Column<long>(nullable: true)
        }, constraints: t => t.PrimaryKey("pk_sign_in_locks", x => x.UserName));
        m.CreateTable("sessions", t => new
        {
            Id = t.Column<string>(maxLength: 64), UserName = t.Column<string>(maxLength: 64), Ticket = t.Column<byte[]>(), CreatedAt = t.Column<long>(), ExpiresAt = t.Column<long>()
        }, constraints: t => t.PrimaryKey("pk_sessions", x => x.Id));
        m.CreateIndex("ix_sessions_user", "sessions", "UserName");
        m.CreateIndex("ix_sessions_expires", "sessions", "ExpiresAt");
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder m)
    {
        m.DropTable("sessions");
        m.DropTable("sign_in_locks");
    }
}

/// <summary>People and departments kept by an administrator, with every change journaled; the hall that took each case.</summary>
[DbContext(typeof(GovFlowDb))]
[Migration("20261203100002_People")]
public sealed class People : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder m)
    {
        m.AddColumn<bool>("Active", "users", nullable: false, defaultValue: true);
        m.AddColumn<bool>("MustChangePassword", "users", nullable: false, defaultValue: false);
        m.AddColumn<string>("Hall", "cases", maxLength: 200, nullable: true);
        m.CreateIndex("ix_cases_hall_received", "cases", ["Hall", "ReceivedAt"]);
        m.CreateTable("departments", t => new
        {
            Id = t.Column<string>(maxLength: 64), Name = t.Column<string>(maxLength: 200), Uscc = t.Column<string>(maxLength: 18, nullable: true),
            ParentId = t.Column<string>(maxLength: 64, nullable: true), IsHall = t.Column<bool>(), Active = t.Column<bool>()
        }, constraints: t => t.PrimaryKey("pk_departments", x => x.Id));
        m.CreateIndex("ix_departments_name", "departments", "Name", unique: true);
        m.CreateTable("admin_changes", t => new
        {
            Id = t.Column<string>(maxLength: 64), At = t.Column<long>(), Actor = t.Column<string>(maxLength: 64), Entity = t.Column<string>(maxLength: 16),
            Key = t.Column<string>(maxLength: 200), Action = t.Column<string>(maxLength: 32), Before = t.Column<string>(nullable: true), After = t.Column<string>(nullable: true)
        }, constraints: t => t.PrimaryKey("pk_admin_changes", x => x.Id));
        m.CreateIndex("ix_admin_changes_entity_key", "admin_changes", ["Entity", "Key"]);
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder m)
    {
        m.DropTable("admin_changes");
        m.DropTable("departments");
        m.DropIndex("ix_cases_hall_received", "cases");
        m.DropColumn("Hall", "cases");
        m.DropColumn("MustChangePassword", "users");
        m.DropColumn("Active", "users");
    }
}

/// <summary>Holiday notices loaded at run time, followed by every node.</summary>
[DbContext(typeof(GovFlowDb))]
[Migration("20261203000010_CalendarYears")]
public sealed class CalendarYears : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder m) =>
        m.CreateTable("calendar_years", t => new
        {
            Year = t.Column<int>(), Json = t.Column<string>(), Source = t.Column<string>(maxLength: 400), LoadedBy = t.Column<string>(maxLength: 64),
            LoadedAt = t.Column<long>(), Stamp = t.Column<string>(maxLength: 40)
        }, constraints: t => t.PrimaryKey("pk_calendar_years", x => x.Year));

    /// <inheritdoc />
    protected override void Down(MigrationBuilder m) => m.DropTable("calendar_years");
}

/// <summary>
/// Each journal record names its hash algorithm: new records are SM3, and the rows written before this migration
/// are SHA-256 (the default fills them in), so existing chains keep verifying.
/// </summary>
[DbContext(typeof(GovFlowDb))]
[Migration("20261203200001_JournalAlgorithm")]
public sealed class JournalAlgorithm : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder m) => m.AddColumn<string>("Algorithm", "journal", maxLength: 16, nullable: false, defaultValue: "SHA-256");

    /// <inheritdoc />
    protected override void Down(MigrationBuilder m) => m.DropColumn("Algorithm", "journal");
}

/// <summary>SM2-signed checkpoints of journal heads.</summary>
[DbContext(typeof(GovFlowDb))]
[Migration("20261203200002_JournalCheckpoints")]
public sealed class JournalCheckpoints : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder m) => m.CreateTable("journal_checkpoints", t => new
    {
        InstanceId = t.Column<string>(maxLength: 64), Sequence = t.Column<long>(), Hash = t.Column<string>(maxLength: 64), SignedAt = t.Column<long>(),
        KeyId = t.Column<string>(maxLength: 16), Signature = t.Column<string>(maxLength: 160)
    }, constraints: t => t.PrimaryKey("pk_journal_checkpoints", x => new { x.InstanceId, x.Sequence }));

    /// <inheritdoc />
    protected override void Down(MigrationBuilder m) => m.DropTable("journal_checkpoints");
}

/// <summary>The log of reveals of applicants' personal data.</summary>
[DbContext(typeof(GovFlowDb))]
[Migration("20261203200003_PersonalDataReveals")]
public sealed class PersonalDataReveals : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("personal_data_reveals", t => new
        {
            Id = t.Column<string>(maxLength: 64), CaseId = t.Column<string>(maxLength: 64), CaseNumber = t.Column<string>(maxLength: 40), UserName = t.Column<string>(maxLength: 64),
            Role = t.Column<string>(maxLength: 16), Reason = t.Column<string>(maxLength: 200), At = t.Column<long>()
        }, constraints: t => t.PrimaryKey("pk_personal_data_reveals", x => x.Id));
        m.CreateIndex("ix_personal_data_reveals_case_at", "personal_data_reveals", ["CaseId", "At"]);
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder m) => m.DropTable("personal_data_reveals");
}

/// <summary>Each task's yellow moment from its matter's threshold, so an inbox light is the matter's, not a default.</summary>
[DbContext(typeof(GovFlowDb))]
[Migration("20261203300001_TaskYellow")]
public sealed class TaskYellow : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder m) => m.AddColumn<long>("YellowFrom", "tasks", nullable: true);

    /// <inheritdoc />
    protected override void Down(MigrationBuilder m) => m.DropColumn("YellowFrom", "tasks");
}

/// <summary>
/// Applicants' ID numbers, phones and addresses encrypted at rest (SM4, <c>sm4:VERSION:...</c>, longer than the clear
/// values): the columns widen, and keyed SM3 blind indexes (64 hex digits) replace the index on the clear ID number.
/// The rows themselves are encrypted by <see cref="PersonalDataProtection"/> at start-up, not here, since a
/// migration has no keys.
/// </summary>
[DbContext(typeof(GovFlowDb))]
[Migration("20261203400001_ProtectedPersonalData")]
public sealed class ProtectedPersonalData : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder m)
    {
        m.DropIndex("ix_cases_applicant", "cases");
        // SQLite does not enforce lengths (and cannot alter a column without rebuilding its table): only the others widen.
        if (m.ActiveProvider != "Microsoft.EntityFrameworkCore.Sqlite") WidenEncryptedColumns(m);
        m.AddColumn<string>("ApplicantIdIndex", "cases", maxLength: 64, nullable: true);
        m.AddColumn<string>("ApplicantPhoneIndex", "cases", maxLength: 64, nullable: true);
        m.AddColumn<string>("IdNumberIndex", "users", maxLength: 64, nullable: true);
        m.CreateIndex("ix_cases_applicant_id_index", "cases", "ApplicantIdIndex");
        m.CreateIndex("ix_cases_applicant_phone_index", "cases", "ApplicantPhoneIndex");
        m.CreateIndex("ix_users_id_number_index", "users", "IdNumberIndex");
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder m)
    {
        m.DropIndex("ix_users_id_number_index", "users");
        m.DropIndex("ix_cases_applicant_phone_index", "cases");
        m.DropIndex("ix_cases_applicant_id_index", "cases");
        m.DropColumn("IdNumberIndex", "users");
        m.DropColumn("ApplicantPhoneIndex", "cases");
        m.DropColumn("ApplicantIdIndex", "cases");
        m.CreateIndex("ix_cases_applicant", "cases", "ApplicantIdNumber");
    }

    private static void WidenEncryptedColumns(MigrationBuilder m)
    {
        m.AlterColumn<string>("ApplicantIdNumber", "cases", maxLength: 200, oldMaxLength: 32);
        m.AlterColumn<string>("ApplicantPhone", "cases", maxLength: 200, nullable: true, oldMaxLength: 32, oldNullable: true);
        m.AlterColumn<string>("ApplicantAddress", "cases", nullable: true, oldMaxLength: 300, oldNullable: true);
        m.AlterColumn<string>("IdNumber", "users", maxLength: 200, nullable: true, oldMaxLength: 32, oldNullable: true);
    }
}

/// <summary>A user may hold roles besides their post (an auditor who also designs matters).</summary>
[DbContext(typeof(GovFlowDb))]
[Migration("20261203400002_UserOtherRoles")]
public sealed class UserOtherRoles : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder m) => m.AddColumn<string>("OtherRoles", "users", nullable: true);

    /// <inheritdoc />
    protected override void Down(MigrationBuilder m) => m.DropColumn("OtherRoles", "users");
}

/// <summary>Stores a moment as UTC Unix milliseconds.</summary>
public sealed class UtcMillisecondsConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, long>(
    v => v.ToUnixTimeMilliseconds(), v => DateTimeOffset.FromUnixTimeMilliseconds(v));
