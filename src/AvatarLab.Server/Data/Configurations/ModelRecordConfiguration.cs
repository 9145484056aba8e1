using AvatarLab.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AvatarLab.Server.Data.Configurations;

internal sealed class ModelRecordConfiguration : IEntityTypeConfiguration<ModelRecord>
{
    public void Configure(EntityTypeBuilder<ModelRecord> builder)
    {
        builder.ToTable("Models");
        builder.Property(m => m.Name).HasMaxLength(200);
        builder.Property(m => m.Version).HasMaxLength(100);
        builder.Property(m => m.Origin).HasConversion<string>().HasMaxLength(20);
        builder.Property(m => m.PackageSha256).HasMaxLength(64);
        builder.HasIndex(m => m.SourcePath);
        builder.HasIndex(m => m.PackageSha256);
    }
}
