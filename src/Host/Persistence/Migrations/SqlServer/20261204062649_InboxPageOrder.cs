using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovFlow.Host.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class InboxPageOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_tasks_department_priority_due",
                table: "tasks");

            migrationBuilder.CreateIndex(
                name: "ix_tasks_department_priority_due",
                table: "tasks",
                columns: new[] { "Department", "Priority", "DueAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_tasks_department_priority_due",
                table: "tasks");

            migrationBuilder.CreateIndex(
                name: "ix_tasks_department_priority_due",
                table: "tasks",
                columns: new[] { "Department", "Priority", "DueAt" });
        }
    }
}
