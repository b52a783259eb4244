using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovFlow.Host.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class HallsDay : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Priority",
                table: "tasks",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RegionCode",
                table: "departments",
                type: "TEXT",
                maxLength: 6,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RegionName",
                table: "departments",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ParentCaseId",
                table: "cases",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Priority",
                table: "cases",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "priority_applicants",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    IdType = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    IdNumber = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    IdIndex = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    EndsOn = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    MarkedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    MarkedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RevokedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RevokedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Stamp = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_priority_applicants", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "queue_bookings",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    HallId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    MatterCode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    MatterName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SlotStart = table.Column<long>(type: "INTEGER", nullable: false),
                    SlotEnd = table.Column<long>(type: "INTEGER", nullable: false),
                    Day = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    BookedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CancelledAt = table.Column<long>(type: "INTEGER", nullable: true),
                    TicketId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Stamp = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_queue_bookings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "queue_halls",
                columns: table => new
                {
                    HallId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Periods = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    SlotMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    Capacity = table.Column<int>(type: "INTEGER", nullable: false),
                    Stamp = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_queue_halls", x => x.HallId);
                });

            migrationBuilder.CreateTable(
                name: "queue_slot_loads",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Booked = table.Column<int>(type: "INTEGER", nullable: false),
                    Stamp = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_queue_slot_loads", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "queue_tickets",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    HallId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Day = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Number = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    MatterCode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    MatterName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    BookingId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    PriorityFrom = table.Column<long>(type: "INTEGER", nullable: true),
                    TakenAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CalledAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastCalledAt = table.Column<long>(type: "INTEGER", nullable: true),
                    WindowId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    WindowName = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    CalledBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    CaseId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Stamp = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_queue_tickets", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "queue_windows",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    HallId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Matters = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Open = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_queue_windows", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_cases_parent",
                table: "cases",
                column: "ParentCaseId");

            migrationBuilder.CreateIndex(
                name: "ix_priority_applicants_id_index",
                table: "priority_applicants",
                column: "IdIndex");

            migrationBuilder.CreateIndex(
                name: "ix_queue_bookings_hall_day_code",
                table: "queue_bookings",
                columns: new[] { "HallId", "Day", "Code" });

            migrationBuilder.CreateIndex(
                name: "ix_queue_bookings_user_day",
                table: "queue_bookings",
                columns: new[] { "UserName", "Day" });

            migrationBuilder.CreateIndex(
                name: "ix_queue_tickets_case",
                table: "queue_tickets",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "ix_queue_tickets_hall_day_number",
                table: "queue_tickets",
                columns: new[] { "HallId", "Day", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_queue_windows_hall",
                table: "queue_windows",
                column: "HallId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "priority_applicants");

            migrationBuilder.DropTable(
                name: "queue_bookings");

            migrationBuilder.DropTable(
                name: "queue_halls");

            migrationBuilder.DropTable(
                name: "queue_slot_loads");

            migrationBuilder.DropTable(
                name: "queue_tickets");

            migrationBuilder.DropTable(
                name: "queue_windows");

            migrationBuilder.DropIndex(
                name: "ix_cases_parent",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "Priority",
                table: "tasks");

            migrationBuilder.DropColumn(
                name: "RegionCode",
                table: "departments");

            migrationBuilder.DropColumn(
                name: "RegionName",
                table: "departments");

            migrationBuilder.DropColumn(
                name: "ParentCaseId",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "Priority",
                table: "cases");
        }
    }
}
