using CityPairs.Domain.Partnerships;
using CityPairs.TestSupport;
using CityPairs.Web.Data.Seeding;
using CityPairs.Web.Features.Common;
using CityPairs.Web.Features.Programmes;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.IntegrationTests.Programmes;

public sealed class ProgrammeServiceTests(PostgresDatabase database) : DatabaseTest(database)
{
    private ProgrammeService Programmes => Service<ProgrammeService>(TestUsers.Administrator);

    private static ProgrammeForm NewForm(string shortName = "ZZT") => new()
    {
        Name = "Zz Test Programme",
        ShortName = shortName,
        Funder = "A foundation",
        StartsOn = "2024-01-01",
        EndsOn = "2026-12-31",
        Modalities = [Modality.Pairing, Modality.Triangular],
        Website = "https://example.org",
    };

    private async Task<int> ProgrammeIdAsync(string shortName)
    {
        await using var db = Database.CreateDbContext();
        return await db.Programmes.Where(p => p.ShortName == shortName).Select(p => p.Id).SingleAsync();
    }

    [Fact]
    public async Task The_list_pages_searches_and_counts_partnerships()
    {
        await using (var db = Database.CreateDbContext())
        {
            await DemoData.SeedAsync(db);
        }

        var all = await Programmes.ListAsync(new ProgrammeListQuery(PageSize: 100));
        var firstTwo = await Programmes.ListAsync(new ProgrammeListQuery(PageSize: 2));
        var search = await Programmes.ListAsync(new ProgrammeListQuery(Search: "world"));

        Assert.Equal(all.Items.Count, all.TotalCount);
        Assert.Equal(2, firstTwo.Items.Count);
        Assert.Equal(all.TotalCount, firstTwo.TotalCount);
        Assert.Equal(8, Assert.Single(search.Items).PartnershipCount);
    }

    [Fact]
    public async Task The_detail_lists_partnerships_member_cities_and_exchanges_per_year()
    {
        await using (var db = Database.CreateDbContext())
        {
            await DemoData.SeedAsync(db);
        }

        var detail = (await Programmes.GetAsync(await ProgrammeIdAsync("WC")))!;

        Assert.Equal(8, detail.Partnerships.Count);
        Assert.Equal(16, detail.MemberCities.Count);
        Assert.Contains(detail.MemberCities, c => c.Name == "Hannover");
        Assert.Contains(detail.ExchangesPerYear, y => y.Year == 2016 && y.Count >= 1);
        Assert.NotEmpty(detail.Eligibility);
    }

    [Fact]
    public async Task Create_and_update_save_the_programme()
    {
        var created = await Programmes.CreateAsync(NewForm());
        Assert.True(created.Succeeded, created.Message);
        var form = (await Programmes.GetFormAsync(created.Value))!;
        form.Funder = "Another funder";
        form.EndsOn = null;

        var updated = await Programmes.UpdateAsync(form);

        Assert.True(updated.Succeeded, updated.Message);
        var detail = (await Programmes.GetAsync(created.Value))!;
        Assert.Equal("Another funder", detail.Funder);
        Assert.Null(detail.EndsOn);
        Assert.Equal([Modality.Pairing, Modality.Triangular], detail.Modalities);
        Assert.Empty(detail.Partnerships);
        Assert.Empty(detail.ExchangesPerYear);
    }

    [Fact]
    public async Task Bad_input_is_refused_field_by_field_and_saves_nothing()
    {
        var form = NewForm(shortName: "");
        form.Name = " ";
        form.EndsOn = "2020-01-01";
        form.Modalities = [];
        form.Website = "not a url";

        var result = await Programmes.CreateAsync(form);

        Assert.Equal(SaveProblem.Invalid, result.Problem);
        Assert.Equal(
            [nameof(ProgrammeForm.EndsOn), nameof(ProgrammeForm.Modalities), nameof(ProgrammeForm.Name), nameof(ProgrammeForm.ShortName), nameof(ProgrammeForm.Website)],
            result.Errors.Select(e => e.Field).Distinct().Order());
        await using var db = Database.CreateDbContext();
        Assert.Equal(0, await db.Programmes.CountAsync());
    }

    [Fact]
    public async Task A_short_name_in_use_is_a_duplicate()
    {
        var first = await Programmes.CreateAsync(NewForm("ZZT"));

        var second = await Programmes.CreateAsync(NewForm("zzt"));

        Assert.Equal(SaveProblem.Duplicate, second.Problem);
        Assert.Equal(first.Value, second.ExistingId);
    }

    [Fact]
    public async Task The_second_of_two_editors_is_refused()
    {
        var created = await Programmes.CreateAsync(NewForm());
        var first = (await Programmes.GetFormAsync(created.Value))!;
        var second = (await Programmes.GetFormAsync(created.Value))!;
        first.Description = "First.";
        second.Description = "Second.";

        Assert.True((await Programmes.UpdateAsync(first)).Succeeded);
        var result = await Programmes.UpdateAsync(second);

        Assert.Equal(SaveProblem.Conflict, result.Problem);
        Assert.Equal("First.", (await Programmes.GetAsync(created.Value))!.Description);
    }

    [Fact]
    public async Task An_unknown_programme_is_not_found()
    {
        Assert.Null(await Programmes.GetAsync(999_999));
        var form = NewForm();
        form.Id = 999_999;
        Assert.Equal(SaveProblem.NotFound, (await Programmes.UpdateAsync(form)).Problem);
    }
}
