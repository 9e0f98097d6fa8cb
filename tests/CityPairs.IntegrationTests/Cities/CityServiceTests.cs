using CityPairs.Domain.Cities;
using CityPairs.Domain.Common;
using CityPairs.TestSupport;
using CityPairs.Web.Data.Seeding;
using CityPairs.Web.Features.Cities;
using CityPairs.Web.Features.Common;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.IntegrationTests.Cities;

public sealed class CityServiceTests(PostgresDatabase database) : DatabaseTest(database)
{
    private CityService Cities => Service<CityService>(TestUsers.Administrator);

    private CityForm NewForm(string name = "Zz Test City", string country = "PT") => new()
    {
        Name = name,
        CountryCode = country,
        Region = Countries.RegionOf(country),
        Population = 12_000,
        Latitude = 38.5,
        Longitude = -9.1,
        Languages = "pt, en",
        Profile = "A small coastal town.",
        PrioritySdgs = [13, 11],
        Themes = [new CityThemeForm { ThemeId = ThemeId("Urban mobility"), Interest = ThemeInterest.Seeks }],
        Contacts = [new CityContactForm { Name = "Ana Costa", Role = "Coordinator", Email = "ana@example.org", ActiveFrom = "2024-01-15" }],
    };

    private int ThemeId(string name)
    {
        using var db = Database.CreateDbContext();
        return db.Themes.Single(t => t.Name == name).Id;
    }

    private async Task<int> SeedDemoAsync()
    {
        await using var db = Database.CreateDbContext();
        await DemoData.SeedAsync(db);
        return await db.Cities.CountAsync();
    }

    private async Task<int> CityIdAsync(string name)
    {
        await using var db = Database.CreateDbContext();
        return await db.Cities.Where(c => c.Name == name).Select(c => c.Id).SingleAsync();
    }

    [Fact]
    public async Task Create_saves_the_city_with_its_themes_and_contacts()
    {
        var result = await Cities.CreateAsync(NewForm());

        Assert.True(result.Succeeded, result.Message);
        var detail = await Cities.GetAsync(result.Value);
        Assert.NotNull(detail);
        Assert.Equal("Zz Test City", detail.Name);
        Assert.Equal(Region.Europe, detail.Region);
        Assert.Equal([11, 13], detail.PrioritySdgs);
        Assert.Equal(["pt", "en"], detail.Languages);
        Assert.Equal("Urban mobility", Assert.Single(detail.Themes).Name);
        Assert.Equal("Ana Costa", Assert.Single(detail.Contacts).Name);
        Assert.False(detail.HasHistory);
    }

    [Fact]
    public async Task Create_with_bad_input_reports_each_field_and_saves_nothing()
    {
        var form = NewForm(name: " ");
        form.CountryCode = "XX";
        form.Population = -5;
        form.Latitude = 95;
        form.Contacts[0].Email = "not an email";

        var result = await Cities.CreateAsync(form);

        Assert.Equal(SaveProblem.Invalid, result.Problem);
        Assert.Contains(result.Errors, e => e.Field == nameof(CityForm.Name));
        Assert.Contains(result.Errors, e => e.Field == nameof(CityForm.CountryCode));
        Assert.Contains(result.Errors, e => e.Field == nameof(CityForm.Population));
        Assert.Contains(result.Errors, e => e.Field == nameof(CityForm.Latitude));
        Assert.Contains(result.Errors, e => e.Field == "Contacts[0].Email");
        await using var db = Database.CreateDbContext();
        Assert.Equal(0, await db.Cities.CountAsync());
        Assert.Equal(0, await db.CityContacts.CountAsync());
    }

