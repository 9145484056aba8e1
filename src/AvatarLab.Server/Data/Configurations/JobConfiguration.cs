using AvatarLab.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AvatarLab.Server.Data.Configurations;

internal sealed class JobConfiguration : IEntityTypeConfiguration<Job>
{
    public void Configure(EntityTypeBuilder<Job> builder)
    {
        builder.Property(j => j.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(j => j.Stage).HasMaxLength(40);
        builder.HasOne(j => j.Session).WithMany().HasForeignKey(j => j.SessionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(j => new { j.Status, j.EnqueuedAt });
    }
}
