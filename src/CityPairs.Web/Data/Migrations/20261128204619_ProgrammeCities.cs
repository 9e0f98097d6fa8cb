using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CityPairs.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class ProgrammeCities : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "programme_cities",
                columns: table => new
                {
                    programme_id = table.Column<int>(type: "integer", nullable: false),
                    city_id = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_programme_cities", x => new { x.programme_id, x.city_id });
                    table.ForeignKey(
                        name: "fk_programme_cities_cities_city_id",
                        column: x => x.city_id,
                        principalTable: "cities",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_programme_cities_programmes_programme_id",
                        column: x => x.programme_id,
                        principalTable: "programmes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_programme_cities_city_id",
                table: "programme_cities",
                column: "city_id");

            // Until now an officer's reach over a city followed from partnership membership. Existing databases
            // keep the reach that agreed partnerships gave (someone agreed those, discontinued or not); ones never
            // agreed, which anyone could have created, give none. Administrators add the rest.
            migrationBuilder.Sql("""
                INSERT INTO programme_cities (programme_id, city_id)
                SELECT DISTINCT pp.programme_id, m.city_id
                FROM partnership_programmes pp
                JOIN partnerships p ON p.id = pp.partnership_id
                JOIN partnership_members m ON m.partnership_id = p.id
                WHERE EXISTS (SELECT 1 FROM partnership_status_changes s WHERE s.partnership_id = p.id AND s."to" = 'Agreed')
                ON CONFLICT DO NOTHING;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "programme_cities");
        }
    }
}
