using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovFlow.Host.Persistence.Migrations.SqlServer
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
                type: "nvarchar(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Priority",
                table: "cases",
                type: "nvarchar(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "priority_applicants",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    IdType = table.Column<string>(type: "nvarchar(8)", maxLength: 8, nullable: false),
                    IdNumber = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    IdIndex = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    EndsOn = table.Column<string>(type: "nvarchar(10)", maxLength: 10, nullable: false),
                    MarkedBy = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    MarkedAt = table.Column<long>(type: "bigint", nullable: false),
                    RevokedBy = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    RevokedAt = table.Column<long>(type: "bigint", nullable: true),
                    Stamp = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false)
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