    [Fact]
    public async Task A_second_city_with_the_same_name_in_the_same_country_is_a_duplicate_whatever_the_case()
    {
        var first = await Cities.CreateAsync(NewForm("Zz Porto Novo", "PT"));

        var again = await Cities.CreateAsync(NewForm("zz PORTO novo", "PT"));
        var elsewhere = await Cities.CreateAsync(NewForm("Zz Porto Novo", "CV"));

        Assert.Equal(SaveProblem.Duplicate, again.Problem);
        Assert.Equal(first.Value, again.ExistingId);
        Assert.True(elsewhere.Succeeded, elsewhere.Message);
        await using var db = Database.CreateDbContext();
        Assert.Equal(2, await db.Cities.CountAsync());
    }

    [Fact]
    public async Task Renaming_a_city_to_another_city_s_name_is_a_duplicate()
    {
        var first = await Cities.CreateAsync(NewForm("Zz One"));
        var second = await Cities.CreateAsync(NewForm("Zz Two"));
        var form = (await Cities.GetFormAsync(second.Value))!;
        form.Name = "ZZ ONE";

        var result = await Cities.UpdateAsync(form);

        Assert.Equal(SaveProblem.Duplicate, result.Problem);
        Assert.Equal(first.Value, result.ExistingId);
        Assert.Equal("Zz Two", (await Cities.GetAsync(second.Value))!.Name);
    }

    [Fact]
    public async Task Update_changes_fields_themes_and_ends_contacts_without_deleting_them()
    {
        var created = await Cities.CreateAsync(NewForm());
        var form = (await Cities.GetFormAsync(created.Value))!;
        form.Name = "Zz Renamed";
        form.CountryCode = "JP";
        form.Region = Region.Asia;
        form.PrioritySdgs = [6];
        form.Themes = [new CityThemeForm { ThemeId = ThemeId("Urban mobility"), Interest = ThemeInterest.Both },
            new CityThemeForm { ThemeId = ThemeId("Smart city"), Interest = ThemeInterest.Offers }];
        form.Contacts[0].ActiveTo = "2025-06-30";
        form.Contacts.Add(new CityContactForm { Name = "Kenji Sato", Email = "kenji@example.org", ActiveFrom = "2025-07-01" });

        var result = await Cities.UpdateAsync(form);

        Assert.True(result.Succeeded, result.Message);
        var detail = (await Cities.GetAsync(created.Value))!;
        Assert.Equal("Zz Renamed", detail.Name);
        Assert.Equal(Region.Asia, detail.Region);
        Assert.Equal([6], detail.PrioritySdgs);
        Assert.Equal(ThemeInterest.Both, detail.Themes.Single(t => t.Name == "Urban mobility").Interest);
        Assert.Equal(ThemeInterest.Offers, detail.Themes.Single(t => t.Name == "Smart city").Interest);
        Assert.Equal(2, detail.Contacts.Count);
        Assert.Equal(new DateOnly(2025, 6, 30), detail.Contacts.Single(c => c.Name == "Ana Costa").ActiveTo);
        Assert.Null(detail.Contacts.Single(c => c.Name == "Kenji Sato").ActiveTo);
    }

    [Fact]
    public async Task A_contact_left_out_of_the_form_is_kept()
    {
        var created = await Cities.CreateAsync(NewForm());
        var form = (await Cities.GetFormAsync(created.Value))!;
        form.Contacts.Clear();

        Assert.True((await Cities.UpdateAsync(form)).Succeeded);

        Assert.Single((await Cities.GetAsync(created.Value))!.Contacts);
    }

    [Fact]
    public async Task The_second_of_two_editors_is_refused_and_the_first_edit_stays()
    {
        var created = await Cities.CreateAsync(NewForm());
        var first = (await Cities.GetFormAsync(created.Value))!;
        var second = (await Cities.GetFormAsync(created.Value))!;
        first.Profile = "First editor's profile.";
        second.Profile = "Second editor's profile.";

        var firstResult = await Cities.UpdateAsync(first);
        var secondResult = await Cities.UpdateAsync(second);

        Assert.True(firstResult.Succeeded);
        Assert.Equal(SaveProblem.Conflict, secondResult.Problem);
        Assert.Equal("First editor's profile.", (await Cities.GetAsync(created.Value))!.Profile);
    }

