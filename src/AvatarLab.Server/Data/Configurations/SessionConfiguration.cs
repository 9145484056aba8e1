using AvatarLab.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AvatarLab.Server.Data.Configurations;

internal sealed class SessionConfiguration : IEntityTypeConfiguration<Session>
{
    public void Configure(EntityTypeBuilder<Session> builder)
    {
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.Sampler).HasMaxLength(40);
        builder.Property(s => s.Schedule).HasMaxLength(40);
        builder.Property(s => s.Dropped).HasMaxLength(100);
        builder.HasOne(s => s.Model).WithMany().HasForeignKey(s => s.ModelId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(s => s.Recording).WithMany().HasForeignKey(s => s.RecordingId).OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(s => s.BlockIndex).WithOne().HasForeignKey(b => b.SessionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => s.CreatedAt);
        builder.HasIndex(s => s.Status);
    }
}
