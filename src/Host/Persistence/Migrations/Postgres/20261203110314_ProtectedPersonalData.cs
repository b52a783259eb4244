using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovFlow.Host.Persistence.Migrations.Postgres
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

            migrationBuilder.AlterColumn<string>(
                name: "IdNumber",
                table: "users",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(32)",
                oldMaxLength: 32,
                oldNullable: true);

            migrationBuilder.AddColumn<string>(
                name: "IdNumberIndex",
                table: "users",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "ApplicantPhone",
                table: "cases",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(32)",
                oldMaxLength: 32,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "ApplicantIdNumber",
                table: "cases",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(32)",
                oldMaxLength: 32);

            migrationBuilder.AlterColumn<string>(
                name: "ApplicantAddress",
                table: "cases",
                type: "text",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(300)",
                oldMaxLength: 300,
                oldNullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ApplicantIdIndex",
                table: "cases",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ApplicantPhoneIndex",
                table: "cases",
                type: "character varying(64)",
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

            migrationBuilder.AlterColumn<string>(
                name: "IdNumber",
                table: "users",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(200)",
                oldMaxLength: 200,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "ApplicantPhone",
                table: "cases",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(200)",
                oldMaxLength: 200,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "ApplicantIdNumber",
                table: "cases",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(200)",
                oldMaxLength: 200);

            migrationBuilder.AlterColumn<string>(
                name: "ApplicantAddress",
                table: "cases",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "text",
                oldNullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_cases_applicant",
                table: "cases",
                column: "ApplicantIdNumber");
        }
    }
}
