using CityPairs.Domain.Common;
using CityPairs.Domain.Partnerships;
using CityPairs.TestSupport;
using CityPairs.Web.Data;
using CityPairs.Web.Data.Seeding;
using CityPairs.Web.Features.Cities;
using CityPairs.Web.Features.Exchanges;
using CityPairs.Web.Features.Export;
using CityPairs.Web.Features.Import;
using CityPairs.Web.Features.Partnerships;
using CityPairs.Web.Features.Programmes;
using CityPairs.Domain.Programmes;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.IntegrationTests.Import;

/// <summary>
/// The portfolio workbook creates cities, partnerships and exchanges through the same writers as the forms: a row
/// that breaks one of their rules is refused with the form's own message, and one refused row keeps the whole
/// workbook out.
/// </summary>
public sealed class PortfolioImportWriterTests(PostgresDatabase database) : DatabaseTest(database)
{
    [Fact]
    public async Task Rows_that_break_the_writers_rules_get_the_forms_messages_and_nothing_at_all_is_written()
    {
        var tables = await DemoWorkbookAsync();

        // A pairing left with one member, an exchange (of another partnership) hosted by a city not in it, and a
        // city outside the globe that neither of them needs (its partnerships are not checked while it is refused).
        var pairing = Row(tables, "partnerships", r => r("modality") == nameof(Modality.Pairing));
        var pairingRef = Cell(tables, "partnerships", pairing, "ref");
        var pairingMembers = RowsWhere(tables, "members", r => r("partnership_ref") == pairingRef);
        Assert.Equal(2, pairingMembers.Count);
        var exchange = Row(tables, "exchanges", r => !bool.Parse(r("online") is { Length: > 0 } o ? o : "false") && r("host_city_ref").Length > 0 && r("partnership_ref") != pairingRef);
        var exchangePartnership = Cell(tables, "exchanges", exchange, "partnership_ref");
        var involved = RowsWhere(tables, "members", r => r("partnership_ref") == exchangePartnership || r("partnership_ref") == pairingRef)
            .Select(i => Cell(tables, "members", i, "city_ref")).ToHashSet();
        var cityRefs = Enumerable.Range(0, tables["cities"].Rows.Count).Select(i => Cell(tables, "cities", i, "ref")).ToList();
        var broken = cityRefs.FindIndex(c => !involved.Contains(c));
        var outsider = cityRefs.First(c => !involved.Contains(c) && c != cityRefs[broken]);
        var cityLine = Set(tables, "cities", broken, "latitude", "95");
        Remove(tables, "members", pairingMembers[1]);
        Set(tables, "exchanges", exchange, "host_city_ref", outsider);

        // What the forms answer for the same mistakes.
        var cityForm = new CityForm { Name = "Nowhere", CountryCode = "BE", Region = Region.Europe, Latitude = 95, Longitude = 4 };
        var cityRefusal = await Service<CityService>(TestUsers.Administrator).CreateAsync(cityForm);
        var latitudeMessage = Assert.Single(cityRefusal.Errors, e => e.Field == nameof(CityForm.Latitude)).Message;
        var partnerships = Service<PartnershipService>(TestUsers.Administrator);
        PartnershipForm onePartner = new() { Name = "Alone", Modality = Modality.Pairing, Members = [new MemberForm { CityId = 1, CityName = "One" }] };
        await using var db = Database.CreateDbContext();
        var pairingRefusal = await partnerships.CheckNewAsync(db, await TestUsers.Administrator.GetAsync(), onePartner, PartnershipStart.Proposed);
        var hostRefusal = await Service<ExchangeService>(TestUsers.Administrator).CheckNewAsync(
            new ExchangeForm { Title = "Visit", StartsOn = new DateTime(2024, 1, 1), EndsOn = new DateTime(2024, 1, 2), HostCityId = 3 }, [1, 2]);
        Assert.NotNull(pairingRefusal);
        Assert.NotNull(hostRefusal);

        var import = Service<PortfolioImport>(TestUsers.Administrator);
        var preview = await import.PreviewAsync(tables);
        var result = await import.CommitAsync(tables);

        foreach (var report in new[] { preview, result })
        {
            Assert.False(report.Committed);
            Assert.Contains(report.Problems, p => p.Label.StartsWith("cities:", StringComparison.Ordinal) && p.Line == cityLine &&
                p.Errors.Contains($"Latitude: {latitudeMessage}"));
            Assert.Contains(report.Problems, p => p.Label.StartsWith("partnerships:", StringComparison.Ordinal) && p.Line == pairing + 2 &&
                pairingRefusal.Errors.All(e => p.Errors.Contains($"{e.Field}: {e.Message}")));
            Assert.Contains(report.Problems, p => p.Label.StartsWith("exchanges:", StringComparison.Ordinal) && p.Line == exchange + 2 &&
                p.Errors.Contains($"HostCityId: {Assert.Single(hostRefusal.Errors).Message}"));
        }

        Assert.Equal(0, await CountAllAsync());
    }

