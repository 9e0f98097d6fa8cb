using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CityPairs.Web.Data;

/// <summary>Lets 'dotnet ef migrations add' build the model without starting the app or a database.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<CityPairsDbContext>
{
    public CityPairsDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<CityPairsDbContext>();
        DatabaseSetup.Configure(options, "Host=localhost;Database=citypairs_design");
        return new CityPairsDbContext(options.Options);
    }
}
