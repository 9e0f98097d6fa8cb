using CityPairs.Domain.Exchanges;
using CityPairs.Domain.Partnerships;
using CityPairs.TestSupport;
using CityPairs.Web.Data.Seeding;
using CityPairs.Web.Features.Cities;
using CityPairs.Web.Features.Common;
using CityPairs.Web.Features.Exchanges;
using CityPairs.Web.Features.Partnerships;
using CityPairs.Web.Features.Programmes;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.IntegrationTests.Reliability;

/// <summary>
/// Thousands of hostile inputs to every form service: each is refused with a message a person can act
/// on, nothing throws, and the database does not change.
/// </summary>
public sealed class BadInputTests(PostgresDatabase database) : DatabaseTest(database)
{
    private const int CasesPerForm = 400;

    /// <summary>Text no field should accept: markup, control characters, broken Unicode, far too long.</summary>
    private static readonly string[] HostileText =
    [
        "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</textarea><b>bold</b>", "<!-- comment -->",
        "bell\u0007", "null\0byte", "escape\u001B[31m", "\uD800 lone high surrogate", "lone low \uDC00",
        new string('x', 10_001), new string('\u00E9', 4_001) + "<b>",
    ];

    private static readonly int[] HostileNumbers = [int.MinValue, -1, 0, int.MaxValue];

    private static readonly DateTime[] HostileDates = [DateTime.MinValue, new(1, 1, 1), new(9999, 12, 31), new(1800, 2, 28)];

    private static string Pick(Random random) => HostileText[random.Next(HostileText.Length)];

    [Fact]
    public async Task Hostile_input_to_every_form_is_refused_with_a_message_and_changes_nothing()
    {
        await using (var db = Database.CreateDbContext())
        {
            await DemoData.SeedAsync(db);
        }

        var before = await FingerprintAsync();
        var random = new Random(2026);
        int partnershipId, herent, nimlahakok;
        await using (var db = Database.CreateDbContext())
        {
            partnershipId = await db.Partnerships.Where(p => p.Name == "Herent - Nimlaha'kok").Select(p => p.Id).SingleAsync();
            herent = await db.Cities.Where(c => c.Name == "Herent").Select(c => c.Id).SingleAsync();
            nimlahakok = await db.Cities.Where(c => c.Name == "Nimlaha'kok").Select(c => c.Id).SingleAsync();
        }

        var cities = Service<CityService>(TestUsers.Administrator);
        var programmes = Service<ProgrammeService>(TestUsers.Administrator);
        var partnerships = Service<PartnershipService>(TestUsers.Administrator);
        var exchanges = Service<ExchangeService>(TestUsers.Administrator);
        var results = new List<(string Form, ISaveOutcome Result)>();

        for (var i = 0; i < CasesPerForm; i++)
        {
            var city = new CityForm { Name = "Zz Valid", CountryCode = "PT", Region = CityPairs.Domain.Common.Region.Europe, Latitude = 1, Longitude = 1 };
            switch (random.Next(7))
            {
                case 0: city.Name = Pick(random); break;
                case 1: city.AdminArea = Pick(random); break;
                case 2: city.Profile = Pick(random); break;
                case 3: city.Population = HostileNumbers[random.Next(2)]; break;
                case 4: city.Latitude = random.Next(2) == 0 ? double.NaN : 1e9; break;
                case 5: city.CountryCode = new[] { "ZZ", "<s", "\0x", "", "BEL" }[random.Next(5)]; break;
                default: city.PrioritySdgs = [HostileNumbers[random.Next(HostileNumbers.Length)]]; break;
            }

            results.Add(("city", await cities.CreateAsync(city)));

            var programme = new ProgrammeForm { Name = "Zz Valid", ShortName = "ZZ" + i, StartsOn = "2020-01-01", Modalities = [Modality.Pairing] };
            switch (random.Next(5))
            {
                case 0: programme.Name = Pick(random); break;
                case 1: programme.ShortName = Pick(random); break;
                case 2: programme.Description = Pick(random); break;
                case 3: programme.StartsOn = Pick(random); break;
                default: programme.Website = "javascript:alert(1)"; break;
            }

            results.Add(("programme", await programmes.CreateAsync(programme)));

            var partnership = new PartnershipForm
            {
                Name = "Zz Valid",
                Members = [new MemberForm { CityId = herent }, new MemberForm { CityId = nimlahakok }],
            };
            switch (random.Next(6))
            {
                case 0: partnership.Name = Pick(random); break;
                case 1: partnership.Description = Pick(random); break;
                case 2: partnership.Members[0].Expectations = Pick(random); break;
                case 3: partnership.Sdgs = [HostileNumbers[random.Next(HostileNumbers.Length)]]; break;
                case 4: partnership.Members[1].CityId = random.Next(2) == 0 ? herent : int.MaxValue; break;
                default: partnership.StartedOn = HostileDates[2]; break;
            }

            results.Add(("partnership", await partnerships.CreateAsync(partnership)));

            var exchange = new ExchangeForm
            {
                Title = "Zz Valid", StartsOn = new DateTime(2024, 1, 1), EndsOn = new DateTime(2024, 1, 2), HostCityId = herent,
            };
            switch (random.Next(7))
            {
                case 0: exchange.Title = Pick(random); break;
                case 1: exchange.Outcomes = Pick(random); break;
                case 2: exchange.EndsOn = HostileDates[random.Next(2)]; break;
                case 3: exchange.Participants = [new ParticipantRow { Count = HostileNumbers[random.Next(2)] }]; break;
                case 4: exchange.Documents = [new DocumentRow { Title = "Report", Url = Pick(random) }]; break;
                case 5: exchange.InterpretationLanguages = Pick(random); break;
                default: exchange.HostCityId = int.MaxValue; break;
            }

            results.Add(("exchange", await exchanges.CreateAsync(partnershipId, exchange)));
        }

        Assert.Equal(CasesPerForm * 4, results.Count);
        Assert.All(results, r =>
        {
            Assert.False(r.Result.Succeeded, $"A hostile {r.Form} was saved.");
            Assert.False(string.IsNullOrWhiteSpace(r.Result.Message), $"A refused {r.Form} came without a message.");
        });
        Assert.Equal(before, await FingerprintAsync());
    }

    [Theory]
    [InlineData("Robert'); DROP TABLE cities;--")]
    [InlineData("O'Higgins \" OR 1=1 --")]
    [InlineData("Nimlaha'kok")]
    public async Task Quotes_and_sql_fragments_are_stored_as_text(string name)
    {
        var cities = Service<CityService>(TestUsers.Administrator);

        var result = await cities.CreateAsync(new CityForm
        {
            Name = name, CountryCode = "CL", Region = CityPairs.Domain.Common.Region.LatinAmericaAndCaribbean, Latitude = -33, Longitude = -70,
        });

        Assert.True(result.Succeeded, result.Message);
        await using var db = Database.CreateDbContext();
        Assert.Equal(name, await db.Cities.Where(c => c.Id == result.Value).Select(c => c.Name).SingleAsync());
    }

    private async Task<string> FingerprintAsync()
    {
        await using var db = Database.CreateDbContext();
        return string.Join(',',
            await db.Cities.CountAsync(), await db.Programmes.CountAsync(), await db.Partnerships.CountAsync(), await db.Exchanges.CountAsync(),
            await db.Cities.MaxAsync(c => c.UpdatedAt), await db.Partnerships.MaxAsync(p => p.UpdatedAt));
    }
}
