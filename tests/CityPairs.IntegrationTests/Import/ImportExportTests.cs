using System.Text;
using CityPairs.TestSupport;
using CityPairs.Web.Data.Seeding;
using CityPairs.Web.Features.Cities;
using CityPairs.Web.Features.Export;
using CityPairs.Web.Features.Import;
using CityPairs.Web.Features.Partnerships;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.IntegrationTests.Import;

public sealed class ImportExportTests(PostgresDatabase database) : DatabaseTest(database)
{
    private ImportService Importer() => Service<ImportService>(TestUsers.Administrator);

    private PortfolioExport Exporter() => Service<PortfolioExport>(TestUsers.Administrator);

    private static Table Csv(string text) => Table.ReadCsv(text);

    [Fact]
    public async Task A_file_with_one_bad_row_imports_nothing_and_the_report_names_the_row_and_the_problem()
    {
        var file = Csv("""
            City,Country,Lat,Lng,Population
            Ghent,BE,51.05,3.72,265086
            Leuven,BE,91.5,4.70,102275
            Aarhus,DK,56.16,10.2,
            """);
        var importer = Importer();
        var preview = await importer.PreviewAsync(ImportKind.Cities, file);

        Assert.Equal("City", preview.Mapping["name"]);
        Assert.Equal("Lng", preview.Mapping["longitude"]);
        var bad = Assert.Single(preview.Rows, r => !r.IsValid);
        Assert.Equal(3, bad.Line);
        Assert.Contains("Leuven", bad.Label, StringComparison.Ordinal);
        Assert.Contains(bad.Errors, e => e.Contains("latitude", StringComparison.Ordinal) && e.Contains("between -90 and 90", StringComparison.Ordinal));
        Assert.False(preview.CanCommit(new HashSet<int>()));

        var refused = await importer.CommitAsync(preview, new HashSet<int>());
        Assert.False(refused.Committed);
        Assert.Equal(3, Assert.Single(refused.Problems).Line);
        await using (var db = Database.CreateDbContext())
        {
            Assert.Equal(0, await db.Cities.CountAsync());
        }

        // Excluding the bad row lets the rest in, together.
        var committed = await importer.CommitAsync(preview, new HashSet<int> { 3 });
        Assert.True(committed.Committed, committed.Message);
        await using (var db = Database.CreateDbContext())
        {
            Assert.Equal(["Aarhus", "Ghent"], await db.Cities.OrderBy(c => c.Name).Select(c => c.Name).ToListAsync());
        }
    }

    [Fact]
    public async Task A_partnership_with_an_unknown_member_is_reported_and_nothing_is_written()
    {
        await using (var db = Database.CreateDbContext())
        {
            await DemoData.SeedAsync(db);
        }

        int before;
        await using (var db = Database.CreateDbContext())
        {
            before = await db.Partnerships.CountAsync();
        }

        var preview = await Importer().PreviewAsync(ImportKind.Partnerships, Csv("""
            name,members,status,started_on
            Quito - Riga,"Quito (EC); Riga (LV)",Active,2024-01-15
            Quito - Atlantis,"Quito (EC); Atlantis (GR)",Proposed,2024-02-01
            """));
        var result = await Importer().CommitAsync(preview, new HashSet<int>());

        Assert.False(result.Committed);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(3, problem.Line);
        Assert.Contains(problem.Errors, e => e.Contains("Atlantis (GR)", StringComparison.Ordinal));
        await using (var db = Database.CreateDbContext())
        {
            Assert.Equal(before, await db.Partnerships.CountAsync());
        }
    }

