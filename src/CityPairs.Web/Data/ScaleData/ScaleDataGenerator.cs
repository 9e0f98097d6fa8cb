using System.Diagnostics;
using System.Text.Json;
using CityPairs.Domain.Cities;
using CityPairs.Domain.Common;
using CityPairs.Domain.Exchanges;
using CityPairs.Domain.Partnerships;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using NpgsqlTypes;

namespace CityPairs.Web.Data.ScaleData;

/// <summary>
/// Fills a database with a large, realistic registry for measuring speed: real place names where a
/// gazetteer is available, profiles skewed as real registries are (SDG 11 and 13 everywhere, a few
/// popular themes), partnerships in every lifecycle state and years of exchanges. Rows go in by binary
/// COPY in one transaction, so a failed run leaves nothing behind, and existing data is kept.
/// </summary>
public sealed class ScaleDataGenerator(string connectionString, TextWriter progress)
{
    // Share of cities listing each SDG as a priority (1..17); 11 and 13 dominate, as in programme registries.
    private static readonly double[] SdgShare =
        [0.15, 0.08, 0.20, 0.20, 0.12, 0.30, 0.25, 0.20, 0.15, 0.15, 0.80, 0.15, 0.65, 0.05, 0.08, 0.10, 0.20];

    private static readonly Dictionary<Region, string[]> Languages = new()
    {
        [Region.Europe] = ["de", "fr", "es", "it", "nl", "pl", "pt", "sv", "ro", "el"],
        [Region.Asia] = ["zh", "hi", "ja", "id", "ko", "vi", "th", "ar"],
        [Region.LatinAmericaAndCaribbean] = ["es", "pt"],
        [Region.Africa] = ["fr", "ar", "sw", "pt", "zu"],
        [Region.NorthAmerica] = ["en", "fr", "es"],
        [Region.Oceania] = ["en"],
    };

    public sealed record Summary(int Cities, int Partnerships, int Exchanges, TimeSpan Elapsed);

