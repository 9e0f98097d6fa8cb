using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CityPairs.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class PartnerCalls : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "partner_calls",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    city_id = table.Column<int>(type: "integer", nullable: false),
                    title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    sought_theme_ids = table.Column<List<int>>(type: "integer[]", nullable: false),
                    sought_sdgs = table.Column<List<int>>(type: "integer[]", nullable: false),
                    modality = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    starts_on = table.Column<DateOnly>(type: "date", nullable: false),
                    ends_on = table.Column<DateOnly>(type: "date", nullable: false),
                    working_languages = table.Column<List<string>>(type: "text[]", nullable: false),
                    description = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    expires_on = table.Column<DateOnly>(type: "date", nullable: false),
                    is_public = table.Column<bool>(type: "boolean", nullable: false),
                    withdrawn_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_partner_calls", x => x.id);
                    table.CheckConstraint("ck_partner_calls_period", "ends_on >= starts_on");
                    table.CheckConstraint("ck_partner_calls_sdgs", "sought_sdgs <@ '{1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17}'::integer[]");
                    table.CheckConstraint("ck_partner_calls_sought", "cardinality(sought_theme_ids) + cardinality(sought_sdgs) > 0");
                    table.CheckConstraint("ck_partner_calls_title", "length(btrim(title)) > 0");
                    table.ForeignKey(
                        name: "fk_partner_calls_cities_city_id",
                        column: x => x.city_id,
                        principalTable: "cities",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_partner_calls_city_id_expires_on",
                table: "partner_calls",
                columns: new[] { "city_id", "expires_on" });

            migrationBuilder.CreateIndex(
                name: "ix_partner_calls_expires_on",
                table: "partner_calls",
                column: "expires_on",
                filter: "withdrawn_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_partner_calls_sought_sdgs",
                table: "partner_calls",
                column: "sought_sdgs")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_partner_calls_sought_theme_ids",
                table: "partner_calls",
                column: "sought_theme_ids")
                .Annotation("Npgsql:IndexMethod", "gin");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "partner_calls");
        }
    }
}
