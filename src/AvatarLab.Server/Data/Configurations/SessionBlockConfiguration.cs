using AvatarLab.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AvatarLab.Server.Data.Configurations;

internal sealed class SessionBlockConfiguration : IEntityTypeConfiguration<SessionBlock>
{
    public void Configure(EntityTypeBuilder<SessionBlock> builder)
    {
        builder.HasKey(b => new { b.SessionId, b.Index });
    }
}
