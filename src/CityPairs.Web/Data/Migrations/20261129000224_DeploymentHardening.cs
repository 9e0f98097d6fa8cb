using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CityPairs.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class DeploymentHardening : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "created_with_second_factor",
                table: "api_tokens",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "revoked_reason",
                table: "api_tokens",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "security_stamp_hash",
                table: "api_tokens",
                type: "bytea",
                nullable: true);

            // Tokens made before the creating session's second factor and the account's stamp were recorded cannot be
            // trusted with either: an administrator's password-only token would otherwise keep full rights.
            migrationBuilder.Sql(
                "UPDATE api_tokens SET revoked_at = now(), revoked_reason = 'tokens made before the sign-in method was recorded were revoked; create a new one' " +
                "WHERE revoked_at IS NULL;");

            migrationBuilder.CreateTable(
                name: "security_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    user_id = table.Column<string>(type: "text", nullable: true),
                    email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    actor_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    client_address = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    detail = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_security_events", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_security_events_at",
                table: "security_events",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_security_events_kind_at",
                table: "security_events",
                columns: new[] { "kind", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_security_events_user_id_at",
                table: "security_events",
                columns: new[] { "user_id", "at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "security_events");

            migrationBuilder.DropColumn(
                name: "created_with_second_factor",
                table: "api_tokens");

            migrationBuilder.DropColumn(
                name: "revoked_reason",
                table: "api_tokens");

            migrationBuilder.DropColumn(
                name: "security_stamp_hash",
                table: "api_tokens");
        }
    }
}
