using CityPairs.Domain.Partnerships;
using CityPairs.Domain.Programmes;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Audit;
using CityPairs.Web.Features.Cities;
using CityPairs.Web.Features.Common;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Features.Programmes;

public sealed record ProgrammeListQuery(string? Search = null, bool Descending = false, int Page = 0, int PageSize = 25);

public sealed record ProgrammeListItem(
    int Id, string Name, string ShortName, string Funder, DateOnly StartsOn, DateOnly? EndsOn, int PartnershipCount);

public sealed record ProgrammePartnershipItem(int Id, string Name, PartnershipStatus Status, IReadOnlyList<string> Members);

public sealed record ProgrammeCityItem(int Id, string Name, string CountryCode);

public sealed record ExchangesInYear(int Year, int Count);

public sealed record ProgrammeDetail(
    int Id, string Name, string ShortName, string Funder, DateOnly StartsOn, DateOnly? EndsOn, string Description,
    IReadOnlyList<Modality> Modalities, IReadOnlyList<string> Eligibility, string? Website,
    IReadOnlyList<ProgrammePartnershipItem> Partnerships, IReadOnlyList<ProgrammeCityItem> MemberCities,
    IReadOnlyList<ExchangesInYear> ExchangesPerYear, uint Version)
{
    /// <summary>The cities the programme works with (<see cref="ProgrammeCity"/>): its officers edit these.</summary>
    public IReadOnlyList<ProgrammeCityItem> WorksWith { get; init; } = [];
}

