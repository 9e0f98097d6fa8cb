using CityPairs.Domain.Cities;
using CityPairs.Domain.Exchanges;
using CityPairs.Domain.Partnerships;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CityPairs.Web.Data.Configurations;

internal sealed class ExchangeConfiguration : IEntityTypeConfiguration<Exchange>
{
    public void Configure(EntityTypeBuilder<Exchange> builder)
    {
        builder.ConfigureEntity();
        builder.Property(e => e.Title).HasMaxLength(200);
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(30);
        builder.Property(e => e.Outcomes).HasMaxLength(8000);
        builder.Property(e => e.FollowUps).HasMaxLength(8000);
        builder.Ignore(e => e.TotalParticipants);

        builder.HasOne<Partnership>().WithMany().HasForeignKey(e => e.PartnershipId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<City>().WithMany().HasForeignKey(e => e.HostCityId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(e => new { e.PartnershipId, e.StartsOn });
        builder.HasMany(e => e.Themes).WithMany().UsingEntity("exchange_themes");

        // Participant counts and document links are read and written whole with their exchange.
        builder.OwnsMany(e => e.Participants, p =>
        {
            p.ToJson();
            p.Property(x => x.ActorType).HasConversion<string>();
            p.Property(x => x.Role).HasConversion<string>();
        });
        builder.OwnsMany(e => e.Documents, d => d.ToJson());

        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_exchanges_title", "length(btrim(title)) > 0");
            t.HasCheckConstraint("ck_exchanges_period", "ends_on >= starts_on");
            t.HasCheckConstraint("ck_exchanges_venue", "(is_online AND host_city_id IS NULL) OR (NOT is_online AND host_city_id IS NOT NULL)");
            t.HasCheckConstraint("ck_exchanges_sdgs", $"sdgs <@ {Conventions.AllSdgs}");
        });
    }
}
