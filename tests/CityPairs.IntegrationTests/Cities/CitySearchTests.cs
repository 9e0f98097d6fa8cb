using CityPairs.TestSupport;
using CityPairs.Web.Data.Seeding;
using CityPairs.Web.Features.Cities;

namespace CityPairs.IntegrationTests.Cities;

public sealed class CitySearchTests(PostgresDatabase database) : DatabaseTest(database)
{
    private async Task<CityService> SeededAsync()
    {
        await using var db = Database.CreateDbContext();
        await DemoData.SeedAsync(db);
        return Service<CityService>(TestUsers.Administrator);
    }

    [Theory]
    [InlineData("medellin", "Medellín")]
    [InlineData("VAXJO", "Växjö")]
    [InlineData("Gujarat", "Surat")]
    public async Task Search_ignores_case_and_accents_and_looks_at_the_admin_area(string search, string expected)
    {
        var cities = await SeededAsync();

        var page = await cities.ListAsync(new CityListQuery(Search: search));

        Assert.Contains(page.Items, c => c.Name == expected);
        Assert.Equal(page.Items.Count, page.TotalCount);
    }

    [Fact]
    public async Task A_country_code_finds_the_cities_of_that_country()
    {
        var cities = await SeededAsync();

        var page = await cities.ListAsync(new CityListQuery(Search: "be"));

        Assert.Equal(["Brasschaat", "Edegem", "Herent"], page.Items.Where(c => c.CountryCode == "BE").Select(c => c.Name).Order());
        Assert.All(page.Items.Where(c => c.CountryCode != "BE"), c =>
            Assert.Contains("be", c.Name + " " + c.AdminArea, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Search_text_is_not_a_pattern()
    {
        var cities = await SeededAsync();

        var page = await cities.ListAsync(new CityListQuery(Search: "%"));

        Assert.Empty(page.Items);
        Assert.Equal(0, page.TotalCount);
    }

    [Fact]
    public async Task Pages_split_the_list_and_report_the_total()
    {
        var cities = await SeededAsync();

        var first = await cities.ListAsync(new CityListQuery(PageSize: 10, Page: 0));
        var second = await cities.ListAsync(new CityListQuery(PageSize: 10, Page: 1));

        Assert.Equal(10, first.Items.Count);
        Assert.Equal(10, second.Items.Count);
        Assert.Empty(first.Items.Select(c => c.Id).Intersect(second.Items.Select(c => c.Id)));
        Assert.True(first.TotalCount > 40);
        // Natural order, not byte order: Almada before ANAMM.
        Assert.Equal(first.Items.Select(c => c.Name).Order(StringComparer.InvariantCultureIgnoreCase), first.Items.Select(c => c.Name));
    }

    [Fact]
    public async Task Sorting_by_population_puts_the_largest_first_and_unknown_populations_last()
    {
        var cities = await SeededAsync();

        var largest = await cities.ListAsync(new CityListQuery(SortBy: CitySort.Population, Descending: true, PageSize: 3));
        var all = await cities.ListAsync(new CityListQuery(SortBy: CitySort.Population, Descending: true, PageSize: 100));

        Assert.Equal("Lima", largest.Items[0].Name);
        Assert.True(largest.Items[0].Population >= largest.Items[1].Population);
        Assert.Null(all.Items[^1].Population);
    }

    [Fact]
    public async Task The_list_counts_each_city_s_partnerships()
    {
        var cities = await SeededAsync();

        var page = await cities.ListAsync(new CityListQuery(Search: "Barcelona"));

        Assert.Equal(4, Assert.Single(page.Items).PartnershipCount);
    }
}