/// <summary>The one writer of programmes: the programme form, the API and the portfolio workbook all come here.</summary>
public sealed class ProgrammeService(
    IDbContextFactory<CityPairsDbContext> dbFactory, IValidator<ProgrammeForm> validator, ICurrentUser currentUser, AccessRules rules, ILogger<ProgrammeService>? logger = null)
{
    private readonly PortfolioWrite _write = new(dbFactory, currentUser, logger);

    public const string DuplicateMessage = "Another programme already uses this short name.";

    public const string NotFoundMessage = "This programme no longer exists.";

    public async Task<Page<ProgrammeListItem>> ListAsync(ProgrammeListQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateForAsync(currentUser, cancellationToken);
        var programmes = db.Programmes.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var pattern = LikePattern.Containing(query.Search);
            programmes = programmes.Where(p => EF.Functions.ILike(p.Name, pattern) || EF.Functions.ILike(p.ShortName, pattern) ||
                EF.Functions.ILike(p.Funder, pattern));
        }

        var total = await programmes.CountAsync(cancellationToken);
        programmes = query.Descending ? programmes.OrderByDescending(p => p.Name).ThenBy(p => p.Id) : programmes.OrderBy(p => p.Name).ThenBy(p => p.Id);
        var pageSize = Math.Clamp(query.PageSize, 1, CityService.MaxPageSize);
        var items = await programmes.Skip(Math.Max(query.Page, 0) * pageSize).Take(pageSize)
            .Select(p => new ProgrammeListItem(p.Id, p.Name, p.ShortName, p.Funder, p.StartsOn, p.EndsOn,
                db.Partnerships.Count(x => x.Programmes.Any(pp => pp.ProgrammeId == p.Id))))
            .ToListAsync(cancellationToken);
        return new Page<ProgrammeListItem>(items, total);
    }

    public async Task<ProgrammeDetail?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateForAsync(currentUser, cancellationToken);
        var programme = await db.Programmes.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (programme is null)
        {
            return null;
        }

        var partnerships = await db.Partnerships.AsNoTracking()
            .Where(p => p.Programmes.Any(pp => pp.ProgrammeId == id))
            .OrderBy(p => p.Name)
            .Select(p => new
            {
                p.Id, p.Name, p.Status,
                Members = p.Members.Join(db.Cities, m => m.CityId, c => c.Id, (m, c) => new ProgrammeCityItem(c.Id, c.Name, c.CountryCode)).ToList(),
            })
            .ToListAsync(cancellationToken);
        var partnershipIds = partnerships.Select(p => p.Id).ToList();
        var perYear = await db.Exchanges.AsNoTracking()
            .Where(e => partnershipIds.Contains(e.PartnershipId))
            .GroupBy(e => e.StartsOn.Year)
            .OrderBy(g => g.Key)
            .Select(g => new ExchangesInYear(g.Key, g.Count()))
            .ToListAsync(cancellationToken);

        var worksWith = await db.ProgrammeCities.AsNoTracking().Where(pc => pc.ProgrammeId == id)
            .Join(db.Cities, pc => pc.CityId, c => c.Id, (pc, c) => new ProgrammeCityItem(c.Id, c.Name, c.CountryCode))
            .ToListAsync(cancellationToken);

        return new ProgrammeDetail(
            programme.Id, programme.Name, programme.ShortName, programme.Funder, programme.StartsOn, programme.EndsOn,
            programme.Description, programme.Modalities, [.. programme.Eligibility.Select(r => r.Describe())], programme.Website,
            [.. partnerships.Select(p => new ProgrammePartnershipItem(p.Id, p.Name, p.Status,
                [.. p.Members.Select(m => m.Name).Order(StringComparer.CurrentCulture)]))],
            [.. partnerships.SelectMany(p => p.Members).DistinctBy(m => m.Id).OrderBy(m => m.Name, StringComparer.CurrentCulture)],
            perYear, programme.Version)
        {
            WorksWith = [.. worksWith.OrderBy(c => c.Name, StringComparer.CurrentCulture)],
        };
    }

    /// <summary>
    /// An administrator decides which cities a programme works with: its officers then edit them and see their
    /// contacts. Officers cannot call this, so their reach never grows through a record they write.
    /// </summary>
    public Task<SaveResult<bool>> SetWorksWithAsync(int programmeId, int cityId, bool worksWith, CancellationToken cancellationToken = default) =>
        _write.RunAsync(async write =>
        {
            if (!AccessRules.IsAdministrator(write.User))
            {
                return SaveResult<bool>.Forbidden();
            }

            if (!await write.Db.Programmes.AnyAsync(p => p.Id == programmeId, cancellationToken) ||
                !await write.Db.Cities.AnyAsync(c => c.Id == cityId, cancellationToken))
            {
                return SaveResult<bool>.NotFound("This programme or city no longer exists.");
            }

            var existing = await write.Db.ProgrammeCities.SingleOrDefaultAsync(pc => pc.ProgrammeId == programmeId && pc.CityId == cityId, cancellationToken);
            if (worksWith == existing is not null)
            {
                return SaveResult<bool>.Ok(worksWith);
            }

            if (worksWith)
            {
                write.Db.ProgrammeCities.Add(new ProgrammeCity { ProgrammeId = programmeId, CityId = cityId });
            }
            else
            {
                write.Db.ProgrammeCities.Remove(existing!);
            }

            // A row made only of two keys gives the interceptor no value to record, so the entry says it here:
            // in the programme's history, which city it now works with (or no longer does), by whom and when.
            var city = await write.Db.Cities.Where(c => c.Id == cityId).Select(c => c.Name + " (" + c.CountryCode + ")").SingleAsync(cancellationToken);
            write.Db.AuditEntries.Add(AuditEntryBuilder.Entry(
                write.Db.Actor ?? AuditActor.System, DateTimeOffset.UtcNow, nameof(Programme), programmeId, AuditAction.Updated,
                new Dictionary<string, object?[]> { [$"WorksWith[CityId={cityId}]"] = worksWith ? [null, city] : [city, null] }));

            return await write.SaveAsync(() => worksWith, cancellationToken);
        }, cancellationToken);

    public async Task<ProgrammeForm?> GetFormAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateForAsync(currentUser, cancellationToken);
        var p = await db.Programmes.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, cancellationToken);
        return p is null ? null : new ProgrammeForm
        {
            Id = p.Id, Version = p.Version, Name = p.Name, ShortName = p.ShortName, Funder = p.Funder,
            StartsOn = CityContactForm.Format(p.StartsOn), EndsOn = p.EndsOn is { } end ? CityContactForm.Format(end) : null,
            Description = p.Description, Modalities = [.. p.Modalities], Website = p.Website,
            Eligibility = [.. p.Eligibility], MatchWeights = p.MatchWeights,
        };
    }

    public Task<SaveResult<int>> CreateAsync(ProgrammeForm form, CancellationToken cancellationToken = default) =>
        _write.RunAsync(write => CreateCoreAsync(write, form, cancellationToken), cancellationToken);

    private async Task<SaveResult<int>> CreateCoreAsync(WriteScope write, ProgrammeForm form, CancellationToken cancellationToken)
    {
        var db = write.Db;
        if (await CheckNewAsync(write.User, form, cancellationToken) is { } problem)
        {
            return problem;
        }

        if (await FindDuplicateAsync(db, form.ShortName, null, cancellationToken) is { } existing)
        {
            return SaveResult<int>.Duplicate(DuplicateMessage, existing);
        }

        var programme = AddNew(db, form);
        return await write.SaveAsync(() => programme.Id, cancellationToken);
    }

    /// <summary>
    /// What every new programme must pass, whichever door it comes through: the right to register programmes and
    /// the form's rules. Null when it may be added. The short name's uniqueness is the caller's to check against
    /// what it adds in the same batch (the database's unique index is the last word).
    /// </summary>
    public async Task<SaveResult<int>?> CheckNewAsync(System.Security.Claims.ClaimsPrincipal user, ProgrammeForm form, CancellationToken cancellationToken = default)
    {
        if (!AccessRules.CanRegisterProgramme(user))
        {
            return SaveResult<int>.Forbidden();
        }

        var validation = await validator.ValidateAsync(form, cancellationToken);
        return validation.IsValid ? null : SaveResult<int>.Invalid(validation.Errors);
    }

    /// <summary>Adds a programme that passed <see cref="CheckNewAsync"/> to the caller's context, unsaved.</summary>
    public static Programme AddNew(CityPairsDbContext db, ProgrammeForm form)
    {
        var programme = new Programme { Name = "", ShortName = "" };
        Apply(form, programme);
        db.Programmes.Add(programme);
        return programme;
    }

    public Task<SaveResult<int>> UpdateAsync(ProgrammeForm form, CancellationToken cancellationToken = default) =>
        _write.RunAsync(write => UpdateCoreAsync(write, form, cancellationToken), cancellationToken);

    private async Task<SaveResult<int>> UpdateCoreAsync(WriteScope write, ProgrammeForm form, CancellationToken cancellationToken)
    {
        var db = write.Db;
        if (form.Id is not { } id)
        {
            return SaveResult<int>.NotFound(NotFoundMessage);
        }

        if (!await rules.CanManageProgrammeAsync(write.User, id, cancellationToken))
        {
            return SaveResult<int>.Forbidden();
        }

        var validation = await validator.ValidateAsync(form, cancellationToken);
        if (!validation.IsValid)
        {
            return SaveResult<int>.Invalid(validation.Errors);
        }

        var programme = await db.Programmes.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (programme is null)
        {
            return SaveResult<int>.NotFound(NotFoundMessage);
        }

        if (await FindDuplicateAsync(db, form.ShortName, id, cancellationToken) is { } existing)
        {
            return SaveResult<int>.Duplicate(DuplicateMessage, existing);
        }

        write.ExpectVersion(programme, form.Version);
        Apply(form, programme);
        return await write.SaveAsync(() => programme.Id, cancellationToken);
    }

    private static Task<int?> FindDuplicateAsync(CityPairsDbContext db, string shortName, int? exceptId, CancellationToken cancellationToken)
    {
        var pattern = LikePattern.Escape(shortName.Trim());
        return db.Programmes.AsNoTracking().Where(p => EF.Functions.ILike(p.ShortName, pattern) && p.Id != exceptId)
            .Select(p => (int?)p.Id).FirstOrDefaultAsync(cancellationToken);
    }

    private static void Apply(ProgrammeForm form, Programme programme)
    {
        programme.Name = form.Name.Trim();
        programme.ShortName = form.ShortName.Trim();
        programme.Funder = form.Funder.Trim();
        programme.StartsOn = CityContactForm.TryParseDate(form.StartsOn, out var start) ? start : programme.StartsOn;
        programme.EndsOn = CityContactForm.TryParseDate(form.EndsOn, out var end) ? end : null;
        programme.Description = form.Description.Trim();
        programme.Modalities = [.. form.Modalities.Distinct().Order()];
        programme.Website = string.IsNullOrWhiteSpace(form.Website) ? null : form.Website.Trim();
        programme.Eligibility = [.. form.Eligibility.Select(r => new EligibilityRule { Kind = r.Kind, Regions = [.. r.Regions.Distinct()] })];
        // A copy: EF tracks an owned value by reference, and the form's instance may come from another context.
        programme.MatchWeights = form.MatchWeights is { } weights ? ProgrammeMatchWeights.From(weights.ToMatchWeights()) : null;
    }
}
