using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ArcBridgeDashboard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class AgentServerClock : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "ServerClockOffsetMs",
                table: "Agents",
                type: "REAL",
                nullable: true);

            migrationBuilder.UpdateData(
                table: "Agents",
                keyColumn: "Id",
                keyValue: 1,
                column: "ServerClockOffsetMs",
                value: null);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ServerClockOffsetMs",
                table: "Agents");
        }
    }
}
