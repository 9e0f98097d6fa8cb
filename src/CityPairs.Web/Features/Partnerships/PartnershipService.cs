using System.Security.Claims;
using CityPairs.Domain.Common;
using CityPairs.Domain.Partnerships;
using CityPairs.Domain.Reference;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Cities;
using CityPairs.Web.Features.Common;
using CityPairs.Web.Features.Invitations;
using CityPairs.Web.Features.Notifications;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Features.Partnerships;

/// <summary>How a new partnership's lifecycle starts: Proposed, unless an administrator migrates a portfolio.</summary>
public sealed record PartnershipStart(PartnershipStatus Status, DateOnly? On = null, DateOnly? EndedOn = null, string? Reason = null)
{
    public static PartnershipStart Proposed { get; } = new(PartnershipStatus.Proposed);

    /// <summary>
    /// A coordinator's "express interest" on Matches: the member city they act for, whose invitation is accepted at once.
    /// It lets a coordinator propose (only for a city they act for); the other members are invited as usual.
    /// </summary>
    public int? InterestedCityId { get; init; }

    public static PartnershipStart InterestOf(int cityId) => new(PartnershipStatus.Proposed) { InterestedCityId = cityId };

    /// <summary>
    /// A partnership's whole past, as a portfolio workbook carries it: every status step with its date and who
    /// took it, the agreements, each programme's period and the archived flag. Only administrators migrate.
    /// </summary>
    public PartnershipHistory? History { get; init; }

    public static PartnershipStart Migrated(PartnershipHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return new(history.Steps.Count > 0 ? history.Steps[^1].To : PartnershipStatus.Proposed) { History = history };
    }
}

/// <summary>One status step of a migrated partnership's history.</summary>
public sealed record PartnershipStep(PartnershipStatus To, DateOnly On, string? By = null, string? Reason = null);

/// <summary>A programme a migrated partnership ran under, and when.</summary>
public sealed record ProgrammePeriod(int ProgrammeId, DateOnly? From, DateOnly? To);

/// <summary>See <see cref="PartnershipStart.History"/>.</summary>
public sealed record PartnershipHistory(
    IReadOnlyList<PartnershipStep> Steps, IReadOnlyList<Agreement> Agreements, IReadOnlyList<ProgrammePeriod> ProgrammePeriods, bool IsArchived);

/// <summary>
/// What the checks of a new partnership read from the database (live member cities, programmes, themes, the
/// programmes an officer runs), loaded once for a form or once for a whole import file, so that the rules
/// themselves run in memory and exist only once (<see cref="PartnershipService.CheckNewAsync(ClaimsPrincipal, PartnershipForm, PartnershipStart, PartnershipReferences, CancellationToken)"/>).
/// </summary>
public sealed class PartnershipReferences
{
    /// <summary>Region of each member city that exists and is not archived.</summary>
    public required IReadOnlyDictionary<int, Region> LiveCities { get; init; }

    public required IReadOnlyDictionary<int, Domain.Programmes.Programme> Programmes { get; init; }

    /// <summary>Tracked by the context the partnership is added to, so themes are linked, not inserted.</summary>
    public required IReadOnlyDictionary<int, Theme> Themes { get; init; }

    /// <summary>The programmes the officer runs; null when the person is not limited to their own (administrators, facilitators).</summary>
    public IReadOnlySet<int>? OwnProgrammes { get; init; }
}

