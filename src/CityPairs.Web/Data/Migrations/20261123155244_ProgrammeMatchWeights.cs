using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CityPairs.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class ProgrammeMatchWeights : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "match_weights",
                table: "programmes",
                type: "jsonb",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "match_weights",
                table: "programmes");
        }
    }
}
