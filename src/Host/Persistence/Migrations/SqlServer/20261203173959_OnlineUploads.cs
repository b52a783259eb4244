using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovFlow.Host.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class OnlineUploads : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "certificate_consents",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    UserName = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    MatterCode = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    CertificateTypes = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Purpose = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    At = table.Column<long>(type: "bigint", nullable: false),
                    FoundJson = table.Column<string>(type: "nvarchar(max)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_certificate_consents", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "material_uploads",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Owner = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    FileName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    ContentType = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Size = table.Column<long>(type: "bigint", nullable: false),
                    Sha256 = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    UploadedAt = table.Column<long>(type: "bigint", nullable: false),
                    CaseId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    Material = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    Purpose = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: true),
                    TaskId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    AttachedAt = table.Column<long>(type: "bigint", nullable: true),
                    Content = table.Column<byte[]>(type: "varbinary(max)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_material_uploads", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_certificate_consents_user_at",
                table: "certificate_consents",
                columns: new[] { "UserName", "At" });

            migrationBuilder.CreateIndex(
                name: "ix_material_uploads_case",
                table: "material_uploads",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "ix_material_uploads_owner",
                table: "material_uploads",
                column: "Owner");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "certificate_consents");

            migrationBuilder.DropTable(
                name: "material_uploads");
        }
    }
}
