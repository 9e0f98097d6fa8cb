using CityPairs.Domain.Cities;
using CityPairs.Domain.Common;
using CityPairs.Domain.Exchanges;
using CityPairs.Domain.Partnerships;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Common;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Features.Cities;

public sealed record CityThemeItem(int ThemeId, string Name, ThemeInterest Interest);

public sealed record CityContactItem(int Id, string Name, string Role, string Email, DateOnly ActiveFrom, DateOnly? ActiveTo);

public sealed record CityPartnershipItem(int Id, string Name, PartnershipStatus Status, MemberRole Role, IReadOnlyList<string> Partners);

public sealed record CityExchangeItem(int Id, string Title, ExchangeKind Kind, DateOnly StartsOn, string PartnershipName, bool IsOnline);

public sealed record CityDetail(
    int Id, string Name, string CountryCode, string CountryName, Region Region, string? AdminArea, CityKind Kind,
    int? Population, double Latitude, double Longitude, IReadOnlyList<string> Languages, string Profile,
    IReadOnlyList<int> PrioritySdgs, IReadOnlyList<CityThemeItem> Themes, IReadOnlyList<CityContactItem> Contacts,
    IReadOnlyList<CityPartnershipItem> Partnerships, IReadOnlyList<CityExchangeItem> RecentExchanges,
    bool IsArchived, uint Version)
{
    /// <summary>The current user may change this city (and so sees its contacts).</summary>
    public bool CanEdit { get; init; }

    /// <summary>The current user sees the contacts: they may edit the city, or it accepted their proposal (decision 0005).</summary>
    /// <remarks>For the page; an API client sees the contacts themselves (the contract's field list stays as it is).</remarks>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool SeesContacts { get; init; }

    /// <summary>A city that took part in anything is archived, never deleted, so that history stays readable.</summary>
    public bool HasHistory => Partnerships.Count > 0 || RecentExchanges.Count > 0;
}

public sealed partial class CityService
{
    public const int RecentExchangeCount = 10;

    public const string DuplicateMessage = "A city with this name is already registered in this country.";

    public const string NotFoundMessage = "This city no longer exists.";

    public const string HasHistoryMessage =
        "This city has partnerships or exchanges, so it cannot be deleted; archive it instead to keep its history.";

