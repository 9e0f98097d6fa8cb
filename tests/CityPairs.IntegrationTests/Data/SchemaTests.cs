using CityPairs.Domain.Cities;
using CityPairs.Domain.Common;
using CityPairs.Domain.Partnerships;
using CityPairs.TestSupport;
using CityPairs.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CityPairs.IntegrationTests.Data;

public sealed class SchemaTests(PostgresDatabase database) : DatabaseTest(database)
{
    [Fact]
    public async Task Every_model_change_is_captured_by_a_migration()
    {
        await using var db = Database.CreateDbContext();

        Assert.False(db.Database.HasPendingModelChanges(),
            "The model has changes no migration captures: run 'dotnet ef migrations add <Name> --project src/CityPairs.Web --output-dir Data/Migrations'.");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task A_partnership_with_fewer_than_two_members_is_refused()
    {
        var (tarija, _) = await TwoCitiesAsync();
        await using var db = Database.CreateDbContext();
        var lonely = new Partnership { Name = "Tarija alone", Members = [new PartnershipMember { CityId = tarija.Id }] };
        lonely.Propose(new DateOnly(2024, 1, 1));
        db.Partnerships.Add(lonely);

        // The check runs at commit, so PostgreSQL's error may arrive unwrapped.
        var error = await Assert.ThrowsAnyAsync<Exception>(() => db.SaveChangesAsync());

        var postgres = error as PostgresException ?? Assert.IsType<PostgresException>(error.InnerException);
        Assert.Equal("ck_partnerships_minimum_members", postgres.ConstraintName);
        await using var check = Database.CreateDbContext();
        Assert.False(await check.Partnerships.AnyAsync());
    }

    [Fact]
    public async Task Removing_a_member_below_two_is_refused()
    {
        var (tarija, brasschaat) = await TwoCitiesAsync();
        await using (var db = Database.CreateDbContext())
        {
            var pair = new Partnership
            {
                Name = "Brasschaat - Tarija",
                Members = [new PartnershipMember { CityId = tarija.Id }, new PartnershipMember { CityId = brasschaat.Id }],
            };
            pair.Propose(new DateOnly(2004, 6, 1));
            db.Partnerships.Add(pair);
            await db.SaveChangesAsync();
        }

        await using var edit = Database.CreateDbContext();
        var loaded = await edit.Partnerships.Include(p => p.Members).SingleAsync();
        loaded.Members.RemoveAt(0);

        // The check is deferred: it fails at commit, which EF reports bare once the save is more than one batch
        // (as it is with its audit entry), and wrapped in a DbUpdateException otherwise. SafeSave reads both.
        var error = await Assert.ThrowsAnyAsync<Exception>(() => edit.SaveChangesAsync());
        Assert.Equal("ck_partnerships_minimum_members", Web.Features.Common.SafeSave.FindPostgresError(error)?.ConstraintName);
    }

    [Fact]
    public async Task A_discontinuation_without_a_reason_is_refused_by_the_database()
    {
        var (tarija, brasschaat) = await TwoCitiesAsync();
        int id;
        await using (var db = Database.CreateDbContext())
        {
            var pair = new Partnership
            {
                Name = "Edegem - San Jerónimo",
                Members = [new PartnershipMember { CityId = tarija.Id }, new PartnershipMember { CityId = brasschaat.Id }],
            };
            pair.Propose(new DateOnly(2004, 6, 1));
            db.Partnerships.Add(pair);
            await db.SaveChangesAsync();
            id = pair.Id;
        }

        // The domain refuses this too; here we check the last line of defence by going around it.
        await using var raw = Database.CreateDbContext();
        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            raw.Database.ExecuteSqlAsync($"UPDATE partnerships SET status = 'Discontinued', ended_on = DATE '2020-06-30' WHERE id = {id}"));

        Assert.Equal("ck_partnerships_discontinued", error.ConstraintName);
        Assert.Equal(PartnershipStatus.Proposed, (await raw.Partnerships.SingleAsync()).Status);
    }

