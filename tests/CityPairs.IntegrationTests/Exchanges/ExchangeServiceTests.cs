using CityPairs.Domain.Exchanges;
using CityPairs.TestSupport;
using CityPairs.Web.Data.Seeding;
using CityPairs.Web.Features.Common;
using CityPairs.Web.Features.Exchanges;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.IntegrationTests.Exchanges;

public sealed class ExchangeServiceTests(PostgresDatabase database) : DatabaseTest(database)
{
    private ExchangeService Service() => Service<ExchangeService>(TestUsers.Administrator);

    private async Task<(int Partnership, int Herent, int Nimlahakok, int Quito)> SeedAsync()
    {
        await using var db = Database.CreateDbContext();
        await DemoData.SeedAsync(db);
        var partnership = await db.Partnerships.Where(p => p.Name == "Herent - Nimlaha'kok").Select(p => p.Id).SingleAsync();
        var cities = await db.Cities.ToDictionaryAsync(c => c.Name, c => c.Id);
        return (partnership, cities["Herent"], cities["Nimlaha'kok"], cities["Quito"]);
    }

    private async Task<int> CountAsync()
    {
        await using var db = Database.CreateDbContext();
        return await db.Exchanges.CountAsync();
    }

    private static ExchangeForm Workshop(int host) => new()
    {
        Kind = ExchangeKind.Workshop,
        Title = "Tree nursery workshop",
        StartsOn = new DateTime(2024, 5, 6),
        EndsOn = new DateTime(2024, 5, 7),
        HostCityId = host,
        Participants = [new ParticipantRow { ActorType = ActorType.NgoOrCivilSociety, Role = ParticipantRole.Technical, Count = 12 }],
        InterpretationLanguages = "es, NL",
        Outcomes = "A shared nursery plan.",
        Documents = [new DocumentRow { Title = "Report", Url = "https://example.org/report.pdf" }],
    };

    [Fact]
    public async Task Logging_an_exchange_keeps_everything_that_was_entered()
    {
        var (partnership, herent, _, _) = await SeedAsync();

        var result = await Service().CreateAsync(partnership, Workshop(herent));

        Assert.True(result.Succeeded, result.Message);
        var list = await Service().ListForPartnershipAsync(partnership);
        var logged = list.Single(e => e.Title == "Tree nursery workshop");
        Assert.Equal("Herent", logged.HostCity);
        Assert.Equal(12, logged.Participants);
        var form = (await Service().GetFormAsync(result.Value))!.Value.Form;
        Assert.Equal("es, nl", form.InterpretationLanguages);
        Assert.Equal("https://example.org/report.pdf", Assert.Single(form.Documents).Url);
    }

    [Fact]
    public async Task Bad_input_is_refused_field_by_field_and_nothing_is_saved()
    {
        var (partnership, _, _, _) = await SeedAsync();
        var before = await CountAsync();
        var form = Workshop(0);
        form.Title = "";
        form.EndsOn = new DateTime(2024, 5, 1);
        form.HostCityId = null;
        form.InterpretationLanguages = "Spanish";
        form.Documents[0].Url = "javascript:alert(1)";

        var result = await Service().CreateAsync(partnership, form);

        Assert.Equal(SaveProblem.Invalid, result.Problem);
        var fields = result.Errors.Select(e => e.Field).ToList();
        Assert.Contains(nameof(ExchangeForm.Title), fields);
        Assert.Contains(nameof(ExchangeForm.EndsOn), fields);
        Assert.Contains(nameof(ExchangeForm.HostCityId), fields);
        Assert.Contains(nameof(ExchangeForm.InterpretationLanguages), fields);
        Assert.Contains("Documents[0].Url", fields);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Only_a_member_city_can_host()
    {
        var (partnership, _, _, quito) = await SeedAsync();
        Assert.Equal(["Herent", "Nimlaha'kok"], (await Service().HostOptionsAsync(partnership)).Select(c => c.Name));
        var before = await CountAsync();

        var result = await Service().CreateAsync(partnership, Workshop(quito));

        Assert.Equal(SaveProblem.Invalid, result.Problem);
        Assert.Contains("member cities", result.Message, StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task An_online_exchange_has_no_host()
    {
        var (partnership, herent, _, _) = await SeedAsync();
        var form = Workshop(herent);
        form.IsOnline = true;

        var result = await Service().CreateAsync(partnership, form);

        Assert.True(result.Succeeded, result.Message);
        Assert.Null((await Service().ListForPartnershipAsync(partnership)).Single(e => e.Id == result.Value).HostCity);
    }

    [Fact]
    public async Task Editing_and_deleting_check_the_version()
    {
        var (partnership, herent, nimlahakok, _) = await SeedAsync();
        var service = Service();
        var id = (await service.CreateAsync(partnership, Workshop(herent))).Value;
        var mine = (await service.GetFormAsync(id))!.Value.Form;
        var stale = (await service.GetFormAsync(id))!.Value.Form;

        mine.HostCityId = nimlahakok;
        var edited = await service.UpdateAsync(id, mine);
        var staleDelete = await service.DeleteAsync(id, stale.Version);

        Assert.True(edited.Succeeded, edited.Message);
        Assert.Equal(SaveProblem.Conflict, staleDelete.Problem);
        Assert.Equal("Nimlaha'kok", (await service.ListForPartnershipAsync(partnership)).Single(e => e.Id == id).HostCity);

        var deleted = await service.DeleteAsync(id, (await service.GetFormAsync(id))!.Value.Form.Version);

        Assert.True(deleted.Succeeded);
        Assert.DoesNotContain(await service.ListForPartnershipAsync(partnership), e => e.Id == id);
    }

    [Fact]
    public async Task A_city_s_exchanges_come_from_all_its_partnerships_newest_first()
    {
        await SeedAsync();
        int brasschaat;
        await using (var db = Database.CreateDbContext())
        {
            brasschaat = await db.Cities.Where(c => c.Name == "Brasschaat").Select(c => c.Id).SingleAsync();
        }

        var list = await Service().ListForCityAsync(brasschaat);

        Assert.Equal(3, list.Count);
        Assert.Equal("Final two-day gathering in Flanders", list[0].Title);
        Assert.All(list, e => Assert.Equal("Brasschaat - Tarija", e.PartnershipName));
    }
}
