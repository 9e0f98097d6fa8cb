using CityPairs.Domain.Cities;
using CityPairs.Domain.Reference;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CityPairs.Web.Data.Configurations;

internal sealed class CityConfiguration : IEntityTypeConfiguration<City>
{
    public void Configure(EntityTypeBuilder<City> builder)
    {
        builder.ConfigureEntity();
        // ICU's root collation sorts as people expect (Almada before ANAMM, Växjö beside Vitoria), whatever the server locale.
        builder.Property(c => c.Name).HasMaxLength(120).UseCollation(Conventions.NaturalCollation);
        builder.Property(c => c.CountryCode).HasMaxLength(2).IsFixedLength();
        builder.Property(c => c.AdminArea).HasMaxLength(120);
        builder.Property(c => c.Profile).HasMaxLength(4000);
        builder.Property(c => c.Region).HasConversion<string>().HasMaxLength(40);
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(40);

        // The same name may exist in two countries (there are many Córdobas), never twice in one.
        builder.HasIndex(c => new { c.CountryCode, c.Name }).IsUnique();
        builder.HasIndex(c => c.PrioritySdgs).HasMethod("gin");
        // The list's default order; without it PostgreSQL sorts every city to show the first page (docs/PERFORMANCE.md).
        builder.HasIndex(c => c.Name);

        builder.HasMany(c => c.Themes).WithOne().HasForeignKey(t => t.CityId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Contacts).WithOne().HasForeignKey(t => t.CityId).OnDelete(DeleteBehavior.Cascade);

        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_cities_name", "length(btrim(name)) > 0");
            t.HasCheckConstraint("ck_cities_country_code", "country_code ~ '^[A-Z]{2}$'");
            t.HasCheckConstraint("ck_cities_population", "population IS NULL OR population > 0");
            t.HasCheckConstraint("ck_cities_latitude", "latitude BETWEEN -90 AND 90");
            t.HasCheckConstraint("ck_cities_longitude", "longitude BETWEEN -180 AND 180");
            t.HasCheckConstraint("ck_cities_priority_sdgs", $"priority_sdgs <@ {Conventions.AllSdgs}");
        });
    }
}

internal sealed class CityThemeConfiguration : IEntityTypeConfiguration<CityTheme>
{
    public void Configure(EntityTypeBuilder<CityTheme> builder)
    {
        builder.ToTable("city_themes");
        builder.HasKey(t => new { t.CityId, t.ThemeId });
        builder.Property(t => t.Interest).HasConversion<string>().HasMaxLength(10);
        builder.HasOne<Theme>().WithMany().HasForeignKey(t => t.ThemeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(t => t.ThemeId);
    }
}

internal sealed class CityContactConfiguration : IEntityTypeConfiguration<CityContact>
{
    public void Configure(EntityTypeBuilder<CityContact> builder)
    {
        builder.Property(c => c.Name).HasMaxLength(120);
        builder.Property(c => c.Role).HasMaxLength(120);
        builder.Property(c => c.Email).HasMaxLength(254);
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_city_contacts_name", "length(btrim(name)) > 0");
            t.HasCheckConstraint("ck_city_contacts_email", "email ~ '^[^@\\s]+@[^@\\s]+$'");
            t.HasCheckConstraint("ck_city_contacts_period", "active_to IS NULL OR active_to >= active_from");
        });
    }
}