    [Fact]
    public async Task Exported_cities_and_partnerships_import_into_an_empty_database_as_the_same_records()
    {
        await using (var db = Database.CreateDbContext())
        {
            await DemoData.SeedAsync(db);
        }

        var exporter = Exporter();
        var cities = await exporter.CitiesAsync(new CityListQuery());
        var partnerships = await exporter.PartnershipsAsync(new PartnershipListQuery());
        Assert.True(cities.Rows.Count > 20 && partnerships.Rows.Count > 10);
        using var citiesCsv = new MemoryStream();
        await cities.WriteCsvAsync(citiesCsv);
        using var partnershipsXlsx = new MemoryStream();
        await partnerships.WriteXlsxAsync(partnershipsXlsx, "partnerships");
        List<Domain.Programmes.Programme> programmes;
        await using (var db = Database.CreateDbContext())
        {
            programmes = await db.Programmes.AsNoTracking().ToListAsync();
        }

        await Database.ResetAsync();
        // Programmes are not imported from files: the empty database gets the same programmes first.
        await using (var db = Database.CreateDbContext())
        {
            foreach (var p in programmes)
            {
                p.Id = 0;
            }

            db.Programmes.AddRange(programmes);
            await db.SaveChangesAsync();
        }

        var importer = Importer();
        citiesCsv.Position = 0;
        var cityPreview = await importer.PreviewAsync(ImportKind.Cities, await Upload.ReadTableAsync("cities.csv", citiesCsv));
        Assert.Empty(cityPreview.Ignored);
        var cityResult = await importer.CommitAsync(cityPreview, new HashSet<int>());
        Assert.True(cityResult.Committed, cityResult.Message + string.Join(" | ", cityResult.Problems.SelectMany(p => p.Errors)));

        partnershipsXlsx.Position = 0;
        var partnershipPreview = await importer.PreviewAsync(ImportKind.Partnerships, await Upload.ReadTableAsync("partnerships.xlsx", partnershipsXlsx));
        var partnershipResult = await importer.CommitAsync(partnershipPreview, new HashSet<int>());
        Assert.True(partnershipResult.Committed, partnershipResult.Message + string.Join(" | ", partnershipResult.Problems.SelectMany(p => p.Label + ": " + string.Join(", ", p.Errors))));

        var citiesAgain = await Exporter().CitiesAsync(new CityListQuery());
        var partnershipsAgain = await Exporter().PartnershipsAsync(new PartnershipListQuery());
        Assert.Equal(cities.Headers, citiesAgain.Headers);
        Assert.Equal(cities.Rows, citiesAgain.Rows);
        Assert.Equal(partnerships.Rows, partnershipsAgain.Rows);
    }