    [Fact]
    public async Task A_stale_form_that_only_adds_a_contact_is_refused_too()
    {
        var created = await Cities.CreateAsync(NewForm());
        var stale = (await Cities.GetFormAsync(created.Value))!;
        var fresh = (await Cities.GetFormAsync(created.Value))!;
        fresh.Profile = "Changed meanwhile.";
        Assert.True((await Cities.UpdateAsync(fresh)).Succeeded);
        stale.Contacts.Add(new CityContactForm { Name = "Late Comer", Email = "late@example.org", ActiveFrom = "2025-01-01" });

        var result = await Cities.UpdateAsync(stale);

        Assert.Equal(SaveProblem.Conflict, result.Problem);
        Assert.Single((await Cities.GetAsync(created.Value))!.Contacts);
    }

    [Fact]
    public async Task Update_with_bad_input_leaves_the_city_unchanged()
    {
        var created = await Cities.CreateAsync(NewForm());
        var form = (await Cities.GetFormAsync(created.Value))!;
        form.Name = "";
        form.Longitude = 200;
        form.Contacts[0].ActiveTo = "2020-01-01";

        var result = await Cities.UpdateAsync(form);

        Assert.Equal(SaveProblem.Invalid, result.Problem);
        Assert.Contains(result.Errors, e => e.Field == "Contacts[0].ActiveTo");
        var detail = (await Cities.GetAsync(created.Value))!;
        Assert.Equal("Zz Test City", detail.Name);
        Assert.Equal(-9.1, detail.Longitude);
        Assert.Null(detail.Contacts[0].ActiveTo);
    }

    [Fact]
    public async Task Updating_a_city_that_was_deleted_meanwhile_says_it_is_not_found()
    {
        var created = await Cities.CreateAsync(NewForm());
        var form = (await Cities.GetFormAsync(created.Value))!;
        Assert.True((await Cities.DeleteAsync(created.Value, form.Version)).Succeeded);

        var result = await Cities.UpdateAsync(form);

        Assert.Equal(SaveProblem.NotFound, result.Problem);
    }

    [Fact]
    public async Task Archived_cities_leave_the_default_list_and_come_back_when_restored()
    {
        await SeedDemoAsync();
        var id = await CityIdAsync("Almada");
        var version = (await Cities.GetAsync(id))!.Version;

        Assert.True((await Cities.ArchiveAsync(id, version)).Succeeded);
        var hidden = await Cities.ListAsync(new CityListQuery(Search: "Almada"));
        var shown = await Cities.ListAsync(new CityListQuery(Search: "Almada", IncludeArchived: true));
        var archived = (await Cities.GetAsync(id))!;

        Assert.Empty(hidden.Items);
        Assert.True(Assert.Single(shown.Items).IsArchived);
        Assert.True(archived.IsArchived);
        Assert.NotEmpty(archived.Partnerships);

        Assert.True((await Cities.RestoreAsync(id, archived.Version)).Succeeded);
        Assert.False(Assert.Single((await Cities.ListAsync(new CityListQuery(Search: "Almada"))).Items).IsArchived);
    }

    [Fact]
    public async Task Archiving_with_a_stale_version_is_a_conflict()
    {
        var created = await Cities.CreateAsync(NewForm());
        var stale = (await Cities.GetAsync(created.Value))!.Version;
        var form = (await Cities.GetFormAsync(created.Value))!;
        form.Profile = "Edited.";
        Assert.True((await Cities.UpdateAsync(form)).Succeeded);

        var result = await Cities.ArchiveAsync(created.Value, stale);

        Assert.Equal(SaveProblem.Conflict, result.Problem);
        Assert.False((await Cities.GetAsync(created.Value))!.IsArchived);
    }

