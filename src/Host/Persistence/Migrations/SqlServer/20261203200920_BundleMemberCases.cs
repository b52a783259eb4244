using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovFlow.Host.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class BundleMemberCases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ParentCaseId",
                table: "cases",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_cases_parent",
                table: "cases",
                column: "ParentCaseId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_cases_parent",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "ParentCaseId",
                table: "cases");
        }
    }
}
