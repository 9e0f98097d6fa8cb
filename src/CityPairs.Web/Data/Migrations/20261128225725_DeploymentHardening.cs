using Microsoft.EntityFrameworkCore.Migrations;

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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
