using System.Collections;
using CityPairs.Domain.Cities;
using CityPairs.Domain.Common;
using CityPairs.TestSupport;
using CityPairs.Web.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CityPairs.IntegrationTests.Data;

/// <summary>The cities COPY (import, scale data, benchmark) writes what EF maps, so it cannot fall behind the model.</summary>
public sealed class EntityCopyWriterTests(PostgresDatabase database) : DatabaseTest(database)
{
    [Fact]
    public async Task Every_column_of_the_cities_table_is_written_except_the_row_version()
    {
        await using var db = Database.CreateDbContext();
        var writer = new EntityCopyWriter<City>(db.Model, withKey: true);
        var columns = await db.Database
            .SqlQuery<string>($"SELECT column_name::text AS \"Value\" FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'cities'")
            .ToListAsync();

        Assert.Equal(columns.Order(), writer.Columns.Order());
        var mapped = db.Model.FindEntityType(typeof(City))!.GetProperties()
            .Where(p => p.Name != nameof(City.Version))
            .Select(p => p.GetColumnName());
        Assert.Equal(mapped.Order(), writer.Columns.Order());
        Assert.DoesNotContain("xmin", writer.Columns);
    }

    [Fact]
    public async Task Cities_copied_read_back_through_EF_with_every_value_they_were_written_with()
    {
        await using var db = Database.CreateDbContext();
        var now = new DateTimeOffset(2026, 11, 28, 9, 30, 0, TimeSpan.Zero);
        City[] cities =
        [
            new()
            {
                Name = "Copyville", CountryCode = "PT", Region = Region.Europe, AdminArea = "Norte", Kind = CityKind.AssociationOfMunicipalities,
                Population = 12_345, Latitude = 41.15, Longitude = -8.61, Languages = ["pt", "en"], Profile = "A profile.",
                PrioritySdgs = [6, 11], IsArchived = true, CreatedAt = now, UpdatedAt = now.AddDays(1),
            },
            // Nulls and empty lists go through as well.
            new()
            {
                Name = "Blankton", CountryCode = "KE", Region = Region.Africa, Latitude = -1.28, Longitude = 36.82, CreatedAt = now, UpdatedAt = now,
            },
        ];
        await db.Database.OpenConnectionAsync();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        foreach (var city in cities)
        {
            await using var next = new NpgsqlCommand("SELECT nextval(pg_get_serial_sequence('cities', 'id'))::int", connection);
            city.Id = (int)(await next.ExecuteScalarAsync())!;
        }

        await new EntityCopyWriter<City>(db.Model, withKey: true).WriteAsync(connection, cities);
        await db.Database.CloseConnectionAsync();

        await using var read = Database.CreateDbContext();
        var properties = read.Model.FindEntityType(typeof(City))!.GetProperties().Where(p => p.Name != nameof(City.Version)).ToList();
        foreach (var written in cities)
        {
            var back = await read.Cities.AsNoTracking().SingleAsync(c => c.Id == written.Id);
            foreach (var property in properties)
            {
                var expected = property.GetGetter().GetClrValueUsingContainingEntity(written);
                var actual = property.GetGetter().GetClrValueUsingContainingEntity(back);
                if (expected is IEnumerable sequence and not string)
                {
                    Assert.Equal(sequence.Cast<object>(), ((IEnumerable)actual!).Cast<object>());
                }
                else
                {
                    Assert.True(Equals(expected, actual), $"{written.Name}.{property.Name}: wrote {expected}, read {actual}");
                }
            }
        }
    }
}
