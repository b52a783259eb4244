using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovFlow.Host.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ProactiveInvitations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "proactive_invitations",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    MatterCode = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    MatterName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ResidentKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ResidentIdNumber = table.Column<string>(type: "text", nullable: false),
                    ResidentName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Phone = table.Column<string>(type: "text", nullable: false),
                    PhoneIndex = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    QualifiesOn = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    InvitedAt = table.Column<long>(type: "bigint", nullable: false),
                    ValidUntil = table.Column<long>(type: "bigint", nullable: false),
                    Message = table.Column<string>(type: "text", nullable: false),
                    RepliedAt = table.Column<long>(type: "bigint", nullable: true),
                    Reply = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    CaseId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CaseNumber = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    Stamp = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_proactive_invitations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "proactive_opt_outs",
                columns: table => new
                {
                    ResidentKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    At = table.Column<long>(type: "bigint", nullable: false),
                    Reply = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    InvitationId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_proactive_opt_outs", x => x.ResidentKey);
                });

            migrationBuilder.CreateIndex(
                name: "ix_proactive_invitations_matter_resident",
                table: "proactive_invitations",
                columns: new[] { "MatterCode", "ResidentKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_proactive_invitations_phone",
                table: "proactive_invitations",
                column: "PhoneIndex");

            migrationBuilder.CreateIndex(
                name: "ix_proactive_invitations_status",
                table: "proactive_invitations",
                columns: new[] { "Status", "InvitedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "proactive_invitations");

            migrationBuilder.DropTable(
                name: "proactive_opt_outs");
        }
    }
}
