using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CityPairs.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class NaturalNameOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "name",
                table: "themes",
                type: "character varying(120)",
                maxLength: 120,
                nullable: false,
                collation: "und-x-icu",
                oldClrType: typeof(string),
                oldType: "character varying(120)",
                oldMaxLength: 120);

            migrationBuilder.AlterColumn<string>(
                name: "name",
                table: "programmes",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                collation: "und-x-icu",
                oldClrType: typeof(string),
                oldType: "character varying(200)",
                oldMaxLength: 200);

            migrationBuilder.AlterColumn<string>(
                name: "name",
                table: "partnerships",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                collation: "und-x-icu",
                oldClrType: typeof(string),
                oldType: "character varying(200)",
                oldMaxLength: 200);

            migrationBuilder.AlterColumn<string>(
                name: "name",
                table: "cities",
                type: "character varying(120)",
                maxLength: 120,
                nullable: false,
                collation: "und-x-icu",
                oldClrType: typeof(string),
                oldType: "character varying(120)",
                oldMaxLength: 120);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "name",
                table: "themes",
                type: "character varying(120)",
                maxLength: 120,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(120)",
                oldMaxLength: 120,
                oldCollation: "und-x-icu");

            migrationBuilder.AlterColumn<string>(
                name: "name",
                table: "programmes",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(200)",
                oldMaxLength: 200,
                oldCollation: "und-x-icu");

            migrationBuilder.AlterColumn<string>(
                name: "name",
                table: "partnerships",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(200)",
                oldMaxLength: 200,
                oldCollation: "und-x-icu");

            migrationBuilder.AlterColumn<string>(
                name: "name",
                table: "cities",
                type: "character varying(120)",
                maxLength: 120,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(120)",
                oldMaxLength: 120,
                oldCollation: "und-x-icu");
        }
    }
}
