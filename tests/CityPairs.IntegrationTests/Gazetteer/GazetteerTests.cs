using System.Text;
using CityPairs.TestSupport;
using CityPairs.Web.Features.Gazetteer;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CityPairs.IntegrationTests.GazetteerPlaces;

public sealed class GazetteerTests(PostgresDatabase database) : DatabaseTest(database)
{
    // Real GeoNames lines (cities15000.txt, 2024), alternate names shortened.
    private const string Bilbao = "3128026\tBilbao\tBilbao\tBilbo\t43.26271\t-2.92528\tP\tPPLA2\tES\t\t59\tBI\t48020\t\t345821\t\t19\tEurope/Madrid\t2022-03-08";
    private const string SaoPaulo = "3448439\tSão Paulo\tSao Paulo\tSampa\t-23.5475\t-46.63611\tP\tPPLA\tBR\t\t27\t3550308\t\t\t10021295\t\t769\tAmerica/Sao_Paulo\t2023-01-03";
    private const string SaoLuis = "3388368\tSão Luís\tSao Luis\t\t-2.52972\t-44.30278\tP\tPPLA\tBR\t\t13\t2111300\t\t\t1014837\t\t24\tAmerica/Fortaleza\t2023-01-03";
    private const string Osasco = "3455775\tOsasco\tOsasco\t\t-23.5325\t-46.79167\tP\tPPL\tBR\t\t27\t3534401\t\t\t696850\t\t792\tAmerica/Sao_Paulo\t2023-01-03";

