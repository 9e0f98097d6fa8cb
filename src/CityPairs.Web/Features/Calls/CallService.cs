using System.Security.Claims;
using CityPairs.Domain.Calls;
using CityPairs.Domain.Common;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Common;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Features.Calls;

/// <summary>The filters of the calls list, for the page and the API alike. Page counts from 0.</summary>
public sealed record CallListQuery(
    int? ThemeId = null,
    int? Sdg = null,
    Region? Region = null,
    CallModality? Modality = null,
    int? CityId = null,
    bool IncludePast = false,
    int Page = 0,
    int PageSize = CallService.DefaultPageSize);

/// <summary>One call in a list. <see cref="IsLive"/> is false for expired and withdrawn calls (officers may list them).</summary>
public sealed record CallListItem(
    int Id, int CityId, string CityName, string CountryCode, Region Region, string Title, IReadOnlyList<string> Themes, IReadOnlyList<int> Sdgs,
    CallModality Modality, DateOnly StartsOn, DateOnly EndsOn, IReadOnlyList<string> WorkingLanguages, DateOnly ExpiresOn, bool IsPublic, bool IsLive);

/// <summary>A call with everything its page shows; <see cref="Version"/> is what an edit or a withdrawal must send back.</summary>
public sealed record CallDetail(
    int Id, int CityId, string CityName, string CountryCode, Region Region, string Title, IReadOnlyList<ThemeOption> Themes, IReadOnlyList<int> Sdgs,
    CallModality Modality, DateOnly StartsOn, DateOnly EndsOn, IReadOnlyList<string> WorkingLanguages, string Description, DateOnly ExpiresOn,
    bool IsPublic, DateTimeOffset? WithdrawnAt, bool IsLive, DateTimeOffset PublishedAt, uint Version);