    public async Task<CityDetail?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        // Contacts are private: only those who may change the city see them, and a facilitator whose proposal the
        // city accepted (decision 0005).
        var user = await currentUser.GetAsync();
        var canEdit = await rules.CanEditCityAsync(user, id, cancellationToken);
        var seesContacts = canEdit || await rules.SeesContactsAsync(user, id, cancellationToken);
        await using var db = await dbFactory.CreateForAsync(currentUser, cancellationToken);
        var city = await db.Cities.AsNoTracking().Where(c => c.Id == id)
            .Select(c => new
            {
                c.Id, c.Name, c.CountryCode, c.Region, c.AdminArea, c.Kind, c.Population, c.Latitude, c.Longitude,
                c.Languages, c.Profile, c.PrioritySdgs, c.IsArchived, c.Version,
                Themes = c.Themes.Join(db.Themes, ct => ct.ThemeId, t => t.Id, (ct, t) => new CityThemeItem(t.Id, t.Name, ct.Interest)).ToList(),
                Contacts = c.Contacts.OrderBy(x => x.ActiveTo != null).ThenByDescending(x => x.ActiveFrom)
                    .Select(x => new CityContactItem(x.Id, x.Name, x.Role, x.Email, x.ActiveFrom, x.ActiveTo)).ToList(),
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (city is null)
        {
            return null;
        }

        var partnerships = await db.Partnerships.AsNoTracking()
            .Where(p => p.Members.Any(m => m.CityId == id))
            .OrderBy(p => p.Name)
            .Select(p => new
            {
                p.Id, p.Name, p.Status,
                Role = p.Members.Where(m => m.CityId == id).Select(m => m.Role).First(),
                Partners = p.Members.Where(m => m.CityId != id)
                    .Join(db.Cities, m => m.CityId, c => c.Id, (m, c) => c.Name).ToList(),
            })
            .ToListAsync(cancellationToken);

        var partnershipIds = partnerships.Select(p => p.Id).ToList();
        var exchanges = await db.Exchanges.AsNoTracking()
            .Where(e => partnershipIds.Contains(e.PartnershipId) || e.HostCityId == id)
            .OrderByDescending(e => e.StartsOn).ThenBy(e => e.Title)
            .Take(RecentExchangeCount)
            .Join(db.Partnerships, e => e.PartnershipId, p => p.Id,
                (e, p) => new CityExchangeItem(e.Id, e.Title, e.Kind, e.StartsOn, p.Name, e.IsOnline))
            .ToListAsync(cancellationToken);

        return new CityDetail(
            city.Id, city.Name, city.CountryCode, Countries.NameOf(city.CountryCode), city.Region, city.AdminArea, city.Kind,
            city.Population, city.Latitude, city.Longitude, city.Languages, city.Profile, [.. city.PrioritySdgs.Order()],
            [.. city.Themes.OrderBy(t => t.Name, StringComparer.CurrentCulture)], seesContacts ? city.Contacts : [],
            [.. partnerships.Select(p => new CityPartnershipItem(p.Id, p.Name, p.Status, p.Role, [.. p.Partners.Order(StringComparer.CurrentCulture)]))],
            exchanges, city.IsArchived, city.Version) { CanEdit = canEdit, SeesContacts = seesContacts };
    }

    /// <summary>The city as an editable form, with its current version for the concurrency check.</summary>
    public async Task<CityForm?> GetFormAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateForAsync(currentUser, cancellationToken);
        var city = await db.Cities.AsNoTracking().Include(c => c.Themes).Include(c => c.Contacts)
            .SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        return city is null ? null : new CityForm
        {
            Id = city.Id,
            Version = city.Version,
            Name = city.Name,
            CountryCode = city.CountryCode,
            Region = city.Region,
            AdminArea = city.AdminArea,
            Kind = city.Kind,
            Population = city.Population,
            Latitude = city.Latitude,
            Longitude = city.Longitude,
            Languages = string.Join(", ", city.Languages),
            Profile = city.Profile,
            PrioritySdgs = [.. city.PrioritySdgs.Order()],
            Themes = [.. city.Themes.OrderBy(t => t.ThemeId).Select(t => new CityThemeForm { ThemeId = t.ThemeId, Interest = t.Interest })],
            Contacts = [.. city.Contacts.OrderBy(c => c.ActiveFrom).ThenBy(c => c.Id).Select(c => new CityContactForm
            {
                Id = c.Id, Name = c.Name, Role = c.Role, Email = c.Email,
                ActiveFrom = CityContactForm.Format(c.ActiveFrom),
                ActiveTo = c.ActiveTo is { } to ? CityContactForm.Format(to) : null,
            })],
        };
    }

    /// <summary>The city registered under this name in this country (case-insensitive), if any, other than <paramref name="exceptId"/>.</summary>
    public async Task<int?> FindDuplicateAsync(string name, string countryCode, int? exceptId = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateForAsync(currentUser, cancellationToken);
        return await FindDuplicateAsync(db, name, countryCode, exceptId, cancellationToken);
    }

    // The duplicate check and the load before the save read the database too: an outage there is "unavailable" as well.
    public Task<SaveResult<int>> CreateAsync(CityForm form, CancellationToken cancellationToken = default) =>
        _write.RunAsync(write => CreateCoreAsync(write, form, cancellationToken), cancellationToken);

    public Task<SaveResult<int>> UpdateAsync(CityForm form, CancellationToken cancellationToken = default) =>
        _write.RunAsync(write => UpdateCoreAsync(write, form, cancellationToken), cancellationToken);

    private async Task<SaveResult<int>> CreateCoreAsync(WriteScope write, CityForm form, CancellationToken cancellationToken)
    {
        var db = write.Db;
        var registration = await rules.CityRegistrationAsync(write.User, cancellationToken);
        if (await CheckNewAsync(registration, form, cancellationToken) is { } problem)
        {
            return problem;
        }

        if (await FindDuplicateAsync(db, form.Name, form.CountryCode!, null, cancellationToken) is { } existing)
        {
            return SaveResult<int>.Duplicate(DuplicateMessage, existing);
        }

        var city = await AddNewAsync(db, registration, form, cancellationToken);
        return await write.SaveAsync(() => city.Id, cancellationToken);
    }

