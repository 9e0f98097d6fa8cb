using CityPairs.Domain.Exchanges;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Common;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Features.Exchanges;

public sealed record ExchangeListItem(
    int Id, int PartnershipId, string PartnershipName, ExchangeKind Kind, string Title, DateOnly StartsOn, DateOnly EndsOn,
    string? HostCity, bool IsOnline, int Participants);

/// <summary>Logs, edits and removes the exchanges of a partnership.</summary>
public sealed class ExchangeService(
    IDbContextFactory<CityPairsDbContext> dbFactory, IValidator<ExchangeForm> validator, ICurrentUser currentUser, AccessRules rules, ILogger<ExchangeService>? logger = null)
{
    private readonly PortfolioWrite _write = new(dbFactory, currentUser, logger);

    /// <summary>The cities that may host: the partnership's members.</summary>
    public async Task<IReadOnlyList<CityOption>> HostOptionsAsync(int partnershipId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateForAsync(currentUser, cancellationToken);
        var memberIds = db.Partnerships.Where(p => p.Id == partnershipId).SelectMany(p => p.Members.Select(m => m.CityId));
        return await db.Cities.AsNoTracking().Where(c => memberIds.Contains(c.Id))
            .OrderBy(c => c.Name)
            .Select(c => new CityOption(c.Id, c.Name, c.CountryCode, c.Region))
            .ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ExchangeListItem>> ListForCityAsync(int cityId, int limit = 50, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateForAsync(currentUser, cancellationToken);
        var partnershipIds = db.Partnerships.Where(p => p.Members.Any(m => m.CityId == cityId)).Select(p => p.Id);
        return await Project(db, db.Exchanges.Where(e => partnershipIds.Contains(e.PartnershipId)))
            .Take(Math.Clamp(limit, 1, 500)).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ExchangeListItem>> ListForPartnershipAsync(int partnershipId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateForAsync(currentUser, cancellationToken);
        return await Project(db, db.Exchanges.Where(e => e.PartnershipId == partnershipId)).ToListAsync(cancellationToken);
    }

    /// <summary>One page of a partnership's exchanges, newest first; null when there is no such partnership.</summary>
    public async Task<Page<ExchangeListItem>?> PageForPartnershipAsync(int partnershipId, int pageIndex, int pageSize, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateForAsync(currentUser, cancellationToken);
        if (!await db.Partnerships.AnyAsync(p => p.Id == partnershipId, cancellationToken))
        {
            return null;
        }

        var exchanges = db.Exchanges.Where(e => e.PartnershipId == partnershipId);
        var total = await exchanges.CountAsync(cancellationToken);
        var items = await Project(db, exchanges).Skip(Math.Max(pageIndex, 0) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new Page<ExchangeListItem>(items, total);
    }

    public async Task<(int PartnershipId, ExchangeForm Form)?> GetFormAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateForAsync(currentUser, cancellationToken);
        var e = await db.Exchanges.AsNoTracking().Include(x => x.Themes).SingleOrDefaultAsync(x => x.Id == id, cancellationToken);
        if (e is null)
        {
            return null;
        }

        return (e.PartnershipId, new ExchangeForm
        {
            Kind = e.Kind,
            Title = e.Title,
            StartsOn = e.StartsOn.ToDateTime(TimeOnly.MinValue),
            EndsOn = e.EndsOn.ToDateTime(TimeOnly.MinValue),
            IsOnline = e.IsOnline,
            HostCityId = e.HostCityId,
            Participants = [.. e.Participants.Select(p => new ParticipantRow { ActorType = p.ActorType, Role = p.Role, Count = p.Count })],
            InterpretationLanguages = string.Join(", ", e.InterpretationLanguages),
            ThemeIds = [.. e.Themes.Select(t => t.Id)],
            Sdgs = [.. e.Sdgs],
            Outcomes = e.Outcomes,
            FollowUps = e.FollowUps,
            Documents = [.. e.Documents.Select(d => new DocumentRow { Title = d.Title, Url = d.Url })],
            Version = e.Version,
        });
    }

    public Task<SaveResult<int>> CreateAsync(int partnershipId, ExchangeForm form, CancellationToken cancellationToken = default) =>
        _write.RunAsync(write => CreateCoreAsync(write, partnershipId, form, cancellationToken), cancellationToken);

    private async Task<SaveResult<int>> CreateCoreAsync(WriteScope write, int partnershipId, ExchangeForm form, CancellationToken cancellationToken)
    {
        var db = write.Db;
        if (!await rules.CanLogExchangeAsync(write.User, partnershipId, cancellationToken))
        {
            return SaveResult<int>.Forbidden();
        }

        var validation = await validator.ValidateAsync(form, cancellationToken);
        if (!validation.IsValid)
        {
            return SaveResult<int>.Invalid(validation.Errors);
        }

        var members = await db.Partnerships.Where(p => p.Id == partnershipId).Select(p => p.Members.Select(m => m.CityId).ToList())
            .SingleOrDefaultAsync(cancellationToken);
        if (members is null)
        {
            return SaveResult<int>.NotFound("This partnership no longer exists.");
        }

        if (await CheckNewAsync(form, members, cancellationToken) is { } problem)
        {
            return problem;
        }

        var exchange = AddNew(db, partnershipId, form, await ThemesAsync(db, form, cancellationToken));
        return await write.SaveAsync(() => exchange.Id, cancellationToken);
    }

    /// <summary>
    /// The rules for a new exchange once the caller knows who may log it: the form's rules, and the host is one of
    /// the partnership's <paramref name="memberIds"/>. The form and the portfolio workbook (which knows the members
    /// it is creating) ask here.
    /// </summary>
    public async Task<SaveResult<int>?> CheckNewAsync(ExchangeForm form, IReadOnlyCollection<int> memberIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(memberIds);
        var validation = await validator.ValidateAsync(form, cancellationToken);
        if (!validation.IsValid)
        {
            return SaveResult<int>.Invalid(validation.Errors);
        }

        return CheckHost(form, memberIds);
    }

    /// <summary>Adds a checked new exchange to <paramref name="db"/>; <paramref name="themes"/> are tracked by it. The caller saves.</summary>
    public static Exchange AddNew(CityPairsDbContext db, int partnershipId, ExchangeForm form, IReadOnlyDictionary<int, Domain.Reference.Theme> themes)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(form);
        var exchange = new Exchange { PartnershipId = partnershipId, Title = form.Title.Trim() };
        Apply(exchange, form, themes);
        db.Exchanges.Add(exchange);
        return exchange;
    }

    private static Task<Dictionary<int, Domain.Reference.Theme>> ThemesAsync(CityPairsDbContext db, ExchangeForm form, CancellationToken cancellationToken) =>
        db.Themes.Where(t => form.ThemeIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, cancellationToken);

    public Task<SaveResult<int>> UpdateAsync(int id, ExchangeForm form, CancellationToken cancellationToken = default) =>
        _write.RunAsync(write => UpdateCoreAsync(write, id, form, cancellationToken), cancellationToken);

    private async Task<SaveResult<int>> UpdateCoreAsync(WriteScope write, int id, ExchangeForm form, CancellationToken cancellationToken)
    {
        var db = write.Db;
        var validation = await validator.ValidateAsync(form, cancellationToken);
        if (!validation.IsValid)
        {
            return SaveResult<int>.Invalid(validation.Errors);
        }

        var exchange = await db.Exchanges.Include(e => e.Themes).SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (exchange is null)
        {
            return SaveResult<int>.NotFound("This exchange no longer exists.");
        }

        if (!await rules.CanLogExchangeAsync(write.User, exchange.PartnershipId, cancellationToken))
        {
            return SaveResult<int>.Forbidden();
        }

        var members = await db.Partnerships.Where(p => p.Id == exchange.PartnershipId).SelectMany(p => p.Members.Select(m => m.CityId))
            .ToListAsync(cancellationToken);
        if (CheckHost(form, members) is { } problem)
        {
            return problem;
        }

        write.ExpectVersion(exchange, form.Version);
        exchange.Title = form.Title.Trim();
        Apply(exchange, form, await ThemesAsync(db, form, cancellationToken));
        db.Entry(exchange).Property(e => e.UpdatedAt).IsModified = true;
        return await write.SaveAsync(() => exchange.Id, cancellationToken);
    }

    /// <summary>Exchanges may be deleted (after the page asks for confirmation); a stale page cannot delete a newer version.</summary>
    public Task<SaveResult<bool>> DeleteAsync(int id, uint version, CancellationToken cancellationToken = default) =>
        _write.RunAsync(write => DeleteCoreAsync(write, id, version, cancellationToken), cancellationToken);

    private async Task<SaveResult<bool>> DeleteCoreAsync(WriteScope write, int id, uint version, CancellationToken cancellationToken)
    {
        var db = write.Db;
        var exchange = await db.Exchanges.SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (exchange is null)
        {
            return SaveResult<bool>.NotFound("This exchange no longer exists.");
        }

        if (!await rules.CanLogExchangeAsync(write.User, exchange.PartnershipId, cancellationToken))
        {
            return SaveResult<bool>.Forbidden();
        }

        write.ExpectVersion(exchange, version);
        db.Exchanges.Remove(exchange);
        return await write.SaveAsync(() => true, cancellationToken);
    }

    private static IQueryable<ExchangeListItem> Project(CityPairsDbContext db, IQueryable<Exchange> exchanges) =>
        exchanges.AsNoTracking()
            .OrderByDescending(e => e.StartsOn).ThenByDescending(e => e.Id)
            .Select(e => new ExchangeListItem(
                e.Id, e.PartnershipId,
                db.Partnerships.Where(p => p.Id == e.PartnershipId).Select(p => p.Name).First(),
                e.Kind, e.Title, e.StartsOn, e.EndsOn,
                db.Cities.Where(c => c.Id == e.HostCityId).Select(c => c.Name).FirstOrDefault(),
                e.IsOnline,
                e.Participants.Sum(p => p.Count)));

    private static SaveResult<int>? CheckHost(ExchangeForm form, IReadOnlyCollection<int> memberIds) =>
        form.IsOnline || form.HostCityId is not int host || memberIds.Contains(host)
            ? null
            : SaveResult<int>.Invalid(nameof(ExchangeForm.HostCityId), "The host must be one of the partnership's member cities.");

    private static void Apply(Exchange exchange, ExchangeForm form, IReadOnlyDictionary<int, Domain.Reference.Theme> themeRows)
    {
        exchange.Kind = form.Kind;
        exchange.StartsOn = DateOnly.FromDateTime(form.StartsOn!.Value);
        exchange.EndsOn = DateOnly.FromDateTime(form.EndsOn!.Value);
        exchange.IsOnline = form.IsOnline;
        exchange.HostCityId = form.IsOnline ? null : form.HostCityId;
        exchange.Participants = [.. form.Participants.Where(p => p.Count > 0)
            .Select(p => new ParticipantCount { ActorType = p.ActorType, Role = p.Role, Count = p.Count })];
        exchange.InterpretationLanguages = [.. form.LanguageCodes()];
        exchange.Sdgs = [.. form.Sdgs.Distinct().Order()];
        exchange.Outcomes = form.Outcomes.Trim();
        exchange.FollowUps = form.FollowUps.Trim();
        exchange.Documents = [.. form.Documents.Select(d => new DocumentLink { Title = d.Title.Trim(), Url = d.Url.Trim() })];
        var themes = form.ThemeIds.Distinct().Where(themeRows.ContainsKey).Select(id => themeRows[id]).ToList();
        exchange.Themes.RemoveAll(t => !form.ThemeIds.Contains(t.Id));
        exchange.Themes.AddRange(themes.Where(t => exchange.Themes.All(x => x.Id != t.Id)));
    }
}
