using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovFlow.Host.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_cases_applicant_name",
                table: "cases",
                column: "ApplicantName");

            migrationBuilder.CreateIndex(
                name: "ix_bookmarks_name_created",
                table: "bookmarks",
                columns: new[] { "Name", "CreatedAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_cases_applicant_name",
                table: "cases");

            migrationBuilder.DropIndex(
                name: "ix_bookmarks_name_created",
                table: "bookmarks");
        }
    }
}
