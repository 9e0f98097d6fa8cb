using CityPairs.Domain.Cities;
using CityPairs.Domain.Common;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Common;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Audit;
using CityPairs.Web.Features.Cities;
using CityPairs.Web.Features.Export;
using CityPairs.Web.Features.Matching;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CityPairs.Web.Features.Import;

/// <summary>
/// The cities kind of import: each row checked as the city form checks it (and against the cities already
/// registered and the rest of the file), then all rows written by binary COPY with one audit entry each.
/// </summary>
public sealed class CityImport(
    IDbContextFactory<CityPairsDbContext> dbFactory, IValidator<CityForm> cityValidator, TimeProvider clock,
    ICurrentUser? currentUser = null, MatchingSnapshotCache? snapshots = null, AccessRules? rules = null, ILogger<CityImport>? logger = null)
{
    /// <summary>Field -> the headings that mean it (compared without case, spaces, dashes or underscores).</summary>
    public static IReadOnlyList<(string Field, bool Required, string[] Aliases)> Fields { get; } =
    [
        ("name", true, ["name", "city", "cityname", "municipality", "town"]),
        ("country_code", true, ["countrycode", "country", "iso2", "iso", "countryiso", "isocode"]),
        ("region", false, ["region", "continent", "worldregion"]),
        ("admin_area", false, ["adminarea", "state", "province", "admin1", "department"]),
        ("kind", false, ["kind", "type"]),
        ("population", false, ["population", "pop", "inhabitants"]),
        ("latitude", true, ["latitude", "lat", "y"]),
        ("longitude", true, ["longitude", "lon", "lng", "long", "x"]),
        ("languages", false, ["languages", "language", "langs"]),
        ("priority_sdgs", false, ["prioritysdgs", "sdgs", "sdg", "goals"]),
        ("profile", false, ["profile", "description", "notes"]),
    ];

    public Task<List<ParsedRow<City>>> ParseAsync(
        Table table, IReadOnlyDictionary<string, string> mapping, IProgress<double>? progress, CancellationToken cancellationToken) =>
        ImportCells.ParseAsync(dbFactory, table, mapping, (db, cells) => ParseRowsAsync(db, table, cells, progress, cancellationToken), cancellationToken);

    /// <summary>
    /// Cities go in by binary COPY: at 100,000 rows SaveChanges spends most of its time tracking entities and
    /// batching INSERTs (docs/PERFORMANCE.md, "Import throughput"). Ids are drawn from the identity sequence
    /// first, so the audit entries can name them. One transaction inside the execution strategy: all rows or none,
    /// and a retry starts over with fresh ids.
    /// </summary>
    public async Task<ImportResult> CommitAsync(IReadOnlyList<City> cities, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cities);
        var user = currentUser is null ? null : await currentUser.GetAsync();
        var actor = user?.ToAuditActor() ?? AuditActor.System;

        // The same rule as registering one city on the form (AccessRules.CityRegistrationAsync). Without a user
        // this is the app's own work (the benchmark), which claims nobody's cities.
        IReadOnlyList<int> claimingProgrammes = [];
        if (user is not null)
        {
            if (rules is null)
            {
                throw new InvalidOperationException("An import by a person needs the access rules.");
            }

            var registration = await rules.CityRegistrationAsync(user, cancellationToken);
            if (registration.Refusal is { } refusal)
            {
                return new ImportResult(false, 0, refusal, []);
            }

            claimingProgrammes = registration.ClaimingProgrammes;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var cityCopy = new EntityCopyWriter<City>(db.Model, withKey: true);
        var auditCopy = new EntityCopyWriter<AuditEntry>(db.Model, withKey: false);
        var strategy = db.Database.CreateExecutionStrategy();
        List<int> ids = [];
        try
        {
            await strategy.ExecuteAsync(async ct =>
            {
                await db.Database.OpenConnectionAsync(ct);
                var connection = (NpgsqlConnection)db.Database.GetDbConnection();
                await using var transaction = await connection.BeginTransactionAsync(ct);
                ids = [];
                await using (var next = new NpgsqlCommand("SELECT nextval(pg_get_serial_sequence('cities', 'id'))::int FROM generate_series(1, $1)", connection, transaction))
                {
                    next.Parameters.Add(new NpgsqlParameter<int> { TypedValue = cities.Count });
                    await using var reader = await next.ExecuteReaderAsync(ct);
                    while (await reader.ReadAsync(ct))
                    {
                        ids.Add(reader.GetInt32(0));
                    }
                }

                var now = clock.GetUtcNow();
                for (var i = 0; i < cities.Count; i++)
                {
                    cities[i].Id = ids[i];
                    cities[i].CreatedAt = now;
                    cities[i].UpdatedAt = now;
                }

                await cityCopy.WriteAsync(connection, cities, written => progress?.Report(0.9 * written / cities.Count), ct);

                // One audit entry per city, as a form save writes it (AuditInterceptor), rather than one entry for the
                // whole import: each city's History tab then says who imported it and with which values, and the
                // audit search by record keeps working. The entries go in by COPY in the same transaction.
                await auditCopy.WriteAsync(connection, cities.Select(c => AuditEntryBuilder.Created(db.Model, c, c.Id, actor, now)), cancellationToken: ct);

                if (claimingProgrammes.Count > 0)
                {
                    // Table and columns as in ProgrammeCityConfiguration; the reach tests import as an officer.
                    await using var claim = new NpgsqlCommand(
                        "INSERT INTO programme_cities (programme_id, city_id) SELECT p, c FROM unnest($1) p CROSS JOIN unnest($2) c", connection, transaction);
                    claim.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. claimingProgrammes] });
                    claim.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. ids] });
                    await claim.ExecuteNonQueryAsync(ct);
                }

                // Other app instances refresh their matching snapshot when this commits (CityChangeFeed).
                await CityChangeFeed.NotifyAsync(connection, ids, ct);
                await transaction.CommitAsync(ct);
            }, cancellationToken);
        }
        catch (PostgresException postgres)
        {
            Common.SaveLog.ImportRefused(logger.OrNull(), postgres);
            return new ImportResult(false, 0, $"The database refused the import ({postgres.MessageText}). Nothing was imported.", []);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        if (snapshots is not null)
        {
            // A few cities are refreshed in the snapshot; a large import has it rebuilt on the next query.
            await snapshots.PublishAsync(ids, CancellationToken.None);
        }

        progress?.Report(1);
        return new ImportResult(true, cities.Count, $"{cities.Count} cities imported.", []);
    }

    private async Task<List<ParsedRow<City>>> ParseRowsAsync(
        CityPairsDbContext db, Table table, Func<IReadOnlyList<string>, Func<string, string>> cells, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var existing = (await db.Cities.AsNoTracking().Select(c => new { c.CountryCode, c.Name }).ToListAsync(cancellationToken))
            .Select(c => Key(c.CountryCode, c.Name)).ToHashSet(StringComparer.Ordinal);
        var inFile = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<ParsedRow<City>>();
        for (var i = 0; i < table.Rows.Count; i++)
        {
            var cell = cells(table.Rows[i]);
            var line = i + 2;
            var errors = new List<string>();
            var country = CountryCode(cell("country_code"));
            var form = new CityForm
            {
                Name = cell("name"),
                CountryCode = country,
                Region = Enum.TryParse<Region>(cell("region"), true, out var r) && Enum.IsDefined(r) && !int.TryParse(cell("region"), out _) ? r : Countries.RegionOf(country),
                AdminArea = cell("admin_area") is { Length: > 0 } a ? a : null,
                Kind = Enum.TryParse<CityKind>(cell("kind"), true, out var k) && Enum.IsDefined(k) ? k : CityKind.City,
                Languages = cell("languages"),
                Profile = cell("profile"),
            };
            if (cell("region") is { Length: > 0 } regionText && !Enum.TryParse<Region>(regionText, true, out _))
            {
                errors.Add($"region: \"{regionText}\" is not a region; use one of {string.Join(", ", Enum.GetNames<Region>())}.");
            }

            form.Population = ImportCells.ParseInt(cell("population"), "population", errors, allowEmpty: true);
            form.Latitude = ImportCells.ParseDouble(cell("latitude"), "latitude", errors) ?? 0;
            form.Longitude = ImportCells.ParseDouble(cell("longitude"), "longitude", errors) ?? 0;
            form.PrioritySdgs = ImportCells.ParseInts(cell("priority_sdgs"), "priority_sdgs", errors);
            var validation = await cityValidator.ValidateAsync(form, cancellationToken);
            errors.AddRange(validation.Errors.Select(e => $"{ImportCells.Field(e.PropertyName)}: {e.ErrorMessage}"));
            if (errors.Count == 0)
            {
                var key = Key(country!, form.Name);
                if (existing.Contains(key))
                {
                    errors.Add($"name: {CityService.DuplicateMessage}");
                }
                else if (inFile.TryGetValue(key, out var first))
                {
                    errors.Add($"name: the same city is on line {first} of this file.");
                }
                else
                {
                    inFile[key] = line;
                }
            }

            var label = string.IsNullOrWhiteSpace(form.Name) ? $"line {line}" : $"{form.Name.Trim()} ({country})";
            var city = errors.Count > 0 ? null : new City
            {
                Name = form.Name.Trim(), CountryCode = country!, Region = form.Region!.Value, AdminArea = form.AdminArea, Kind = form.Kind,
                Population = form.Population, Latitude = form.Latitude, Longitude = form.Longitude, Languages = [.. form.LanguageCodes()],
                Profile = form.Profile, PrioritySdgs = [.. form.PrioritySdgs.Distinct().Order()],
            };
            result.Add(new ParsedRow<City>(new ImportRow(line, label, errors), city));
            progress?.Report((i + 1.0) / table.Rows.Count);
        }

        return result;
    }

    private static string Key(string country, string name) => country + "|" + name.Trim().ToUpperInvariant();

    /// <summary>An ISO code as is, or a country's English name ("Spain") turned into its code.</summary>
    private static string? CountryCode(string text)
    {
        if (text.Length == 2)
        {
            return text.ToUpperInvariant();
        }

        return Countries.Codes.FirstOrDefault(c => string.Equals(Countries.NameOf(c), text, StringComparison.OrdinalIgnoreCase)) ?? (text.Length == 0 ? null : text);
    }
}
