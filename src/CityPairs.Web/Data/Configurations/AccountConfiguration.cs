using CityPairs.Domain.Cities;
using CityPairs.Domain.Programmes;
using CityPairs.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CityPairs.Web.Data.Configurations;

internal sealed class CityAssignmentConfiguration : IEntityTypeConfiguration<CityAssignment>
{
    public void Configure(EntityTypeBuilder<CityAssignment> builder)
    {
        builder.HasKey(a => new { a.UserId, a.CityId });
        builder.HasOne<AppUser>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<City>().WithMany().HasForeignKey(a => a.CityId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => a.CityId);
    }
}

internal sealed class ProgrammeAssignmentConfiguration : IEntityTypeConfiguration<ProgrammeAssignment>
{
    public void Configure(EntityTypeBuilder<ProgrammeAssignment> builder)
    {
        builder.HasKey(a => new { a.UserId, a.ProgrammeId });
        builder.HasOne<AppUser>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Programme>().WithMany().HasForeignKey(a => a.ProgrammeId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => a.ProgrammeId);
    }
}

internal sealed class ProgrammeCityConfiguration : IEntityTypeConfiguration<ProgrammeCity>
{
    public void Configure(EntityTypeBuilder<ProgrammeCity> builder)
    {
        builder.HasKey(a => new { a.ProgrammeId, a.CityId });
        builder.HasOne<Programme>().WithMany().HasForeignKey(a => a.ProgrammeId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<City>().WithMany().HasForeignKey(a => a.CityId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => a.CityId);
    }
}

internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> builder) => builder.Property(u => u.DisplayName).HasMaxLength(200);
}

internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKeyRow>
{
    public void Configure(EntityTypeBuilder<DataProtectionKeyRow> builder) => builder.ToTable("data_protection_keys");
}