    /// <summary>
    /// The rules for a new city that need no database read of their own: may this person register cities
    /// (<see cref="AccessRules.CityRegistrationAsync"/>, asked once by the caller), then the form's rules. The form
    /// and the portfolio workbook ask here; the duplicate check is the caller's (one query per form, one preloaded
    /// set of names per workbook).
    /// </summary>
    public async Task<SaveResult<int>?> CheckNewAsync(CityRegistration registration, CityForm form, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(form);
        if (registration.Refusal is { } refusal)
        {
            return SaveResult<int>.Forbidden(refusal);
        }

        var validation = await validator.ValidateAsync(form, cancellationToken);
        return validation.IsValid ? null : SaveResult<int>.Invalid(validation.Errors);
    }

    /// <summary>Adds a checked new city to <paramref name="db"/>, claimed for the registering officer's programmes; the caller saves.</summary>
    public static async Task<City> AddNewAsync(Data.CityPairsDbContext db, CityRegistration registration, CityForm form, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(form);
        var city = new City { Name = form.Name.Trim(), CountryCode = form.CountryCode!.ToUpperInvariant() };
        Apply(form, city);
        if (registration.ClaimingProgrammes.Count > 0)
        {
            // The id is drawn first so the programmes' claim is saved in the same SaveChanges as the city.
            city.Id = await db.NextIdAsync<City>(cancellationToken);
            db.ProgrammeCities.AddRange(registration.ClaimingProgrammes.Select(p => new ProgrammeCity { ProgrammeId = p, CityId = city.Id }));
        }

        db.Cities.Add(city);
        return city;
    }

    private async Task<SaveResult<int>> UpdateCoreAsync(WriteScope write, CityForm form, CancellationToken cancellationToken)
    {
        var db = write.Db;
        if (form.Id is not { } id)
        {
            return SaveResult<int>.NotFound(NotFoundMessage);
        }

        if (!await rules.CanEditCityAsync(write.User, id, cancellationToken))
        {
            return SaveResult<int>.Forbidden();
        }

        var validation = await validator.ValidateAsync(form, cancellationToken);
        if (!validation.IsValid)
        {
            return SaveResult<int>.Invalid(validation.Errors);
        }

        var city = await db.Cities.Include(c => c.Themes).Include(c => c.Contacts).SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (city is null)
        {
            return SaveResult<int>.NotFound(NotFoundMessage);
        }

        if (await FindDuplicateAsync(db, form.Name, form.CountryCode!, id, cancellationToken) is { } existing)
        {
            return SaveResult<int>.Duplicate(DuplicateMessage, existing);
        }

        write.ExpectVersion(city, form.Version);
        city.Name = form.Name.Trim();
        city.CountryCode = form.CountryCode!.ToUpperInvariant();
        Apply(form, city);
        return await write.SaveAsync(() => city.Id, cancellationToken);
    }

    /// <summary>Hides the city from default lists; its partnerships and exchanges keep pointing at it.</summary>
    public Task<SaveResult<int>> ArchiveAsync(int id, uint version, CancellationToken cancellationToken = default) =>
        SetArchivedAsync(id, version, archived: true, cancellationToken);

    public Task<SaveResult<int>> RestoreAsync(int id, uint version, CancellationToken cancellationToken = default) =>
        SetArchivedAsync(id, version, archived: false, cancellationToken);

    /// <summary>Removes a city that never took part in anything (typically one registered by mistake).</summary>
    public Task<SaveResult<int>> DeleteAsync(int id, uint version, CancellationToken cancellationToken = default) =>
        _write.RunAsync(async write =>
        {
            if (!await CanArchiveAsync(write.User, id, cancellationToken))
            {
                return SaveResult<int>.Forbidden();
            }

            var city = await write.Db.Cities.SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
            if (city is null)
            {
                return SaveResult<int>.NotFound(NotFoundMessage);
            }

            var hasHistory = await write.Db.Partnerships.AnyAsync(p => p.Members.Any(m => m.CityId == id), cancellationToken) ||
                await write.Db.Exchanges.AnyAsync(e => e.HostCityId == id, cancellationToken);
            if (hasHistory)
            {
                return SaveResult<int>.Refused(HasHistoryMessage);
            }

            write.ExpectVersion(city, version);
            write.Db.Cities.Remove(city);
            return await write.SaveAsync(() => id, cancellationToken);
        }, cancellationToken);

