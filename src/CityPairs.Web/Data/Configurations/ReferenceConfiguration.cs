using CityPairs.Domain.Reference;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CityPairs.Web.Data.Configurations;

internal sealed class SdgConfiguration : IEntityTypeConfiguration<Sdg>
{
    public void Configure(EntityTypeBuilder<Sdg> builder)
    {
        builder.HasKey(s => s.Number);
        builder.Property(s => s.Number).ValueGeneratedNever();
        builder.Property(s => s.Title).HasMaxLength(100);
        builder.Property(s => s.Colour).HasMaxLength(7);
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_sdgs_number", "number BETWEEN 1 AND 17");
            t.HasCheckConstraint("ck_sdgs_colour", "colour ~ '^#[0-9A-Fa-f]{6}$'");
        });
    }
}

internal sealed class ThemeConfiguration : IEntityTypeConfiguration<Theme>
{
    public void Configure(EntityTypeBuilder<Theme> builder)
    {
        builder.Property(t => t.Name).HasMaxLength(120).UseCollation(Conventions.NaturalCollation);
        builder.Property(t => t.Description).HasMaxLength(2000);
        builder.HasIndex(t => t.Name).IsUnique();
        builder.Property(t => t.Version).IsRowVersion();
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_themes_name", "length(btrim(name)) > 0");
            t.HasCheckConstraint("ck_themes_related_sdgs", $"related_sdgs <@ {Conventions.AllSdgs}");
        });
    }
}
