using System.Diagnostics;
using CityPairs.Web.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace CityPairs.Web.Features.Gazetteer;

/// <summary>What a load did. <see cref="Problems"/> keeps the first 200 bad lines; <see cref="BadLines"/> counts them all.</summary>
public sealed record GazetteerLoadResult(int Read, int Inserted, int Updated, int BadLines, IReadOnlyList<GeoNamesProblem> Problems, TimeSpan Elapsed)
{
    public int Unchanged => Read - Inserted - Updated;
}

/// <summary>
/// Loads a GeoNames cities file into the gazetteer: rows stream by binary COPY into a temporary staging table,
/// then one INSERT ... ON CONFLICT moves them into gazetteer_places, all in one transaction. Loading the same
/// file again updates nothing (rows are only rewritten when a value differs); a newer file updates places in
/// place; a cancelled or failed load leaves the gazetteer as it was.
/// </summary>
public sealed class GazetteerLoader(IDbContextFactory<CityPairsDbContext> dbFactory)
{
    /// <summary>
    /// The demo sample (Data/Seeding/gazetteer-sample.txt) has no GeoNames ids, so its places are numbered from
    /// here, above any id GeoNames has issued (about 13 million in 2025). A real file replaces them.
    /// </summary>
    public const int SampleIdBase = 900_000_000;

    private const int MaxProblemsKept = 200;

    public async Task<GazetteerLoadResult> LoadAsync(
        Stream cities, Stream? adminAreas = null, IProgress<GazetteerProgress>? progress = null, long? totalBytes = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cities);
        var clock = Stopwatch.StartNew();
        var problems = new List<GeoNamesProblem>();
        var bad = 0;
        var areas = adminAreas is null ? null : await GeoNamesReader.ReadAdminAreasAsync(adminAreas, cancellationToken);

        string connectionString;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            connectionString = db.Database.GetConnectionString()!;
        }

        // No execution strategy: the file is a stream read once, so a retry could not start over. A dropped
        // connection fails the load and the transaction leaves the gazetteer as it was.
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, """
            CREATE TEMPORARY TABLE gazetteer_staging (LIKE gazetteer_places INCLUDING DEFAULTS) ON COMMIT DROP
            """, cancellationToken);

        var read = 0;
        var sampleOnly = true;
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY gazetteer_staging (geoname_id, name, ascii_name, country_code, admin1_code, latitude, longitude, population, feature_code, timezone, modified_on) FROM STDIN (FORMAT BINARY)",
            cancellationToken))
        {
            await foreach (var p in GeoNamesReader.ReadAsync(cities, Problem, progress, totalBytes, cancellationToken))
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(p.GeonameId, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(p.Name, NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync(p.AsciiName, NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync(p.CountryCode, NpgsqlDbType.Char, cancellationToken);
                await WriteNullableAsync(copy, p.Admin1Code, NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync(p.Latitude, NpgsqlDbType.Double, cancellationToken);
                await copy.WriteAsync(p.Longitude, NpgsqlDbType.Double, cancellationToken);
                await WriteNullableAsync(copy, p.Population, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(p.FeatureCode, NpgsqlDbType.Varchar, cancellationToken);
                await WriteNullableAsync(copy, p.Timezone, NpgsqlDbType.Varchar, cancellationToken);
                await WriteNullableAsync(copy, p.ModifiedOn, NpgsqlDbType.Date, cancellationToken);
                sampleOnly &= p.GeonameId >= SampleIdBase;
                read++;
            }

            await copy.CompleteAsync(cancellationToken);
        }

        if (read > 0 && !sampleOnly)
        {
            // A real GeoNames file: the demo sample's places (which have no real ids) give way to it.
            await ExecuteAsync(connection, $"DELETE FROM gazetteer_places WHERE geoname_id >= {SampleIdBase}", cancellationToken);
        }

        int inserted = 0, updated = 0;
        await using (var upsert = new NpgsqlCommand("""
            INSERT INTO gazetteer_places AS g SELECT * FROM gazetteer_staging
            ON CONFLICT (geoname_id) DO UPDATE SET
                name = excluded.name, ascii_name = excluded.ascii_name, country_code = excluded.country_code,
                admin1_code = excluded.admin1_code, latitude = excluded.latitude, longitude = excluded.longitude,
                population = excluded.population, feature_code = excluded.feature_code, timezone = excluded.timezone,
                modified_on = excluded.modified_on
            WHERE (g.name, g.ascii_name, g.country_code, g.admin1_code, g.latitude, g.longitude, g.population, g.feature_code, g.timezone, g.modified_on)
                IS DISTINCT FROM (excluded.name, excluded.ascii_name, excluded.country_code, excluded.admin1_code, excluded.latitude,
                    excluded.longitude, excluded.population, excluded.feature_code, excluded.timezone, excluded.modified_on)
            RETURNING xmax = 0
            """, connection, transaction))
        {
            // xmax is 0 on a freshly inserted row and set on one rewritten by DO UPDATE.
            await using var rows = await upsert.ExecuteReaderAsync(cancellationToken);
            while (await rows.ReadAsync(cancellationToken))
            {
                if (rows.GetBoolean(0))
                {
                    inserted++;
                }
                else
                {
                    updated++;
                }
            }
        }

        if (areas is { Count: > 0 })
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO gazetteer_admin_areas AS a (code, name) SELECT * FROM unnest(@codes, @names)
                ON CONFLICT (code) DO UPDATE SET name = excluded.name WHERE a.name IS DISTINCT FROM excluded.name
                """, connection, transaction);
            command.Parameters.AddWithValue("codes", areas.Select(a => a.Code).ToArray());
            command.Parameters.AddWithValue("names", areas.Select(a => a.Name).ToArray());
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        if (inserted + updated > 1_000)
        {
            // Committed already: cancelling now must not report "unchanged", so the statistics refresh is not cancellable.
            await ExecuteAsync(connection, "ANALYZE gazetteer_places", CancellationToken.None);
        }

        return new GazetteerLoadResult(read, inserted, updated, bad, problems, clock.Elapsed);

        void Problem(GeoNamesProblem p)
        {
            bad++;
            if (problems.Count < MaxProblemsKept)
            {
                problems.Add(p);
            }
        }
    }

    /// <summary>Whether the gazetteer has any place (the demo seeding loads the sample only into an empty one).</summary>
    public async Task<bool> IsEmptyAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return !await db.GazetteerPlaces.AnyAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : class
    {
        if (value is null)
        {
            await copy.WriteNullAsync(cancellationToken);
        }
        else
        {
            await copy.WriteAsync(value, type, cancellationToken);
        }
    }

    private static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct
    {
        if (value is { } v)
        {
            await copy.WriteAsync(v, type, cancellationToken);
        }
        else
        {
            await copy.WriteNullAsync(cancellationToken);
        }
    }
}
