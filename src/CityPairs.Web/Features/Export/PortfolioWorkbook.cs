using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace CityPairs.Web.Features.Export;

/// <summary>
/// The whole portfolio as one Excel workbook, one sheet per kind of record, for moving it to another installation:
/// <see cref="Import.PortfolioImport"/> reads it back into an empty database as the same records. Rows point at
/// each other through "ref" columns (the ids in this database), which mean nothing outside the workbook.
/// Structured values (eligibility rules, participants, documents, lists) are JSON inside their cell.
/// Contacts are private: the contacts sheet holds only the cities whose contacts the exporting user may see
/// (<see cref="AccessRules.ContactScopeAsync"/>: all for an administrator, the programmes' cities for an officer);
/// every other sheet is whole. See docs/decisions/0005-contacts-privacy.md.
/// </summary>
public sealed class PortfolioWorkbook(IDbContextFactory<CityPairsDbContext> dbFactory, ICurrentUser currentUser, AccessRules rules)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static readonly IReadOnlyDictionary<string, string[]> Sheets = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["programmes"] = ["ref", "name", "short_name", "funder", "starts_on", "ends_on", "description", "modalities", "eligibility", "website", "match_weights"],
        ["cities"] = ["ref", "name", "country_code", "region", "admin_area", "kind", "population", "latitude", "longitude", "languages", "priority_sdgs", "profile", "themes", "archived"],
        ["contacts"] = ["city_ref", "name", "role", "email", "active_from", "active_to"],
        ["partnerships"] = ["ref", "name", "modality", "started_on", "description", "exit_strategy", "themes", "sdgs", "archived"],
        ["members"] = ["partnership_ref", "city_ref", "role", "expectations", "contributions"],
        ["partnership_programmes"] = ["partnership_ref", "programme_ref", "from", "to"],
        ["agreements"] = ["partnership_ref", "kind", "signed_on", "valid_until", "note"],
        ["status_history"] = ["partnership_ref", "from", "to", "on", "reason", "by"],
        ["exchanges"] = ["partnership_ref", "kind", "title", "starts_on", "ends_on", "host_city_ref", "online", "participants", "interpretation_languages", "themes", "sdgs", "outcomes", "follow_ups", "documents"],
    };

    public async Task<Dictionary<string, Table>> TablesAsync(CancellationToken cancellationToken = default)
    {
        var contactScope = await rules.ContactScopeAsync(await currentUser.GetAsync(), cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var themes = await db.Themes.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
        var tables = new Dictionary<string, Table>(StringComparer.Ordinal);

        var programmes = await db.Programmes.AsNoTracking().OrderBy(p => p.Id).ToListAsync(cancellationToken);
        tables["programmes"] = Rows("programmes", programmes.Select(p => new[]
        {
            Ref(p.Id), p.Name, p.ShortName, p.Funder, Date(p.StartsOn), Date(p.EndsOn), p.Description, ToJson(p.Modalities), ToJson(p.Eligibility),
            p.Website ?? "", p.MatchWeights is null ? "" : ToJson(p.MatchWeights),
        }));

        var cities = await db.Cities.AsNoTracking().Include(c => c.Themes).AsSplitQuery().OrderBy(c => c.Id).ToListAsync(cancellationToken);
        var visible = contactScope.Ids.ToList();
        var contacts = await db.CityContacts.AsNoTracking()
            .Where(x => contactScope.All || visible.Contains(x.CityId))
            .OrderBy(x => x.CityId).ThenBy(x => x.Id).ToListAsync(cancellationToken);
        tables["cities"] = Rows("cities", cities.Select(c => new[]
        {
            Ref(c.Id), c.Name, c.CountryCode, c.Region.ToString(), c.AdminArea ?? "", c.Kind.ToString(), c.Population?.ToString(CultureInfo.InvariantCulture) ?? "",
            c.Latitude.ToString("R", CultureInfo.InvariantCulture), c.Longitude.ToString("R", CultureInfo.InvariantCulture), ToJson(c.Languages), ToJson(c.PrioritySdgs),
            c.Profile, ToJson(c.Themes.OrderBy(t => themes[t.ThemeId], StringComparer.Ordinal).Select(t => new ThemeInterestCell(themes[t.ThemeId], t.Interest))), Bool(c.IsArchived),
        }));
        tables["contacts"] = Rows("contacts", contacts.Select(x => new[]
        {
            Ref(x.CityId), x.Name, x.Role, x.Email, Date(x.ActiveFrom), Date(x.ActiveTo),
        }));

        var partnerships = await db.Partnerships.AsNoTracking()
            .Include(p => p.Members).Include(p => p.Programmes).Include(p => p.Themes).Include(p => p.Agreements).Include(p => p.StatusHistory)
            .AsSplitQuery().OrderBy(p => p.Id).ToListAsync(cancellationToken);
        tables["partnerships"] = Rows("partnerships", partnerships.Select(p => new[]
        {
            Ref(p.Id), p.Name, p.Modality.ToString(), Date(p.StartedOn), p.Description, p.ExitStrategy, ToJson(p.Themes.Select(t => t.Name).Order(StringComparer.Ordinal)),
            ToJson(p.Sdgs), Bool(p.IsArchived),
        }));
        tables["members"] = Rows("members", partnerships.SelectMany(p => p.Members.OrderBy(m => m.CityId).Select(m => new[]
        {
            Ref(p.Id), Ref(m.CityId), m.Role.ToString(), m.Expectations, m.Contributions,
        })));
        tables["partnership_programmes"] = Rows("partnership_programmes", partnerships.SelectMany(p => p.Programmes.OrderBy(x => x.ProgrammeId).Select(x => new[]
        {
            Ref(p.Id), Ref(x.ProgrammeId), Date(x.From), Date(x.To),
        })));
        tables["agreements"] = Rows("agreements", partnerships.SelectMany(p => p.Agreements.OrderBy(a => a.Id).Select(a => new[]
        {
            Ref(p.Id), a.Kind.ToString(), Date(a.SignedOn), Date(a.ValidUntil), a.Note,
        })));
        tables["status_history"] = Rows("status_history", partnerships.SelectMany(p => p.StatusHistory.OrderBy(h => h.On).ThenBy(h => h.Id).Select(h => new[]
        {
            Ref(p.Id), h.From?.ToString() ?? "", h.To.ToString(), Date(h.On), h.Reason ?? "", h.By ?? "",
        })));

        var exchanges = await db.Exchanges.AsNoTracking().Include(e => e.Themes).OrderBy(e => e.Id).ToListAsync(cancellationToken);
        tables["exchanges"] = Rows("exchanges", exchanges.Select(e => new[]
        {
            Ref(e.PartnershipId), e.Kind.ToString(), e.Title, Date(e.StartsOn), Date(e.EndsOn), e.HostCityId is { } host ? Ref(host) : "", Bool(e.IsOnline),
            ToJson(e.Participants), ToJson(e.InterpretationLanguages), ToJson(e.Themes.Select(t => t.Name).Order(StringComparer.Ordinal)), ToJson(e.Sdgs),
            e.Outcomes, e.FollowUps, ToJson(e.Documents),
        }));
        return tables;
    }

    public async Task WriteAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        var tables = await TablesAsync(cancellationToken);
        var sheets = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, table) in tables)
        {
            sheets[name] = Table.SheetRows(table);
        }

        await MiniExcel.SaveAsAsync(stream, sheets, excelType: ExcelType.XLSX, cancellationToken: cancellationToken);
    }

    /// <summary>Every sheet of a workbook by name (a sheet missing from the file is an empty table).</summary>
    public static Dictionary<string, Table> Read(Stream stream, int maxRowsPerSheet = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(stream);
        // Uploads arrive buffered and already checked (Import/Upload.cs); anything else is copied to be seekable.
        using var owned = stream.CanSeek ? null : new MemoryStream();
        if (owned is not null)
        {
            stream.CopyTo(owned);
        }

        var copy = owned ?? stream;
        copy.Position = 0;
        var names = MiniExcel.GetSheetNames(copy);
        var tables = new Dictionary<string, Table>(StringComparer.Ordinal);
        foreach (var sheet in Sheets.Keys)
        {
            copy.Position = 0;
            tables[sheet] = names.Contains(sheet) ? Table.ReadXlsx(copy, sheet, maxRowsPerSheet) : new Table(Sheets[sheet], []);
        }

        return tables;
    }

    public sealed record ThemeInterestCell(string Theme, Domain.Cities.ThemeInterest Interest);

    private static Table Rows(string sheet, IEnumerable<string[]> rows) => new(Sheets[sheet], [.. rows]);

    private static string Ref(int id) => id.ToString(CultureInfo.InvariantCulture);

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    private static string ToJson<T>(T value) => JsonSerializer.Serialize(value, Json);
}