/// <summary>
/// "Seeking partners" calls: a city says what it wants to learn, how and when, until an expiry date. Calls are
/// read by everyone who works in the programme (facilitators, officers, coordinators, administrators); the
/// public directory shows those the city marked public. A call speaks for its city, so only those who may
/// edit the city publish, change or withdraw it (<see cref="AccessRules.CanPublishCallAsync"/>). Expired calls
/// drop out of every list by query (ExpiresOn after today); nothing needs to run at midnight.
/// </summary>
public sealed class CallService(
    IDbContextFactory<CityPairsDbContext> dbFactory, IValidator<CallForm> validator, TimeProvider clock, ICurrentUser currentUser,
    AccessRules rules, ILogger<CallService>? logger = null)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    public const string NotFoundMessage = "This call no longer exists.";
    public const string ClosedMessage = "This call is closed (expired or withdrawn); publish a new one instead.";

    private readonly PortfolioWrite _write = new(dbFactory, currentUser, logger);

    public DateOnly Today() => DateOnly.FromDateTime(clock.GetLocalNow().DateTime);

    /// <summary>One page of calls, live ones only unless an officer or administrator asks for past ones too.</summary>
    public async Task<Page<CallListItem>> ListAsync(CallListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var user = await currentUser.GetAsync();
        if (!AccessRules.CanReadCalls(user))
        {
            return new Page<CallListItem>([], 0);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var today = Today();
        var calls = db.PartnerCalls.AsNoTracking();
        if (!(query.IncludePast && AccessRules.CanSeePastCalls(user)))
        {
            calls = calls.Where(c => c.WithdrawnAt == null && c.ExpiresOn > today);
        }

        if (query.ThemeId is { } themeId)
        {
            calls = calls.Where(c => c.SoughtThemeIds.Contains(themeId));
        }

        if (query.Sdg is { } sdg)
        {
            calls = calls.Where(c => c.SoughtSdgs.Contains(sdg));
        }

        if (query.Modality is { } modality)
        {
            calls = calls.Where(c => c.Modality == modality);
        }

        if (query.CityId is { } cityId)
        {
            calls = calls.Where(c => c.CityId == cityId);
        }

        if (query.Region is { } region)
        {
            calls = calls.Where(c => db.Cities.Any(city => city.Id == c.CityId && city.Region == region));
        }

        var total = await calls.CountAsync(cancellationToken);
        var pageSize = Math.Clamp(query.PageSize, 1, MaxPageSize);
        // Closing soonest first: those are the ones a partner must answer now. Paged before the cities are joined.
        var rows = await Project(db, calls.OrderBy(c => c.ExpiresOn).ThenBy(c => c.Id).Skip(Math.Max(query.Page, 0) * pageSize).Take(pageSize))
            .ToListAsync(cancellationToken);
        var themes = await ThemeNamesAsync(db, cancellationToken);
        return new Page<CallListItem>(rows.ConvertAll(r => r.ToItem(themes, today)), total);
    }

    /// <summary>A city's live calls, for its page.</summary>
    public async Task<IReadOnlyList<CallListItem>> LiveForCityAsync(int cityId, CancellationToken cancellationToken = default) =>
        (await ListAsync(new CallListQuery(CityId: cityId, PageSize: MaxPageSize), cancellationToken)).Items;

    /// <summary>
    /// Live calls the city marked public, for the directory anyone may read: the call and its city's name and
    /// country, never a contact (the city's contacts are only for those who may edit it, decision 0005).
    /// </summary>
    public async Task<Page<CallListItem>> PublicAsync(int page = 0, int pageSize = DefaultPageSize, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var today = Today();
        var calls = db.PartnerCalls.AsNoTracking().Where(c => c.IsPublic && c.WithdrawnAt == null && c.ExpiresOn > today);
        var total = await calls.CountAsync(cancellationToken);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        var rows = await Project(db, calls.OrderBy(c => c.ExpiresOn).ThenBy(c => c.Id).Skip(Math.Max(page, 0) * pageSize).Take(pageSize))
            .ToListAsync(cancellationToken);
        var themes = await ThemeNamesAsync(db, cancellationToken);
        return new Page<CallListItem>(rows.ConvertAll(r => r.ToItem(themes, today)), total);
    }

    /// <summary>
    /// One call, or null when there is none or this user may not read it: a closed call is shown only to
    /// officers, administrators and those who may edit its city.
    /// </summary>
    public async Task<CallDetail?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        var user = await currentUser.GetAsync();
        if (!AccessRules.CanReadCalls(user))
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await Project(db, db.PartnerCalls.AsNoTracking().Where(c => c.Id == id)).SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var today = Today();
        var live = row.WithdrawnAt is null && row.ExpiresOn > today;
        if (!live && !AccessRules.CanSeePastCalls(user) && !await rules.CanPublishCallAsync(user, row.CityId, cancellationToken))
        {
            return null;
        }

        var themes = await ThemeNamesAsync(db, cancellationToken);
        return new CallDetail(
            row.Id, row.CityId, row.CityName, row.CountryCode, row.Region, row.Title,
            [.. row.SoughtThemeIds.Where(themes.ContainsKey).Select(t => new ThemeOption(t, themes[t])).OrderBy(t => t.Name, StringComparer.CurrentCulture)],
            [.. row.SoughtSdgs.Order()], row.Modality, row.StartsOn, row.EndsOn, row.WorkingLanguages, row.Description, row.ExpiresOn,
            row.IsPublic, row.WithdrawnAt, live, row.CreatedAt, row.Version);
    }

    /// <summary>Whether the current user may change this call (the page shows Edit and Withdraw only then).</summary>
    public async Task<bool> CanEditAsync(int cityId, CancellationToken cancellationToken = default) =>
        await rules.CanPublishCallAsync(await currentUser.GetAsync(), cityId, cancellationToken);

    public async Task<CallForm?> GetFormAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var c = await db.PartnerCalls.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, cancellationToken);
        return c is null
            ? null
            : new CallForm
            {
                CityId = c.CityId,
                Title = c.Title,
                ThemeIds = [.. c.SoughtThemeIds],
                Sdgs = [.. c.SoughtSdgs],
                Modality = c.Modality,
                StartsOn = c.StartsOn.ToDateTime(TimeOnly.MinValue),
                EndsOn = c.EndsOn.ToDateTime(TimeOnly.MinValue),
                WorkingLanguages = string.Join(", ", c.WorkingLanguages),
                Description = c.Description,
                ExpiresOn = c.ExpiresOn.ToDateTime(TimeOnly.MinValue),
                IsPublic = c.IsPublic,
                Version = c.Version,
            };
    }

    /// <summary>The active cities this user may publish calls for whose name contains the text: every city for an administrator.</summary>
    public async Task<IReadOnlyList<CityOption>> CitiesAsync(string? text, int limit = 20, CancellationToken cancellationToken = default)
    {
        var scope = await rules.ContactScopeAsync(await currentUser.GetAsync(), cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var cities = db.Cities.AsNoTracking().Where(c => !c.IsArchived);
        if (!scope.All)
        {
            var ids = scope.Ids.ToList();
            cities = cities.Where(c => ids.Contains(c.Id));
        }

        if (!string.IsNullOrWhiteSpace(text))
        {
            var pattern = LikePattern.Containing(text);
            cities = cities.Where(c => EF.Functions.ILike(CityPairsDbContext.SearchForm(c.Name), CityPairsDbContext.SearchForm(pattern)));
        }

        return await cities.OrderBy(c => c.Name).ThenBy(c => c.Id).Take(limit)
            .Select(c => new CityOption(c.Id, c.Name, c.CountryCode, c.Region)).ToListAsync(cancellationToken);
    }

    public Task<SaveResult<int>> CreateAsync(CallForm form, CancellationToken cancellationToken = default) =>
        _write.RunAsync(write => CreateCoreAsync(write, form, cancellationToken), cancellationToken);

    private async Task<SaveResult<int>> CreateCoreAsync(WriteScope write, CallForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (!AccessRules.CanPublishCalls(write.User) || (form.CityId is { } cityId && !await rules.CanPublishCallAsync(write.User, cityId, cancellationToken)))
        {
            return SaveResult<int>.Forbidden();
        }

        if (await CheckAsync(write, form, cancellationToken) is { } problem)
        {
            return problem;
        }

        var call = new PartnerCall { CityId = form.CityId!.Value, Title = form.Title.Trim() };
        Apply(call, form);
        write.Db.PartnerCalls.Add(call);
        return await write.SaveAsync(() => call.Id, cancellationToken);
    }

    public Task<SaveResult<int>> UpdateAsync(int id, CallForm form, CancellationToken cancellationToken = default) =>
        _write.RunAsync(write => UpdateCoreAsync(write, id, form, cancellationToken), cancellationToken);

    private async Task<SaveResult<int>> UpdateCoreAsync(WriteScope write, int id, CallForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var call = await write.Db.PartnerCalls.SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (call is null)
        {
            return AccessRules.CanPublishCalls(write.User) ? SaveResult<int>.NotFound(NotFoundMessage) : SaveResult<int>.Forbidden();
        }

        // Both the city it belongs to and, if the form moves it, the city it would go to must be the user's.
        if (!await rules.CanPublishCallAsync(write.User, call.CityId, cancellationToken) ||
            (form.CityId is { } target && target != call.CityId && !await rules.CanPublishCallAsync(write.User, target, cancellationToken)))
        {
            return SaveResult<int>.Forbidden();
        }

        if (!call.IsLiveOn(Today()))
        {
            return SaveResult<int>.Refused(ClosedMessage);
        }

        if (await CheckAsync(write, form, cancellationToken) is { } problem)
        {
            return problem;
        }

        write.ExpectVersion(call, form.Version);
        call.CityId = form.CityId!.Value;
        call.Title = form.Title.Trim();
        Apply(call, form);
        write.Db.Entry(call).Property(c => c.UpdatedAt).IsModified = true;
        return await write.SaveAsync(() => call.Id, cancellationToken);
    }

    /// <summary>Closes a call before its expiry (the city found a partner, or changed its plans); a stale page cannot withdraw a newer version.</summary>
    public Task<SaveResult<int>> WithdrawAsync(int id, uint version, CancellationToken cancellationToken = default) =>
        _write.RunAsync(async write =>
        {
            var call = await write.Db.PartnerCalls.SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
            if (call is null)
            {
                return AccessRules.CanPublishCalls(write.User) ? SaveResult<int>.NotFound(NotFoundMessage) : SaveResult<int>.Forbidden();
            }

            if (!await rules.CanPublishCallAsync(write.User, call.CityId, cancellationToken))
            {
                return SaveResult<int>.Forbidden();
            }

            if (!call.IsLiveOn(Today()))
            {
                return SaveResult<int>.Refused(ClosedMessage);
            }

            write.ExpectVersion(call, version);
            call.Withdraw(clock.GetUtcNow());
            return await write.SaveAsync(() => call.Id, cancellationToken);
        }, cancellationToken);

    /// <summary>The form's rules, then what only the database knows: the city is active and the themes exist.</summary>
    private async Task<SaveResult<int>?> CheckAsync(WriteScope write, CallForm form, CancellationToken cancellationToken)
    {
        var validation = await validator.ValidateAsync(form, cancellationToken);
        if (!validation.IsValid)
        {
            return SaveResult<int>.Invalid(validation.Errors);
        }

        if (!await write.Db.Cities.AnyAsync(c => c.Id == form.CityId && !c.IsArchived, cancellationToken))
        {
            return SaveResult<int>.Invalid(nameof(CallForm.CityId), "This city no longer exists or is archived.");
        }

        var themeIds = form.ThemeIds.Distinct().ToList();
        if (await write.Db.Themes.CountAsync(t => themeIds.Contains(t.Id), cancellationToken) != themeIds.Count)
        {
            return SaveResult<int>.Invalid(nameof(CallForm.ThemeIds), "One of the chosen themes no longer exists; choose again.");
        }

        return null;
    }

    private static void Apply(PartnerCall call, CallForm form)
    {
        call.SoughtThemeIds = [.. form.ThemeIds.Distinct().Order()];
        call.SoughtSdgs = [.. form.Sdgs.Distinct().Order()];
        call.Modality = form.Modality;
        call.StartsOn = DateOnly.FromDateTime(form.StartsOn!.Value);
        call.EndsOn = DateOnly.FromDateTime(form.EndsOn!.Value);
        call.WorkingLanguages = [.. form.LanguageCodes()];
        call.Description = form.Description.Trim();
        call.ExpiresOn = DateOnly.FromDateTime(form.ExpiresOn!.Value);
        call.IsPublic = form.IsPublic;
    }

    private static Task<Dictionary<int, string>> ThemeNamesAsync(CityPairsDbContext db, CancellationToken cancellationToken) =>
        db.Themes.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);

    private sealed record CallRow(
        int Id, int CityId, string CityName, string CountryCode, Region Region, string Title, List<int> SoughtThemeIds, List<int> SoughtSdgs,
        CallModality Modality, DateOnly StartsOn, DateOnly EndsOn, List<string> WorkingLanguages, string Description, DateOnly ExpiresOn,
        bool IsPublic, DateTimeOffset? WithdrawnAt, DateTimeOffset CreatedAt, uint Version)
    {
        public CallListItem ToItem(Dictionary<int, string> themes, DateOnly today) => new(
            Id, CityId, CityName, CountryCode, Region, Title,
            [.. SoughtThemeIds.Where(themes.ContainsKey).Select(t => themes[t]).Order(StringComparer.CurrentCulture)],
            [.. SoughtSdgs.Order()], Modality, StartsOn, EndsOn, WorkingLanguages, ExpiresOn, IsPublic, WithdrawnAt is null && ExpiresOn > today);
    }

    private static IQueryable<CallRow> Project(CityPairsDbContext db, IQueryable<PartnerCall> calls) =>
        calls.Join(db.Cities, c => c.CityId, city => city.Id, (c, city) => new CallRow(
            c.Id, c.CityId, city.Name, city.CountryCode, city.Region, c.Title, c.SoughtThemeIds, c.SoughtSdgs, c.Modality, c.StartsOn, c.EndsOn,
            c.WorkingLanguages, c.Description, c.ExpiresOn, c.IsPublic, c.WithdrawnAt, c.CreatedAt, c.Version));
}