    private static MemoryStream File(params string[] lines) => new(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"));

    private static MemoryStream Admin1() => new(Encoding.UTF8.GetBytes("BR.27\tSão Paulo\tSao Paulo\t3448433\nES.59\tBasque Country\tBasque Country\t3336903\n"));

    private GazetteerLoader Loader() => new(Database.Factory);

    [Fact]
    public async Task The_reader_reports_a_bad_line_with_its_number_and_reason_and_keeps_the_good_ones()
    {
        var problems = new List<GeoNamesProblem>();
        var places = new List<GazetteerPlace>();
        await foreach (var place in GeoNamesReader.ReadAsync(File(Bilbao, "3128027\tNowhere\tNowhere\t\t95.0\t1.0\tP\tPPL\tES\t\t59\t\t\t\t10\t\t\t\t", "only\tthree\tcolumns", SaoPaulo, Bilbao), problems.Add))
        {
            places.Add(place);
        }

        Assert.Equal(["Bilbao", "São Paulo"], places.Select(p => p.Name));
        Assert.Collection(problems,
            p => Assert.True(p.Line == 2 && p.Reason.Contains("latitude", StringComparison.Ordinal), p.ToString()),
            p => Assert.True(p.Line == 3 && p.Reason.Contains("19 tab-separated columns", StringComparison.Ordinal), p.ToString()),
            p => Assert.True(p.Line == 5 && p.Reason.Contains("earlier in the file", StringComparison.Ordinal), p.ToString()));
        var bilbao = places[0];
        Assert.Equal((3128026, "ES", "59", 345821, "PPLA2", "Europe/Madrid"), (bilbao.GeonameId, bilbao.CountryCode, bilbao.Admin1Code, bilbao.Population, bilbao.FeatureCode, bilbao.Timezone));
    }

    [Fact]
    public async Task Loading_inserts_the_places_and_loading_the_same_file_again_changes_nothing()
    {
        var reports = new List<GazetteerProgress>();
        var first = await Loader().LoadAsync(File(Bilbao, SaoPaulo, "bad line"), Admin1(), new SynchronousProgress<GazetteerProgress>(reports.Add));

        Assert.Equal((2, 2, 0, 1), (first.Read, first.Inserted, first.Updated, first.BadLines));
        Assert.Equal(3, Assert.Single(first.Problems).Line);
        Assert.Equal(reports[^1].TotalBytes, reports[^1].Bytes);
        string before;
        await using (var db = Database.CreateDbContext())
        {
            Assert.Equal(2, await db.GazetteerPlaces.CountAsync());
            before = await db.Database.SqlQuery<string>($"SELECT xmin::text AS \"Value\" FROM gazetteer_places WHERE geoname_id = 3128026").SingleAsync();
        }

        var again = await Loader().LoadAsync(File(Bilbao, SaoPaulo), Admin1());
        Assert.Equal((2, 0, 0, 2), (again.Read, again.Inserted, again.Updated, again.Unchanged));
        await using (var db = Database.CreateDbContext())
        {
            // Not rewritten at all: the row version is the same.
            Assert.Equal(before, await db.Database.SqlQuery<string>($"SELECT xmin::text AS \"Value\" FROM gazetteer_places WHERE geoname_id = 3128026").SingleAsync());
        }

        var newer = await Loader().LoadAsync(File(Bilbao.Replace("345821", "346000", StringComparison.Ordinal), SaoPaulo));
        Assert.Equal((0, 1), (newer.Inserted, newer.Updated));
        await using (var db = Database.CreateDbContext())
        {
            Assert.Equal(346000, (await db.GazetteerPlaces.SingleAsync(p => p.GeonameId == 3128026)).Population);
            Assert.Equal(2, await db.GazetteerPlaces.CountAsync());
        }
    }

    [Fact]
    public async Task A_cancelled_load_leaves_the_gazetteer_unchanged()
    {
        await Loader().LoadAsync(File(Bilbao));
        var lines = Enumerable.Range(1, 20_000)
            .Select(i => $"{5_000_000 + i}\tPlace {i}\tPlace {i}\t\t10.0\t10.0\tP\tPPL\tFR\t\t11\t\t\t\t{i}\t\t\tEurope/Paris\t2024-01-01").ToArray();
        using var cancel = new CancellationTokenSource();
        // Cancelled once the reader is well into the file, while rows are being copied.
        var progress = new SynchronousProgress<GazetteerProgress>(p =>
        {
            if (p.Rows >= 10_000)
            {
                cancel.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Loader().LoadAsync(File(lines), null, progress, cancellationToken: cancel.Token));

        await using var db = Database.CreateDbContext();
        Assert.Equal([3128026], await db.GazetteerPlaces.Select(p => p.GeonameId).ToListAsync());
    }

    [Fact]
    public async Task Suggestions_ignore_accents_and_case_and_put_the_largest_places_first()
    {
        await Loader().LoadAsync(File(Bilbao, SaoLuis, Osasco, SaoPaulo), Admin1());
        var gazetteer = new GazetteerService(Database.Factory);

        var sao = await gazetteer.SuggestAsync("SAO");
        Assert.Equal(["São Paulo", "São Luís"], sao.Select(s => s.Name));
        // Names that start with the text first, each group largest first.
        Assert.Equal(["São Paulo", "São Luís", "Osasco"], (await gazetteer.SuggestAsync("sa")).Select(s => s.Name));
        Assert.Equal("São Paulo", sao[0].AdminArea);
        // The state shares the city's name, so the label says it once.
        Assert.StartsWith("São Paulo, Brazil (", sao[0].Label, StringComparison.Ordinal);

        var bilbao = Assert.Single(await gazetteer.SuggestAsync("ilba"));
        Assert.Equal(("ES", "Basque Country", 43.26271, -2.92528, 345821), (bilbao.CountryCode, bilbao.AdminArea, bilbao.Latitude, bilbao.Longitude, bilbao.Population));

        Assert.Empty(await gazetteer.SuggestAsync("s"));
        Assert.Empty(await gazetteer.SuggestAsync("%_"));
    }

    [Fact]
    public async Task The_demo_sample_loads_once_into_an_empty_gazetteer()
    {
        var services = new ServiceCollection()
            .AddSingleton(Database.Factory).AddSingleton<GazetteerLoader>().BuildServiceProvider();

        await GazetteerSample.SeedAsync(services);
        await GazetteerSample.SeedAsync(services);

        await using var db = Database.CreateDbContext();
        Assert.True(await db.GazetteerPlaces.CountAsync() > 2_000);
        Assert.Contains(await new GazetteerService(Database.Factory).SuggestAsync("hannov"), s => s is { Name: "Hannover", CountryCode: "DE", Population: > 0 });
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; a test wants each report at once.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