    /// <summary>Archiving or deleting a city is an officer's or administrator's decision, not a coordinator's.</summary>
    public async Task<bool> CanArchiveAsync(int id, CancellationToken cancellationToken = default) =>
        await CanArchiveAsync(await currentUser.GetAsync(), id, cancellationToken);

    private async Task<bool> CanArchiveAsync(System.Security.Claims.ClaimsPrincipal user, int id, CancellationToken cancellationToken) =>
        (AccessRules.IsAdministrator(user) || AccessRules.IsOfficer(user)) && await rules.CanEditCityAsync(user, id, cancellationToken);

    private Task<SaveResult<int>> SetArchivedAsync(int id, uint version, bool archived, CancellationToken cancellationToken) =>
        _write.RunAsync(async write =>
        {
            if (!await CanArchiveAsync(write.User, id, cancellationToken))
            {
                return SaveResult<int>.Forbidden();
            }

            var city = await write.Db.Cities.SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
            if (city is null)
            {
                return SaveResult<int>.NotFound(NotFoundMessage);
            }

            write.ExpectVersion(city, version);
            city.IsArchived = archived;
            return await write.SaveAsync(() => id, cancellationToken);
        }, cancellationToken);

    private static Task<int?> FindDuplicateAsync(Data.CityPairsDbContext db, string name, string countryCode, int? exceptId, CancellationToken cancellationToken)
    {
        var pattern = LikePattern.Escape(name.Trim());
        var country = countryCode.Trim().ToUpperInvariant();
        return db.Cities.AsNoTracking()
            .Where(c => c.CountryCode == country && EF.Functions.ILike(c.Name, pattern) && c.Id != exceptId)
            .Select(c => (int?)c.Id)
            .FirstOrDefaultAsync(cancellationToken);
    }

    private static void Apply(CityForm form, City city)
    {
        city.Region = form.Region!.Value;
        city.AdminArea = string.IsNullOrWhiteSpace(form.AdminArea) ? null : form.AdminArea.Trim();
        city.Kind = form.Kind;
        city.Population = form.Population;
        city.Latitude = form.Latitude;
        city.Longitude = form.Longitude;
        city.Languages = [.. form.LanguageCodes()];
        city.Profile = form.Profile.Trim();
        city.PrioritySdgs = [.. form.PrioritySdgs.Distinct().Order()];

        // Themes are keyed by (city, theme): change rows in place rather than remove and re-add the same key.
        var wanted = form.Themes.Where(t => t.ThemeId is not null).ToDictionary(t => t.ThemeId!.Value, t => t.Interest);
        city.Themes.RemoveAll(t => !wanted.ContainsKey(t.ThemeId));
        foreach (var (themeId, interest) in wanted)
        {
            if (city.Themes.Find(t => t.ThemeId == themeId) is { } existing)
            {
                existing.Interest = interest;
            }
            else
            {
                city.Themes.Add(new CityTheme { ThemeId = themeId, Interest = interest });
            }
        }

        // Contacts are history: a contact missing from the form is left as it is, never deleted; ending one sets ActiveTo.
        foreach (var row in form.Contacts)
        {
            var contact = row.Id is { } contactId ? city.Contacts.Find(c => c.Id == contactId) : null;
            if (contact is null)
            {
                contact = new CityContact { Name = "", Email = "" };
                city.Contacts.Add(contact);
            }

            contact.Name = row.Name.Trim();
            contact.Role = row.Role.Trim();
            contact.Email = row.Email.Trim();
            contact.ActiveFrom = CityContactForm.TryParseDate(row.ActiveFrom, out var from) ? from : contact.ActiveFrom;
            contact.ActiveTo = CityContactForm.TryParseDate(row.ActiveTo, out var to) ? to : null;
        }
    }
}
