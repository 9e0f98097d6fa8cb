using CityPairs.Web.Features.Gazetteer;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CityPairs.Web.Data.Configurations;

internal sealed class GazetteerPlaceConfiguration : IEntityTypeConfiguration<GazetteerPlace>
{
    public void Configure(EntityTypeBuilder<GazetteerPlace> builder)
    {
        builder.ToTable("gazetteer_places", t =>
        {
            t.HasCheckConstraint("ck_gazetteer_places_latitude", "latitude BETWEEN -90 AND 90");
            t.HasCheckConstraint("ck_gazetteer_places_longitude", "longitude BETWEEN -180 AND 180");
            t.HasCheckConstraint("ck_gazetteer_places_population", "population IS NULL OR population > 0");
        });
        builder.HasKey(p => p.GeonameId);
        builder.Property(p => p.GeonameId).ValueGeneratedNever();
        builder.Property(p => p.Name).HasMaxLength(200);
        builder.Property(p => p.AsciiName).HasMaxLength(200);
        builder.Property(p => p.CountryCode).HasMaxLength(2).IsFixedLength();
        builder.Property(p => p.Admin1Code).HasMaxLength(20).HasColumnName("admin1_code");
        builder.Property(p => p.FeatureCode).HasMaxLength(10);
        builder.Property(p => p.Timezone).HasMaxLength(40);
        // The trigram index on f_search_form(name) that serves the autocomplete is created in the migration (an expression index).
    }
}

internal sealed class GazetteerAdminAreaConfiguration : IEntityTypeConfiguration<GazetteerAdminArea>
{
    public void Configure(EntityTypeBuilder<GazetteerAdminArea> builder)
    {
        builder.ToTable("gazetteer_admin_areas");
        builder.HasKey(a => a.Code);
        builder.Property(a => a.Code).HasMaxLength(30);
        builder.Property(a => a.Name).HasMaxLength(200);
    }
}
