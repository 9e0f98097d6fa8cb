using CityPairs.Domain.Exchanges;
using CityPairs.Domain.Partnerships;
using CityPairs.TestSupport;
using CityPairs.Web.Data.Seeding;
using CityPairs.Web.Features.Cities;
using CityPairs.Web.Features.Dashboards;
using CityPairs.Web.Features.Partnerships;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.IntegrationTests.Dashboards;

/// <summary>Each dashboard figure equals a count made directly from the rows, and the count of the list it links to.</summary>
public sealed class DashboardServiceTests(PostgresDatabase database) : DatabaseTest(database)
{
    private DashboardService Service() => Service<DashboardService>(TestUsers.Administrator);

    private PartnershipService Partnerships() => Service<PartnershipService>(TestUsers.Administrator);

    private CityService Cities() => Service<CityService>(TestUsers.Administrator);

    private async Task<int> SeedAsync()
    {
        await using var db = Database.CreateDbContext();
        await DemoData.SeedAsync(db);
        var today = DateOnly.FromDateTime(DateTime.Now);
        // A recent exchange, so the months figure and the quiet list both have something to show ...
        var brasschaat = await db.Partnerships.SingleAsync(p => p.Name == "Brasschaat - Tarija");
        db.Exchanges.Add(new Exchange
        {
            PartnershipId = brasschaat.Id, Kind = ExchangeKind.DigitalDialogue, Title = "Dashboard check-in",
            StartsOn = today.AddMonths(-1), EndsOn = today.AddMonths(-1), IsOnline = true,
        });
        // ... and an archived partnership, which no figure may count.
        var archived = await db.Partnerships.OrderBy(p => p.Id).FirstAsync(p => p.Name != "Brasschaat - Tarija");
        archived.IsArchived = true;
        await db.SaveChangesAsync();
        return archived.Id;
    }

    [Fact]
    public async Task Every_figure_equals_a_direct_count_overall_and_per_programme()
    {
        var archivedId = await SeedAsync();
        await using var db = Database.CreateDbContext();
        var programmeIds = await db.Programmes.Select(p => p.Id).ToListAsync();
        var all = await db.Partnerships.AsNoTracking().Include(p => p.Members).Include(p => p.Programmes).Include(p => p.Themes).ToListAsync();
        var cities = await db.Cities.AsNoTracking().ToDictionaryAsync(c => c.Id);
        var exchanges = await db.Exchanges.AsNoTracking().ToListAsync();
        Assert.Contains(all, p => p.Id == archivedId && p.IsArchived);

        foreach (var programme in programmeIds.Cast<int?>().Prepend(null))
        {
            var scope = all.Where(p => !p.IsArchived && (programme is null || p.Programmes.Any(pp => pp.ProgrammeId == programme))).ToList();
            var service = Service();

            var status = await service.ByStatusAsync(programme);
            Assert.Equal(
                scope.GroupBy(p => p.Status).OrderBy(g => g.Key).Select(g => (g.Key, g.Count())),
                status.Select(s => (s.Key, s.Count)));

            var modality = await service.ByModalityAsync(programme);
            Assert.Equal(
                scope.GroupBy(p => p.Modality).OrderBy(g => g.Key).Select(g => (g.Key, g.Count())),
                modality.Select(s => (s.Key, s.Count)));

            var sdgs = await service.SdgCoverageAsync(programme);
            Assert.Equal(17, sdgs.Count);
            Assert.All(sdgs, s => Assert.Equal(scope.Count(p => p.Sdgs.Contains(s.Key)), s.Count));

            var themes = await service.TopThemesAsync(programme);
            Assert.All(themes, t => Assert.Equal(scope.Count(p => p.Themes.Any(x => x.Id == t.ThemeId)), t.Count));

            var countries = await service.CountriesAsync(programme);
            var expectedCountries = scope.SelectMany(p => p.Members.Select(m => (cities[m.CityId].CountryCode, p.Id))).Distinct()
                .GroupBy(x => x.CountryCode).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(expectedCountries.OrderBy(x => x.Key), countries.ToDictionary(c => c.Key, c => c.Count).OrderBy(x => x.Key));

            var scopeIds = scope.Select(p => p.Id).ToHashSet();
            var months = await service.ExchangesPerMonthAsync(programme);
            Assert.Equal(DashboardService.MonthsShown, months.Count);
            Assert.All(months, m => Assert.Equal(
                exchanges.Count(e => scopeIds.Contains(e.PartnershipId) && e.StartsOn.Year == m.Year && e.StartsOn.Month == m.Month
                    && e.StartsOn <= service.Today()),
                m.Count));

            var since = service.Today().AddMonths(-DashboardService.QuietMonths);
            var quiet = await service.GoneQuietAsync(programme);
            var expectedQuiet = scope.Where(p => p.Status is PartnershipStatus.Agreed or PartnershipStatus.Active)
                .Where(p => !exchanges.Any(e => e.PartnershipId == p.Id && e.StartsOn >= since)).Select(p => p.Id).Order();
            Assert.Equal(expectedQuiet, quiet.Select(q => q.Id).Order());

            var totals = await service.TotalsAsync(programme);
            Assert.Equal(scope.Count, totals.Partnerships);
            Assert.Equal(exchanges.Count(e => scopeIds.Contains(e.PartnershipId)), totals.Exchanges);
        }
    }

    [Fact]
    public async Task Each_figure_s_link_opens_a_list_with_the_same_count()
    {
        await SeedAsync();
        await using var db = Database.CreateDbContext();
        var iuc = await db.Programmes.Where(p => p.ShortName == "IUC").Select(p => (int?)p.Id).SingleAsync();
        var service = Service();

        foreach (var programme in new[] { null, iuc })
        {
            foreach (var s in await service.ByStatusAsync(programme))
            {
                Assert.Equal(s.Count, (await Partnerships().ListAsync(new PartnershipListQuery(ProgrammeId: programme, Status: s.Key))).TotalCount);
            }

            foreach (var m in await service.ByModalityAsync(programme))
            {
                Assert.Equal(m.Count, (await Partnerships().ListAsync(new PartnershipListQuery(ProgrammeId: programme, Modality: m.Key))).TotalCount);
            }

            foreach (var s in await service.SdgCoverageAsync(programme))
            {
                Assert.Equal(s.Count, (await Partnerships().ListAsync(new PartnershipListQuery(ProgrammeId: programme, Sdg: s.Key))).TotalCount);
            }

            foreach (var t in await service.TopThemesAsync(programme))
            {
                Assert.Equal(t.Count, (await Partnerships().ListAsync(new PartnershipListQuery(ProgrammeId: programme, ThemeId: t.ThemeId))).TotalCount);
            }

            foreach (var c in await service.CountriesAsync(programme))
            {
                Assert.Equal(c.Count, (await Partnerships().ListAsync(new PartnershipListQuery(ProgrammeId: programme, CountryCode: c.Key))).TotalCount);
            }

            foreach (var r in await service.RegionsAsync(programme))
            {
                Assert.Equal(r.Count, (await Cities().ListAsync(new CityListQuery(Region: r.Key, ProgrammeId: programme))).TotalCount);
            }

            var totals = await service.TotalsAsync(programme);
            Assert.Equal(totals.Partnerships, (await Partnerships().ListAsync(new PartnershipListQuery(ProgrammeId: programme))).TotalCount);
            Assert.Equal(totals.Cities, (await Cities().ListAsync(new CityListQuery(ProgrammeId: programme))).TotalCount);
        }
    }
}