    public async Task<Summary> GenerateAsync(ScaleDataOptions options, IReadOnlyList<Place>? places, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var random = new Random(options.Seed);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var themeIds = await ReadIdsAsync(connection, "SELECT id FROM themes ORDER BY id", cancellationToken);
        var taken = await ReadNamesAsync(connection, cancellationToken);
        var firstCity = await NextIdAsync(connection, "cities", cancellationToken);
        var firstPartnership = await NextIdAsync(connection, "partnerships", cancellationToken);
        var now = DateTimeOffset.UtcNow;

        var cities = MakeCities(options.Cities, places, taken, firstCity, random);
        await CopyCitiesAsync(connection, cities, themeIds, random, now, cancellationToken);
        await progress.WriteLineAsync($"  {cities.Count:N0} cities ({clock.Elapsed.TotalSeconds:N1} s)");

        var partnerships = MakePartnerships(options.Partnerships, cities, firstPartnership, random);
        await CopyPartnershipsAsync(connection, partnerships, themeIds, random, now, cancellationToken);
        await progress.WriteLineAsync($"  {partnerships.Count:N0} partnerships ({clock.Elapsed.TotalSeconds:N1} s)");

        var exchanges = partnerships.Count == 0 ? 0 : await CopyExchangesAsync(connection, options.Exchanges, partnerships, random, now, cancellationToken);
        await progress.WriteLineAsync($"  {exchanges:N0} exchanges ({clock.Elapsed.TotalSeconds:N1} s)");

        // Explicit ids went in by COPY: move the identity sequences past them so the app's next insert works.
        foreach (var table in new[] { "cities", "partnerships", "exchanges", "partnership_status_changes" })
        {
            await using var bump = new NpgsqlCommand(
                $"SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT max(id) FROM {table}), 1))", connection);
            await bump.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        await using (var analyze = new NpgsqlCommand("ANALYZE", connection))
        {
            await analyze.ExecuteNonQueryAsync(cancellationToken);
        }

        return new Summary(cities.Count, partnerships.Count, exchanges, clock.Elapsed);
    }

    private sealed record GeneratedCity(int Id, string Name, string Country, Region Region, double Lat, double Lon, int? Population, string[] Languages, int[] Sdgs);

    private sealed record GeneratedPartnership(int Id, string Name, Modality Modality, PartnershipStatus Status, DateOnly Started, DateOnly? Ended, int[] Members, int[] Sdgs);

    /// <summary>The app's EF model, for the mapping EntityCopyWriter copies; building it needs no connection.</summary>
    private static IModel Model(string connectionString)
    {
        var options = new DbContextOptionsBuilder<CityPairsDbContext>();
        DatabaseSetup.Configure(options, connectionString);
        using var db = new CityPairsDbContext(options.Options);
        return db.Model;
    }

    private static List<GeneratedCity> MakeCities(int count, IReadOnlyList<Place>? places, HashSet<(string, string)> taken, int firstId, Random random)
    {
        var countries = Countries.Codes.ToArray();
        var pool = places?.Where(p => !taken.Contains((p.CountryCode, p.Name.ToLowerInvariant()))).ToList() ?? [];
        Shuffle(pool, random);
        var cities = new List<GeneratedCity>(count);
        for (var i = 0; i < count; i++)
        {
            Place place;
            if (i < pool.Count)
            {
                place = pool[i];
            }
            else
            {
                // No gazetteer (or it ran out): an honest synthetic name, somewhere plausible in its region.
                var country = countries[random.Next(countries.Length)];
                place = new Place($"Generated city {firstId + i:D6}", country, (random.NextDouble() * 120) - 55, (random.NextDouble() * 340) - 170);
            }

            var region = Countries.RegionOf(place.CountryCode)!.Value;
            var languages = new List<string> { Languages[region][random.Next(Languages[region].Length)] };
            if (random.NextDouble() < 0.4)
            {
                languages.Add("en");
            }

            // Log-normal around a median of 80,000: many towns, few megacities, as in municipal registries.
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            int? population = random.NextDouble() < 0.05 ? null : (int)Math.Clamp(Math.Exp(Math.Log(80_000) + (1.3 * normal)), 500, 30_000_000);
            var sdgs = Enumerable.Range(1, 17).Where(s => random.NextDouble() < SdgShare[s - 1]).ToArray();
            cities.Add(new GeneratedCity(firstId + i, place.Name, place.CountryCode, region,
                Math.Clamp(place.Latitude, -90, 90), Math.Clamp(place.Longitude, -180, 180), population, [.. languages.Distinct()], sdgs));
        }

        return cities;
    }

    private static async Task CopyCitiesAsync(
        NpgsqlConnection connection, List<GeneratedCity> cities, IReadOnlyList<int> themeIds, Random random, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The same writer as the cities import: its columns come from the EF model, so a new City column is generated too.
        var copy = new EntityCopyWriter<City>(Model(connection.ConnectionString), withKey: true);
        await copy.WriteAsync(connection, cities.Select(c => new City
        {
            Id = c.Id, Name = c.Name, CountryCode = c.Country, Region = c.Region, Kind = CityKind.City, Population = c.Population,
            Latitude = c.Lat, Longitude = c.Lon, Languages = [.. c.Languages], PrioritySdgs = [.. c.Sdgs],
            IsArchived = random.NextDouble() < 0.02, CreatedAt = now, UpdatedAt = now,
        }), cancellationToken: cancellationToken);

        if (themeIds.Count == 0)
        {
            return;
        }

        await using var themes = await connection.BeginBinaryImportAsync("COPY city_themes (city_id, theme_id, interest) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var c in cities)
        {
            foreach (var theme in PickThemes(themeIds, random, random.Next(2, 7)))
            {
                var roll = random.NextDouble();
                var interest = roll < 0.35 ? ThemeInterest.Offers : roll < 0.7 ? ThemeInterest.Seeks : ThemeInterest.Both;
                await themes.StartRowAsync(cancellationToken);
                await themes.WriteAsync(c.Id, NpgsqlDbType.Integer, cancellationToken);
                await themes.WriteAsync(theme, NpgsqlDbType.Integer, cancellationToken);
                await themes.WriteAsync(interest.ToString(), NpgsqlDbType.Varchar, cancellationToken);
            }
        }

        await themes.CompleteAsync(cancellationToken);
    }

    private static List<GeneratedPartnership> MakePartnerships(int count, List<GeneratedCity> cities, int firstId, Random random)
    {
        var list = new List<GeneratedPartnership>(count);
        if (cities.Count < 3)
        {
            return list;
        }

        var statuses = new (PartnershipStatus Status, double Share)[]
        {
            (PartnershipStatus.Active, 0.40), (PartnershipStatus.Completed, 0.25), (PartnershipStatus.Proposed, 0.15),
            (PartnershipStatus.Agreed, 0.10), (PartnershipStatus.Discontinued, 0.10),
        };
        for (var i = 0; i < count; i++)
        {
            var roll = random.NextDouble();
            var modality = roll < 0.75 ? Modality.Pairing : roll < 0.95 ? Modality.ClusterOrNetwork : Modality.Triangular;
            var size = modality switch { Modality.Pairing => 2, Modality.Triangular => 3, _ => random.Next(3, 7) };
            var members = new HashSet<int>();
            while (members.Count < size)
            {
                members.Add(cities[random.Next(cities.Count)].Id);
            }

            var pick = random.NextDouble();
            var status = statuses[^1].Status;
            foreach (var s in statuses)
            {
                if ((pick -= s.Share) < 0)
                {
                    status = s.Status;
                    break;
                }
            }

            var started = new DateOnly(2000, 1, 1).AddDays(random.Next(0, 9000));
            DateOnly? ended = status is PartnershipStatus.Completed or PartnershipStatus.Discontinued ? started.AddDays(random.Next(200, 2000)) : null;
            var sdgs = Enumerable.Range(1, 17).Where(s => random.NextDouble() < SdgShare[s - 1] / 2).ToArray();
            var names = members.Take(2).Select(id => cities[id - cities[0].Id].Name);
            list.Add(new GeneratedPartnership(firstId + i, string.Join(" - ", names) + (size > 2 ? $" (+{size - 2})" : ""), modality, status, started, ended, [.. members], sdgs));
        }

        return list;
    }

    private static async Task CopyPartnershipsAsync(
        NpgsqlConnection connection, List<GeneratedPartnership> partnerships, IReadOnlyList<int> themeIds, Random random, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY partnerships (id, name, modality, status, started_on, ended_on, discontinuation_reason, description, exit_strategy, sdgs, is_archived, created_at, updated_at) FROM STDIN (FORMAT BINARY)",
            cancellationToken))
        {
            foreach (var p in partnerships)
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(p.Id, NpgsqlDbType.Integer, cancellationToken);
                await writer.WriteAsync(p.Name.Length > 200 ? p.Name[..200] : p.Name, NpgsqlDbType.Varchar, cancellationToken);
                await writer.WriteAsync(p.Modality.ToString(), NpgsqlDbType.Varchar, cancellationToken);
                await writer.WriteAsync(p.Status.ToString(), NpgsqlDbType.Varchar, cancellationToken);
                await writer.WriteAsync(p.Started, NpgsqlDbType.Date, cancellationToken);
                await WriteNullableAsync(writer, p.Ended, NpgsqlDbType.Date, cancellationToken);
                if (p.Status == PartnershipStatus.Discontinued)
                {
                    await writer.WriteAsync("Generated: priorities changed after local elections.", NpgsqlDbType.Varchar, cancellationToken);
                }
                else
                {
                    await writer.WriteNullAsync(cancellationToken);
                }

                await writer.WriteAsync("", NpgsqlDbType.Varchar, cancellationToken);
                await writer.WriteAsync("", NpgsqlDbType.Varchar, cancellationToken);
                await writer.WriteAsync(p.Sdgs, NpgsqlDbType.Array | NpgsqlDbType.Integer, cancellationToken);
                await writer.WriteAsync(false, NpgsqlDbType.Boolean, cancellationToken);
                await writer.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
                await writer.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
            }

            await writer.CompleteAsync(cancellationToken);
        }

