using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CityPairs.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class EmailPreferenceAndFailedMail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_due",
                table: "outbox_messages");

            migrationBuilder.AddColumn<string>(
                name: "email_preference",
                table: "users",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "Immediately");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_digest_at",
                table: "users",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "failed_at",
                table: "outbox_messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_due",
                table: "outbox_messages",
                column: "next_attempt_at",
                filter: "sent_at IS NULL AND failed_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_due",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "email_preference",
                table: "users");

            migrationBuilder.DropColumn(
                name: "last_digest_at",
                table: "users");

            migrationBuilder.DropColumn(
                name: "failed_at",
                table: "outbox_messages");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_due",
                table: "outbox_messages",
                column: "next_attempt_at",
                filter: "sent_at IS NULL");
        }
    }
}
