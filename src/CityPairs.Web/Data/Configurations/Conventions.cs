using CityPairs.Domain.Common;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CityPairs.Web.Data.Configurations;

internal static class Conventions
{
    /// <summary>The SDG numbers as a PostgreSQL array literal, for check constraints on int[] columns.</summary>
    public const string AllSdgs = "'{1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17}'::integer[]";

    /// <summary>PostgreSQL's built-in ICU root collation: case- and accent-aware natural order, deterministic.</summary>
    public const string NaturalCollation = "und-x-icu";

    /// <summary>Timestamps and the xmin concurrency token every editable record carries.</summary>
    public static void ConfigureEntity<T>(this EntityTypeBuilder<T> builder)
        where T : Entity
    {
        builder.Property(e => e.Version).IsRowVersion();
        builder.Property(e => e.CreatedAt).IsRequired();
        builder.Property(e => e.UpdatedAt).IsRequired();
    }
}
