using CityPairs.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CityPairs.Web.Data.Configurations;

/// <summary>The notification columns on Identity's users table (its own columns stay as Identity maps them).</summary>
internal sealed class EmailPreferenceConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> builder)
    {
        // A name, not a number: the column reads in SQL and survives reordering the enum.
        builder.Property(u => u.EmailPreference).HasConversion<string>().HasMaxLength(20)
            .HasDefaultValue(EmailPreference.Immediately).HasSentinel((EmailPreference)(-1));
    }
}
