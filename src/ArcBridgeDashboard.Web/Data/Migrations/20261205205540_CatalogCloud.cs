using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ArcBridgeDashboard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class CatalogCloud : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Endpoints_CatalogVersionId_Key",
                table: "Endpoints");

            migrationBuilder.AddColumn<int>(
                name: "Cloud",
                table: "Endpoints",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "IX_Endpoints_CatalogVersionId_Cloud_Key",
                table: "Endpoints",
                columns: new[] { "CatalogVersionId", "Cloud", "Key" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Endpoints_CatalogVersionId_Cloud_Key",
                table: "Endpoints");

            migrationBuilder.DropColumn(
                name: "Cloud",
                table: "Endpoints");

            migrationBuilder.CreateIndex(
                name: "IX_Endpoints_CatalogVersionId_Key",
                table: "Endpoints",
                columns: new[] { "CatalogVersionId", "Key" },
                unique: true);
        }
    }
}