    [Fact]
    public async Task The_portfolio_workbook_imports_into_an_empty_database_as_the_same_records_field_by_field()
    {
        await using (var db = Database.CreateDbContext())
        {
            await DemoData.SeedAsync(db);
        }

        // What the demo data lacks, so every kind of field travels: archived flags, contacts, theme interests,
        // documents, interpretation, a programme's own weights.
        await using (var db = Database.CreateDbContext())
        {
            var tarija = await db.Cities.Include(c => c.Contacts).Include(c => c.Themes).SingleAsync(c => c.Name == "Tarija");
            tarija.Contacts.Add(new Domain.Cities.CityContact { Name = "Ana Jiménez", Role = "Coordinator", Email = "ana@example.org", ActiveFrom = new DateOnly(2019, 1, 1), ActiveTo = new DateOnly(2023, 6, 30) });
            tarija.Contacts.Add(new Domain.Cities.CityContact { Name = "Iñaki Peña", Role = "Coordinator", Email = "inaki@example.org", ActiveFrom = new DateOnly(2023, 7, 1) });
            var water = await db.Themes.OrderBy(t => t.Id).FirstAsync();
            if (tarija.Themes.All(t => t.ThemeId != water.Id))
            {
                tarija.Themes.Add(new Domain.Cities.CityTheme { ThemeId = water.Id, Interest = Domain.Cities.ThemeInterest.Seeks });
            }

            (await db.Cities.OrderBy(c => c.Id).Skip(3).FirstAsync()).IsArchived = true;
            (await db.Partnerships.OrderBy(p => p.Id).Skip(2).FirstAsync()).IsArchived = true;
            var exchange = await db.Exchanges.OrderBy(e => e.Id).FirstAsync();
            exchange.Documents = [new Domain.Exchanges.DocumentLink { Title = "Report; final", Url = "https://example.org/report.pdf" }];
            exchange.InterpretationLanguages = ["es", "nl"];
            var programme = await db.Programmes.OrderBy(p => p.Id).FirstAsync();
            programme.MatchWeights = new Domain.Programmes.ProgrammeMatchWeights { SharedSdg = 2.5, Distance = 0.25 };
            await db.SaveChangesAsync();
        }

        var before = await SnapshotAsync();
        Assert.True(before["programmes"].Count > 0 && before["cities"].Count > 20 && before["partnerships"].Count > 10 && before["exchanges"].Count > 0);
        Assert.Contains(before["cities"], c => c.Contains("\"IsArchived\":true", StringComparison.Ordinal));
        Assert.Contains(before["partnerships"], c => c.Contains("\"IsArchived\":true", StringComparison.Ordinal));

        using var file = new MemoryStream();
        await Service<PortfolioWorkbook>(TestUsers.Administrator).WriteAsync(file);
        await Database.ResetAsync();
        await using (var db = Database.CreateDbContext())
        {
            Assert.Equal(0, await db.Programmes.CountAsync() + await db.Cities.CountAsync() + await db.Partnerships.CountAsync());
        }

        file.Position = 0;
        var workbook = PortfolioWorkbook.Read(file);
        var import = Service<PortfolioImport>(TestUsers.Administrator);
        var preview = await import.PreviewAsync(workbook);
        Assert.False(preview.Committed);
        Assert.True(preview.Problems.Count == 0, string.Join(" | ", preview.Problems.Select(p => p.Label + ": " + string.Join(", ", p.Errors))));
        await using (var db = Database.CreateDbContext())
        {
            Assert.Equal(0, await db.Cities.CountAsync());
        }

        var result = await import.CommitAsync(workbook);
        Assert.True(result.Committed, result.Message + string.Join(" | ", result.Problems.SelectMany(p => p.Errors)));

        var after = await SnapshotAsync();
        foreach (var kind in before.Keys)
        {
            Assert.Equal(before[kind], after[kind]);
        }

        // The same workbook again: every programme and city is already here, so nothing at all is written.
        var again = await import.CommitAsync(workbook);
        Assert.False(again.Committed);
        Assert.Contains(again.Problems, p => p.Label.StartsWith("cities: Tarija (BO)", StringComparison.Ordinal) && p.Errors.Any(e => e.Contains("already registered", StringComparison.Ordinal)));
        Assert.Equal(after["exchanges"].Count, (await SnapshotAsync())["exchanges"].Count);
    }

    [Fact]
    public async Task A_portfolio_workbook_with_a_broken_reference_names_the_sheet_and_line_and_writes_nothing()
    {
        await using (var db = Database.CreateDbContext())
        {
            await DemoData.SeedAsync(db);
        }

        var tables = await Service<PortfolioWorkbook>(TestUsers.Administrator).TablesAsync();
        await Database.ResetAsync();
        var members = tables["members"];
        var broken = members.Rows.Select((r, i) => i == 1 ? (IReadOnlyList<string>)[r[0], "999999", .. r.Skip(2)] : r).ToList();
        tables["members"] = members with { Rows = broken };

        var result = await Service<PortfolioImport>(TestUsers.Administrator).CommitAsync(tables);

        Assert.False(result.Committed);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(3, problem.Line);
        Assert.StartsWith("members:", problem.Label, StringComparison.Ordinal);
        Assert.Contains("city_ref: no row with ref 999999", Assert.Single(problem.Errors), StringComparison.Ordinal);
        await using (var db = Database.CreateDbContext())
        {
            Assert.Equal(0, await db.Programmes.CountAsync() + await db.Cities.CountAsync() + await db.Partnerships.CountAsync());
        }
    }

    [Fact]
    public async Task A_programme_officer_cannot_import_a_portfolio_workbook_because_it_creates_programmes()
    {
        await using (var db = Database.CreateDbContext())
        {
            await DemoData.SeedAsync(db);
        }

        var tables = await Service<PortfolioWorkbook>(TestUsers.Administrator).TablesAsync();
        await Database.ResetAsync();
        var officer = TestUsers.As(await Database.AddUserAsync(Web.Features.Accounts.Roles.ProgrammeOfficer));

        var result = await Service<PortfolioImport>(officer).CommitAsync(tables);

        Assert.False(result.Committed);
        Assert.Equal(Web.Features.Accounts.AccessRules.Refusal, result.Message);
        await using (var db = Database.CreateDbContext())
        {
            Assert.Equal(0, await db.Programmes.CountAsync() + await db.Cities.CountAsync() + await db.Partnerships.CountAsync());
        }
    }

