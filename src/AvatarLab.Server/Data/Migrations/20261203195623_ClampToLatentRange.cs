using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AvatarLab.Server.Data.Migrations
{
    /// <inheritdoc />
    public partial class ClampToLatentRange : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "ClampToLatentRange",
                table: "Sessions",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ClampToLatentRange",
                table: "Sessions");
        }
    }
}
