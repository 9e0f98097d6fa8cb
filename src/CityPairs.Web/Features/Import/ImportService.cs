using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using CityPairs.Domain.Cities;
using CityPairs.Domain.Common;
using CityPairs.Domain.Partnerships;
using CityPairs.Domain.Programmes;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Audit;
using CityPairs.Web.Features.Cities;
using CityPairs.Web.Features.Matching;
using CityPairs.Web.Features.Export;
using CityPairs.Web.Features.Partnerships;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace CityPairs.Web.Features.Import;

public enum ImportKind
{
    Cities,
    Partnerships,

    /// <summary>A GeoNames cities file for the gazetteer: no preview or mapping, loaded by GazetteerLoader.</summary>
    Gazetteer,
}

/// <summary>One data row of the file; <see cref="Line"/> counts the heading as line 1, as a spreadsheet shows it.</summary>
public sealed record ImportRow(int Line, string Label, IReadOnlyList<string> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>What the file would import: which column feeds which field, and every row with its problems.</summary>
public sealed record ImportPreview(
    ImportKind Kind, IReadOnlyDictionary<string, string> Mapping, IReadOnlyList<string> Ignored, IReadOnlyList<string> Missing,
    IReadOnlyList<ImportRow> Rows, Table Table)
{
    public bool CanCommit(IReadOnlySet<int> excludedLines) =>
        Missing.Count == 0 && Rows.Any(r => !excludedLines.Contains(r.Line)) && Rows.All(r => r.IsValid || excludedLines.Contains(r.Line));
}

public sealed record ImportResult(bool Committed, int Imported, string Message, IReadOnlyList<ImportRow> Problems);

/// <summary>
/// Imports cities and partnerships from CSV or Excel, all or nothing: every included row must pass the same
/// validators and domain rules as the forms, then all rows are saved in one transaction.
/// </summary>
public sealed partial class ImportService(
    IDbContextFactory<CityPairsDbContext> dbFactory, IValidator<CityForm> cityValidator, IValidator<PartnershipForm> partnershipValidator, TimeProvider clock,
    ICurrentUser? currentUser = null, MatchingSnapshotCache? matching = null)
{
    /// <summary>Field -> the headings that mean it (compared without case, spaces, dashes or underscores).</summary>
    private static readonly Dictionary<ImportKind, (string Field, bool Required, string[] Aliases)[]> Fields = new()
    {
        [ImportKind.Cities] =
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
        ],
        [ImportKind.Partnerships] =
        [
            ("name", true, ["name", "partnership", "partnershipname", "title"]),
            ("modality", false, ["modality", "kind", "type"]),
            ("status", false, ["status", "stage"]),
            ("started_on", false, ["startedon", "start", "started", "since", "startdate"]),
            ("ended_on", false, ["endedon", "end", "ended", "enddate"]),
            ("discontinuation_reason", false, ["discontinuationreason", "reason"]),
            ("members", true, ["members", "cities", "membercities", "partners"]),
            ("programmes", false, ["programmes", "programme", "programs", "program"]),
            ("themes", false, ["themes", "theme"]),
            ("sdgs", false, ["sdgs", "sdg", "goals"]),
            ("description", false, ["description", "summary"]),
            ("exit_strategy", false, ["exitstrategy", "exit"]),
        ],
    };

    // The commit copies cities by binary COPY, so 100,000 rows import in seconds (docs/PERFORMANCE.md, "Import throughput").
    public const int MaxRows = 100_000;

    public static Table Read(string fileName, Stream content)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        if (fileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase))
        {
            return Table.ReadXlsx(content);
        }

        using var reader = new StreamReader(content, detectEncodingFromByteOrderMarks: true);
        return Table.ReadCsv(reader.ReadToEnd());
    }

    public async Task<ImportPreview> PreviewAsync(ImportKind kind, Table table, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        var (mapping, ignored, missing) = Map(kind, table.Headers);
        var rows = new List<ImportRow>();
        if (missing.Count == 0)
        {
            var parsed = await ParseAsync(kind, table, mapping, progress, cancellationToken);
            rows.AddRange(parsed.Select(p => p.Row));
        }

        return new ImportPreview(kind, mapping, ignored, missing, rows, table);
    }

    /// <summary>Saves every row not excluded, in one transaction, or nothing at all when any of them has a problem.</summary>
    public async Task<ImportResult> CommitAsync(ImportPreview preview, IReadOnlySet<int> excludedLines, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        // An outage is an answer, not a crash: the page keeps the preview and its exclusions for another try.
        try
        {
            return await CommitCoreAsync(preview, excludedLines, progress, cancellationToken);
        }
        catch (Exception ex) when (Common.DatabaseOutage.Is(ex))
        {
            return new ImportResult(false, 0, Common.DatabaseOutage.Message, []);
        }
    }

    private async Task<ImportResult> CommitCoreAsync(ImportPreview preview, IReadOnlySet<int> excludedLines, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(preview);
        ArgumentNullException.ThrowIfNull(excludedLines);
        if (preview.Missing.Count > 0)
        {
            return new ImportResult(false, 0, $"Columns missing: {string.Join(", ", preview.Missing)}. Nothing was imported.", []);
        }

        // Validated again against the database as it is now: it may have changed since the preview.
        // The progress bar's first half is checking the rows again, the second half saving them.
        var checking = progress is null ? null : new Scaled(progress, 0, 0.5);
        var saving = progress is null ? null : new Scaled(progress, 0.5, 0.5);
        var parsed = (await ParseAsync(preview.Kind, preview.Table, preview.Mapping, checking, cancellationToken))
            .Where(p => !excludedLines.Contains(p.Row.Line)).ToList();
        var problems = parsed.Where(p => !p.Row.IsValid).Select(p => p.Row).ToList();
        if (problems.Count > 0)
        {
            return new ImportResult(false, 0, $"{problems.Count} row(s) have problems. Nothing was imported: fix or exclude them.", problems);
        }

        if (parsed.Count == 0)
        {
            return new ImportResult(false, 0, "There are no rows to import.", []);
        }

        if (preview.Kind == ImportKind.Cities)
        {
            return await CopyCitiesAsync([.. parsed.Select(p => p.City!)], saving, cancellationToken);
        }

        await using var db = currentUser is null ? await dbFactory.CreateDbContextAsync(cancellationToken) : await dbFactory.CreateForAsync(currentUser, cancellationToken);
        // Retries are on (EnableRetryOnFailure): a user transaction must run inside the execution strategy, and
        // a retry starts it again from the beginning, so the entities are rebuilt inside.
        var strategy = db.Database.CreateExecutionStrategy();
        try
        {
            await strategy.ExecuteAsync(async ct =>
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var done = 0;
                foreach (var batch in parsed.Chunk(500))
                {
                    foreach (var p in batch)
                    {
                        p.Add!(db);
                    }

                    await db.SaveChangesAsync(ct);
                    db.ChangeTracker.Clear();
                    done += batch.Length;
                    saving?.Report((double)done / parsed.Count);
                }

                await transaction.CommitAsync(ct);
            }, cancellationToken);
        }
        catch (DbUpdateException ex) when (Common.SafeSave.FindPostgresError(ex) is { } postgres)
        {
            return new ImportResult(false, 0, $"The database refused the import ({postgres.MessageText}). Nothing was imported.", []);
        }

        return new ImportResult(true, parsed.Count, $"{parsed.Count} {(preview.Kind == ImportKind.Cities ? "cities" : "partnerships")} imported.", []);
    }

    private sealed class Scaled(IProgress<double> inner, double from, double span) : IProgress<double>
    {
        public void Report(double value) => inner.Report(from + span * value);
    }

    private sealed record Parsed(ImportRow Row, Action<CityPairsDbContext>? Add, City? City = null);

    private static readonly JsonSerializerOptions AuditJson = new() { Converters = { new JsonStringEnumConverter() } };

    /// <summary>
    /// Cities go in by binary COPY: at 100,000 rows SaveChanges spends most of its time tracking entities and
    /// batching INSERTs (docs/PERFORMANCE.md, "Import throughput"). Ids are drawn from the identity sequence
    /// first, so the audit entries can name them. One transaction inside the execution strategy: all rows or none,
    /// and a retry starts over with fresh ids.
    /// </summary>
    private async Task<ImportResult> CopyCitiesAsync(IReadOnlyList<City> cities, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var actor = currentUser is null ? AuditActor.System : (await currentUser.GetAsync()).ToAuditActor() ?? AuditActor.System;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
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
                await using (var copy = await connection.BeginBinaryImportAsync(
                    "COPY cities (id, name, country_code, region, admin_area, kind, population, latitude, longitude, languages, profile, priority_sdgs, is_archived, created_at, updated_at) FROM STDIN (FORMAT BINARY)", ct))
                {
                    for (var i = 0; i < cities.Count; i++)
                    {
                        var c = cities[i];
                        await copy.StartRowAsync(ct);
                        await copy.WriteAsync(ids[i], NpgsqlDbType.Integer, ct);
                        await copy.WriteAsync(c.Name, NpgsqlDbType.Varchar, ct);
                        await copy.WriteAsync(c.CountryCode, NpgsqlDbType.Char, ct);
                        await copy.WriteAsync(c.Region.ToString(), NpgsqlDbType.Varchar, ct);
                        if (c.AdminArea is null)
                        {
                            await copy.WriteNullAsync(ct);
                        }
                        else
                        {
                            await copy.WriteAsync(c.AdminArea, NpgsqlDbType.Varchar, ct);
                        }

                        await copy.WriteAsync(c.Kind.ToString(), NpgsqlDbType.Varchar, ct);
                        if (c.Population is { } population)
                        {
                            await copy.WriteAsync(population, NpgsqlDbType.Integer, ct);
                        }
                        else
                        {
                            await copy.WriteNullAsync(ct);
                        }

                        await copy.WriteAsync(c.Latitude, NpgsqlDbType.Double, ct);
                        await copy.WriteAsync(c.Longitude, NpgsqlDbType.Double, ct);
                        await copy.WriteAsync(c.Languages.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
                        await copy.WriteAsync(c.Profile, NpgsqlDbType.Varchar, ct);
                        await copy.WriteAsync(c.PrioritySdgs.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer, ct);
                        await copy.WriteAsync(false, NpgsqlDbType.Boolean, ct);
                        await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
                        await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
                        if (i % 1_000 == 999)
                        {
                            progress?.Report(0.9 * (i + 1) / cities.Count);
                        }
                    }

                    await copy.CompleteAsync(ct);
                }

                // One audit entry per city, as a form save writes it (AuditInterceptor), rather than one entry for the
                // whole import: each city's History tab then says who imported it and with which values, and the
                // audit search by record keeps working. The entries go in by COPY in the same transaction.
                await using (var copy = await connection.BeginBinaryImportAsync(
                    "COPY audit_entries (at, user_id, user_name, entity_type, entity_id, action, changes) FROM STDIN (FORMAT BINARY)", ct))
                {
                    for (var i = 0; i < cities.Count; i++)
                    {
                        await copy.StartRowAsync(ct);
                        await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
                        if (actor.UserId is null)
                        {
                            await copy.WriteNullAsync(ct);
                        }
                        else
                        {
                            await copy.WriteAsync(actor.UserId, NpgsqlDbType.Text, ct);
                        }

                        await copy.WriteAsync(actor.UserName, NpgsqlDbType.Varchar, ct);
                        await copy.WriteAsync(nameof(City), NpgsqlDbType.Varchar, ct);
                        await copy.WriteAsync(ids[i], NpgsqlDbType.Integer, ct);
                        await copy.WriteAsync(nameof(AuditAction.Created), NpgsqlDbType.Varchar, ct);
                        await copy.WriteAsync(AuditChanges(cities[i]), NpgsqlDbType.Jsonb, ct);
                    }

                    await copy.CompleteAsync(ct);
                }

                if (ids.Count <= 1_000)
                {
                    // Other app instances refresh their matching snapshot when this commits (CityChangeFeed).
                    await using var notify = new NpgsqlCommand("SELECT pg_notify($1, $2)", connection, transaction);
                    notify.Parameters.Add(new NpgsqlParameter<string> { TypedValue = CityChangeFeed.Channel });
                    notify.Parameters.Add(new NpgsqlParameter<string> { TypedValue = string.Join(',', ids) });
                    await notify.ExecuteNonQueryAsync(ct);
                }

                await transaction.CommitAsync(ct);
            }, cancellationToken);
        }
        catch (PostgresException postgres)
        {
            return new ImportResult(false, 0, $"The database refused the import ({postgres.MessageText}). Nothing was imported.", []);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        if (matching is not null)
        {
            // A few cities are refreshed in the snapshot; a large import has it rebuilt on the next query.
            if (ids.Count <= 1_000)
            {
                await matching.RefreshCitiesAsync(ids, CancellationToken.None);
            }
            else
            {
                matching.Invalidate();
            }
        }

        progress?.Report(1);
        return new ImportResult(true, cities.Count, $"{cities.Count} cities imported.", []);
    }

    /// <summary>The values a new city was created with, in the shape AuditInterceptor writes: property -> [old, new].</summary>
    private static string AuditChanges(City c)
    {
        var changes = new Dictionary<string, object?[]>
        {
            [nameof(City.Name)] = [null, c.Name],
            [nameof(City.CountryCode)] = [null, c.CountryCode],
            [nameof(City.Region)] = [null, c.Region],
            [nameof(City.Kind)] = [null, c.Kind],
            [nameof(City.Latitude)] = [null, c.Latitude],
            [nameof(City.Longitude)] = [null, c.Longitude],
            [nameof(City.IsArchived)] = [null, false],
        };
        if (c.AdminArea is { Length: > 0 })
        {
            changes[nameof(City.AdminArea)] = [null, c.AdminArea];
        }

        if (c.Population is not null)
        {
            changes[nameof(City.Population)] = [null, c.Population];
        }

        if (c.Languages.Count > 0)
        {
            changes[nameof(City.Languages)] = [null, c.Languages];
        }

        if (c.Profile.Length > 0)
        {
            changes[nameof(City.Profile)] = [null, c.Profile];
        }

        if (c.PrioritySdgs.Count > 0)
        {
            changes[nameof(City.PrioritySdgs)] = [null, c.PrioritySdgs];
        }

        return JsonSerializer.Serialize(changes, AuditJson);
    }

    private static string Normalise(string heading) => new([.. heading.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);

    private static (Dictionary<string, string> Mapping, List<string> Ignored, List<string> Missing) Map(ImportKind kind, IReadOnlyList<string> headers)
    {
        var mapping = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, _, aliases) in Fields[kind])
        {
            // The first alias that matches wins, so "country code" beats "country" when a file has both.
            var header = aliases.Select(a => headers.FirstOrDefault(h => Normalise(h) == a && !mapping.ContainsValue(h))).FirstOrDefault(h => h is not null);
            if (header is not null)
            {
                mapping[field] = header;
            }
        }

        var missing = Fields[kind].Where(f => f.Required && !mapping.ContainsKey(f.Field)).Select(f => f.Field).ToList();
        return (mapping, [.. headers.Where(h => !mapping.ContainsValue(h))], missing);
    }

    private async Task<List<Parsed>> ParseAsync(ImportKind kind, Table table, IReadOnlyDictionary<string, string> mapping, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        if (table.Rows.Count > MaxRows)
        {
            return [new Parsed(new ImportRow(0, "", [$"The file has {table.Rows.Count} rows; import at most {MaxRows} at a time."]), null)];
        }

        var index = table.Headers.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => x.i, StringComparer.Ordinal);
        Func<string, string> Cell(IReadOnlyList<string> row) => field => mapping.TryGetValue(field, out var h) ? row[index[h]].Trim() : "";
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return kind == ImportKind.Cities
            ? await ParseCitiesAsync(db, table, Cell, progress, cancellationToken)
            : await ParsePartnershipsAsync(db, table, Cell, progress, cancellationToken);
    }

    private async Task<List<Parsed>> ParseCitiesAsync(
        CityPairsDbContext db, Table table, Func<IReadOnlyList<string>, Func<string, string>> cells, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var existing = (await db.Cities.AsNoTracking().Select(c => new { c.CountryCode, c.Name }).ToListAsync(cancellationToken))
            .Select(c => Key(c.CountryCode, c.Name)).ToHashSet(StringComparer.Ordinal);
        var inFile = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<Parsed>();
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

            form.Population = ParseInt(cell("population"), "population", errors, allowEmpty: true);
            form.Latitude = ParseDouble(cell("latitude"), "latitude", errors) ?? 0;
            form.Longitude = ParseDouble(cell("longitude"), "longitude", errors) ?? 0;
            form.PrioritySdgs = ParseInts(cell("priority_sdgs"), "priority_sdgs", errors);
            var validation = await cityValidator.ValidateAsync(form, cancellationToken);
            errors.AddRange(validation.Errors.Select(e => $"{Field(e.PropertyName)}: {e.ErrorMessage}"));
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
            result.Add(new Parsed(new ImportRow(line, label, errors), city is null ? null : db2 => db2.Cities.Add(city), city));
            progress?.Report((i + 1.0) / table.Rows.Count);
        }

        return result;
    }

    [GeneratedRegex(@"^(?<name>.+?)\s*(\((?<cc>[A-Za-z]{2})\))?\s*(\[(?<role>\w+)\])?$")]
    private static partial Regex MemberPattern();

    private async Task<List<Parsed>> ParsePartnershipsAsync(
        CityPairsDbContext db, Table table, Func<IReadOnlyList<string>, Func<string, string>> cells, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var cities = await db.Cities.AsNoTracking().Where(c => !c.IsArchived).Select(c => new { c.Id, c.Name, c.CountryCode, c.Region }).ToListAsync(cancellationToken);
        var programmes = await db.Programmes.AsNoTracking().ToListAsync(cancellationToken);
        var themes = await db.Themes.AsNoTracking().Select(t => new { t.Id, t.Name }).ToListAsync(cancellationToken);
        var result = new List<Parsed>();
        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        for (var i = 0; i < table.Rows.Count; i++)
        {
            var cell = cells(table.Rows[i]);
            var line = i + 2;
            var errors = new List<string>();
            var form = new PartnershipForm { Name = cell("name"), Description = cell("description"), ExitStrategy = cell("exit_strategy") };
            if (cell("modality") is { Length: > 0 } modalityText)
            {
                if (Enum.TryParse<Modality>(modalityText, true, out var m) && Enum.IsDefined(m))
                {
                    form.Modality = m;
                }
                else
                {
                    errors.Add($"modality: \"{modalityText}\" is not one of {string.Join(", ", Enum.GetNames<Modality>())}.");
                }
            }

            var status = PartnershipStatus.Proposed;
            if (cell("status") is { Length: > 0 } statusText && !(Enum.TryParse(statusText, true, out status) && Enum.IsDefined(status)))
            {
                errors.Add($"status: \"{statusText}\" is not one of {string.Join(", ", Enum.GetNames<PartnershipStatus>())}.");
            }

            var started = ParseDate(cell("started_on"), "started_on", errors);
            var ended = ParseDate(cell("ended_on"), "ended_on", errors);
            form.StartedOn = started?.ToDateTime(TimeOnly.MinValue);
            var reason = cell("discontinuation_reason");

            foreach (var text in Table.Split(cell("members")))
            {
                var match = MemberPattern().Match(text);
                var name = match.Groups["name"].Value.Trim();
                var cc = match.Groups["cc"].Success ? match.Groups["cc"].Value.ToUpperInvariant() : null;
                var found = cities.Where(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase) && (cc is null || c.CountryCode == cc)).ToList();
                if (found.Count != 1)
                {
                    errors.Add(found.Count == 0
                        ? $"members: no registered city \"{text}\"; import or register it first."
                        : $"members: \"{text}\" matches several cities; add the country code, as in \"{name} (XX)\".");
                    continue;
                }

                var role = MemberRole.Partner;
                if (match.Groups["role"].Success && !(Enum.TryParse(match.Groups["role"].Value, true, out role) && Enum.IsDefined(role)))
                {
                    errors.Add($"members: \"{match.Groups["role"].Value}\" is not a role ({string.Join(", ", Enum.GetNames<MemberRole>())}).");
                }

                form.Members.Add(new MemberForm { CityId = found[0].Id, CityName = found[0].Name, Role = role });
            }

            var chosen = new List<Programme>();
            foreach (var text in Table.Split(cell("programmes")))
            {
                var programme = programmes.FirstOrDefault(p => string.Equals(p.ShortName, text, StringComparison.OrdinalIgnoreCase) || string.Equals(p.Name, text, StringComparison.OrdinalIgnoreCase));
                if (programme is null)
                {
                    errors.Add($"programmes: no programme \"{text}\".");
                }
                else
                {
                    chosen.Add(programme);
                }
            }

            form.ProgrammeIds = [.. chosen.Select(p => p.Id)];
            var themeIds = new List<int>();
            foreach (var text in Table.Split(cell("themes")))
            {
                if (themes.FirstOrDefault(t => string.Equals(t.Name, text, StringComparison.OrdinalIgnoreCase)) is { } theme)
                {
                    themeIds.Add(theme.Id);
                }
                else
                {
                    errors.Add($"themes: no theme \"{text}\".");
                }
            }

            form.ThemeIds = themeIds;
            form.Sdgs = ParseInts(cell("sdgs"), "sdgs", errors);
            var validation = await partnershipValidator.ValidateAsync(form, cancellationToken);
            errors.AddRange(validation.Errors.Select(e => $"{Field(e.PropertyName)}: {e.ErrorMessage}"));
            var regions = form.Members.Select(m => cities.First(c => c.Id == m.CityId).Region).ToList();
            foreach (var programme in chosen)
            {
                if (programme.EligibilityProblems(regions) is { Count: > 0 } rules)
                {
                    errors.Add($"programmes: {programme.ShortName} asks for {string.Join(" and ", rules)}.");
                }
            }

            // The lifecycle is replayed, so the imported partnership has the history the rules expect.
            var partnership = new Partnership { Name = form.Name.Trim() };
            try
            {
                var begin = started ?? ended ?? today;
                partnership.Propose(begin);
                var end = ended ?? begin;
                switch (status)
                {
                    case PartnershipStatus.Agreed:
                        partnership.Agree(begin);
                        break;
                    case PartnershipStatus.Active:
                        partnership.Agree(begin);
                        partnership.Activate(begin);
                        break;
                    case PartnershipStatus.Completed:
                        partnership.Agree(begin);
                        partnership.Activate(begin);
                        partnership.Complete(end);
                        break;
                    case PartnershipStatus.Discontinued:
                        partnership.Discontinue(reason, end);
                        break;
                }
            }
            catch (DomainRuleException ex)
            {
                errors.Add($"status: {ex.Message}");
            }

            var label = string.IsNullOrWhiteSpace(form.Name) ? $"line {line}" : form.Name.Trim();
            result.Add(new Parsed(new ImportRow(line, label, errors), errors.Count > 0 ? null : target =>
            {
                partnership.Modality = form.Modality;
                partnership.StartedOn = started;
                partnership.Description = form.Description.Trim();
                partnership.ExitStrategy = form.ExitStrategy.Trim();
                partnership.Sdgs = [.. form.Sdgs.Distinct().Order()];
                partnership.Members = [.. form.Members.Select(m => new PartnershipMember { CityId = m.CityId, Role = m.Role })];
                partnership.Programmes = [.. form.ProgrammeIds.Distinct().Select(id => new PartnershipProgramme { ProgrammeId = id, From = started })];
                var tracked = target.Themes.Where(t => themeIds.Contains(t.Id)).ToList();
                partnership.Themes = tracked;
                target.Partnerships.Add(partnership);
            }));
            progress?.Report((i + 1.0) / table.Rows.Count);
        }

        return result;
    }

    private static string Key(string country, string name) => country + "|" + name.Trim().ToUpperInvariant();

    private static string Field(string property) => property switch
    {
        nameof(CityForm.CountryCode) => "country_code",
        nameof(CityForm.PrioritySdgs) => "priority_sdgs",
        nameof(CityForm.AdminArea) => "admin_area",
        _ => property.ToLowerInvariant(),
    };

    /// <summary>An ISO code as is, or a country's English name ("Spain") turned into its code.</summary>
    private static string? CountryCode(string text)
    {
        if (text.Length == 2)
        {
            return text.ToUpperInvariant();
        }

        return Countries.Codes.FirstOrDefault(c => string.Equals(Countries.NameOf(c), text, StringComparison.OrdinalIgnoreCase)) ?? (text.Length == 0 ? null : text);
    }

    private static int? ParseInt(string text, string field, List<string> errors, bool allowEmpty)
    {
        if (text.Length == 0 && allowEmpty)
        {
            return null;
        }

        if (int.TryParse(text.Replace(",", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        errors.Add($"{field}: \"{text}\" is not a whole number.");
        return null;
    }

    private static double? ParseDouble(string text, string field, List<string> errors)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return d;
        }

        errors.Add(text.Length == 0 ? $"{field}: a value is required." : $"{field}: \"{text}\" is not a number (use a dot for decimals).");
        return null;
    }

    private static List<int> ParseInts(string text, string field, List<string> errors)
    {
        var numbers = new List<int>();
        foreach (var part in Table.Split(text.Replace(',', ';')))
        {
            if (int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            {
                numbers.Add(n);
            }
            else
            {
                errors.Add($"{field}: \"{part}\" is not a number.");
            }
        }

        return numbers;
    }

    private static DateOnly? ParseDate(string text, string field, List<string> errors)
    {
        if (text.Length == 0)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, ["yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ss", "yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return d;
        }

        errors.Add($"{field}: \"{text}\" is not a date; write it as 2024-05-31.");
        return null;
    }
}
