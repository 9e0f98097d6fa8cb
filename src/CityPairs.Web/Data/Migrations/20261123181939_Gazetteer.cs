using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CityPairs.Web.Data.Migrations
{
    /// <summary>
    /// The GeoNames gazetteer behind the city registration autocomplete. Suggestions match what was typed
    /// anywhere in the name, without accents ("sao" finds São Paulo): a trigram GIN index over f_search_form(name)
    /// serves ILIKE '%...%' (and 'abc%'), also in a generic plan, where a btree prefix index would not be used.
    /// </summary>
    public partial class Gazetteer : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "gazetteer_admin_areas",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_gazetteer_admin_areas", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "gazetteer_places",
                columns: table => new
                {
                    geoname_id = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ascii_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    country_code = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: false),
                    admin1_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    latitude = table.Column<double>(type: "double precision", nullable: false),
                    longitude = table.Column<double>(type: "double precision", nullable: false),
                    population = table.Column<int>(type: "integer", nullable: true),
                    feature_code = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    timezone = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    modified_on = table.Column<DateOnly>(type: "date", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_gazetteer_places", x => x.geoname_id);
                    table.CheckConstraint("ck_gazetteer_places_latitude", "latitude BETWEEN -90 AND 90");
                    table.CheckConstraint("ck_gazetteer_places_longitude", "longitude BETWEEN -180 AND 180");
                    table.CheckConstraint("ck_gazetteer_places_population", "population IS NULL OR population > 0");
                });
            migrationBuilder.Sql("CREATE INDEX ix_gazetteer_places_name_search ON gazetteer_places USING gin (f_search_form(name) gin_trgm_ops);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX ix_gazetteer_places_name_search;");
            migrationBuilder.DropTable(
                name: "gazetteer_admin_areas");

            migrationBuilder.DropTable(
                name: "gazetteer_places");
        }
    }
}
