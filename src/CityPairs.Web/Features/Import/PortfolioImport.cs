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
using CityPairs.Web.Features.Export;
using CityPairs.Web.Features.Partnerships;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Features.Import;

/// <summary>
/// Reads a <see cref="PortfolioWorkbook"/> (programmes, cities with contacts and themes, partnerships with members,
/// programmes, agreements and status history, exchanges) into this database, all or nothing: every row is checked
/// first and the report names each problem by sheet and line; only a workbook without problems is written, in one
/// transaction. Meant for an installation without these records yet: a programme or city already here is a problem.
/// </summary>
public sealed class PortfolioImport(
    IDbContextFactory<CityPairsDbContext> dbFactory, IValidator<CityForm> cityValidator, IValidator<PartnershipForm> partnershipValidator,
    ICurrentUser currentUser, ILogger<PortfolioImport>? logger = null)
{
    private readonly ILogger _logger = logger.OrNull();

    /// <summary>The records a workbook holds, linked to each other; ids are filled as they are saved.</summary>
    private sealed class Plan
    {
        public List<ImportRow> Rows { get; } = [];
        public Dictionary<string, Programme> Programmes { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, City> Cities { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, Partnership> Partnerships { get; } = new(StringComparer.Ordinal);
        public List<(Partnership Partnership, PartnershipMember Member, City City)> Members { get; } = [];
        public List<(Partnership Partnership, PartnershipProgramme Link, Programme Programme)> ProgrammeLinks { get; } = [];
        public List<(Exchange Exchange, Partnership Partnership, City? Host)> Exchanges { get; } = [];

        /// <summary>The problems of the row each city or partnership came from, for the checks that need other sheets.</summary>
        public Dictionary<object, List<string>> ErrorsOf { get; } = new(ReferenceEqualityComparer.Instance);

        public int Records => Programmes.Count + Cities.Count + Partnerships.Count + Exchanges.Count;
    }

    /// <summary>What would be imported and every problem; nothing is written.</summary>
    public async Task<ImportResult> PreviewAsync(IReadOnlyDictionary<string, Table> workbook, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var plan = await ParseAsync(db, workbook, cancellationToken);
        var problems = plan.Rows.Where(r => !r.IsValid).ToList();
        return problems.Count > 0
            ? new ImportResult(false, 0, $"{problems.Count} row(s) have problems. Nothing would be imported.", problems)
            : new ImportResult(false, plan.Records, Summary(plan, "would be imported"), []);
    }

    public async Task<ImportResult> CommitAsync(IReadOnlyDictionary<string, Table> workbook, CancellationToken cancellationToken = default)
    {
        // An outage is an answer, not a crash: the panel keeps the workbook for another try.
        try
        {
            return await CommitCoreAsync(workbook, cancellationToken);
        }
        catch (Exception ex) when (Common.DatabaseOutage.Is(ex))
        {
            Common.SaveLog.Unreachable(_logger, ex);
            return new ImportResult(false, 0, Common.DatabaseOutage.Message, []);
        }
    }

    private async Task<ImportResult> CommitCoreAsync(IReadOnlyDictionary<string, Table> workbook, CancellationToken cancellationToken)
    {
        // A workbook creates programmes, which only administrators may (AccessRules.CanRegisterProgramme).
        if (!AccessRules.IsAdministrator(await currentUser.GetAsync()))
        {
            return new ImportResult(false, 0, AccessRules.Refusal, []);
        }

        var preview = await PreviewAsync(workbook, cancellationToken);
        if (preview.Problems.Count > 0)
        {
            return preview with { Message = $"{preview.Problems.Count} row(s) have problems. Nothing was imported: fix them." };
        }

        await using var db = await dbFactory.CreateForAsync(currentUser, cancellationToken);
        var strategy = db.Database.CreateExecutionStrategy();
        Plan? saved = null;
        try
        {
            await strategy.ExecuteAsync(async ct =>
            {
                // A retry starts again from the file: the entities are rebuilt against this context's themes.
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var plan = await ParseAsync(db, workbook, ct);
                if (plan.Rows.Any(r => !r.IsValid))
                {
                    throw new DbUpdateException("The database changed since the preview.");
                }

                db.Programmes.AddRange(plan.Programmes.Values);
                db.Cities.AddRange(plan.Cities.Values);
                await db.SaveChangesAsync(ct);
                foreach (var (partnership, member, city) in plan.Members)
                {
                    member.CityId = city.Id;
                    partnership.Members.Add(member);
                }

                foreach (var (partnership, link, programme) in plan.ProgrammeLinks)
                {
                    link.ProgrammeId = programme.Id;
                    partnership.Programmes.Add(link);
                }

                db.Partnerships.AddRange(plan.Partnerships.Values);
                await db.SaveChangesAsync(ct);
                foreach (var (exchange, partnership, host) in plan.Exchanges)
                {
                    exchange.PartnershipId = partnership.Id;
                    exchange.HostCityId = host?.Id;
                    db.Exchanges.Add(exchange);
                }

                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                saved = plan;
            }, cancellationToken);
        }
        catch (DbUpdateException ex)
        {
            Common.SaveLog.ImportRefused(_logger, ex);
            var reason = Common.SafeSave.FindPostgresError(ex)?.MessageText ?? ex.Message;
            return new ImportResult(false, 0, $"The database refused the import ({reason}). Nothing was imported.", []);
        }

        return new ImportResult(true, saved!.Records, Summary(saved, "imported"), []);
    }

    private static string Summary(Plan plan, string verb) =>
        $"{plan.Programmes.Count} programmes, {plan.Cities.Count} cities, {plan.Partnerships.Count} partnerships and {plan.Exchanges.Count} exchanges {verb}.";

    private async Task<Plan> ParseAsync(CityPairsDbContext db, IReadOnlyDictionary<string, Table> workbook, CancellationToken cancellationToken)
    {
        var plan = new Plan();
        var themes = await db.Themes.ToDictionaryAsync(t => t.Name, StringComparer.OrdinalIgnoreCase, cancellationToken);
        var programmeNames = (await db.Programmes.AsNoTracking().Select(p => p.ShortName).ToListAsync(cancellationToken)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var cityKeys = (await db.Cities.AsNoTracking().Select(c => new { c.CountryCode, c.Name }).ToListAsync(cancellationToken))
            .Select(c => c.CountryCode + "|" + c.Name.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);

        Each(workbook, plan, "programmes", (r, label, errors) =>
        {
            var programme = new Programme
            {
                Name = r.Text("name"), ShortName = r.Text("short_name"), Funder = r.Text("funder"), StartsOn = r.Date("starts_on") ?? default,
                EndsOn = r.Date("ends_on"), Description = r.Text("description"), Website = r.Text("website") is { Length: > 0 } w ? w : null,
                Modalities = r.Json<List<Modality>>("modalities") ?? [], Eligibility = r.Json<List<EligibilityRule>>("eligibility") ?? [],
                MatchWeights = r.Json<ProgrammeMatchWeights>("match_weights"),
            };
            label(programme.ShortName);
            r.Required("name", "short_name", "starts_on");
            if (programmeNames.Contains(programme.ShortName) || plan.Programmes.Values.Any(p => string.Equals(p.ShortName, programme.ShortName, StringComparison.OrdinalIgnoreCase)))
            {
                errors.Add($"short_name: a programme \"{programme.ShortName}\" is already registered.");
            }

            r.AddRef(plan.Programmes, programme);
        });

        Each(workbook, plan, "cities", (r, label, errors) =>
        {
            var city = new City
            {
                Name = r.Text("name"), CountryCode = r.Text("country_code").ToUpperInvariant(), Region = r.Enum<Region>("region") ?? default,
                AdminArea = r.Text("admin_area") is { Length: > 0 } a ? a : null, Kind = r.Enum<CityKind>("kind") ?? CityKind.City, Population = r.Int("population"),
                Latitude = r.Double("latitude") ?? 0, Longitude = r.Double("longitude") ?? 0, Languages = r.Json<List<string>>("languages") ?? [],
                PrioritySdgs = r.Json<List<int>>("priority_sdgs") ?? [], Profile = r.Text("profile"), IsArchived = r.Bool("archived"),
            };
            label($"{city.Name} ({city.CountryCode})");
            r.Required("name", "country_code", "region", "latitude", "longitude");
            foreach (var interest in r.Json<List<PortfolioWorkbook.ThemeInterestCell>>("themes") ?? [])
            {
                if (themes.TryGetValue(interest.Theme, out var theme))
                {
                    city.Themes.Add(new CityTheme { ThemeId = theme.Id, Interest = interest.Interest });
                }
                else
                {
                    errors.Add($"themes: no theme \"{interest.Theme}\".");
                }
            }

            var key = city.CountryCode + "|" + city.Name.ToUpperInvariant();
            if (cityKeys.Contains(key) || plan.Cities.Values.Any(c => c.CountryCode + "|" + c.Name.ToUpperInvariant() == key))
            {
                errors.Add($"name: {city.Name} ({city.CountryCode}) is already registered.");
            }

            r.AddRef(plan.Cities, city);
            plan.ErrorsOf[city] = errors;
        });

        Each(workbook, plan, "contacts", (r, label, errors) =>
        {
            label(r.Text("name"));
            r.Required("name", "email", "active_from");
            if (r.Find(plan.Cities, "city_ref") is { } city)
            {
                city.Contacts.Add(new CityContact
                {
                    Name = r.Text("name"), Role = r.Text("role"), Email = r.Text("email"), ActiveFrom = r.Date("active_from") ?? default, ActiveTo = r.Date("active_to"),
                });
            }
        });

        Each(workbook, plan, "partnerships", (r, label, errors) =>
        {
            var partnership = new Partnership
            {
                Name = r.Text("name"), Modality = r.Enum<Modality>("modality") ?? Modality.Pairing, StartedOn = r.Date("started_on"),
                Description = r.Text("description"), ExitStrategy = r.Text("exit_strategy"), Sdgs = r.Json<List<int>>("sdgs") ?? [], IsArchived = r.Bool("archived"),
            };
            label(partnership.Name);
            r.Required("name");
            partnership.Themes = [.. Themes(r, themes, errors)];
            r.AddRef(plan.Partnerships, partnership);
            plan.ErrorsOf[partnership] = errors;
        });

        Each(workbook, plan, "members", (r, label, errors) =>
        {
            label(r.Text("partnership_ref") + " / " + r.Text("city_ref"));
            var member = new PartnershipMember
            {
                Role = r.Enum<MemberRole>("role") ?? MemberRole.Partner, Expectations = r.Text("expectations"), Contributions = r.Text("contributions"),
            };
            if (r.Find(plan.Partnerships, "partnership_ref") is { } partnership && r.Find(plan.Cities, "city_ref") is { } city)
            {
                plan.Members.Add((partnership, member, city));
            }
        });

        Each(workbook, plan, "partnership_programmes", (r, label, errors) =>
        {
            label(r.Text("partnership_ref") + " / " + r.Text("programme_ref"));
            var link = new PartnershipProgramme { From = r.Date("from"), To = r.Date("to") };
            if (r.Find(plan.Partnerships, "partnership_ref") is { } partnership && r.Find(plan.Programmes, "programme_ref") is { } programme)
            {
                plan.ProgrammeLinks.Add((partnership, link, programme));
            }
        });

        // The lifecycle is replayed row by row, so status, end date and reason follow from the history as the rules say.
        Each(workbook, plan, "status_history", (r, label, errors) =>
        {
            var to = r.Enum<PartnershipStatus>("to");
            var on = r.Date("on");
            label($"{r.Text("partnership_ref")} {r.Text("to")}");
            r.Required("to", "on");
            if (r.Find(plan.Partnerships, "partnership_ref") is not { } partnership || to is null || on is null)
            {
                return;
            }

            var by = r.Text("by") is { Length: > 0 } b ? b : null;
            try
            {
                switch (to.Value)
                {
                    case PartnershipStatus.Proposed:
                        partnership.Propose(on.Value, by);
                        break;
                    case PartnershipStatus.Agreed:
                        partnership.Agree(on.Value, null, by);
                        break;
                    case PartnershipStatus.Active:
                        partnership.Activate(on.Value, by);
                        break;
                    case PartnershipStatus.Completed:
                        partnership.Complete(on.Value, by);
                        break;
                    case PartnershipStatus.Discontinued:
                        partnership.Discontinue(r.Text("reason"), on.Value, by);
                        break;
                }
            }
            catch (DomainRuleException ex)
            {
                errors.Add($"to: {ex.Message}");
            }
        });

        foreach (var (name, partnership) in plan.Partnerships.Where(p => p.Value.StatusHistory.Count == 0))
        {
            plan.Rows.Add(new ImportRow(0, $"partnerships: {partnership.Name}", [$"status_history: no status rows for partnership ref {name}; it needs at least \"Proposed\"."]));
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
            var exchange = new Exchange
            {
                Title = r.Text("title"), Kind = r.Enum<ExchangeKind>("kind") ?? ExchangeKind.StudyVisit, StartsOn = r.Date("starts_on") ?? default,
                EndsOn = r.Date("ends_on") ?? default, IsOnline = r.Bool("online"), Participants = r.Json<List<ParticipantCount>>("participants") ?? [],
                InterpretationLanguages = r.Json<List<string>>("interpretation_languages") ?? [], Sdgs = r.Json<List<int>>("sdgs") ?? [],
                Outcomes = r.Text("outcomes"), FollowUps = r.Text("follow_ups"), Documents = r.Json<List<DocumentLink>>("documents") ?? [],
            };
            label(exchange.Title);
            r.Required("title", "kind", "starts_on", "ends_on");
            exchange.Themes = [.. Themes(r, themes, errors)];
            var host = r.Text("host_city_ref").Length > 0 ? r.Find(plan.Cities, "host_city_ref") : null;
            if (r.Find(plan.Partnerships, "partnership_ref") is { } partnership)
            {
                plan.Exchanges.Add((exchange, partnership, host));
            }
        });

        await ValidateAsync(plan, cancellationToken);
        return plan;
    }

    /// <summary>The same rules as the city and partnership forms (plain text, lengths, ranges, members), once every sheet is read.</summary>
    private async Task ValidateAsync(Plan plan, CancellationToken cancellationToken)
    {
        var number = new Dictionary<City, int>(ReferenceEqualityComparer.Instance);
        foreach (var city in plan.Cities.Values)
        {
            number.TryAdd(city, number.Count + 1);
        }

        foreach (var city in plan.Cities.Values)
        {
            var form = new CityForm
            {
                Name = city.Name, CountryCode = city.CountryCode, Region = city.Region, AdminArea = city.AdminArea, Kind = city.Kind, Population = city.Population,
                Latitude = city.Latitude, Longitude = city.Longitude, Languages = string.Join(", ", city.Languages), Profile = city.Profile,
                PrioritySdgs = city.PrioritySdgs,
                Themes = [.. city.Themes.Select(t => new CityThemeForm { ThemeId = t.ThemeId, Interest = t.Interest })],
                Contacts = [.. city.Contacts.Select(c => new CityContactForm
                {
                    Name = c.Name, Role = c.Role, Email = c.Email, ActiveFrom = CityContactForm.Format(c.ActiveFrom),
                    ActiveTo = c.ActiveTo is { } to ? CityContactForm.Format(to) : null,
                })],
            };
            var result = await cityValidator.ValidateAsync(form, cancellationToken);
            plan.ErrorsOf[city].AddRange(result.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}"));
        }

        foreach (var partnership in plan.Partnerships.Values)
        {
            var form = new PartnershipForm
            {
                Name = partnership.Name, Modality = partnership.Modality, StartedOn = partnership.StartedOn?.ToDateTime(TimeOnly.MinValue),
                Description = partnership.Description, ExitStrategy = partnership.ExitStrategy, Sdgs = partnership.Sdgs,
                Members = [.. plan.Members.Where(m => m.Partnership == partnership).Select(m => new MemberForm
                {
                    CityId = number[m.City], CityName = m.City.Name, Role = m.Member.Role, Expectations = m.Member.Expectations, Contributions = m.Member.Contributions,
                })],
            };
            var result = await partnershipValidator.ValidateAsync(form, cancellationToken);
            plan.ErrorsOf[partnership].AddRange(result.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}"));
        }
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
