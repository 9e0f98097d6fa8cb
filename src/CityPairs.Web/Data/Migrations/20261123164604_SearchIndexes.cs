using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CityPairs.Web.Data.Migrations
{
    /// <summary>
    /// Substring searches on names ("medellin" finds Medellín) scanned every row. unaccent is not IMMUTABLE,
    /// so an index cannot use it; f_search_form wraps it with the dictionary named explicitly (which makes
    /// it safe to declare IMMUTABLE), and trigram GIN indexes over it serve ILIKE '%...%'.
    /// </summary>
    public partial class SearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,")
                .Annotation("Npgsql:PostgresExtension:unaccent", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:unaccent", ",,");

            migrationBuilder.Sql("""
                CREATE FUNCTION f_search_form(text) RETURNS text
                    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
                    RETURN public.unaccent('public.unaccent'::regdictionary, $1);
                CREATE INDEX ix_cities_name_search ON cities USING gin (f_search_form(name) gin_trgm_ops);
                CREATE INDEX ix_cities_admin_area_search ON cities USING gin (f_search_form(admin_area) gin_trgm_ops);
                CREATE INDEX ix_partnerships_name_search ON partnerships USING gin (f_search_form(name) gin_trgm_ops);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX ix_partnerships_name_search;
                DROP INDEX ix_cities_admin_area_search;
                DROP INDEX ix_cities_name_search;
                DROP FUNCTION f_search_form(text);
                """);
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:unaccent", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:pg_trgm", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:unaccent", ",,");
        }
    }
}
