using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovFlow.Host.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PriorityApplicants : Migration
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

            migrationBuilder.CreateIndex(
                name: "ix_priority_applicants_id_index",
                table: "priority_applicants",
                column: "IdIndex");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "priority_applicants");

            migrationBuilder.DropColumn(
                name: "Priority",
                table: "tasks");

            migrationBuilder.DropColumn(
                name: "Priority",
                table: "cases");
        }
    }
}