    [Theory]
    [InlineData("Tarija")]
    [InlineData("TARIJA")]
    public async Task Two_cities_with_the_same_name_in_one_country_are_refused(string secondName)
    {
        await TwoCitiesAsync();
        await using var db = Database.CreateDbContext();
        db.Cities.Add(NewCity(secondName, "BO"));

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

        Assert.Equal(PostgresErrorCodes.UniqueViolation, Assert.IsType<PostgresException>(error.InnerException).SqlState);
        await using var check = Database.CreateDbContext();
        Assert.Equal(1, await check.Cities.CountAsync(c => c.CountryCode == "BO"));
    }

    [Fact]
    public async Task The_same_name_in_another_country_is_allowed()
    {
        await using var db = Database.CreateDbContext();
        db.Cities.AddRange(NewCity("Córdoba", "AR"), NewCity("Córdoba", "ES"));

        await db.SaveChangesAsync();

        Assert.Equal(2, await db.Cities.CountAsync(c => c.Name == "Córdoba"));
    }

    [Fact]
    public async Task A_second_editor_of_the_same_city_is_refused_instead_of_overwriting()
    {
        await TwoCitiesAsync();
        await using var first = Database.CreateDbContext();
        await using var second = Database.CreateDbContext();
        var mine = await first.Cities.SingleAsync(c => c.Name == "Tarija");
        var theirs = await second.Cities.SingleAsync(c => c.Name == "Tarija");

        mine.Population = 260_000;
        await first.SaveChangesAsync();
        theirs.Population = 1;

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
        await using var check = Database.CreateDbContext();
        Assert.Equal(260_000, (await check.Cities.SingleAsync(c => c.Name == "Tarija")).Population);
    }

    [Fact]
    public async Task Saving_stamps_created_and_updated_times()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var (tarija, _) = await TwoCitiesAsync();

        Assert.True(tarija.CreatedAt >= before);
        Assert.Equal(tarija.CreatedAt, tarija.UpdatedAt);

        await using var db = Database.CreateDbContext();
        var loaded = await db.Cities.Include(c => c.Contacts).SingleAsync(c => c.Id == tarija.Id);
        loaded.Contacts.Add(new CityContact { Name = "Ana", Email = "ana@tarija.example", ActiveFrom = new DateOnly(2024, 1, 1) });
        await db.SaveChangesAsync();

        Assert.True(loaded.UpdatedAt > tarija.UpdatedAt, "Adding a contact is a change to the city.");
    }

    [Fact]
    public async Task Without_a_reachable_server_the_app_says_what_to_set()
    {
        var services = new ServiceCollection();
        services.AddPooledDbContextFactory<CityPairsDbContext>(o =>
            DatabaseSetup.Configure(o, "Host=127.0.0.1;Port=1;Database=nowhere;Username=x;Password=y;Timeout=2"));
        await using var provider = services.BuildServiceProvider();

        var error = await Assert.ThrowsAsync<StartupException>(() => DatabaseSetup.MigrateAsync(provider));

        Assert.Contains("Cannot reach PostgreSQL at 127.0.0.1:1", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__CityPairs", error.Message, StringComparison.Ordinal);
    }

    private async Task<(City Tarija, City Brasschaat)> TwoCitiesAsync()
    {
        await using var db = Database.CreateDbContext();
        var tarija = NewCity("Tarija", "BO");
        var brasschaat = NewCity("Brasschaat", "BE");
        db.Cities.AddRange(tarija, brasschaat);
        await db.SaveChangesAsync();
        return (tarija, brasschaat);
    }

    private static City NewCity(string name, string country) => new()
    {
        Name = name,
        CountryCode = country,
        Region = Countries.RegionOf(country)!.Value,
        Latitude = 0,
        Longitude = 0,
    };
}
