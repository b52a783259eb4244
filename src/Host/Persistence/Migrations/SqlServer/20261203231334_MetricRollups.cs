using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovFlow.Host.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class MetricRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "BadRatingRectified",
                table: "cases",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "CaseType",
                table: "cases",
                type: "nvarchar(1)",
                maxLength: 1,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "CompletedEarly",
                table: "cases",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<double>(
                name: "HandlingWorkingDays",
                table: "cases",
                type: "float",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RatingLevel",
                table: "cases",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ReceivedDay",
                table: "cases",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "UpdatedAt",
                table: "cases",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Visits",
                table: "cases",
                type: "int",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "metric_days",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Day = table.Column<int>(type: "int", nullable: false),
                    MatterCode = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    MatterName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Department = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    CaseType = table.Column<string>(type: "nvarchar(1)", maxLength: 1, nullable: false),
                    Received = table.Column<int>(type: "int", nullable: false),
                    Accepted = table.Column<int>(type: "int", nullable: false),
                    Completed = table.Column<int>(type: "int", nullable: false),
                    Finished = table.Column<int>(type: "int", nullable: false),
                    Refused = table.Column<int>(type: "int", nullable: false),
                    NotAccepted = table.Column<int>(type: "int", nullable: false),
                    Withdrawn = table.Column<int>(type: "int", nullable: false),
                    InProgress = table.Column<int>(type: "int", nullable: false),
                    Timed = table.Column<int>(type: "int", nullable: false),
                    OnTime = table.Column<int>(type: "int", nullable: false),
                    Early = table.Column<int>(type: "int", nullable: false),
                    Overdue = table.Column<int>(type: "int", nullable: false),
                    HandlingDays = table.Column<double>(type: "float", nullable: false),
                    Handled = table.Column<int>(type: "int", nullable: false),
                    Rated1 = table.Column<int>(type: "int", nullable: false),
                    Rated2 = table.Column<int>(type: "int", nullable: false),
                    Rated3 = table.Column<int>(type: "int", nullable: false),
                    Rated4 = table.Column<int>(type: "int", nullable: false),
                    Rated5 = table.Column<int>(type: "int", nullable: false),
                    BadRectified = table.Column<int>(type: "int", nullable: false),
                    AtMostOneVisit = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_metric_days", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "metric_refresh",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false),
                    Watermark = table.Column<long>(type: "bigint", nullable: false),
                    RefreshedAt = table.Column<long>(type: "bigint", nullable: false),
                    Stamp = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_metric_refresh", x => x.Id);
                });

            // Moments are UTC milliseconds and China has no daylight saving: the China date is (ms + 8 h) / 1 day, the
            // same on the three providers. The other facts need the case file and the calendar: the refresher's
            // backfill fills them (rows without UpdatedAt), and the metrics count those rows in memory until then.
            migrationBuilder.Sql("UPDATE cases SET \"ReceivedDay\" = (\"ReceivedAt\" + 28800000) / 86400000");

            migrationBuilder.CreateIndex(
                name: "ix_cases_completed_promised",
                table: "cases",
                columns: new[] { "CompletedAt", "PromisedDue", "ReceivedDay" });

            migrationBuilder.CreateIndex(
                name: "ix_cases_received_day",
                table: "cases",
                column: "ReceivedDay");

            migrationBuilder.CreateIndex(
                name: "ix_cases_updated",
                table: "cases",
                columns: new[] { "UpdatedAt", "ReceivedDay" });

            migrationBuilder.CreateIndex(
                name: "ix_metric_days_day",
                table: "metric_days",
                column: "Day");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "metric_days");

            migrationBuilder.DropTable(
                name: "metric_refresh");

            migrationBuilder.DropIndex(
                name: "ix_cases_completed_promised",
                table: "cases");

            migrationBuilder.DropIndex(
                name: "ix_cases_received_day",
                table: "cases");

            migrationBuilder.DropIndex(
                name: "ix_cases_updated",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "BadRatingRectified",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "CaseType",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "CompletedEarly",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "HandlingWorkingDays",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "RatingLevel",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "ReceivedDay",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "UpdatedAt",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "Visits",
                table: "cases");
        }
    }
}
