using AvatarLab.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AvatarLab.Server.Data.Configurations;

internal sealed class RecordingFileConfiguration : IEntityTypeConfiguration<RecordingFile>
{
    public void Configure(EntityTypeBuilder<RecordingFile> builder)
    {
        builder.Property(f => f.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(f => f.MotionSource).HasConversion<string>().HasMaxLength(20);
        builder.Property(f => f.Sha256).HasMaxLength(64);
        builder.Property(f => f.FileName).HasMaxLength(260);
        builder.HasOne<StoredFile>().WithMany().HasForeignKey(f => f.Sha256).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(f => new { f.RecordingId, f.Kind }).IsUnique();
    }
}