    [Fact]
    public async Task An_exchange_refused_by_its_writer_after_everything_else_was_written_leaves_nothing_behind()
    {
        var tables = await DemoWorkbookAsync();
        // The last exchange breaks a rule only the exchange writer knows (a document must be a web address). It is
        // checked after the programmes, cities and partnerships were written in the import's transaction.
        var last = tables["exchanges"].Rows.Count - 1;
        Set(tables, "exchanges", last, "documents", """[{"Title":"Report","Url":"ftp://example.org/report"}]""");

        var result = await Service<PortfolioImport>(TestUsers.Administrator).CommitAsync(tables);

        Assert.False(result.Committed);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(last + 2, problem.Line);
        Assert.StartsWith("exchanges:", problem.Label, StringComparison.Ordinal);
        // Programmes, cities and partnerships were written before the exchanges, in the same transaction: none stayed.
        Assert.Equal(0, await CountAllAsync());
    }

    [Fact]
    public async Task A_programme_row_is_refused_with_the_programme_forms_messages()
    {
        var tables = await DemoWorkbookAsync();
        List<EligibilityRule> noRegion = [new EligibilityRule { Kind = EligibilityRuleKind.AtLeastOneMemberIn, Regions = [] }];
        var negative = new ProgrammeMatchWeights { SharedSdg = -1 };
        var line = Set(tables, "programmes", 0, "eligibility", JsonSerializer.Serialize(noRegion, PortfolioWorkbook.Json));
        Set(tables, "programmes", 0, "match_weights", JsonSerializer.Serialize(negative, PortfolioWorkbook.Json));

        // What the programme form answers for the same rule and weights.
        var refusal = await Service<ProgrammeService>(TestUsers.Administrator).CreateAsync(new ProgrammeForm
        {
            Name = "Zz Writer check", ShortName = "ZZW", StartsOn = "2024-01-01", Modalities = [Modality.Pairing],
            Eligibility = noRegion, MatchWeights = negative,
        });
        Assert.Equal(2, refusal.Errors.Count);

        var result = await Service<PortfolioImport>(TestUsers.Administrator).CommitAsync(tables);

        Assert.False(result.Committed);
        Assert.Contains(result.Problems, p => p.Label.StartsWith("programmes:", StringComparison.Ordinal) && p.Line == line &&
            refusal.Errors.All(e => p.Errors.Contains($"{e.Field}: {e.Message}")));
        Assert.Equal(0, await CountAllAsync());
    }

