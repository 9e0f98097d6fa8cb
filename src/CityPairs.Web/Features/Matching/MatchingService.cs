using System.Security.Claims;
using CityPairs.Web.Features.Accounts;
using System.Globalization;
using CityPairs.Domain.Common;
using CityPairs.Domain.Matching;
using CityPairs.Domain.Partnerships;
using CityPairs.Domain.Programmes;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Common;
using CityPairs.Web.Features.Partnerships;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Features.Matching;

/// <summary>
/// Matching for the person using the app: suggestions, the city picker and comparisons read the shared
/// <see cref="MatchingSnapshotCache"/>; partnership facts and programme rules are read from the database on every
/// query, so they are never stale. Proposing a suggestion is done as the current user.
/// </summary>
public sealed class MatchingService(
    MatchingSnapshotCache snapshots, IDbContextFactory<CityPairsDbContext> dbFactory, TimeProvider clock, ICurrentUser currentUser,
    PartnershipService partnerships, ILogger<MatchingService>? logger = null)
{
    private readonly AccessRules _rules = new(dbFactory);

    /// <summary>Partnership.Description's column length.</summary>
    private const int NoteMaxLength = 4000;

    /// <summary>
    /// The statuses that keep a pair out of the suggestions: Agreed and Active (they are partners), and
    /// Proposed, because someone has already put that pairing forward and a second proposal would only
    /// duplicate it. Completed and Discontinued pairs are suggested and flagged: a renewal can make sense.
    /// </summary>
    private static readonly PartnershipStatus[] Excluding =
        [PartnershipStatus.Proposed, PartnershipStatus.Agreed, PartnershipStatus.Active];

    public async Task<MatchResult> SuggestAsync(
        int cityId,
        int? programmeId,
        MatchFilters? filters,
        MatchWeights? weights,
        int limit = MatchQuery.DefaultLimit,
        CancellationToken cancellationToken = default)
    {
        filters ??= MatchFilters.None;

        // A coordinator looks for partners for the cities they act for, and only those (the page, an edited query
        // string and the API all end here).
        if (!(await _rules.MatchScopeAsync(await currentUser.GetAsync(), cancellationToken)).Includes(cityId))
        {
            return MatchResult.Failed(MatchProblem.Forbidden);
        }

        var snapshot = await snapshots.SnapshotWithAsync(cityId, cancellationToken);
        var city = snapshot.Find(cityId);
        if (city is null || city.IsArchived)
        {
            return MatchResult.Failed(MatchProblem.CityNotFound);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        Programme? programme = null;
        if (programmeId is { } id)
        {
            programme = await db.Programmes.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
            if (programme is null)
            {
                return MatchResult.Failed(MatchProblem.ProgrammeNotFound);
            }
        }

        var partners = await PartnersOfAsync(db, cityId, cancellationToken);
        var excluded = partners.Where(p => Excluding.Contains(p.Status)).Select(p => p.CityId).ToHashSet();
        // A city that declined a proposal with this one (or that this one declined) said no: not suggested again.
        var declined = await DeclinedWithAsync(db, cityId, cancellationToken);
        excluded.UnionWith(declined.Select(d => d.CandidateId));
        var used = weights ?? programme?.MatchWeights?.ToMatchWeights() ?? MatchWeights.Default;
        var suggestions = MatchingEngine.TopMatches(snapshot, new MatchQuery(cityId)
        {
            Eligibility = programme?.Eligibility ?? [],
            ExcludedCityIds = excluded,
            DiscontinuedWithCityIds = partners.Where(p => p.Status == PartnershipStatus.Discontinued && !excluded.Contains(p.CityId))
                .Select(p => p.CityId).ToHashSet(),
            Regions = filters.Regions,
            CountryCodes = filters.CountryCodes,
            MinPopulation = filters.MinPopulation,
            MaxPopulation = filters.MaxPopulation,
            Limit = limit,
            Weights = used,
            Today = Today(),
        });
        var completed = partners.Where(p => p.Status == PartnershipStatus.Completed && !excluded.Contains(p.CityId))
            .Select(p => p.CityId).ToHashSet();
        var themes = await db.Themes.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
        return new MatchResult(MatchProblem.None, city, suggestions, used, themes, completed) { Declined = declined };
    }

    /// <summary>
    /// The cities this one is not suggested with because one of the two declined a proposal between them (issue 14),
    /// newest first, with the reason. Only the pairs with the city that declined: in a three-city proposal that C
    /// declined, A and B did not refuse each other.
    /// </summary>
    internal static async Task<IReadOnlyList<DeclinedPair>> DeclinedWithAsync(CityPairsDbContext db, int cityId, CancellationToken cancellationToken)
    {
        var rows = await db.Invitations.AsNoTracking()
            .Where(i => i.Status == InvitationStatus.Declined && db.Partnerships.Any(p => p.Id == i.PartnershipId && p.Members.Any(m => m.CityId == cityId)))
            .Select(i => new
            {
                i.PartnershipId, DeclinedBy = i.CityId, i.DeclineReason, i.AnsweredAt,
                Others = db.Partnerships.Where(p => p.Id == i.PartnershipId).SelectMany(p => p.Members.Select(m => m.CityId)).ToList(),
            })
            .ToListAsync(cancellationToken);
        var pairs = rows
            .SelectMany(r => r.DeclinedBy == cityId
                ? r.Others.Where(o => o != cityId).Select(o => (Candidate: o, Row: r))
                : [(Candidate: r.DeclinedBy, Row: r)])
            .GroupBy(x => x.Candidate)
            .Select(g => g.OrderByDescending(x => x.Row.AnsweredAt).First())
            .ToList();
        var ids = pairs.SelectMany(p => new[] { p.Candidate, p.Row.DeclinedBy }).Distinct().ToList();
        var names = await db.Cities.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        return [.. pairs
            .Select(p => new DeclinedPair(p.Candidate, names[p.Candidate], p.Row.DeclinedBy, names[p.Row.DeclinedBy], p.Row.DeclineReason ?? "", p.Row.AnsweredAt, p.Row.PartnershipId))
            .OrderByDescending(d => d.DeclinedAt)];
    }

    private DateOnly Today() => DateOnly.FromDateTime(clock.GetLocalNow().DateTime);

    /// <summary>
    /// The cities this person may ask matches for, when that is a short list (a coordinator's own cities, in name
    /// order); null when they may ask for any city and pick it by search.
    /// </summary>
    public async Task<IReadOnlyList<CityOption>?> OwnCitiesAsync(CancellationToken cancellationToken = default)
    {
        var scope = await _rules.MatchScopeAsync(await currentUser.GetAsync(), cancellationToken);
        if (scope.All)
        {
            return null;
        }

        var ids = scope.Ids.ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Cities.AsNoTracking().Where(c => ids.Contains(c.Id) && !c.IsArchived)
            .OrderBy(c => c.Name).ThenBy(c => c.Id)
            .Select(c => new CityOption(c.Id, c.Name, c.CountryCode, c.Region))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Active cities whose name (accent- and case-insensitive) contains the text, for the city picker.</summary>
    public async Task<IReadOnlyList<CityOption>> SearchCitiesAsync(string? text, int limit = 20, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var cities = db.Cities.AsNoTracking().Where(c => !c.IsArchived);
        if (!string.IsNullOrWhiteSpace(text))
        {
            var pattern = LikePattern.Containing(text);
            cities = cities.Where(c => EF.Functions.ILike(CityPairsDbContext.SearchForm(c.Name), CityPairsDbContext.SearchForm(pattern)));
        }

        return await cities.OrderBy(c => c.Name).ThenBy(c => c.Id).Take(limit)
            .Select(c => new CityOption(c.Id, c.Name, c.CountryCode, c.Region))
            .ToListAsync(cancellationToken);
    }

    public async Task<CityOption?> FindCityAsync(int cityId, CancellationToken cancellationToken = default) =>
        (await snapshots.SnapshotWithAsync(cityId, cancellationToken)).Find(cityId) is { IsArchived: false } city
            ? new CityOption(city.Id, city.Name, city.CountryCode, city.Region)
            : null;

    /// <summary>A city's profile as the matcher sees it, for the side-by-side comparison.</summary>
    public async Task<CityProfile?> ProfileAsync(int cityId, CancellationToken cancellationToken = default) =>
        (await snapshots.SnapshotWithAsync(cityId, cancellationToken)).Find(cityId);

    public async Task<IReadOnlyList<ProgrammeWeights>> ProgrammesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var programmes = await db.Programmes.AsNoTracking().OrderBy(p => p.ShortName).ToListAsync(cancellationToken);
        return programmes.ConvertAll(p => new ProgrammeWeights(p.Id, p.ShortName, p.Name, p.MatchWeights?.ToMatchWeights() ?? MatchWeights.Default));
    }

    /// <summary>
    /// Turns a suggestion into a Proposed partnership, as the current user. The explanation is computed again now (the page may
    /// be minutes old) and kept in the partnership's description, so whoever picks it up later knows why it
    /// was suggested. Refused when the pair already works together or either city is archived; everything else
    /// (who may propose, which programme they may name, its eligibility rules) is the partnership writer's, the
    /// same as for the form, the API and the imports.
    /// </summary>
    public Task<SaveResult<int>> ProposeAsync(
        int cityId,
        int candidateId,
        int? programmeId,
        MatchWeights? weights = null,
        CancellationToken cancellationToken = default) =>
        ProposeAsync(cityId, candidateId, programmeId, weights, PartnershipStart.Proposed, cancellationToken);

    /// <summary>
    /// A coordinator's "express interest": the same proposal as <see cref="ProposeAsync(int, int, int?, MatchWeights?, CancellationToken)"/>,
    /// by someone who acts for <paramref name="cityId"/>, whose invitation is accepted at once; the candidate is invited.
    /// </summary>
    public Task<SaveResult<int>> ExpressInterestAsync(
        int cityId, int candidateId, int? programmeId, MatchWeights? weights = null, CancellationToken cancellationToken = default) =>
        ProposeAsync(cityId, candidateId, programmeId, weights, PartnershipStart.InterestOf(cityId), cancellationToken);

    private async Task<SaveResult<int>> ProposeAsync(
        int cityId, int candidateId, int? programmeId, MatchWeights? weights, PartnershipStart start, CancellationToken cancellationToken)
    {
        var by = await currentUser.GetAsync();
        if (cityId == candidateId)
        {
            return SaveResult<int>.Refused("A city cannot be proposed as its own partner.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Actor = by.ToAuditActor();
        // Two facilitators proposing the same pair at the same moment would both pass the "already proposed"
        // check; a transaction-scoped advisory lock on the pair makes the second wait and then see the first.
        // Retries are on, so the transaction runs inside the execution strategy and is rebuilt on a retry.
        var strategy = db.Database.CreateExecutionStrategy();
        try
        {
            return await strategy.ExecuteAsync(async ct =>
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({PairLockKey(cityId, candidateId)})", ct);
                var result = await ProposeLockedAsync(db, cityId, candidateId, programmeId, by, weights, start, ct);
                if (result.Succeeded)
                {
                    await transaction.CommitAsync(ct);
                }

                return result;
            }, cancellationToken);
        }
        catch (Exception ex) when (DatabaseOutage.Is(ex))
        {
            SaveLog.Unreachable(logger.OrNull(), ex);
            return SaveResult<int>.Unavailable(DatabaseOutage.Message);
        }
    }

    /// <summary>One advisory-lock key per unordered pair: Lima-Rotterdam and Rotterdam-Lima wait for each other.</summary>
    internal static long PairLockKey(int cityId, int candidateId)
    {
        var (low, high) = cityId < candidateId ? (cityId, candidateId) : (candidateId, cityId);
        return ((long)low << 32) | (uint)high;
    }

    /// <summary>
    /// The proposal itself, inside the pair's lock and transaction: checks the pair, explains the match again,
    /// and hands the partnership to <see cref="PartnershipService.AddNewAsync(Data.CityPairsDbContext, System.Security.Claims.ClaimsPrincipal, PartnershipForm, PartnershipStart, CancellationToken)"/> as a form would.
    /// </summary>
    private async Task<SaveResult<int>> ProposeLockedAsync(
        CityPairsDbContext db, int cityId, int candidateId, int? programmeId, ClaimsPrincipal by, MatchWeights? weights,
        PartnershipStart start, CancellationToken cancellationToken)
    {
        var cities = await db.Cities.AsNoTracking()
            .Where(c => c.Id == cityId || c.Id == candidateId)
            .Select(c => new { c.Id, c.Name, c.IsArchived, c.Region })
            .ToListAsync(cancellationToken);
        var city = cities.FirstOrDefault(c => c.Id == cityId);
        var candidate = cities.FirstOrDefault(c => c.Id == candidateId);
        if (city is null || candidate is null)
        {
            return SaveResult<int>.NotFound("One of the two cities no longer exists.");
        }

        if (cities.FirstOrDefault(c => c.IsArchived) is { } archived)
        {
            return SaveResult<int>.Refused($"{archived.Name} is archived; restore it before proposing a partnership.");
        }

        // A programme that does not exist, or that this person may not name, is the writer's to report; here it
        // only chooses the weights of the explanation.
        var programme = programmeId is { } id ? await db.Programmes.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken) : null;

        var existing = await db.Partnerships.AsNoTracking()
            .Where(p => Excluding.Contains(p.Status)
                && p.Members.Any(m => m.CityId == cityId) && p.Members.Any(m => m.CityId == candidateId))
            .OrderBy(p => p.Id)
            .Select(p => new { p.Id, p.Name, p.Status })
            .FirstOrDefaultAsync(cancellationToken);
        if (existing is { Status: PartnershipStatus.Proposed })
        {
            return SaveResult<int>.Duplicate($"{city.Name} and {candidate.Name} have already been proposed as partners (“{existing.Name}”).", existing.Id);
        }

        if (existing is not null)
        {
            return SaveResult<int>.Refused(
                $"{city.Name} and {candidate.Name} are already partners (“{existing.Name}”, {existing.Status.ToString().ToLowerInvariant()}).");
        }

        // A page opened before the decline still shows the pair; the city's no stands.
        if ((await DeclinedWithAsync(db, cityId, cancellationToken)).FirstOrDefault(d => d.CandidateId == candidateId) is { } no)
        {
            return SaveResult<int>.Refused($"{no.DeclinedByName} declined a proposal with {(no.DeclinedBy == cityId ? candidate.Name : city.Name)}: {no.Reason}");
        }

        var discontinued = await db.Partnerships.AsNoTracking().AnyAsync(
            p => p.Status == PartnershipStatus.Discontinued
                && p.Members.Any(m => m.CityId == cityId) && p.Members.Any(m => m.CityId == candidateId),
            cancellationToken);
        var snapshot = await snapshots.SnapshotWithAsync(cityId, cancellationToken);
        if (!snapshot.Contains(candidateId))
        {
            await snapshots.RefreshCitiesAsync([candidateId], cancellationToken);
            snapshot = await snapshots.SnapshotAsync(cancellationToken);
        }

        var used = weights ?? programme?.MatchWeights?.ToMatchWeights() ?? MatchWeights.Default;
        var today = Today();
        var explanation = MatchingEngine.Explain(snapshot, cityId, candidateId, used, discontinued, today);
        var themeIds = explanation.Parts
            .Where(p => p.Kind is ScorePartKind.SharedTheme or ScorePartKind.OfferMeetsNeed or ScorePartKind.NeedMetByOffer)
            .SelectMany(p => p.Ids)
            .ToHashSet();
        var themeNames = await db.Themes.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);

        var form = new PartnershipForm
        {
            Name = $"{city.Name} - {candidate.Name}",
            Modality = Modality.Pairing,
            Members = [new MemberForm { CityId = cityId, CityName = city.Name }, new MemberForm { CityId = candidateId, CityName = candidate.Name }],
            ProgrammeIds = programmeId is { } chosen ? [chosen] : [],
            ThemeIds = [.. themeIds.Where(themeNames.ContainsKey)],
            Sdgs = [.. explanation.Parts.Where(p => p.Kind == ScorePartKind.SharedSdg).SelectMany(p => p.Ids).Order()],
            Description = Note(explanation, today, used.Maximum, id => themeNames.TryGetValue(id, out var name) ? name : $"theme {id}"),
        };
        var added = await partnerships.AddNewAsync(db, by, form, start, cancellationToken);
        return added.Value is { } partnership
            ? await SafeSave.SaveAsync(db, () => partnership.Id, logger, cancellationToken)
            : added.As<int>();
    }

    /// <summary>
    /// "Suggested by CityPairs matching on 2026-11-23 (score 9.40 of 17): Both list SDG 13 Climate Action as a
    /// priority; ... ." Written in the invariant date format and English: it is a record of that moment, not UI text.
    /// </summary>
    internal static string Note(MatchSuggestion explanation, DateOnly on, double maximum, Func<int, string> themeName)
    {
        var sentences = explanation.Sentences(themeName, LanguageNames.Of);
        var note = string.Create(CultureInfo.InvariantCulture,
            $"Suggested by CityPairs matching on {on:yyyy-MM-dd} (score {explanation.Score:0.00} of {maximum:0.##}): ")
            + string.Join("; ", sentences) + ".";
        return note.Length <= NoteMaxLength ? note : note[..(NoteMaxLength - 1)] + "…";
    }

    private sealed record Partner(int CityId, PartnershipStatus Status);

    private static async Task<List<Partner>> PartnersOfAsync(CityPairsDbContext db, int cityId, CancellationToken cancellationToken) =>
        await db.Partnerships.AsNoTracking()
            .Where(p => p.Members.Any(m => m.CityId == cityId))
            .SelectMany(p => p.Members.Where(m => m.CityId != cityId).Select(m => new Partner(m.CityId, p.Status)))
            .ToListAsync(cancellationToken);
}