    /// <summary>Every imported kind of record with its fields, references replaced by names, as comparable JSON lines.</summary>
    private async Task<Dictionary<string, List<string>>> SnapshotAsync()
    {
        await using var db = Database.CreateDbContext();
        var themes = await db.Themes.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name);
        var cities = await db.Cities.AsNoTracking().Include(c => c.Contacts).Include(c => c.Themes).AsSplitQuery().ToListAsync();
        var cityName = cities.ToDictionary(c => c.Id, c => $"{c.Name} ({c.CountryCode})");
        var programmes = await db.Programmes.AsNoTracking().ToListAsync();
        var programmeName = programmes.ToDictionary(p => p.Id, p => p.ShortName);
        var partnerships = await db.Partnerships.AsNoTracking().Include(p => p.Members).Include(p => p.Programmes).Include(p => p.Themes)
            .Include(p => p.Agreements).Include(p => p.StatusHistory).AsSplitQuery().ToListAsync();
        var partnershipName = partnerships.ToDictionary(p => p.Id, p => p.Name);
        var exchanges = await db.Exchanges.AsNoTracking().Include(e => e.Themes).ToListAsync();

        static string J(object o) => System.Text.Json.JsonSerializer.Serialize(o);
        static List<string> Sorted(IEnumerable<object> rows) => [.. rows.Select(J).Order(StringComparer.Ordinal)];
        return new Dictionary<string, List<string>>
        {
            ["programmes"] = Sorted(programmes.Select(p => (object)new
            {
                p.Name, p.ShortName, p.Funder, p.StartsOn, p.EndsOn, p.Description, p.Modalities, Eligibility = p.Eligibility.Select(r => new { r.Kind, r.Regions }),
                p.Website, p.MatchWeights,
            })),
            ["cities"] = Sorted(cities.Select(c => (object)new
            {
                c.Name, c.CountryCode, c.Region, c.AdminArea, c.Kind, c.Population, c.Latitude, c.Longitude, c.Languages, c.PrioritySdgs, c.Profile, c.IsArchived,
                Themes = Sorted(c.Themes.Select(t => (object)new { Theme = themes[t.ThemeId], t.Interest })),
                Contacts = Sorted(c.Contacts.Select(x => (object)new { x.Name, x.Role, x.Email, x.ActiveFrom, x.ActiveTo })),
            })),
            ["partnerships"] = Sorted(partnerships.Select(p => (object)new
            {
                p.Name, p.Modality, p.Status, p.StartedOn, p.EndedOn, p.DiscontinuationReason, p.Description, p.ExitStrategy, p.Sdgs, p.IsArchived,
                Themes = p.Themes.Select(t => t.Name).Order(StringComparer.Ordinal),
                Members = Sorted(p.Members.Select(m => (object)new { City = cityName[m.CityId], m.Role, m.Expectations, m.Contributions })),
                Programmes = Sorted(p.Programmes.Select(x => (object)new { Programme = programmeName[x.ProgrammeId], x.From, x.To })),
                Agreements = Sorted(p.Agreements.Select(a => (object)new { a.Kind, a.SignedOn, a.ValidUntil, a.Note })),
                History = p.StatusHistory.OrderBy(h => h.On).ThenBy(h => h.Id).Select(h => new { h.From, h.To, h.On, h.Reason, h.By }),
            })),
            ["exchanges"] = Sorted(exchanges.Select(e => (object)new
            {
                Partnership = partnershipName[e.PartnershipId], e.Kind, e.Title, e.StartsOn, e.EndsOn, Host = e.HostCityId is { } h ? cityName[h] : null, e.IsOnline,
                Participants = e.Participants.Select(x => new { x.ActorType, x.Role, x.Count }), e.InterpretationLanguages,
                Themes = e.Themes.Select(t => t.Name).Order(StringComparer.Ordinal), e.Sdgs, e.Outcomes, e.FollowUps,
                Documents = e.Documents.Select(d => new { d.Title, d.Url }),
            })),
        };
    }
}
