using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovFlow.Host.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class UserOtherRoles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "OtherRoles",
                table: "users",
                type: "nvarchar(max)",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "OtherRoles",
                table: "users");
        }
    }
}
