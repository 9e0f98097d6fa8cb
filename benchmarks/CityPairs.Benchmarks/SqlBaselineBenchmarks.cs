using System.Globalization;
using BenchmarkDotNet.Attributes;
using CityPairs.Domain.Cities;
using CityPairs.Domain.Matching;
using CityPairs.Web.Hosting;
using Npgsql;
using NpgsqlTypes;

namespace CityPairs.Benchmarks;

/// <summary>
/// The engine's top-20 beside the same scoring written as one PostgreSQL query over the same 100,000
/// generated profiles, in one run, so the Ratio column compares like with like. Both sides get the same
/// precomputation: rarity weights (passed to SQL as arrays indexed by SDG number and theme id), unit
/// vectors and log10 population per city. Setup checks that both return the same 20 cities and scores.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
[MemoryDiagnoser]
public class SqlBaselineBenchmarks
{
    // One statement: overlaps per candidate in a LATERAL, then the engine's formulas, then the same order.
    private const string TopMatchesSql = """
        SELECT id, score FROM (
            SELECT c.id, c.name,
                @w_sdg * o.sdg / (o.sdg + @half)
              + @w_theme * o.shared / (o.shared + @half)
              + @w_comp * (o.fwd / (o.fwd + @half) + o.bwd / (o.bwd + @half))
              + @w_two * least(o.fwd / (o.fwd + @half), o.bwd / (o.bwd + @half))
              + CASE WHEN c.log_pop IS NULL OR @q_log_pop IS NULL THEN 0 ELSE @w_pop / (1 + abs(c.log_pop - @q_log_pop)) END
              + CASE WHEN c.languages && @q_languages THEN @w_lang ELSE 0 END
              + @w_dist / (1 + 2 * 6371.0088 * asin(least(1, sqrt((c.x - @q_x) ^ 2 + (c.y - @q_y) ^ 2 + (c.z - @q_z) ^ 2) * 0.5)) / @half_km)
                AS score
            FROM profiles c
            CROSS JOIN LATERAL (
                SELECT
                    (SELECT coalesce(sum(@sdg_w[v]), 0) FROM unnest(c.sdgs) v WHERE v = ANY(@q_sdgs)) AS sdg,
                    (SELECT coalesce(sum(@theme_w[v]), 0) FROM unnest(c.themes) v WHERE v = ANY(@q_themes)) AS shared,
                    (SELECT coalesce(sum(@theme_w[v]), 0) FROM unnest(c.seeks) v WHERE v = ANY(@q_offers)) AS fwd,
                    (SELECT coalesce(sum(@theme_w[v]), 0) FROM unnest(c.offers) v WHERE v = ANY(@q_seeks)) AS bwd
            ) o
            WHERE c.id <> @q_id AND NOT c.archived
        ) scored
        ORDER BY score DESC, name COLLATE "C", id
        LIMIT 20
        """;

    private List<CityProfile> _profiles = [];
    private MatchingSnapshot _snapshot = MatchingSnapshot.Empty;
    private int[] _queryIds = [];
    private int _next;
    private LocalPostgresCluster? _cluster;
    private NpgsqlConnection? _connection;
    private NpgsqlCommand? _command;

    [Params(100_000)]
    public int Cities { get; set; }

    [GlobalSetup(Target = nameof(Engine))]
    public void SetupEngine()
    {
        _profiles = RegistryGenerator.Generate(Cities);
        _snapshot = MatchingSnapshot.Build(_profiles);
        // The same 256 query cities as MatchingBenchmarks.
        var random = new Random(7);
        _queryIds = _profiles.Where(p => !p.IsArchived).OrderBy(_ => random.Next()).Take(256).Select(p => p.Id).ToArray();
    }

    [GlobalSetup(Target = nameof(Sql))]
    public void SetupSql()
    {
        SetupEngine();
        _cluster = LocalPostgresCluster.StartThrowawayAsync().GetAwaiter().GetResult();
        _connection = new NpgsqlConnection(_cluster.ConnectionString("postgres"));
        _connection.Open();
        Load(_connection, _profiles);
        _command = PrepareQuery(_connection, _snapshot);
        CheckAgainstEngine();
    }

