using CityPairs.Domain.Cities;
using CityPairs.Domain.Exchanges;
using CityPairs.Domain.Partnerships;
using CityPairs.Domain.Programmes;
using CityPairs.Domain.Reference;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Data;

public sealed class CityPairsDbContext(DbContextOptions<CityPairsDbContext> options) : DbContext(options)
{
    public DbSet<Sdg> Sdgs => Set<Sdg>();

    public DbSet<Theme> Themes => Set<Theme>();

    public DbSet<City> Cities => Set<City>();

    public DbSet<CityContact> CityContacts => Set<CityContact>();

    public DbSet<Programme> Programmes => Set<Programme>();

    public DbSet<Partnership> Partnerships => Set<Partnership>();

    public DbSet<Exchange> Exchanges => Set<Exchange>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // unaccent lets a search for "Vaxjo" find Växjö; pg_trgm indexes substring searches.
        modelBuilder.HasPostgresExtension("unaccent");
        modelBuilder.HasPostgresExtension("pg_trgm");
        modelBuilder.HasDbFunction(typeof(CityPairsDbContext).GetMethod(nameof(SearchForm))!).HasName("f_search_form");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(CityPairsDbContext).Assembly);
    }

    /// <summary>
    /// The form a name is searched in: without accents. Maps to f_search_form, an IMMUTABLE wrapper around
    /// unaccent (which PostgreSQL does not let an index use directly), so trigram indexes on names serve
    /// searches (migration SearchIndexes; docs/PERFORMANCE.md).
    /// </summary>
    public static string SearchForm(string text) => throw new InvalidOperationException("SearchForm runs in PostgreSQL only.");
}
