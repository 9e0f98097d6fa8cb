using CityPairs.Domain.Cities;
using CityPairs.Domain.Exchanges;
using CityPairs.Domain.Partnerships;
using CityPairs.Domain.Programmes;
using CityPairs.Domain.Reference;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Audit;
using CityPairs.Web.Features.Gazetteer;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Data;

/// <summary>
/// One context for the programme's records and the accounts, so an assignment, a change and (later) its audit
/// entry can share one transaction.
/// </summary>
public sealed class CityPairsDbContext(DbContextOptions<CityPairsDbContext> options)
    : IdentityDbContext<AppUser, IdentityRole, string>(options)
{
    public DbSet<Sdg> Sdgs => Set<Sdg>();

    public DbSet<Theme> Themes => Set<Theme>();

    public DbSet<City> Cities => Set<City>();

    public DbSet<CityContact> CityContacts => Set<CityContact>();

    public DbSet<Programme> Programmes => Set<Programme>();

    public DbSet<Partnership> Partnerships => Set<Partnership>();

    public DbSet<Exchange> Exchanges => Set<Exchange>();

    public DbSet<CityAssignment> CityAssignments => Set<CityAssignment>();

    public DbSet<ProgrammeAssignment> ProgrammeAssignments => Set<ProgrammeAssignment>();

    public DbSet<DataProtectionKeyRow> DataProtectionKeys => Set<DataProtectionKeyRow>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<Features.Accounts.ApiTokens.ApiToken> ApiTokens => Set<Features.Accounts.ApiTokens.ApiToken>();

    public DbSet<GazetteerPlace> GazetteerPlaces => Set<GazetteerPlace>();

    public DbSet<GazetteerAdminArea> GazetteerAdminAreas => Set<GazetteerAdminArea>();

    /// <summary>Who this context's changes are made by (null: the app itself). Cleared when the context goes back to the pool.</summary>
    public AuditActor? Actor { get; set; }

    public override void Dispose()
    {
        Actor = null;
        base.Dispose();
    }

    public override ValueTask DisposeAsync()
    {
        Actor = null;
        return base.DisposeAsync();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        // Identity names its tables AspNet*; ours are snake_case like the rest of the schema.
        builder.Entity<AppUser>().ToTable("users");
        builder.Entity<IdentityRole>().ToTable("roles");
        builder.Entity<IdentityUserRole<string>>().ToTable("user_roles");
        builder.Entity<IdentityUserClaim<string>>().ToTable("user_claims");
        builder.Entity<IdentityUserLogin<string>>().ToTable("user_logins");
        builder.Entity<IdentityUserToken<string>>().ToTable("user_tokens");
        builder.Entity<IdentityRoleClaim<string>>().ToTable("role_claims");

        // unaccent lets a search for "Vaxjo" find Växjö; pg_trgm indexes substring searches.
        builder.HasPostgresExtension("unaccent");
        builder.HasPostgresExtension("pg_trgm");
        builder.HasDbFunction(typeof(CityPairsDbContext).GetMethod(nameof(SearchForm))!).HasName("f_search_form");
        builder.ApplyConfigurationsFromAssembly(typeof(CityPairsDbContext).Assembly);
    }

    /// <summary>
    /// The form a name is searched in: without accents. Maps to f_search_form, an IMMUTABLE wrapper around
    /// unaccent (which PostgreSQL does not let an index use directly), so trigram indexes on names serve
    /// searches (migration SearchIndexes; docs/PERFORMANCE.md).
    /// </summary>
    public static string SearchForm(string text) => throw new InvalidOperationException("SearchForm runs in PostgreSQL only.");
}
