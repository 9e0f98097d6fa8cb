using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CityPairs.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:unaccent", ",,");

            migrationBuilder.CreateTable(
                name: "cities",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    country_code = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: false),
                    region = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    admin_area = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: true),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    population = table.Column<int>(type: "integer", nullable: true),
                    latitude = table.Column<double>(type: "double precision", nullable: false),
                    longitude = table.Column<double>(type: "double precision", nullable: false),
                    languages = table.Column<List<string>>(type: "text[]", nullable: false),
                    profile = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    priority_sdgs = table.Column<List<int>>(type: "integer[]", nullable: false),
                    is_archived = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cities", x => x.id);
                    table.CheckConstraint("ck_cities_country_code", "country_code ~ '^[A-Z]{2}$'");
                    table.CheckConstraint("ck_cities_latitude", "latitude BETWEEN -90 AND 90");
                    table.CheckConstraint("ck_cities_longitude", "longitude BETWEEN -180 AND 180");
                    table.CheckConstraint("ck_cities_name", "length(btrim(name)) > 0");
                    table.CheckConstraint("ck_cities_population", "population IS NULL OR population > 0");
                    table.CheckConstraint("ck_cities_priority_sdgs", "priority_sdgs <@ '{1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17}'::integer[]");
                });

            migrationBuilder.CreateTable(
                name: "partnerships",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    modality = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    started_on = table.Column<DateOnly>(type: "date", nullable: true),
                    ended_on = table.Column<DateOnly>(type: "date", nullable: true),
                    discontinuation_reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    description = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    exit_strategy = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    sdgs = table.Column<List<int>>(type: "integer[]", nullable: false),
                    is_archived = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_partnerships", x => x.id);
                    table.CheckConstraint("ck_partnerships_discontinued", "status <> 'Discontinued' OR (discontinuation_reason IS NOT NULL AND length(btrim(discontinuation_reason)) > 0 AND ended_on IS NOT NULL)");
                    table.CheckConstraint("ck_partnerships_name", "length(btrim(name)) > 0");
                    table.CheckConstraint("ck_partnerships_period", "ended_on IS NULL OR started_on IS NULL OR ended_on >= started_on");
                    table.CheckConstraint("ck_partnerships_sdgs", "sdgs <@ '{1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17}'::integer[]");
                });

            migrationBuilder.CreateTable(
                name: "programmes",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    short_name = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    funder = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    starts_on = table.Column<DateOnly>(type: "date", nullable: false),
                    ends_on = table.Column<DateOnly>(type: "date", nullable: true),
                    description = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    modalities = table.Column<int[]>(type: "integer[]", nullable: false),
                    website = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false),
                    eligibility = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_programmes", x => x.id);
                    table.CheckConstraint("ck_programmes_name", "length(btrim(name)) > 0 AND length(btrim(short_name)) > 0");
                    table.CheckConstraint("ck_programmes_period", "ends_on IS NULL OR ends_on >= starts_on");
                });

            migrationBuilder.CreateTable(
                name: "sdgs",
                columns: table => new
                {
                    number = table.Column<int>(type: "integer", nullable: false),
                    title = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    colour = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sdgs", x => x.number);
                    table.CheckConstraint("ck_sdgs_colour", "colour ~ '^#[0-9A-Fa-f]{6}$'");
                    table.CheckConstraint("ck_sdgs_number", "number BETWEEN 1 AND 17");
                });

            migrationBuilder.CreateTable(
                name: "themes",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    related_sdgs = table.Column<List<int>>(type: "integer[]", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_themes", x => x.id);
                    table.CheckConstraint("ck_themes_name", "length(btrim(name)) > 0");
                    table.CheckConstraint("ck_themes_related_sdgs", "related_sdgs <@ '{1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17}'::integer[]");
                });

            migrationBuilder.CreateTable(
                name: "city_contacts",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    city_id = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    role = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    active_from = table.Column<DateOnly>(type: "date", nullable: false),
                    active_to = table.Column<DateOnly>(type: "date", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_city_contacts", x => x.id);
                    table.CheckConstraint("ck_city_contacts_email", "email ~ '^[^@\\s]+@[^@\\s]+$'");
                    table.CheckConstraint("ck_city_contacts_name", "length(btrim(name)) > 0");
                    table.CheckConstraint("ck_city_contacts_period", "active_to IS NULL OR active_to >= active_from");
                    table.ForeignKey(
                        name: "fk_city_contacts_cities_city_id",
                        column: x => x.city_id,
                        principalTable: "cities",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "exchanges",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    partnership_id = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    starts_on = table.Column<DateOnly>(type: "date", nullable: false),
                    ends_on = table.Column<DateOnly>(type: "date", nullable: false),
                    host_city_id = table.Column<int>(type: "integer", nullable: true),
                    is_online = table.Column<bool>(type: "boolean", nullable: false),
                    interpretation_languages = table.Column<List<string>>(type: "text[]", nullable: false),
                    sdgs = table.Column<List<int>>(type: "integer[]", nullable: false),
                    outcomes = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    follow_ups = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false),
                    documents = table.Column<string>(type: "jsonb", nullable: true),
                    participants = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_exchanges", x => x.id);
                    table.CheckConstraint("ck_exchanges_period", "ends_on >= starts_on");
                    table.CheckConstraint("ck_exchanges_sdgs", "sdgs <@ '{1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17}'::integer[]");
                    table.CheckConstraint("ck_exchanges_title", "length(btrim(title)) > 0");
                    table.CheckConstraint("ck_exchanges_venue", "(is_online AND host_city_id IS NULL) OR (NOT is_online AND host_city_id IS NOT NULL)");
                    table.ForeignKey(
                        name: "fk_exchanges_cities_host_city_id",
                        column: x => x.host_city_id,
                        principalTable: "cities",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_exchanges_partnerships_partnership_id",
                        column: x => x.partnership_id,
                        principalTable: "partnerships",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "partnership_agreements",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    partnership_id = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    signed_on = table.Column<DateOnly>(type: "date", nullable: false),
                    valid_until = table.Column<DateOnly>(type: "date", nullable: true),
                    note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_partnership_agreements", x => x.id);
                    table.CheckConstraint("ck_agreements_validity", "valid_until IS NULL OR valid_until >= signed_on");
                    table.ForeignKey(
                        name: "fk_partnership_agreements_partnerships_partnership_id",
                        column: x => x.partnership_id,
                        principalTable: "partnerships",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "partnership_members",
                columns: table => new
                {
                    partnership_id = table.Column<int>(type: "integer", nullable: false),
                    city_id = table.Column<int>(type: "integer", nullable: false),
                    role = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    expectations = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    contributions = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_partnership_members", x => new { x.partnership_id, x.city_id });
                    table.ForeignKey(
                        name: "fk_partnership_members_cities_city_id",
                        column: x => x.city_id,
                        principalTable: "cities",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_partnership_members_partnerships_partnership_id",
                        column: x => x.partnership_id,
                        principalTable: "partnerships",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "partnership_status_changes",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    partnership_id = table.Column<int>(type: "integer", nullable: false),
                    from = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    to = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    on = table.Column<DateOnly>(type: "date", nullable: false),
                    reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_partnership_status_changes", x => x.id);
                    table.ForeignKey(
                        name: "fk_partnership_status_changes_partnerships_partnership_id",
                        column: x => x.partnership_id,
                        principalTable: "partnerships",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "partnership_programmes",
                columns: table => new
                {
                    partnership_id = table.Column<int>(type: "integer", nullable: false),
                    programme_id = table.Column<int>(type: "integer", nullable: false),
                    from = table.Column<DateOnly>(type: "date", nullable: true),
                    to = table.Column<DateOnly>(type: "date", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_partnership_programmes", x => new { x.partnership_id, x.programme_id });
                    table.CheckConstraint("ck_partnership_programmes_period", "\"to\" IS NULL OR \"from\" IS NULL OR \"to\" >= \"from\"");
                    table.ForeignKey(
                        name: "fk_partnership_programmes_partnerships_partnership_id",
                        column: x => x.partnership_id,
                        principalTable: "partnerships",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_partnership_programmes_programmes_programme_id",
                        column: x => x.programme_id,
                        principalTable: "programmes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "city_themes",
                columns: table => new
                {
                    city_id = table.Column<int>(type: "integer", nullable: false),
                    theme_id = table.Column<int>(type: "integer", nullable: false),
                    interest = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_city_themes", x => new { x.city_id, x.theme_id });
                    table.ForeignKey(
                        name: "fk_city_themes_cities_city_id",
                        column: x => x.city_id,
                        principalTable: "cities",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_city_themes_themes_theme_id",
                        column: x => x.theme_id,
                        principalTable: "themes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "partnership_themes",
                columns: table => new
                {
                    partnership_id = table.Column<int>(type: "integer", nullable: false),
                    themes_id = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_partnership_themes", x => new { x.partnership_id, x.themes_id });
                    table.ForeignKey(
                        name: "fk_partnership_themes_partnerships_partnership_id",
                        column: x => x.partnership_id,
                        principalTable: "partnerships",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_partnership_themes_themes_themes_id",
                        column: x => x.themes_id,
                        principalTable: "themes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "exchange_themes",
                columns: table => new
                {
                    exchange_id = table.Column<int>(type: "integer", nullable: false),
                    themes_id = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_exchange_themes", x => new { x.exchange_id, x.themes_id });
                    table.ForeignKey(
                        name: "fk_exchange_themes_exchanges_exchange_id",
                        column: x => x.exchange_id,
                        principalTable: "exchanges",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_exchange_themes_themes_themes_id",
                        column: x => x.themes_id,
                        principalTable: "themes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_cities_country_code_name",
                table: "cities",
                columns: new[] { "country_code", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_cities_priority_sdgs",
                table: "cities",
                column: "priority_sdgs")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_city_contacts_city_id",
                table: "city_contacts",
                column: "city_id");

            migrationBuilder.CreateIndex(
                name: "ix_city_themes_theme_id",
                table: "city_themes",
                column: "theme_id");

            migrationBuilder.CreateIndex(
                name: "ix_exchange_themes_themes_id",
                table: "exchange_themes",
                column: "themes_id");

            migrationBuilder.CreateIndex(
                name: "ix_exchanges_host_city_id",
                table: "exchanges",
                column: "host_city_id");

            migrationBuilder.CreateIndex(
                name: "ix_exchanges_partnership_id_starts_on",
                table: "exchanges",
                columns: new[] { "partnership_id", "starts_on" });

            migrationBuilder.CreateIndex(
                name: "ix_partnership_agreements_partnership_id",
                table: "partnership_agreements",
                column: "partnership_id");

            migrationBuilder.CreateIndex(
                name: "ix_partnership_members_city_id",
                table: "partnership_members",
                column: "city_id");

            migrationBuilder.CreateIndex(
                name: "ix_partnership_programmes_programme_id",
                table: "partnership_programmes",
                column: "programme_id");

            migrationBuilder.CreateIndex(
                name: "ix_partnership_status_changes_partnership_id",
                table: "partnership_status_changes",
                column: "partnership_id");

            migrationBuilder.CreateIndex(
                name: "ix_partnership_themes_themes_id",
                table: "partnership_themes",
                column: "themes_id");

            migrationBuilder.CreateIndex(
                name: "ix_partnerships_sdgs",
                table: "partnerships",
                column: "sdgs")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_partnerships_status",
                table: "partnerships",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "ix_programmes_short_name",
                table: "programmes",
                column: "short_name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_themes_name",
                table: "themes",
                column: "name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "city_contacts");

            migrationBuilder.DropTable(
                name: "city_themes");

            migrationBuilder.DropTable(
                name: "exchange_themes");

            migrationBuilder.DropTable(
                name: "partnership_agreements");

            migrationBuilder.DropTable(
                name: "partnership_members");

            migrationBuilder.DropTable(
                name: "partnership_programmes");

            migrationBuilder.DropTable(
                name: "partnership_status_changes");

            migrationBuilder.DropTable(
                name: "partnership_themes");

            migrationBuilder.DropTable(
                name: "sdgs");

            migrationBuilder.DropTable(
                name: "exchanges");

            migrationBuilder.DropTable(
                name: "programmes");

            migrationBuilder.DropTable(
                name: "themes");

            migrationBuilder.DropTable(
                name: "cities");

            migrationBuilder.DropTable(
                name: "partnerships");
        }
    }
}