        await using (var members = await connection.BeginBinaryImportAsync(
            "COPY partnership_members (partnership_id, city_id, role, expectations, contributions) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var p in partnerships)
            {
                for (var m = 0; m < p.Members.Length; m++)
                {
                    await members.StartRowAsync(cancellationToken);
                    await members.WriteAsync(p.Id, NpgsqlDbType.Integer, cancellationToken);
                    await members.WriteAsync(p.Members[m], NpgsqlDbType.Integer, cancellationToken);
                    await members.WriteAsync((m == 0 && p.Members.Length > 2 ? MemberRole.Lead : MemberRole.Partner).ToString(), NpgsqlDbType.Varchar, cancellationToken);
                    await members.WriteAsync("", NpgsqlDbType.Varchar, cancellationToken);
                    await members.WriteAsync("", NpgsqlDbType.Varchar, cancellationToken);
                }
            }

            await members.CompleteAsync(cancellationToken);
        }

        await using (var history = await connection.BeginBinaryImportAsync(
            "COPY partnership_status_changes (partnership_id, \"from\", \"to\", \"on\", reason) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var p in partnerships)
            {
                foreach (var (from, to, on) in History(p))
                {
                    await history.StartRowAsync(cancellationToken);
                    await history.WriteAsync(p.Id, NpgsqlDbType.Integer, cancellationToken);
                    await WriteNullableAsync(history, from?.ToString(), NpgsqlDbType.Varchar, cancellationToken);
                    await history.WriteAsync(to.ToString(), NpgsqlDbType.Varchar, cancellationToken);
                    await history.WriteAsync(on, NpgsqlDbType.Date, cancellationToken);
                    await WriteNullableAsync(history, to == PartnershipStatus.Discontinued ? "Generated: priorities changed after local elections." : null,
                        NpgsqlDbType.Varchar, cancellationToken);
                }
            }

            await history.CompleteAsync(cancellationToken);
        }

        if (themeIds.Count == 0)
        {
            return;
        }

        await using var themes = await connection.BeginBinaryImportAsync("COPY partnership_themes (partnership_id, themes_id) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var p in partnerships)
        {
            foreach (var theme in PickThemes(themeIds, random, random.Next(1, 4)))
            {
                await themes.StartRowAsync(cancellationToken);
                await themes.WriteAsync(p.Id, NpgsqlDbType.Integer, cancellationToken);
                await themes.WriteAsync(theme, NpgsqlDbType.Integer, cancellationToken);
            }
        }

        await themes.CompleteAsync(cancellationToken);
    }

    /// <summary>The transitions that lead to the partnership's status, dated in order.</summary>
    private static IEnumerable<(PartnershipStatus? From, PartnershipStatus To, DateOnly On)> History(GeneratedPartnership p)
    {
        PartnershipStatus[] path = p.Status switch
        {
            PartnershipStatus.Proposed => [PartnershipStatus.Proposed],
            PartnershipStatus.Agreed => [PartnershipStatus.Proposed, PartnershipStatus.Agreed],
            PartnershipStatus.Active => [PartnershipStatus.Proposed, PartnershipStatus.Agreed, PartnershipStatus.Active],
            PartnershipStatus.Completed => [PartnershipStatus.Proposed, PartnershipStatus.Agreed, PartnershipStatus.Active, PartnershipStatus.Completed],
            _ => [PartnershipStatus.Proposed, PartnershipStatus.Agreed, PartnershipStatus.Active, PartnershipStatus.Discontinued],
        };
        for (var i = 0; i < path.Length; i++)
        {
            var on = i == path.Length - 1 && p.Ended is { } ended ? ended : p.Started.AddDays(i * 60);
            yield return (i == 0 ? null : path[i - 1], path[i], on);
        }
    }

    private static async Task<int> CopyExchangesAsync(
        NpgsqlConnection connection, int count, List<GeneratedPartnership> partnerships, Random random, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var kinds = Enum.GetValues<ExchangeKind>();
        var actors = Enum.GetValues<ActorType>();
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY exchanges (partnership_id, kind, title, starts_on, ends_on, host_city_id, is_online, interpretation_languages, sdgs, outcomes, follow_ups, created_at, updated_at, documents, participants) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        for (var i = 0; i < count; i++)
        {
            var p = partnerships[random.Next(partnerships.Count)];
            var kind = kinds[random.Next(kinds.Length)];
            var online = kind == ExchangeKind.DigitalDialogue || random.NextDouble() < 0.1;
            var starts = p.Started.AddDays(random.Next(0, 3650));
            var participants = Enumerable.Range(0, random.Next(1, 4))
                .Select(_ => new { ActorType = actors[random.Next(actors.Length)], Role = random.NextDouble() < 0.2 ? ParticipantRole.Political : ParticipantRole.Technical })
                .DistinctBy(x => (x.ActorType, x.Role))
                .Select(x => new { Role = x.Role.ToString(), Count = random.Next(1, 25), ActorType = x.ActorType.ToString() });
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(p.Id, NpgsqlDbType.Integer, cancellationToken);
            await writer.WriteAsync(kind.ToString(), NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync($"{kind} {i + 1}", NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(starts, NpgsqlDbType.Date, cancellationToken);
            await writer.WriteAsync(starts.AddDays(random.Next(0, 4)), NpgsqlDbType.Date, cancellationToken);
            await WriteNullableAsync(writer, online ? (int?)null : p.Members[random.Next(p.Members.Length)], NpgsqlDbType.Integer, cancellationToken);
            await writer.WriteAsync(online, NpgsqlDbType.Boolean, cancellationToken);
            await writer.WriteAsync(Array.Empty<string>(), NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(p.Sdgs, NpgsqlDbType.Array | NpgsqlDbType.Integer, cancellationToken);
            await writer.WriteAsync("", NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync("", NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
            await writer.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
            await writer.WriteAsync("[]", NpgsqlDbType.Jsonb, cancellationToken);
            // Same shape as EF Core's JSON column for ParticipantCount (property names as in the class).
            await writer.WriteAsync(JsonSerializer.Serialize(participants), NpgsqlDbType.Jsonb, cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);
        return count;
    }

    private static HashSet<int> PickThemes(IReadOnlyList<int> themeIds, Random random, int count)
    {
        // Zipf-like: the first themes are picked far more often, as "climate" and "mobility" are in real registries.
        var picked = new HashSet<int>();
        while (picked.Count < Math.Min(count, themeIds.Count))
        {
            var rank = (int)Math.Floor(Math.Pow(themeIds.Count + 1, random.NextDouble())) - 1;
            picked.Add(themeIds[Math.Clamp(rank, 0, themeIds.Count - 1)]);
        }

        return picked;
    }

    private static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct
    {
        if (value is { } present)
        {
            await writer.WriteAsync(present, type, cancellationToken);
        }
        else
        {
            await writer.WriteNullAsync(cancellationToken);
        }
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter writer, string? value, NpgsqlDbType type, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            await writer.WriteNullAsync(cancellationToken);
        }
        else
        {
            await writer.WriteAsync(value, type, cancellationToken);
        }
    }

    private static void Shuffle<T>(List<T> list, Random random)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }

    private static async Task<IReadOnlyList<int>> ReadIdsAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<int>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetInt32(0));
        }

        return ids;
    }

    private static async Task<HashSet<(string, string)>> ReadNamesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT country_code, lower(name) FROM cities", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var names = new HashSet<(string, string)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            names.Add((reader.GetString(0), reader.GetString(1)));
        }

        return names;
    }

    private static async Task<int> NextIdAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT COALESCE(max(id), 0) + 1 FROM {table}", connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
