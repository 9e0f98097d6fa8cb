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
        // unaccent lets a search for "Vaxjo" find Växjö.
        modelBuilder.HasPostgresExtension("unaccent");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(CityPairsDbContext).Assembly);
    }
}