    [Fact]
    public async Task A_city_with_history_cannot_be_deleted()
    {
        await SeedDemoAsync();
        var id = await CityIdAsync("Barcelona");
        var detail = (await Cities.GetAsync(id))!;

        var result = await Cities.DeleteAsync(id, detail.Version);

        Assert.True(detail.HasHistory);
        Assert.Equal(SaveProblem.Refused, result.Problem);
        Assert.NotNull(await Cities.GetAsync(id));
    }

    [Fact]
    public async Task A_city_without_history_can_be_deleted_with_its_themes_and_contacts()
    {
        var created = await Cities.CreateAsync(NewForm());
        var detail = (await Cities.GetAsync(created.Value))!;

        var result = await Cities.DeleteAsync(created.Value, detail.Version);

        Assert.True(result.Succeeded, result.Message);
        Assert.Null(await Cities.GetAsync(created.Value));
        await using var db = Database.CreateDbContext();
        Assert.Equal(0, await db.CityContacts.CountAsync());
    }

    [Fact]
    public async Task The_detail_shows_partnerships_partners_and_recent_exchanges()
    {
        await SeedDemoAsync();

        var detail = (await Cities.GetAsync(await CityIdAsync("Brasschaat")))!;

        var partnership = Assert.Single(detail.Partnerships);
        Assert.Equal(["Tarija"], partnership.Partners);
        Assert.Equal(3, detail.RecentExchanges.Count);
        Assert.Equal("Final two-day gathering in Flanders", detail.RecentExchanges[0].Title);
        Assert.Equal("Brasschaat - Tarija", detail.RecentExchanges[0].PartnershipName);
    }

    [Fact]
    public async Task The_detail_of_an_unknown_city_is_null()
    {
        Assert.Null(await Cities.GetAsync(999_999));
        Assert.Null(await Cities.GetFormAsync(999_999));
    }

    [Fact]
    public async Task Filters_narrow_the_list_by_country_region_sdg_theme_and_programme()
    {
        await SeedDemoAsync();
        var programmes = await Service<Lookups>(TestUsers.Administrator).ProgrammesAsync();
        var worldCities = programmes.Single(p => p.ShortName == "WC").Id;

        var belgium = await Cities.ListAsync(new CityListQuery(CountryCode: "be", PageSize: 100));
        var northAmerica = await Cities.ListAsync(new CityListQuery(Region: Region.NorthAmerica, PageSize: 100));
        var sdg14 = await Cities.ListAsync(new CityListQuery(Sdg: 14, PageSize: 100));
        var water = await Cities.ListAsync(new CityListQuery(ThemeId: ThemeId("Water management and sanitation"), PageSize: 100));
        var inWorldCities = await Cities.ListAsync(new CityListQuery(ProgrammeId: worldCities, PageSize: 100));
        var combined = await Cities.ListAsync(new CityListQuery(ProgrammeId: worldCities, Region: Region.Asia, PageSize: 100));

        Assert.Equal(["Brasschaat", "Edegem", "Herent"], belgium.Items.Select(c => c.Name));
        Assert.Equal(3, belgium.TotalCount);
        Assert.NotEmpty(northAmerica.Items);
        Assert.All(northAmerica.Items, c => Assert.Equal(Region.NorthAmerica, c.Region));
        Assert.Contains(sdg14.Items, c => c.Name == "Almada");
        Assert.All(sdg14.Items, c => Assert.Contains(14, c.PrioritySdgs));
        Assert.Contains(water.Items, c => c.Name == "Rotterdam");
        Assert.Contains(water.Items, c => c.Name == "Surat");
        Assert.DoesNotContain(water.Items, c => c.Name == "Almada");
        Assert.Equal(16, inWorldCities.TotalCount);
        Assert.Equal(["Kitakyushu", "Kumamoto", "Shimokawa", "Toyama"], combined.Items.Select(c => c.Name));
    }
}
