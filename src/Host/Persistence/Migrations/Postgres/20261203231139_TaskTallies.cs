using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovFlow.Host.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TaskTallies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "task_tallies",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Department = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Assignee = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    MatterCode = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    StepName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    DueAt = table.Column<long>(type: "bigint", nullable: true),
                    YellowFrom = table.Column<long>(type: "bigint", nullable: true),
                    Count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_task_tallies", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_task_tallies_assignee",
                table: "task_tallies",
                columns: new[] { "Assignee", "Status" });

            migrationBuilder.CreateIndex(
                name: "ix_task_tallies_key",
                table: "task_tallies",
                columns: new[] { "Department", "Assignee", "Status", "MatterCode", "StepName", "DueAt", "YellowFrom" });

            // The tasks open before the tallies existed count from the start.
            migrationBuilder.Sql(InboxTallies.BackfillSql(migrationBuilder.ActiveProvider));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "task_tallies");
        }
    }
}
