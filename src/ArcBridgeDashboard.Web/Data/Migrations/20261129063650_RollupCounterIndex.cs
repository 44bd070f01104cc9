using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ArcBridgeDashboard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class RollupCounterIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_HourlyRollups_TargetId_HourStart",
                table: "HourlyRollups");

            migrationBuilder.CreateIndex(
                name: "IX_HourlyRollups_TargetId_HourStart_Counters",
                table: "HourlyRollups",
                columns: new[] { "TargetId", "HourStart", "Count", "PassCount", "WarnCount", "FailCount", "SumTotalMs", "MaxTotalMs" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_HourlyRollups_TargetId_HourStart_Counters",
                table: "HourlyRollups");

            migrationBuilder.CreateIndex(
                name: "IX_HourlyRollups_TargetId_HourStart",
                table: "HourlyRollups",
                columns: new[] { "TargetId", "HourStart" });
        }
    }
}