    [GlobalCleanup(Target = nameof(Sql))]
    public void CleanupSql()
    {
        _command?.Dispose();
        _connection?.Dispose();
        _cluster?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "Engine TopMatches(20), 100k cities")]
    public IReadOnlyList<MatchSuggestion> Engine() =>
        MatchingEngine.TopMatches(_snapshot, new MatchQuery(_queryIds[_next++ & 255]));

    [Benchmark(Description = "SQL top 20, 100k cities")]
    public int Sql() => RunQuery(_queryIds[_next++ & 255]).Count;

    private List<(int Id, double Score)> RunQuery(int cityId)
    {
        var me = _snapshot.Find(cityId)!;
        var p = _command!.Parameters;
        var (x, y, z) = UnitVector(me.Latitude, me.Longitude);
        p["q_id"].Value = me.Id;
        p["q_sdgs"].Value = me.PrioritySdgs.ToArray();
        p["q_themes"].Value = me.Themes.Select(t => t.ThemeId).ToArray();
        p["q_offers"].Value = Offers(me);
        p["q_seeks"].Value = Seeks(me);
        p["q_languages"].Value = Languages(me);
        p["q_log_pop"].Value = me.Population is { } pop ? Math.Log10(pop) : DBNull.Value;
        p["q_x"].Value = x;
        p["q_y"].Value = y;
        p["q_z"].Value = z;
        var rows = new List<(int, double)>(20);
        using var reader = _command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add((reader.GetInt32(0), reader.GetDouble(1)));
        }

        return rows;
    }

    /// <summary>A figure for a query that answers differently would be meaningless: compare first.</summary>
    private void CheckAgainstEngine()
    {
        foreach (var id in _queryIds.Take(32))
        {
            var engine = MatchingEngine.TopMatches(_snapshot, new MatchQuery(id));
            var sql = RunQuery(id);
            var same = engine.Count == sql.Count && engine.Zip(sql).All(pair =>
                pair.First.CandidateId == pair.Second.Id && Math.Abs(pair.First.Score - pair.Second.Score) < 1e-9);
            if (!same)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"SQL and engine disagree for city {id}: engine {string.Join(", ", engine.Select(s => $"{s.CandidateId}:{s.Score:F12}"))}; sql {string.Join(", ", sql.Select(s => $"{s.Id}:{s.Score:F12}"))}"));
            }
        }

        Console.WriteLine("// SQL baseline: same top 20 (ids, order, scores within 1e-9) as the engine for 32 query cities.");
    }

    private static void Load(NpgsqlConnection connection, List<CityProfile> profiles)
    {
        using (var create = new NpgsqlCommand(
            """
            CREATE TABLE profiles (
                id int PRIMARY KEY, name text NOT NULL, archived boolean NOT NULL,
                sdgs int[] NOT NULL, themes int[] NOT NULL, offers int[] NOT NULL, seeks int[] NOT NULL, languages text[] NOT NULL,
                latitude float8 NOT NULL, longitude float8 NOT NULL, population int,
                x float8 NOT NULL, y float8 NOT NULL, z float8 NOT NULL, log_pop float8)
            """, connection))
        {
            create.ExecuteNonQuery();
        }

        using (var writer = connection.BeginBinaryImport(
            "COPY profiles (id, name, archived, sdgs, themes, offers, seeks, languages, latitude, longitude, population, x, y, z, log_pop) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var c in profiles)
            {
                var (x, y, z) = UnitVector(c.Latitude, c.Longitude);
                writer.StartRow();
                writer.Write(c.Id, NpgsqlDbType.Integer);
                writer.Write(c.Name, NpgsqlDbType.Text);
                writer.Write(c.IsArchived, NpgsqlDbType.Boolean);
                writer.Write(c.PrioritySdgs.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer);
                writer.Write(c.Themes.Select(t => t.ThemeId).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer);
                writer.Write(Offers(c), NpgsqlDbType.Array | NpgsqlDbType.Integer);
                writer.Write(Seeks(c), NpgsqlDbType.Array | NpgsqlDbType.Integer);
                writer.Write(Languages(c), NpgsqlDbType.Array | NpgsqlDbType.Text);
                writer.Write(c.Latitude, NpgsqlDbType.Double);
                writer.Write(c.Longitude, NpgsqlDbType.Double);
                if (c.Population is { } population)
                {
                    writer.Write(population, NpgsqlDbType.Integer);
                }
                else
                {
                    writer.WriteNull();
                }

                writer.Write(x, NpgsqlDbType.Double);
                writer.Write(y, NpgsqlDbType.Double);
                writer.Write(z, NpgsqlDbType.Double);
                if (c.Population is { } p)
                {
                    writer.Write(Math.Log10(p), NpgsqlDbType.Double);
                }
                else
                {
                    writer.WriteNull();
                }
            }

            writer.Complete();
        }

        using var analyze = new NpgsqlCommand("VACUUM ANALYZE profiles", connection);
        analyze.ExecuteNonQuery();
    }

    private static NpgsqlCommand PrepareQuery(NpgsqlConnection connection, MatchingSnapshot snapshot)
    {
        var weights = MatchWeights.Default;
        var command = new NpgsqlCommand(TopMatchesSql, connection);
        var p = command.Parameters;
        // Indexed by SDG number and theme id (PostgreSQL arrays start at 1): the snapshot's rarity weights.
        p.AddWithValue("sdg_w", Enumerable.Range(1, 17).Select(snapshot.SdgWeight).ToArray());
        p.AddWithValue("theme_w", Enumerable.Range(1, RegistryGenerator.ThemeCount).Select(snapshot.ThemeWeight).ToArray());
        p.AddWithValue("half", weights.HalfSaturation);
        p.AddWithValue("half_km", weights.DistanceHalfKm);
        p.AddWithValue("w_sdg", weights.SharedSdg);
        p.AddWithValue("w_theme", weights.SharedTheme);
        p.AddWithValue("w_comp", weights.Complementarity);
        p.AddWithValue("w_two", weights.TwoWayBonus);
        p.AddWithValue("w_pop", weights.PopulationSimilarity);
        p.AddWithValue("w_lang", weights.SharedLanguage);
        p.AddWithValue("w_dist", weights.Distance);
        p.Add(new NpgsqlParameter("q_id", NpgsqlDbType.Integer));
        p.Add(new NpgsqlParameter("q_sdgs", NpgsqlDbType.Array | NpgsqlDbType.Integer));
        p.Add(new NpgsqlParameter("q_themes", NpgsqlDbType.Array | NpgsqlDbType.Integer));
        p.Add(new NpgsqlParameter("q_offers", NpgsqlDbType.Array | NpgsqlDbType.Integer));
        p.Add(new NpgsqlParameter("q_seeks", NpgsqlDbType.Array | NpgsqlDbType.Integer));
        p.Add(new NpgsqlParameter("q_languages", NpgsqlDbType.Array | NpgsqlDbType.Text));
        p.Add(new NpgsqlParameter("q_log_pop", NpgsqlDbType.Double));
        p.Add(new NpgsqlParameter("q_x", NpgsqlDbType.Double));
        p.Add(new NpgsqlParameter("q_y", NpgsqlDbType.Double));
        p.Add(new NpgsqlParameter("q_z", NpgsqlDbType.Double));
        command.Prepare();
        return command;
    }

    private static int[] Offers(CityProfile c) =>
        [.. c.Themes.Where(t => t.Interest is ThemeInterest.Offers or ThemeInterest.Both).Select(t => t.ThemeId)];

    private static int[] Seeks(CityProfile c) =>
        [.. c.Themes.Where(t => t.Interest is ThemeInterest.Seeks or ThemeInterest.Both).Select(t => t.ThemeId)];

    private static string[] Languages(CityProfile c) => [.. c.Languages.Select(l => l.ToLowerInvariant())];

    private static (double X, double Y, double Z) UnitVector(double latitude, double longitude)
    {
        var lat = double.DegreesToRadians(latitude);
        var lon = double.DegreesToRadians(longitude);
        return (Math.Cos(lat) * Math.Cos(lon), Math.Cos(lat) * Math.Sin(lon), Math.Sin(lat));
    }
}
