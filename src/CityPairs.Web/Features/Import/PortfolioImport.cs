using System.Globalization;
using System.Text.Json;
using CityPairs.Domain.Cities;
using CityPairs.Domain.Common;
using CityPairs.Domain.Exchanges;
using CityPairs.Domain.Partnerships;
using CityPairs.Domain.Programmes;
using CityPairs.Domain.Reference;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Common;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Cities;
using CityPairs.Web.Features.Exchanges;
using CityPairs.Web.Features.Export;
using CityPairs.Web.Features.Partnerships;
using CityPairs.Web.Features.Programmes;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Features.Import;

/// <summary>
/// Reads a <see cref="PortfolioWorkbook"/> (programmes, cities with contacts and themes, partnerships with members,
/// programmes, agreements and status history, exchanges) into this database, all or nothing. Programmes, cities,
/// partnerships and exchanges are made by their own writers (<see cref="ProgrammeService.CheckNewAsync"/>, <see cref="CityService.CheckNewAsync"/>,
/// <see cref="PartnershipService.AddNewAsync(CityPairsDbContext, System.Security.Claims.ClaimsPrincipal, PartnershipForm, PartnershipStart, PartnershipReferences, CancellationToken)"/>
/// with the partnership's whole history as a migration start, <see cref="ExchangeService.CheckNewAsync"/>), so a row
/// gets the message its form would. The preview runs the same writes in a transaction it rolls back; the commit
/// keeps it only when no row has a problem. The report names each problem by sheet and line. Meant for an
/// installation without these records yet: a programme or city already here is a problem.
/// </summary>
public sealed class PortfolioImport(
    IDbContextFactory<CityPairsDbContext> dbFactory, ProgrammeService programmes, CityService cities, PartnershipService partnerships, ExchangeService exchanges,
    AccessRules rules, ICurrentUser currentUser, ILogger<PortfolioImport>? logger = null)
{
    private readonly ILogger _logger = logger.OrNull();

    private sealed class ProgrammeDraft(ProgrammeForm form, List<string> errors)
    {
        public ProgrammeForm Form { get; } = form;

        public List<string> Errors { get; } = errors;

        public Programme? Saved { get; set; }
    }

    private sealed class CityDraft(CityForm form, List<string> errors)
    {
        public CityForm Form { get; } = form;

        public List<string> Errors { get; } = errors;

        public bool IsArchived { get; set; }

        public City? Saved { get; set; }
    }

    private sealed class PartnershipDraft(PartnershipForm form, List<string> errors)
    {
        public PartnershipForm Form { get; } = form;

        public List<string> Errors { get; } = errors;

        public List<CityDraft> Members { get; } = [];

        public List<(ProgrammeDraft Programme, DateOnly? From, DateOnly? To)> Programmes { get; } = [];

        public List<PartnershipStep> Steps { get; } = [];

        public List<Agreement> Agreements { get; } = [];

        public bool IsArchived { get; set; }

        /// <summary>A member or programme row of this partnership points nowhere (that row reports it).</summary>
        public bool IsIncomplete { get; set; }

        public Partnership? Saved { get; set; }
    }

    private sealed record ExchangeDraft(ExchangeForm Form, PartnershipDraft Partnership, CityDraft? Host, List<string> Errors);

    /// <summary>The records a workbook holds, linked to each other by their refs.</summary>
    private sealed class Plan
    {
        public List<ImportRow> Rows { get; } = [];
        public Dictionary<string, ProgrammeDraft> Programmes { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, CityDraft> Cities { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, PartnershipDraft> Partnerships { get; } = new(StringComparer.Ordinal);
        public List<ExchangeDraft> Exchanges { get; } = [];

        public int Records => Programmes.Count + Cities.Count + Partnerships.Count + Exchanges.Count;
    }

    /// <summary>What would be imported and every problem; nothing is kept.</summary>
    public Task<ImportResult> PreviewAsync(IReadOnlyDictionary<string, Table> workbook, CancellationToken cancellationToken = default) =>
        RunAsync(workbook, commit: false, cancellationToken);

    public Task<ImportResult> CommitAsync(IReadOnlyDictionary<string, Table> workbook, CancellationToken cancellationToken = default) =>
        RunAsync(workbook, commit: true, cancellationToken);

    private async Task<ImportResult> RunAsync(IReadOnlyDictionary<string, Table> workbook, bool commit, CancellationToken cancellationToken)
    {
        // An outage is an answer, not a crash: the panel keeps the workbook for another try.
        try
        {
            return await RunCoreAsync(workbook, commit, cancellationToken);
        }
        catch (Exception ex) when (Common.DatabaseOutage.Is(ex))
        {
            Common.SaveLog.Unreachable(_logger, ex);
            return new ImportResult(false, 0, Common.DatabaseOutage.Message, []);
        }
    }

    private async Task<ImportResult> RunCoreAsync(IReadOnlyDictionary<string, Table> workbook, bool commit, CancellationToken cancellationToken)
    {
        // A workbook creates programmes, which only administrators may (AccessRules.CanRegisterProgramme), and
        // partnerships with their past, which only administrators may migrate.
        var user = await currentUser.GetAsync();
        if (!AccessRules.IsAdministrator(user))
        {
            return new ImportResult(false, 0, AccessRules.Refusal, []);
        }

        await using var db = await dbFactory.CreateForAsync(currentUser, cancellationToken);
        var strategy = db.Database.CreateExecutionStrategy();
        Plan? done = null;
        try
        {
            await strategy.ExecuteAsync(async ct =>
            {
                // A retry starts again from the file: the entities are rebuilt against this context's themes.
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var plan = await ParseAsync(db, workbook, ct);
                await WriteAsync(db, user, plan, ct);
                if (commit && plan.Rows.All(r => r.IsValid))
                {
                    await transaction.CommitAsync(ct);
                }
                else
                {
                    await transaction.RollbackAsync(ct);
                }

                done = plan;
            }, cancellationToken);
        }
        catch (DbUpdateException ex)
        {
            Common.SaveLog.ImportRefused(_logger, ex);
            var reason = Common.SafeSave.FindPostgresError(ex)?.MessageText ?? ex.Message;
            return new ImportResult(false, 0, $"The database refused the import ({reason}). Nothing was imported.", []);
        }

        var problems = done!.Rows.Where(r => !r.IsValid).ToList();
        if (problems.Count > 0)
        {
            return new ImportResult(false, 0,
                commit ? $"{problems.Count} row(s) have problems. Nothing was imported: fix them." : $"{problems.Count} row(s) have problems. Nothing would be imported.",
                problems);
        }

        return commit
            ? new ImportResult(true, done.Records, Summary(done, "imported"), [])
            : new ImportResult(false, done.Records, Summary(done, "would be imported"), []);
    }

    private static string Summary(Plan plan, string verb) =>
        $"{plan.Programmes.Count} programmes, {plan.Cities.Count} cities, {plan.Partnerships.Count} partnerships and {plan.Exchanges.Count} exchanges {verb}.";

    /// <summary>
    /// Adds the plan's records through their writers, kind by kind (each kind needs the ids of the one before),
    /// and puts each writer's refusal on the row it came from. A record whose own row or a record it points at
    /// already has a problem is not offered to the writer; that problem is reported where it is. Cities are
    /// archived last: they were live when their partnerships and exchanges happened.
    /// </summary>
    private async Task WriteAsync(CityPairsDbContext db, System.Security.Claims.ClaimsPrincipal user, Plan plan, CancellationToken cancellationToken)
    {
        foreach (var programme in plan.Programmes.Values.Where(p => p.Errors.Count == 0))
        {
            if (await programmes.CheckNewAsync(user, programme.Form, cancellationToken) is { } problem)
            {
                programme.Errors.AddRange(Describe(problem));
            }
            else
            {
                programme.Saved = ProgrammeService.AddNew(db, programme.Form);
            }
        }

        await db.SaveChangesAsync(cancellationToken);

        var existing = (await db.Cities.AsNoTracking().Select(c => new { c.CountryCode, c.Name }).ToListAsync(cancellationToken))
            .Select(c => Key(c.CountryCode, c.Name)).ToHashSet(StringComparer.Ordinal);
        var registration = await rules.CityRegistrationAsync(user, cancellationToken);
        foreach (var city in plan.Cities.Values.Where(c => c.Errors.Count == 0))
        {
            if (await cities.CheckNewAsync(registration, city.Form, cancellationToken) is { } problem)
            {
                city.Errors.AddRange(Describe(problem));
            }
            else if (!existing.Add(Key(city.Form.CountryCode!, city.Form.Name.Trim())))
            {
                city.Errors.Add($"name: {CityService.DuplicateMessage}");
            }
            else
            {
                city.Saved = await CityService.AddNewAsync(db, registration, city.Form, cancellationToken);
            }
        }

        await db.SaveChangesAsync(cancellationToken);

        var ready = new List<PartnershipDraft>();
        foreach (var partnership in plan.Partnerships.Values.Where(p => p.Errors.Count == 0))
        {
            if (partnership.IsIncomplete || partnership.Members.Any(m => m.Saved is null) || partnership.Programmes.Any(p => p.Programme.Saved is null))
            {
                continue;
            }

            for (var i = 0; i < partnership.Members.Count; i++)
            {
                partnership.Form.Members[i].CityId = partnership.Members[i].Saved!.Id;
            }

            partnership.Form.ProgrammeIds = [.. partnership.Programmes.Select(p => p.Programme.Saved!.Id)];
            ready.Add(partnership);
        }

        var references = await partnerships.LoadReferencesAsync(db, user, ready.Select(p => p.Form), cancellationToken);
        foreach (var partnership in ready)
        {
            var history = new PartnershipHistory(
                partnership.Steps, partnership.Agreements,
                [.. partnership.Programmes.Select(p => new ProgrammePeriod(p.Programme.Saved!.Id, p.From, p.To))], partnership.IsArchived);
            var added = await partnerships.AddNewAsync(db, user, partnership.Form, PartnershipStart.Migrated(history), references, cancellationToken);
            if (added.Value is { } saved)
            {
                partnership.Saved = saved;
            }
            else
            {
                partnership.Errors.AddRange(Describe(added));
            }
        }

        await db.SaveChangesAsync(cancellationToken);

        var themes = await db.Themes.ToDictionaryAsync(t => t.Id, cancellationToken);
        foreach (var exchange in plan.Exchanges.Where(e => e.Errors.Count == 0 && e.Partnership.Saved is not null && (e.Host is null || e.Host.Saved is not null)))
        {
            var partnership = exchange.Partnership.Saved!;
            exchange.Form.HostCityId = exchange.Host?.Saved?.Id;
            if (await exchanges.CheckNewAsync(exchange.Form, [.. partnership.Members.Select(m => m.CityId)], cancellationToken) is { } problem)
            {
                exchange.Errors.AddRange(Describe(problem));
            }
            else
            {
                ExchangeService.AddNew(db, partnership.Id, exchange.Form, themes);
            }
        }

        foreach (var city in plan.Cities.Values.Where(c => c.Saved is not null))
        {
            city.Saved!.IsArchived = city.IsArchived;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private static string Key(string countryCode, string name) => countryCode.ToUpperInvariant() + "|" + name.ToUpperInvariant();

    /// <summary>A writer's refusal in the report's words: "Field: message" per field, or its message.</summary>
    private static IEnumerable<string> Describe(Common.SaveResult<int> result) =>
        result.Errors.Count > 0
            ? result.Errors.Select(e => $"{e.Field}: {e.Message}")
            : [result.Message ?? Common.SaveResult<int>.ForbiddenMessage];

    private static IEnumerable<string> Describe(Common.SaveResult<Partnership> result) =>
        result.Errors.Count > 0
            ? result.Errors.Select(e => $"{e.Field}: {e.Message}")
            : [result.Message ?? Common.SaveResult<int>.ForbiddenMessage];

    private static async Task<Plan> ParseAsync(CityPairsDbContext db, IReadOnlyDictionary<string, Table> workbook, CancellationToken cancellationToken)
    {
        var plan = new Plan();
        var themes = await db.Themes.ToDictionaryAsync(t => t.Name, StringComparer.OrdinalIgnoreCase, cancellationToken);
        var programmeNames = (await db.Programmes.AsNoTracking().Select(p => p.ShortName).ToListAsync(cancellationToken)).ToHashSet(StringComparer.OrdinalIgnoreCase);

        Each(workbook, plan, "programmes", (r, label, errors) =>
        {
            var form = new ProgrammeForm
            {
                Name = r.Text("name"), ShortName = r.Text("short_name"), Funder = r.Text("funder"),
                StartsOn = r.Date("starts_on") is { } start ? CityContactForm.Format(start) : "",
                EndsOn = r.Date("ends_on") is { } end ? CityContactForm.Format(end) : null,
                Description = r.Text("description"), Website = r.Text("website") is { Length: > 0 } w ? w : null,
                Modalities = r.Json<List<Modality>>("modalities") ?? [], Eligibility = r.Json<List<EligibilityRule>>("eligibility") ?? [],
                MatchWeights = r.Json<ProgrammeMatchWeights>("match_weights"),
            };
            label(form.ShortName);
            r.Required("name", "short_name", "starts_on");
            if (programmeNames.Contains(form.ShortName) || plan.Programmes.Values.Any(p => string.Equals(p.Form.ShortName, form.ShortName, StringComparison.OrdinalIgnoreCase)))
            {
                errors.Add($"short_name: {ProgrammeService.DuplicateMessage}");
            }

            r.AddRef(plan.Programmes, new ProgrammeDraft(form, errors));
        });

        Each(workbook, plan, "cities", (r, label, errors) =>
        {
            var form = new CityForm
            {
                Name = r.Text("name"), CountryCode = r.Text("country_code").ToUpperInvariant(), Region = r.Enum<Region>("region"),
                AdminArea = r.Text("admin_area") is { Length: > 0 } a ? a : null, Kind = r.Enum<CityKind>("kind") ?? CityKind.City, Population = r.Int("population"),
                Latitude = r.Double("latitude") ?? 0, Longitude = r.Double("longitude") ?? 0, Languages = string.Join(", ", r.Json<List<string>>("languages") ?? []),
                PrioritySdgs = r.Json<List<int>>("priority_sdgs") ?? [], Profile = r.Text("profile"),
            };
            var city = new CityDraft(form, errors) { IsArchived = r.Bool("archived") };
            label($"{form.Name} ({form.CountryCode})");
            r.Required("name", "country_code", "region", "latitude", "longitude");
            foreach (var interest in r.Json<List<PortfolioWorkbook.ThemeInterestCell>>("themes") ?? [])
            {
                if (themes.TryGetValue(interest.Theme, out var theme))
                {
                    form.Themes.Add(new CityThemeForm { ThemeId = theme.Id, Interest = interest.Interest });
                }
                else
                {
                    errors.Add($"themes: no theme \"{interest.Theme}\".");
                }
            }

            r.AddRef(plan.Cities, city);
        });

        Each(workbook, plan, "contacts", (r, label, errors) =>
        {
            label(r.Text("name"));
            r.Required("name", "email", "active_from");
            if (r.Find(plan.Cities, "city_ref") is { } city)
            {
                city.Form.Contacts.Add(new CityContactForm
                {
                    Name = r.Text("name"), Role = r.Text("role"), Email = r.Text("email"),
                    ActiveFrom = r.Date("active_from") is { } from ? CityContactForm.Format(from) : "",
                    ActiveTo = r.Date("active_to") is { } to ? CityContactForm.Format(to) : null,
                });
            }
        });

        Each(workbook, plan, "partnerships", (r, label, errors) =>
        {
            var form = new PartnershipForm
            {
                Name = r.Text("name"), Modality = r.Enum<Modality>("modality") ?? Modality.Pairing, StartedOn = r.Date("started_on")?.ToDateTime(TimeOnly.MinValue),
                Description = r.Text("description"), ExitStrategy = r.Text("exit_strategy"), Sdgs = r.Json<List<int>>("sdgs") ?? [],
            };
            var partnership = new PartnershipDraft(form, errors) { IsArchived = r.Bool("archived") };
            label(form.Name);
            r.Required("name");
            form.ThemeIds = [.. Themes(r, themes, errors).Select(t => t.Id)];
            r.AddRef(plan.Partnerships, partnership);
        });

        Each(workbook, plan, "members", (r, label, errors) =>
        {
            label(r.Text("partnership_ref") + " / " + r.Text("city_ref"));
            var member = new MemberForm
            {
                Role = r.Enum<MemberRole>("role") ?? MemberRole.Partner, Expectations = r.Text("expectations"), Contributions = r.Text("contributions"),
            };
            var partnership = r.Find(plan.Partnerships, "partnership_ref");
            var city = r.Find(plan.Cities, "city_ref");
            if (partnership is not null && city is null)
            {
                // Reported on this row; the partnership's rules are not asked about a member list known to be wrong.
                partnership.IsIncomplete = true;
            }
            else if (partnership is not null && city is not null)
            {
                // The city's id is filled in once the city is saved, before the partnership writer checks the form.
                member.CityName = city.Form.Name;
                partnership.Form.Members.Add(member);
                partnership.Members.Add(city);
            }
        });

        Each(workbook, plan, "partnership_programmes", (r, label, errors) =>
        {
            label(r.Text("partnership_ref") + " / " + r.Text("programme_ref"));
            var from = r.Date("from");
            var to = r.Date("to");
            var partnership = r.Find(plan.Partnerships, "partnership_ref");
            var programme = r.Find(plan.Programmes, "programme_ref");
            if (partnership is not null && programme is null)
            {
                partnership.IsIncomplete = true;
            }
            else if (partnership is not null && programme is not null)
            {
                partnership.Programmes.Add((programme, from, to));
            }
        });

        // The steps are replayed by the partnership writer, so status, end date and reason follow from the history as the rules say.
        Each(workbook, plan, "status_history", (r, label, errors) =>
        {
            var to = r.Enum<PartnershipStatus>("to");
            var on = r.Date("on");
            label($"{r.Text("partnership_ref")} {r.Text("to")}");
            r.Required("to", "on");
            if (r.Find(plan.Partnerships, "partnership_ref") is { } partnership && to is not null && on is not null)
            {
                partnership.Steps.Add(new PartnershipStep(to.Value, on.Value, r.Text("by") is { Length: > 0 } b ? b : null, r.Text("reason")));
            }
        });

        foreach (var (name, partnership) in plan.Partnerships.Where(p => p.Value.Steps.Count == 0))
        {
            var errors = new List<string> { $"status_history: no status rows for partnership ref {name}; it needs at least \"Proposed\"." };
            plan.Rows.Add(new ImportRow(0, $"partnerships: {partnership.Form.Name}", errors));
            partnership.Errors.AddRange(errors);
        }

        Each(workbook, plan, "agreements", (r, label, errors) =>
        {
            label($"{r.Text("partnership_ref")} {r.Text("kind")}");
            r.Required("kind", "signed_on");
            var agreement = new Agreement
            {
                Kind = r.Enum<AgreementKind>("kind") ?? AgreementKind.MemorandumOfUnderstanding, SignedOn = r.Date("signed_on") ?? default,
                ValidUntil = r.Date("valid_until"), Note = r.Text("note"),
            };
            r.Find(plan.Partnerships, "partnership_ref")?.Agreements.Add(agreement);
        });

        Each(workbook, plan, "exchanges", (r, label, errors) =>
        {
            var form = new ExchangeForm
            {
                Title = r.Text("title"), Kind = r.Enum<ExchangeKind>("kind") ?? ExchangeKind.StudyVisit, StartsOn = r.Date("starts_on")?.ToDateTime(TimeOnly.MinValue),
                EndsOn = r.Date("ends_on")?.ToDateTime(TimeOnly.MinValue), IsOnline = r.Bool("online"),
                Participants = [.. (r.Json<List<ParticipantCount>>("participants") ?? []).Select(p => new ParticipantRow { ActorType = p.ActorType, Role = p.Role, Count = p.Count })],
                InterpretationLanguages = string.Join(", ", r.Json<List<string>>("interpretation_languages") ?? []), Sdgs = r.Json<List<int>>("sdgs") ?? [],
                Outcomes = r.Text("outcomes"), FollowUps = r.Text("follow_ups"),
                Documents = [.. (r.Json<List<DocumentLink>>("documents") ?? []).Select(d => new DocumentRow { Title = d.Title, Url = d.Url })],
            };
            label(form.Title);
            r.Required("title", "kind", "starts_on", "ends_on");
            form.ThemeIds = [.. Themes(r, themes, errors).Select(t => t.Id)];
            var host = r.Text("host_city_ref").Length > 0 ? r.Find(plan.Cities, "host_city_ref") : null;
            if (r.Find(plan.Partnerships, "partnership_ref") is { } partnership)
            {
                plan.Exchanges.Add(new ExchangeDraft(form, partnership, host, errors));
            }
        });

        return plan;
    }

    private static IEnumerable<Theme> Themes(RowReader r, Dictionary<string, Theme> themes, List<string> errors)
    {
        foreach (var name in r.Json<List<string>>("themes") ?? [])
        {
            if (themes.TryGetValue(name, out var theme))
            {
                yield return theme;
            }
            else
            {
                errors.Add($"themes: no theme \"{name}\".");
            }
        }
    }

    private static void Each(IReadOnlyDictionary<string, Table> workbook, Plan plan, string sheet, Action<RowReader, Action<string>, List<string>> parse)
    {
        if (!workbook.TryGetValue(sheet, out var table))
        {
            return;
        }

        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 0; c < table.Headers.Count; c++)
        {
            columns.TryAdd(table.Headers[c], c);
        }

        for (var i = 0; i < table.Rows.Count; i++)
        {
            var errors = new List<string>();
            var label = $"line {i + 2}";
            parse(new RowReader(columns, table.Rows[i], errors), text => label = string.IsNullOrWhiteSpace(text) ? label : text, errors);
            plan.Rows.Add(new ImportRow(i + 2, $"{sheet}: {label}", errors));
        }
    }

    /// <summary>One row's cells by heading; every value that does not parse adds a problem naming its column.</summary>
    private sealed class RowReader(IReadOnlyDictionary<string, int> columns, IReadOnlyList<string> row, List<string> errors)
    {
        public string Text(string column) =>
            columns.TryGetValue(column, out var index) && index < row.Count ? row[index].Trim() : "";

        public void Required(params string[] columns)
        {
            foreach (var column in columns.Where(c => Text(c).Length == 0))
            {
                errors.Add($"{column}: a value is required.");
            }
        }

        public DateOnly? Date(string column)
        {
            var text = Text(column);
            if (text.Length == 0)
            {
                return null;
            }

            if (DateOnly.TryParseExact(text, ["yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            errors.Add($"{column}: \"{text}\" is not a date; write it as 2024-05-31.");
            return null;
        }

        public int? Int(string column)
        {
            var text = Text(column);
            if (text.Length == 0)
            {
                return null;
            }

            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            {
                return n;
            }

            errors.Add($"{column}: \"{text}\" is not a whole number.");
            return null;
        }

        public double? Double(string column)
        {
            var text = Text(column);
            if (text.Length == 0)
            {
                return null;
            }

            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            {
                return d;
            }

            errors.Add($"{column}: \"{text}\" is not a number (use a dot for decimals).");
            return null;
        }

        public bool Bool(string column)
        {
            var text = Text(column);
            if (text.Length == 0 || bool.TryParse(text, out var value) && !value)
            {
                return false;
            }

            if (bool.TryParse(text, out value))
            {
                return value;
            }

            errors.Add($"{column}: \"{text}\" is not true or false.");
            return false;
        }

        public T? Enum<T>(string column) where T : struct, Enum
        {
            var text = Text(column);
            if (text.Length == 0)
            {
                return null;
            }

            if (System.Enum.TryParse<T>(text, true, out var value) && System.Enum.IsDefined(value) && !int.TryParse(text, out _))
            {
                return value;
            }

            errors.Add($"{column}: \"{text}\" is not one of {string.Join(", ", System.Enum.GetNames<T>())}.");
            return null;
        }

        public T? Json<T>(string column) where T : class
        {
            var text = Text(column);
            if (text.Length == 0)
            {
                return null;
            }

            try
            {
                return JsonSerializer.Deserialize<T>(text, PortfolioWorkbook.Json);
            }
            catch (JsonException ex)
            {
                errors.Add($"{column}: not readable ({ex.Message}).");
                return null;
            }
        }

        public void AddRef<T>(Dictionary<string, T> records, T record)
        {
            var key = Text("ref");
            if (key.Length == 0)
            {
                errors.Add("ref: a value is required: other sheets point at this row through it.");
            }
            else if (!records.TryAdd(key, record))
            {
                errors.Add($"ref: {key} is used by another row of this sheet.");
            }
        }

        public T? Find<T>(Dictionary<string, T> records, string column) where T : class
        {
            var key = Text(column);
            if (records.TryGetValue(key, out var record))
            {
                return record;
            }

            errors.Add(key.Length == 0 ? $"{column}: a value is required." : $"{column}: no row with ref {key} in the workbook.");
            return null;
        }
    }
}
