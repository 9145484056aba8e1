using AvatarLab.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AvatarLab.Server.Data.Configurations;

internal sealed class RecordingConfiguration : IEntityTypeConfiguration<Recording>
{
    public void Configure(EntityTypeBuilder<Recording> builder)
    {
        builder.Property(r => r.Name).HasMaxLength(200);
        builder.HasIndex(r => r.CreatedAt);
        builder.HasMany(r => r.Files).WithOne().HasForeignKey(f => f.RecordingId).OnDelete(DeleteBehavior.Cascade);
    }
}
