using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovFlow.Host.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ProtectedPersonalData : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_cases_applicant",
                table: "cases");

            migrationBuilder.AddColumn<string>(
                name: "IdNumberIndex",
                table: "users",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ApplicantIdIndex",
                table: "cases",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ApplicantPhoneIndex",
                table: "cases",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_users_id_number_index",
                table: "users",
                column: "IdNumberIndex");

            migrationBuilder.CreateIndex(
                name: "ix_cases_applicant_id_index",
                table: "cases",
                column: "ApplicantIdIndex");

            migrationBuilder.CreateIndex(
                name: "ix_cases_applicant_phone_index",
                table: "cases",
                column: "ApplicantPhoneIndex");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_users_id_number_index",
                table: "users");

            migrationBuilder.DropIndex(
                name: "ix_cases_applicant_id_index",
                table: "cases");

            migrationBuilder.DropIndex(
                name: "ix_cases_applicant_phone_index",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "IdNumberIndex",
                table: "users");

            migrationBuilder.DropColumn(
                name: "ApplicantIdIndex",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "ApplicantPhoneIndex",
                table: "cases");

            migrationBuilder.CreateIndex(
                name: "ix_cases_applicant",
                table: "cases",
                column: "ApplicantIdNumber");
        }
    }
}