    [Fact]
    public async Task Programmes_come_in_through_their_writer_with_their_eligibility_and_match_weights()
    {
        var tables = await DemoWorkbookAsync();
        var weights = new ProgrammeMatchWeights { SharedSdg = 3.5, Distance = 0 };
        Set(tables, "programmes", 0, "match_weights", JsonSerializer.Serialize(weights, PortfolioWorkbook.Json));
        var shortName = Cell(tables, "programmes", 0, "short_name");
        var rules = JsonSerializer.Deserialize<List<EligibilityRule>>(Cell(tables, "programmes", 0, "eligibility") is { Length: > 0 } e ? e : "[]", PortfolioWorkbook.Json)!;

        var result = await Service<PortfolioImport>(TestUsers.Administrator).CommitAsync(tables);

        Assert.True(result.Committed, result.Message);
        await using var db = Database.CreateDbContext();
        var programme = await db.Programmes.AsNoTracking().SingleAsync(p => p.ShortName == shortName);
        Assert.Equal(3.5, programme.MatchWeights?.SharedSdg);
        Assert.Equal(0, programme.MatchWeights?.Distance);
        Assert.Equal(rules.Select(r => (r.Kind, string.Join(",", r.Regions))), programme.Eligibility.Select(r => (r.Kind, string.Join(",", r.Regions))));
        // The programme's history names the importing administrator, as a programme made on its form would.
        Assert.True(await db.AuditEntries.AnyAsync(a => a.EntityType == "Programme" && a.EntityId == programme.Id));
    }

    [Fact]
    public async Task A_clean_workbook_goes_in_through_the_writers_with_its_history_and_claims_nothing_for_the_administrator()
    {
        var tables = await DemoWorkbookAsync();

        var result = await Service<PortfolioImport>(TestUsers.Administrator).CommitAsync(tables);

        Assert.True(result.Committed, result.Message);
        await using var db = Database.CreateDbContext();
        Assert.Equal(tables["partnerships"].Rows.Count, await db.Partnerships.CountAsync());
        Assert.Equal(tables["status_history"].Rows.Count, await db.Partnerships.SelectMany(p => p.StatusHistory).CountAsync());
        // An administrator's registration claims no city for a programme (officers' would): reach is not widened by importing.
        Assert.Equal(0, await db.ProgrammeCities.CountAsync());
        // Every record carries the importing administrator in its audit trail.
        Assert.True(await db.AuditEntries.CountAsync() >= result.Imported);
    }

    private async Task<Dictionary<string, Table>> DemoWorkbookAsync()
    {
        await using (var db = Database.CreateDbContext())
        {
            await DemoData.SeedAsync(db);
        }

        var tables = await Service<PortfolioWorkbook>(TestUsers.Administrator).TablesAsync();
        await Database.ResetAsync();
        return tables;
    }

    private async Task<int> CountAllAsync()
    {
        await using var db = Database.CreateDbContext();
        return await db.Programmes.CountAsync() + await db.Cities.CountAsync() + await db.Partnerships.CountAsync() + await db.Exchanges.CountAsync();
    }

    private static int Column(Dictionary<string, Table> tables, string sheet, string column)
    {
        var index = tables[sheet].Headers.ToList().IndexOf(column);
        Assert.True(index >= 0, $"{sheet} has no column {column}");
        return index;
    }

    private static string Cell(Dictionary<string, Table> tables, string sheet, int row, string column) =>
        tables[sheet].Rows[row][Column(tables, sheet, column)];

    private static List<int> RowsWhere(Dictionary<string, Table> tables, string sheet, Func<Func<string, string>, bool> predicate) =>
        [.. Enumerable.Range(0, tables[sheet].Rows.Count).Where(i => predicate(c => Cell(tables, sheet, i, c)))];

    private static int Row(Dictionary<string, Table> tables, string sheet, Func<Func<string, string>, bool> predicate) =>
        RowsWhere(tables, sheet, predicate).First();

    /// <summary>Changes one cell and answers the row's line in the report (the heading is line 1).</summary>
    private static int Set(Dictionary<string, Table> tables, string sheet, int row, string column, string value)
    {
        var index = Column(tables, sheet, column);
        tables[sheet] = tables[sheet] with
        {
            Rows = [.. tables[sheet].Rows.Select((r, i) => i == row ? (IReadOnlyList<string>)[.. r.Select((v, c) => c == index ? value : v)] : r)],
        };
        return row + 2;
    }

    private static void Remove(Dictionary<string, Table> tables, string sheet, int row) =>
        tables[sheet] = tables[sheet] with { Rows = [.. tables[sheet].Rows.Where((_, i) => i != row)] };
}
