using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AvatarLab.Server.Data.Migrations
{
    /// <inheritdoc />
    public partial class AttentionCapture : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AttentionCapture",
                table: "Sessions",
                type: "TEXT",
                nullable: false,
                defaultValue: "FinalStep");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AttentionCapture",
                table: "Sessions");
        }
    }
}
