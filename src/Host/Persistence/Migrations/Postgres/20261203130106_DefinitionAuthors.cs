using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovFlow.Host.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DefinitionAuthors : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CreatedBy",
                table: "definitions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "PublishedAt",
                table: "definitions",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PublishedBy",
                table: "definitions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RetractedAt",
                table: "definitions",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RetractedBy",
                table: "definitions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "UpdatedAt",
                table: "definitions",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "UpdatedBy",
                table: "definitions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CreatedBy",
                table: "definitions");

            migrationBuilder.DropColumn(
                name: "PublishedAt",
                table: "definitions");

            migrationBuilder.DropColumn(
                name: "PublishedBy",
                table: "definitions");

            migrationBuilder.DropColumn(
                name: "RetractedAt",
                table: "definitions");

            migrationBuilder.DropColumn(
                name: "RetractedBy",
                table: "definitions");

            migrationBuilder.DropColumn(
                name: "UpdatedAt",
                table: "definitions");

            migrationBuilder.DropColumn(
                name: "UpdatedBy",
                table: "definitions");
        }
    }
}
