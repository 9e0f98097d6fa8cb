using CityPairs.Domain.Calls;
using CityPairs.Domain.Cities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CityPairs.Web.Data.Configurations;

internal sealed class PartnerCallConfiguration : IEntityTypeConfiguration<PartnerCall>
{
    public void Configure(EntityTypeBuilder<PartnerCall> builder)
    {
        builder.ToTable("partner_calls");
        builder.ConfigureEntity();
        builder.Property(c => c.Title).HasMaxLength(PartnerCall.TitleMaxLength);
        builder.Property(c => c.Description).HasMaxLength(PartnerCall.DescriptionMaxLength);
        builder.Property(c => c.Modality).HasConversion<string>().HasMaxLength(20);

        // A city removed by mistake takes its calls with it; a city with a history is archived, never deleted.
        builder.HasOne<City>().WithMany().HasForeignKey(c => c.CityId).OnDelete(DeleteBehavior.Cascade);

        // Every list asks for live calls (not withdrawn, expiring after today), newest expiry last.
        builder.HasIndex(c => new { c.CityId, c.ExpiresOn });
        builder.HasIndex(c => c.ExpiresOn).HasFilter("withdrawn_at IS NULL");
        builder.HasIndex(c => c.SoughtThemeIds).HasMethod("gin");
        builder.HasIndex(c => c.SoughtSdgs).HasMethod("gin");

        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_partner_calls_title", "length(btrim(title)) > 0");
            t.HasCheckConstraint("ck_partner_calls_period", "ends_on >= starts_on");
            t.HasCheckConstraint("ck_partner_calls_sdgs", $"sought_sdgs <@ {Conventions.AllSdgs}");
            t.HasCheckConstraint("ck_partner_calls_sought", "cardinality(sought_theme_ids) + cardinality(sought_sdgs) > 0");
        });
    }
}
