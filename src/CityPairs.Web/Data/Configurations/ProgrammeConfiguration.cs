using CityPairs.Domain.Programmes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CityPairs.Web.Data.Configurations;

internal sealed class ProgrammeConfiguration : IEntityTypeConfiguration<Programme>
{
    public void Configure(EntityTypeBuilder<Programme> builder)
    {
        builder.ConfigureEntity();
        builder.Property(p => p.Name).HasMaxLength(200).UseCollation(Conventions.NaturalCollation);
        builder.Property(p => p.ShortName).HasMaxLength(30);
        builder.Property(p => p.Funder).HasMaxLength(200);
        builder.Property(p => p.Description).HasMaxLength(4000);
        builder.Property(p => p.Website).HasMaxLength(500);
        builder.HasIndex(p => p.ShortName).IsUnique();

        // Eligibility is a small list read and written whole with its programme: a JSON column fits it.
        builder.OwnsMany(p => p.Eligibility, rule => rule.ToJson());
        // Read and written whole with the programme, and only by the matcher: a nullable JSON column.
        builder.OwnsOne(p => p.MatchWeights, weights => weights.ToJson());

        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_programmes_name", "length(btrim(name)) > 0 AND length(btrim(short_name)) > 0");
            t.HasCheckConstraint("ck_programmes_period", "ends_on IS NULL OR ends_on >= starts_on");
        });
    }
}