/// <summary>Registers partnerships, moves them along their lifecycle, and reads them for the pages.</summary>
public sealed class PartnershipService(
    IDbContextFactory<CityPairsDbContext> dbFactory, IValidator<PartnershipForm> validator, TimeProvider clock,
    ICurrentUser currentUser, AccessRules rules, ILogger<PartnershipService>? logger = null, ProposalInvitations? invitations = null)
{
    private readonly PortfolioWrite _write = new(dbFactory, currentUser, logger);

    // The app passes its own (with the public base URL for e-mailed links); a service built by hand in a test or a
    // benchmark still invites the cities, with app-relative links.
    private readonly ProposalInvitations _invitations = invitations ?? new ProposalInvitations(
        new Notifier(Microsoft.Extensions.Options.Options.Create(new PublicLinkOptions()), clock), clock);

    public const string NotAllAcceptedMessage =
        "Not every member city has accepted the invitation yet; the partnership can be agreed once all have.";

    public const int MaxPageSize = 100;

    public const string StartsProposedMessage =
        "A new partnership starts as Proposed; only an administrator can register one further along (when migrating a portfolio).";

    public const string OwnProgrammesMessage = "You can place a partnership only in a programme you run.";

    public async Task<Page<PartnershipListItem>> ListAsync(PartnershipListQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateForAsync(currentUser, cancellationToken);
        var partnerships = db.Partnerships.AsNoTracking();
        if (!query.IncludeArchived)
        {
            partnerships = partnerships.Where(p => !p.IsArchived);
        }

        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var pattern = LikePattern.Containing(query.Search);
            partnerships = partnerships.Where(p => EF.Functions.ILike(CityPairsDbContext.SearchForm(p.Name), CityPairsDbContext.SearchForm(pattern)));
        }

        if (query.ProgrammeId is int programmeId)
        {
            partnerships = partnerships.Where(p => p.Programmes.Any(pp => pp.ProgrammeId == programmeId));
        }

        if (query.CityId is int cityId)
        {
            partnerships = partnerships.Where(p => p.Members.Any(m => m.CityId == cityId));
        }

        if (query.Status is PartnershipStatus status)
        {
            partnerships = partnerships.Where(p => p.Status == status);
        }

        if (query.Modality is Modality modality)
        {
            partnerships = partnerships.Where(p => p.Modality == modality);
        }

        if (query.ThemeId is int themeId)
        {
            partnerships = partnerships.Where(p => p.Themes.Any(t => t.Id == themeId));
        }

        if (query.Sdg is int sdg)
        {
            partnerships = partnerships.Where(p => p.Sdgs.Contains(sdg));
        }

        if (!string.IsNullOrWhiteSpace(query.CountryCode))
        {
            var country = query.CountryCode.Trim().ToUpperInvariant();
            partnerships = partnerships.Where(p => p.Members.Any(m => db.Cities.Any(c => c.Id == m.CityId && c.CountryCode == country)));
        }

        var total = await partnerships.CountAsync(cancellationToken);
        var withActivity = partnerships.Select(p => new
        {
            Partnership = p,
            LastExchange = db.Exchanges.Where(e => e.PartnershipId == p.Id).Max(e => (DateOnly?)e.StartsOn),
        });
        withActivity = (query.SortBy, query.Descending) switch
        {
            (PartnershipSort.Status, false) => withActivity.OrderBy(x => x.Partnership.Status).ThenBy(x => x.Partnership.Name),
            (PartnershipSort.Status, true) => withActivity.OrderByDescending(x => x.Partnership.Status).ThenBy(x => x.Partnership.Name),
            (PartnershipSort.StartedOn, false) => withActivity.OrderBy(x => x.Partnership.StartedOn == null).ThenBy(x => x.Partnership.StartedOn).ThenBy(x => x.Partnership.Name),
            (PartnershipSort.StartedOn, true) => withActivity.OrderBy(x => x.Partnership.StartedOn == null).ThenByDescending(x => x.Partnership.StartedOn).ThenBy(x => x.Partnership.Name),
            (PartnershipSort.LastExchange, false) => withActivity.OrderBy(x => x.LastExchange == null).ThenBy(x => x.LastExchange).ThenBy(x => x.Partnership.Name),
            (PartnershipSort.LastExchange, true) => withActivity.OrderBy(x => x.LastExchange == null).ThenByDescending(x => x.LastExchange).ThenBy(x => x.Partnership.Name),
            (_, true) => withActivity.OrderByDescending(x => x.Partnership.Name).ThenBy(x => x.Partnership.Id),
            _ => withActivity.OrderBy(x => x.Partnership.Name).ThenBy(x => x.Partnership.Id),
        };

        var pageSize = Math.Clamp(query.PageSize, 1, MaxPageSize);
        var rows = await withActivity
            .Skip(Math.Max(query.Page, 0) * pageSize)
            .Take(pageSize)
            .Select(x => new PartnershipListItem(
                x.Partnership.Id, x.Partnership.Name, x.Partnership.Modality, x.Partnership.Status, x.Partnership.StartedOn,
                x.Partnership.Members.Join(db.Cities, m => m.CityId, c => c.Id, (m, c) => c.Name).OrderBy(n => n).ToList(),
                x.Partnership.Programmes.Join(db.Programmes, pp => pp.ProgrammeId, pr => pr.Id, (pp, pr) => pr.ShortName).ToList(),
                db.Exchanges.Count(e => e.PartnershipId == x.Partnership.Id),
                x.LastExchange,
                x.Partnership.IsArchived))
            .ToListAsync(cancellationToken);
        return new Page<PartnershipListItem>(rows, total);
    }

    public async Task<PartnershipDetail?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateForAsync(currentUser, cancellationToken);
        var p = await db.Partnerships.AsNoTracking()
            .Include(x => x.Members).Include(x => x.Programmes).Include(x => x.Themes)
            .Include(x => x.Agreements).Include(x => x.StatusHistory)
            .AsSplitQuery()
            .SingleOrDefaultAsync(x => x.Id == id, cancellationToken);
        if (p is null)
        {
            return null;
        }

        var memberIds = p.Members.Select(m => m.CityId).ToList();
        var cities = await db.Cities.AsNoTracking().Where(c => memberIds.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, cancellationToken);
        var programmeIds = p.Programmes.Select(pp => pp.ProgrammeId).ToList();
        var programmes = await db.Programmes.AsNoTracking().Where(pr => programmeIds.Contains(pr.Id))
            .ToDictionaryAsync(pr => pr.Id, pr => pr.ShortName, cancellationToken);
        var exchanges = await db.Exchanges.AsNoTracking()
            .Where(e => e.PartnershipId == id)
            .OrderByDescending(e => e.StartsOn).ThenByDescending(e => e.Id)
            .Select(e => new
            {
                e.Id, e.Kind, e.Title, e.StartsOn, e.EndsOn, e.IsOnline, e.Outcomes, e.Participants, e.Version,
                Host = db.Cities.Where(c => c.Id == e.HostCityId).Select(c => c.Name).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);

        return new PartnershipDetail(
            p.Id, p.Name, p.Modality, p.Status, p.StartedOn, p.EndedOn, p.DiscontinuationReason, p.Description, p.ExitStrategy, p.IsArchived, p.Version,
            [.. p.Members.OrderBy(m => m.Role).ThenBy(m => cities[m.CityId].Name).Select(m =>
                new MemberView(m.CityId, cities[m.CityId].Name, cities[m.CityId].CountryCode, cities[m.CityId].Region, m.Role, m.Expectations, m.Contributions))],
            [.. p.Programmes.OrderBy(pp => pp.From).Select(pp => new ProgrammeLink(pp.ProgrammeId, programmes[pp.ProgrammeId], pp.From, pp.To))],
            [.. p.Themes.Select(t => t.Name).Order()],
            [.. p.Sdgs.Order()],
            [.. p.Agreements.OrderBy(a => a.SignedOn).Select(a => new AgreementView(a.Kind, a.SignedOn, a.ValidUntil, a.Note))],
            [.. p.StatusHistory.OrderBy(h => h.On).ThenBy(h => h.Id).Select(h => new StatusChangeView(h.From, h.To, h.On, h.Reason, h.By))],
            [.. exchanges.Select(e => new ExchangeSummary(e.Id, e.Kind, e.Title, e.StartsOn, e.EndsOn, e.Host, e.IsOnline, e.Participants.Sum(x => x.Count), e.Outcomes, e.Version))],
            p.AllowedNextStatuses());
    }

    public async Task<PartnershipForm?> GetFormAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateForAsync(currentUser, cancellationToken);
        var p = await db.Partnerships.AsNoTracking().Include(x => x.Members).Include(x => x.Programmes).Include(x => x.Themes)
            .AsSplitQuery().SingleOrDefaultAsync(x => x.Id == id, cancellationToken);
        if (p is null)
        {
            return null;
        }

        var memberIds = p.Members.Select(m => m.CityId).ToList();
        var names = await db.Cities.Where(c => memberIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        return new PartnershipForm
        {
            Name = p.Name,
            Modality = p.Modality,
            StartedOn = p.StartedOn?.ToDateTime(TimeOnly.MinValue),
            Description = p.Description,
            ExitStrategy = p.ExitStrategy,
            Members = [.. p.Members.Select(m => new MemberForm
            {
                CityId = m.CityId, CityName = names[m.CityId], Role = m.Role, Expectations = m.Expectations, Contributions = m.Contributions,
            })],
            ProgrammeIds = [.. p.Programmes.Select(pp => pp.ProgrammeId)],
            ThemeIds = [.. p.Themes.Select(t => t.Id)],
            Sdgs = [.. p.Sdgs],
            Version = p.Version,
        };
    }

    /// <summary>A new partnership from the form or the API: Proposed today, by the current user.</summary>
    public Task<SaveResult<int>> CreateAsync(PartnershipForm form, CancellationToken cancellationToken = default) =>
        CreateAsync(form, PartnershipStart.Proposed, cancellationToken);

    public Task<SaveResult<int>> CreateAsync(PartnershipForm form, PartnershipStart start, CancellationToken cancellationToken = default) =>
        _write.RunAsync(async write =>
        {
            var added = await AddNewAsync(write.Db, write.User, form, start, cancellationToken);
            return added.Value is { } partnership
                ? await write.SaveAsync(() => partnership.Id, cancellationToken)
                : added.As<int>();
        }, cancellationToken);

    /// <summary>
    /// The one way a partnership comes into being: the form, the API, Propose on the Matches page and the
    /// imports all call this (the imports and Matches inside their own transaction, hence the context). It checks
    /// everything <see cref="CheckNewAsync(CityPairsDbContext, ClaimsPrincipal, PartnershipForm, PartnershipStart, CancellationToken)"/> checks, then adds the partnership to <paramref name="db"/> with its
    /// lifecycle replayed; the caller saves.
    /// </summary>
    public async Task<SaveResult<Partnership>> AddNewAsync(
        CityPairsDbContext db, ClaimsPrincipal user, PartnershipForm form, PartnershipStart start, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(start);
        var references = await LoadReferencesAsync(db, user, [form], cancellationToken);
        return await AddNewAsync(db, user, form, start, references, cancellationToken);
    }

    /// <summary>
    /// <see cref="AddNewAsync(CityPairsDbContext, ClaimsPrincipal, PartnershipForm, PartnershipStart, CancellationToken)"/>
    /// with references loaded once for many rows (<see cref="LoadReferencesAsync"/>): an import's rows are
    /// checked and added without a query each.
    /// </summary>
    public async Task<SaveResult<Partnership>> AddNewAsync(
        CityPairsDbContext db, ClaimsPrincipal user, PartnershipForm form, PartnershipStart start, PartnershipReferences references,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(start);
        if (await CheckNewAsync(user, form, start, references, cancellationToken) is { } problem)
        {
            return problem.As<Partnership>();
        }

        var partnership = new Partnership { Name = form.Name.Trim() };
        ReplayLifecycle(partnership, start, user.DisplayName());
        Apply(partnership, form, references.Themes);
        if (start.History is { } history)
        {
            // A migrated partnership keeps its own programme periods and agreements, and may come in archived.
            foreach (var link in partnership.Programmes)
            {
                if (history.ProgrammePeriods.FirstOrDefault(p => p.ProgrammeId == link.ProgrammeId) is { } period)
                {
                    (link.From, link.To) = (period.From, period.To);
                }
            }

            partnership.Agreements.AddRange(history.Agreements);
            partnership.IsArchived = history.IsArchived;
        }

        db.Partnerships.Add(partnership);
        // A proposal is a question to its cities, whichever door it came in by (issue 14). A partnership registered
        // further along (an administrator's migration) was agreed elsewhere: nobody is asked.
        if (start.Status == PartnershipStatus.Proposed)
        {
            await _invitations.InviteAsync(db, partnership, user, start.InterestedCityId, cancellationToken);
        }

        return SaveResult<Partnership>.Ok(partnership);
    }

    /// <summary>
    /// Everything the checks of these new partnerships read, in a few queries whatever their number; themes are
    /// read through <paramref name="db"/> so the partnerships added to it link the same tracked rows.
    /// </summary>
    public async Task<PartnershipReferences> LoadReferencesAsync(
        CityPairsDbContext db, ClaimsPrincipal user, IEnumerable<PartnershipForm> forms, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(forms);
        var all = forms.ToList();
        var memberIds = all.SelectMany(f => f.Members.Select(m => m.CityId)).Distinct().ToArray();
        var programmeIds = all.SelectMany(f => f.ProgrammeIds).Distinct().ToArray();
        var themeIds = all.SelectMany(f => f.ThemeIds).Distinct().ToArray();
        var cities = await db.Cities.AsNoTracking().Where(c => memberIds.Contains(c.Id) && !c.IsArchived)
            .Select(c => new { c.Id, c.Region }).ToDictionaryAsync(c => c.Id, c => c.Region, cancellationToken);
        var programmes = programmeIds.Length == 0
            ? []
            : await db.Programmes.AsNoTracking().Where(p => programmeIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var themes = themeIds.Length == 0
            ? []
            : await db.Themes.Where(t => themeIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, cancellationToken);
        IReadOnlySet<int>? own = AccessRules.IsOfficer(user) && !AccessRules.IsAdministrator(user)
            ? (await rules.ProgrammesRunByAsync(user, cancellationToken)).ToHashSet()
            : null;
        return new PartnershipReferences { LiveCities = cities, Programmes = programmes, Themes = themes, OwnProgrammes = own };
    }

    /// <summary>
    /// Whether this person may register this partnership, without saving anything (an import's preview shows
    /// the answer per row). In order: the role; the start (past Proposed only for administrators); the
    /// programmes (an officer only those they run; a facilitator may name any, because the programme's
    /// officers then decide and a proposal grants nobody anything); the form's own rules (plain text,
    /// members, SDGs); members and programmes exist and the programmes' eligibility rules hold.
    /// </summary>
    public async Task<SaveResult<int>?> CheckNewAsync(
        CityPairsDbContext db, ClaimsPrincipal user, PartnershipForm form, PartnershipStart start, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(form);
        return await CheckNewAsync(user, form, start, await LoadReferencesAsync(db, user, [form], cancellationToken), cancellationToken);
    }

    /// <summary>
    /// The checks of <see cref="CheckNewAsync(CityPairsDbContext, ClaimsPrincipal, PartnershipForm, PartnershipStart, CancellationToken)"/>
    /// against references loaded beforehand: no database access, so an import checks thousands of rows at the
    /// cost of one <see cref="LoadReferencesAsync"/>.
    /// </summary>
    public async Task<SaveResult<int>?> CheckNewAsync(
        ClaimsPrincipal user, PartnershipForm form, PartnershipStart start, PartnershipReferences references, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(references);
        if (start.InterestedCityId is { } interested)
        {
            // Expressing interest speaks for one member city: only someone who answers for it may.
            if (form.Members.All(m => m.CityId != interested) || !await rules.CanAnswerForCityAsync(user, interested, cancellationToken))
            {
                return SaveResult<int>.Forbidden();
            }
        }
        else if (!AccessRules.CanProposePartnership(user))
        {
            return SaveResult<int>.Forbidden();
        }

        // A history sets dates and names in the past: that is migrating, an administrator's task.
        if ((start.Status != PartnershipStatus.Proposed || start.History is not null) && !AccessRules.IsAdministrator(user))
        {
            return SaveResult<int>.Forbidden(StartsProposedMessage);
        }

        if (references.OwnProgrammes is { } own && form.ProgrammeIds.Any(p => !own.Contains(p)))
        {
            return SaveResult<int>.Forbidden(OwnProgrammesMessage);
        }

        var validation = await validator.ValidateAsync(form, cancellationToken);
        if (!validation.IsValid)
        {
            return SaveResult<int>.Invalid(validation.Errors);
        }

        if (CheckReferences(form, references) is { } problem)
        {
            return problem;
        }

        try
        {
            ReplayLifecycle(new Partnership { Name = form.Name }, start, user.DisplayName());
        }
        catch (DomainRuleException ex)
        {
            return SaveResult<int>.Invalid("Status", ex.Message);
        }

        return null;
    }

    /// <summary>
    /// Proposed on <see cref="PartnershipStart.On"/> (today when not given), then through each status up to the
    /// start's, so a migrated partnership has the history the lifecycle rules expect.
    /// </summary>
    private void ReplayLifecycle(Partnership partnership, PartnershipStart start, string? by)
    {
        if (start.History is { } history)
        {
            if (history.Steps.Count == 0 || history.Steps[0].To != PartnershipStatus.Proposed)
            {
                throw new DomainRuleException("A partnership's history starts with \"Proposed\".");
            }

            foreach (var step in history.Steps)
            {
                Take(partnership, step);
            }

            return;
        }

        var begin = start.On ?? start.EndedOn ?? Today();
        var end = start.EndedOn ?? begin;
        partnership.Propose(begin, by);
        switch (start.Status)
        {
            case PartnershipStatus.Proposed:
                break;
            case PartnershipStatus.Agreed:
                partnership.Agree(begin, null, by);
                break;
            case PartnershipStatus.Active:
                partnership.Agree(begin, null, by);
                partnership.Activate(begin, by);
                break;
            case PartnershipStatus.Completed:
                partnership.Agree(begin, null, by);
                partnership.Activate(begin, by);
                partnership.Complete(end, by);
                break;
            case PartnershipStatus.Discontinued:
                partnership.Discontinue(start.Reason ?? "", end, by);
                break;
            default:
                throw new DomainRuleException($"{start.Status} is not a status.");
        }
    }

    private static void Take(Partnership partnership, PartnershipStep step)
    {
        switch (step.To)
        {
            case PartnershipStatus.Proposed:
                partnership.Propose(step.On, step.By);
                break;
            case PartnershipStatus.Agreed:
                partnership.Agree(step.On, null, step.By);
                break;
            case PartnershipStatus.Active:
                partnership.Activate(step.On, step.By);
                break;
            case PartnershipStatus.Completed:
                partnership.Complete(step.On, step.By);
                break;
            case PartnershipStatus.Discontinued:
                partnership.Discontinue(step.Reason ?? "", step.On, step.By);
                break;
            default:
                throw new DomainRuleException($"{step.To} is not a status.");
        }
    }

    public Task<SaveResult<int>> UpdateAsync(int id, PartnershipForm form, CancellationToken cancellationToken = default) =>
        _write.RunAsync(write => UpdateCoreAsync(write, id, form, cancellationToken), cancellationToken);

    private async Task<SaveResult<int>> UpdateCoreAsync(WriteScope write, int id, PartnershipForm form, CancellationToken cancellationToken)
    {
        var db = write.Db;
        var validation = await validator.ValidateAsync(form, cancellationToken);
        if (!validation.IsValid)
        {
            return SaveResult<int>.Invalid(validation.Errors);
        }

        var partnership = await db.Partnerships.Include(p => p.Members).Include(p => p.Programmes).Include(p => p.Themes)
            .AsSplitQuery().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (partnership is null)
        {
            return SaveResult<int>.NotFound("This partnership no longer exists.");
        }

        // An officer may move a partnership only into programmes they run.
        var user = write.User;
        var added = form.ProgrammeIds.Where(p => partnership.Programmes.All(x => x.ProgrammeId != p)).ToList();
        if (!await rules.CanEditPartnershipAsync(user, id, cancellationToken) || !await rules.CanUseProgrammesAsync(user, added, cancellationToken))
        {
            return SaveResult<int>.Forbidden();
        }

        var references = await LoadReferencesAsync(db, user, [form], cancellationToken);
        if (CheckReferences(form, references) is { } problem)
        {
            return problem;
        }

        write.ExpectVersion(partnership, form.Version);
        partnership.Name = form.Name.Trim();
        Apply(partnership, form, references.Themes);
        db.Entry(partnership).Property(p => p.UpdatedAt).IsModified = true;
        return await write.SaveAsync(() => partnership.Id, cancellationToken);
    }

    public Task<SaveResult<PartnershipStatus>> ChangeStatusAsync(
        int id, StatusChangeRequest request, string? by = null, CancellationToken cancellationToken = default) =>
        _write.RunAsync(write => ChangeStatusCoreAsync(write, id, request, by, cancellationToken), cancellationToken);

    private async Task<SaveResult<PartnershipStatus>> ChangeStatusCoreAsync(
        WriteScope write, int id, StatusChangeRequest request, string? by, CancellationToken cancellationToken)
    {
        var user = write.User;
        var db = write.Db;
        if (!await rules.CanEditPartnershipAsync(user, id, cancellationToken))
        {
            return SaveResult<PartnershipStatus>.Forbidden();
        }

        by ??= user.DisplayName();
        var partnership = await db.Partnerships.Include(p => p.StatusHistory).Include(p => p.Agreements)
            .SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (partnership is null)
        {
            return SaveResult<PartnershipStatus>.NotFound("This partnership no longer exists.");
        }

        write.ExpectVersion(partnership, request.Version);
        try
        {
            switch (request.To)
            {
                case PartnershipStatus.Agreed:
                    var agreement = request.AgreementKind is AgreementKind kind
                        ? new Agreement { Kind = kind, SignedOn = request.On, ValidUntil = request.ValidUntil, Note = request.AgreementNote?.Trim() ?? "" }
                        : null;
                    if (agreement?.ValidUntil < agreement?.SignedOn)
                    {
                        return SaveResult<PartnershipStatus>.Invalid("ValidUntil", "An agreement cannot end before it is signed.");
                    }

                    // The cities decide (issue 14): a proposal is agreed once every invited member has accepted. An
                    // administrator may record an agreement reached outside CityPairs; a proposal from before the
                    // invitations existed has none to wait for.
                    if (partnership.Status == PartnershipStatus.Proposed && !AccessRules.IsAdministrator(user) &&
                        await db.Invitations.AnyAsync(i => i.PartnershipId == id && i.Status != InvitationStatus.Accepted, cancellationToken))
                    {
                        return SaveResult<PartnershipStatus>.Refused(NotAllAcceptedMessage);
                    }

                    partnership.Agree(request.On, agreement, by);
                    break;
                case PartnershipStatus.Active:
                    partnership.Activate(request.On, by);
                    break;
                case PartnershipStatus.Completed:
                    partnership.Complete(request.On, by);
                    break;
                case PartnershipStatus.Discontinued:
                    partnership.Discontinue(request.Reason ?? "", request.On, by);
                    break;
                default:
                    return SaveResult<PartnershipStatus>.Refused($"A partnership cannot be moved back to {request.To}.");
            }
        }
        catch (DomainRuleException ex)
        {
            return SaveResult<PartnershipStatus>.Refused(ex.Message);
        }

        return await write.SaveAsync(() => partnership.Status, cancellationToken);
    }

    /// <summary>Partnerships keep their history: they are archived (hidden from lists, restorable), never deleted.</summary>
    public Task<SaveResult<bool>> SetArchivedAsync(int id, bool archived, uint version, CancellationToken cancellationToken = default) =>
        _write.RunAsync(write => SetArchivedCoreAsync(write, id, archived, version, cancellationToken), cancellationToken);

    private async Task<SaveResult<bool>> SetArchivedCoreAsync(WriteScope write, int id, bool archived, uint version, CancellationToken cancellationToken)
    {
        var db = write.Db;
        if (!await rules.CanEditPartnershipAsync(write.User, id, cancellationToken))
        {
            return SaveResult<bool>.Forbidden();
        }

        var partnership = await db.Partnerships.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (partnership is null)
        {
            return SaveResult<bool>.NotFound("This partnership no longer exists.");
        }

        write.ExpectVersion(partnership, version);
        partnership.IsArchived = archived;
        return await write.SaveAsync(() => archived, cancellationToken);
    }

    private DateOnly Today() => DateOnly.FromDateTime(clock.GetLocalNow().DateTime);

    /// <summary>Members and programmes must exist, and the programmes' eligibility rules must hold for the members.</summary>
    private static SaveResult<int>? CheckReferences(PartnershipForm form, PartnershipReferences references)
    {
        var memberIds = form.Members.Select(m => m.CityId).ToList();
        if (memberIds.Distinct().Count() != memberIds.Count || memberIds.Any(id => !references.LiveCities.ContainsKey(id)))
        {
            return SaveResult<int>.Invalid(nameof(PartnershipForm.Members), "A member city no longer exists or is archived.");
        }

        if (form.ProgrammeIds.Any(id => !references.Programmes.ContainsKey(id)))
        {
            return SaveResult<int>.Invalid(nameof(PartnershipForm.ProgrammeIds), "A chosen programme no longer exists.");
        }

        var memberRegions = memberIds.Select(id => references.LiveCities[id]).ToList();
        foreach (var programme in form.ProgrammeIds.Distinct().Select(id => references.Programmes[id]))
        {
            var problems = programme.EligibilityProblems(memberRegions);
            if (problems.Count > 0)
            {
                return SaveResult<int>.Invalid(nameof(PartnershipForm.ProgrammeIds),
                    $"{programme.ShortName} asks for {string.Join(" and ", problems)}.");
            }
        }

        return null;
    }

    private static void Apply(Partnership partnership, PartnershipForm form, IReadOnlyDictionary<int, Theme> themeRows)
    {
        partnership.Modality = form.Modality;
        partnership.StartedOn = form.StartedOn is DateTime started ? DateOnly.FromDateTime(started) : null;
        partnership.Description = form.Description.Trim();
        partnership.ExitStrategy = form.ExitStrategy.Trim();
        partnership.Sdgs = [.. form.Sdgs.Distinct().Order()];

        // Keep existing member rows (they are keyed by city) and change them in place.
        partnership.Members.RemoveAll(m => form.Members.All(f => f.CityId != m.CityId));
        foreach (var member in form.Members)
        {
            var row = partnership.Members.FirstOrDefault(m => m.CityId == member.CityId);
            if (row is null)
            {
                row = new PartnershipMember { CityId = member.CityId };
                partnership.Members.Add(row);
            }

            row.Role = member.Role;
            row.Expectations = member.Expectations.Trim();
            row.Contributions = member.Contributions.Trim();
        }

        partnership.Programmes.RemoveAll(p => !form.ProgrammeIds.Contains(p.ProgrammeId));
        foreach (var programmeId in form.ProgrammeIds.Distinct().Where(id => partnership.Programmes.All(p => p.ProgrammeId != id)))
        {
            partnership.Programmes.Add(new PartnershipProgramme { ProgrammeId = programmeId, From = partnership.StartedOn });
        }

        var themes = form.ThemeIds.Distinct().Where(themeRows.ContainsKey).Select(id => themeRows[id]).ToList();
        partnership.Themes.RemoveAll(t => !form.ThemeIds.Contains(t.Id));
        partnership.Themes.AddRange(themes.Where(t => partnership.Themes.All(x => x.Id != t.Id)));
    }
}
