using CityPairs.Domain.Cities;
using CityPairs.Domain.Partnerships;
using CityPairs.Domain.Programmes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CityPairs.Web.Data.Configurations;

internal sealed class PartnershipConfiguration : IEntityTypeConfiguration<Partnership>
{
    public void Configure(EntityTypeBuilder<Partnership> builder)
    {
        builder.ConfigureEntity();
        builder.Property(p => p.Name).HasMaxLength(200).UseCollation(Conventions.NaturalCollation);
        builder.Property(p => p.Description).HasMaxLength(4000);
        builder.Property(p => p.ExitStrategy).HasMaxLength(4000);
        builder.Property(p => p.DiscontinuationReason).HasMaxLength(2000);
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.Modality).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(p => p.Status);
        // The list's default order (docs/PERFORMANCE.md).
        builder.HasIndex(p => p.Name);
        builder.HasIndex(p => p.Sdgs).HasMethod("gin");
        // The few archived partnerships: the dashboards filter them out of 500,000 exchanges with an anti-join on this
        // small partial index instead of hashing every partnership (docs/PERFORMANCE.md, query plans).
        builder.HasIndex(p => p.Id).HasDatabaseName("ix_partnerships_archived").HasFilter("is_archived");

        builder.HasMany(p => p.Members).WithOne().HasForeignKey(m => m.PartnershipId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(p => p.Programmes).WithOne().HasForeignKey(m => m.PartnershipId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(p => p.Agreements).WithOne().HasForeignKey(a => a.PartnershipId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(p => p.StatusHistory).WithOne().HasForeignKey(s => s.PartnershipId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(p => p.Themes).WithMany().UsingEntity("partnership_themes");

        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_partnerships_name", "length(btrim(name)) > 0");
            t.HasCheckConstraint("ck_partnerships_sdgs", $"sdgs <@ {Conventions.AllSdgs}");
            // The domain refuses a discontinuation without a reason; the database refuses it too.
            t.HasCheckConstraint("ck_partnerships_discontinued",
                "status <> 'Discontinued' OR (discontinuation_reason IS NOT NULL AND length(btrim(discontinuation_reason)) > 0 AND ended_on IS NOT NULL)");
            t.HasCheckConstraint("ck_partnerships_period", "ended_on IS NULL OR started_on IS NULL OR ended_on >= started_on");
        });
    }
}

internal sealed class PartnershipMemberConfiguration : IEntityTypeConfiguration<PartnershipMember>
{
    public void Configure(EntityTypeBuilder<PartnershipMember> builder)
    {
        builder.ToTable("partnership_members");
        // One row per city and partnership: a city cannot be in a partnership twice, nor partner itself.
        builder.HasKey(m => new { m.PartnershipId, m.CityId });
        builder.Property(m => m.Role).HasConversion<string>().HasMaxLength(20);
        builder.Property(m => m.Expectations).HasMaxLength(4000);
        builder.Property(m => m.Contributions).HasMaxLength(4000);
        builder.HasOne<City>().WithMany().HasForeignKey(m => m.CityId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => m.CityId);
    }
}

internal sealed class PartnershipProgrammeConfiguration : IEntityTypeConfiguration<PartnershipProgramme>
{
    public void Configure(EntityTypeBuilder<PartnershipProgramme> builder)
    {
        builder.ToTable("partnership_programmes");
        builder.HasKey(m => new { m.PartnershipId, m.ProgrammeId });
        builder.HasOne<Programme>().WithMany().HasForeignKey(m => m.ProgrammeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => m.ProgrammeId);
        builder.ToTable(t => t.HasCheckConstraint("ck_partnership_programmes_period", "\"to\" IS NULL OR \"from\" IS NULL OR \"to\" >= \"from\""));
    }
}

internal sealed class AgreementConfiguration : IEntityTypeConfiguration<Agreement>
{
    public void Configure(EntityTypeBuilder<Agreement> builder)
    {
        builder.ToTable("partnership_agreements");
        builder.Property(a => a.Kind).HasConversion<string>().HasMaxLength(40);
        builder.Property(a => a.Note).HasMaxLength(2000);
        builder.ToTable(t => t.HasCheckConstraint("ck_agreements_validity", "valid_until IS NULL OR valid_until >= signed_on"));
    }
}

internal sealed class StatusChangeConfiguration : IEntityTypeConfiguration<StatusChange>
{
    public void Configure(EntityTypeBuilder<StatusChange> builder)
    {
        builder.ToTable("partnership_status_changes");
        builder.Property(s => s.From).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.To).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.Reason).HasMaxLength(2000);
        builder.Property(s => s.By).HasMaxLength(200);
    }
}
