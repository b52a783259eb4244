using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovFlow.Host.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Baseline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "admin_changes",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Entity = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Before = table.Column<string>(type: "TEXT", nullable: true),
                    After = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_admin_changes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "bookmarks",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    InstanceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ActivityId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    DueAt = table.Column<long>(type: "INTEGER", nullable: true),
                    PayloadJson = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", nullable: true),
                    SweepFailures = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_bookmarks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "calendar_years",
                columns: table => new
                {
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    LoadedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    LoadedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Stamp = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_calendar_years", x => x.Year);
                });

            migrationBuilder.CreateTable(
                name: "case_snapshots",
                columns: table => new
                {
                    CaseId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UpToSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CaseFileJson = table.Column<string>(type: "TEXT", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_case_snapshots", x => new { x.CaseId, x.UpToSequence });
                });

            migrationBuilder.CreateTable(
                name: "cases",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CaseNumber = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    MatterCode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    MatterName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Department = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ApplicantName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ApplicantIdType = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    ApplicantIdNumber = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ApplicantPhone = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    ApplicantAddress = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Hall = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AcceptedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    PromisedDue = table.Column<long>(type: "INTEGER", nullable: true),
                    StatutoryDue = table.Column<long>(type: "INTEGER", nullable: true),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    WarningLevel = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    InstanceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    BrokenCommitment = table.Column<bool>(type: "INTEGER", nullable: false),
                    YellowFrom = table.Column<long>(type: "INTEGER", nullable: true),
                    CaseFileJson = table.Column<string>(type: "TEXT", nullable: false),
                    Stamp = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cases", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "definitions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DefinitionId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    IsPublished = table.Column<bool>(type: "INTEGER", nullable: false),
                    IsLatest = table.Column<bool>(type: "INTEGER", nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Stamp = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_definitions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "departments",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Uscc = table.Column<string>(type: "TEXT", maxLength: 18, nullable: true),
                    ParentId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    IsHall = table.Column<bool>(type: "INTEGER", nullable: false),
                    Active = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_departments", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "idempotency",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    StatusCode = table.Column<int>(type: "INTEGER", nullable: false),
                    ResponseJson = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_idempotency", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "incidents",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CaseId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CaseNumber = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    InstanceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    BookmarkId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    BookmarkName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ActivityId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ActivityType = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Message = table.Column<string>(type: "TEXT", nullable: false),
                    ExceptionType = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    InputJson = table.Column<string>(type: "TEXT", nullable: true),
                    OccurredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    HeldDueAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ResolvedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ResolvedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_incidents", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "instances",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DefinitionId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DefinitionVersionId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    SubStatus = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CorrelationId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    CaseId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    StateJson = table.Column<string>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Stamp = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_instances", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "journal",
                columns: table => new
                {
                    InstanceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    Timestamp = table.Column<long>(type: "INTEGER", nullable: false),
                    ActivityInstanceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ParentActivityInstanceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ActivityId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    NodeId = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    ActivityType = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ActivityTypeVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    ActivityName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    EventName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Message = table.Column<string>(type: "TEXT", nullable: true),
                    PayloadJson = table.Column<string>(type: "TEXT", nullable: true),
                    PreviousHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Algorithm = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_journal", x => new { x.InstanceId, x.Sequence });
                });

            migrationBuilder.CreateTable(
                name: "journal_checkpoints",
                columns: table => new
                {
                    InstanceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SignedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    KeyId = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Signature = table.Column<string>(type: "TEXT", maxLength: 160, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_journal_checkpoints", x => new { x.InstanceId, x.Sequence });
                });

            migrationBuilder.CreateTable(
                name: "personal_data_reveals",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CaseId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CaseNumber = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_personal_data_reveals", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "red_cards",
                columns: table => new
                {
                    CaseId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CaseNumber = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    MatterName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Department = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    PromisedDue = table.Column<long>(type: "INTEGER", nullable: false),
                    IssuedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_red_cards", x => x.CaseId);
                });

            migrationBuilder.CreateTable(
                name: "sessions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Ticket = table.Column<byte[]>(type: "BLOB", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sessions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "sign_in_locks",
                columns: table => new
                {
                    UserName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Failures = table.Column<int>(type: "INTEGER", nullable: false),
                    WindowStart = table.Column<long>(type: "INTEGER", nullable: false),
                    LockedUntil = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sign_in_locks", x => x.UserName);
                });

            migrationBuilder.CreateTable(
                name: "tasks",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    InstanceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CaseId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CaseNumber = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    MatterCode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    MatterName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ApplicantName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    StepName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Department = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Assignee = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DueAt = table.Column<long>(type: "INTEGER", nullable: true),
                    YellowFrom = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CompletedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Action = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Opinion = table.Column<string>(type: "TEXT", nullable: true),
                    Stamp = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tasks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    UserName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PasswordHash = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Department = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    DisplayName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    IdNumber = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    IsHead = table.Column<bool>(type: "INTEGER", nullable: false),
                    Active = table.Column<bool>(type: "INTEGER", nullable: false),
                    MustChangePassword = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_users", x => x.UserName);
                });

            migrationBuilder.CreateIndex(
                name: "ix_admin_changes_entity_key",
                table: "admin_changes",
                columns: new[] { "Entity", "Key" });

            migrationBuilder.CreateIndex(
                name: "ix_bookmarks_due",
                table: "bookmarks",
                column: "DueAt");

            migrationBuilder.CreateIndex(
                name: "ix_bookmarks_instance",
                table: "bookmarks",
                column: "InstanceId");

            migrationBuilder.CreateIndex(
                name: "ix_cases_applicant",
                table: "cases",
                column: "ApplicantIdNumber");

            migrationBuilder.CreateIndex(
                name: "ix_cases_hall_received",
                table: "cases",
                columns: new[] { "Hall", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "ix_cases_matter_status",
                table: "cases",
                columns: new[] { "MatterCode", "Status" });

            migrationBuilder.CreateIndex(
                name: "ix_cases_number",
                table: "cases",
                column: "CaseNumber",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_cases_received",
                table: "cases",
                column: "ReceivedAt");

            migrationBuilder.CreateIndex(
                name: "ix_definitions_definition_version",
                table: "definitions",
                columns: new[] { "DefinitionId", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_departments_name",
                table: "departments",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_incidents_case",
                table: "incidents",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "ix_incidents_status_occurred",
                table: "incidents",
                columns: new[] { "Status", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "ix_instances_case",
                table: "instances",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "ix_personal_data_reveals_case_at",
                table: "personal_data_reveals",
                columns: new[] { "CaseId", "At" });

            migrationBuilder.CreateIndex(
                name: "ix_red_cards_department_issued",
                table: "red_cards",
                columns: new[] { "Department", "IssuedAt" });

            migrationBuilder.CreateIndex(
                name: "ix_sessions_expires",
                table: "sessions",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "ix_sessions_user",
                table: "sessions",
                column: "UserName");

            migrationBuilder.CreateIndex(
                name: "ix_tasks_assignee_due",
                table: "tasks",
                columns: new[] { "Assignee", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "ix_tasks_assignee_status_due",
                table: "tasks",
                columns: new[] { "Assignee", "Status", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "ix_tasks_case",
                table: "tasks",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "ix_tasks_department_due",
                table: "tasks",
                columns: new[] { "Department", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "ix_tasks_department_status_due",
                table: "tasks",
                columns: new[] { "Department", "Status", "DueAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "admin_changes");

            migrationBuilder.DropTable(
                name: "bookmarks");

            migrationBuilder.DropTable(
                name: "calendar_years");

            migrationBuilder.DropTable(
                name: "case_snapshots");

            migrationBuilder.DropTable(
                name: "cases");

            migrationBuilder.DropTable(
                name: "definitions");

            migrationBuilder.DropTable(
                name: "departments");

            migrationBuilder.DropTable(
                name: "idempotency");

            migrationBuilder.DropTable(
                name: "incidents");

            migrationBuilder.DropTable(
                name: "instances");

            migrationBuilder.DropTable(
                name: "journal");

            migrationBuilder.DropTable(
                name: "journal_checkpoints");

            migrationBuilder.DropTable(
                name: "personal_data_reveals");

            migrationBuilder.DropTable(
                name: "red_cards");

            migrationBuilder.DropTable(
                name: "sessions");

            migrationBuilder.DropTable(
                name: "sign_in_locks");

            migrationBuilder.DropTable(
                name: "tasks");

            migrationBuilder.DropTable(
                name: "users");
        }
    }
}
