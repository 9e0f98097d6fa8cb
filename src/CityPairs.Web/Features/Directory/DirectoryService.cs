using CityPairs.Domain.Partnerships;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Common;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Features.Directory;

public sealed record DirectoryEntry(
    int Id, string Name, Modality Modality, DateOnly? StartedOn, IReadOnlyList<string> Members, IReadOnlyList<string> Programmes,
    IReadOnlyList<string> Themes, IReadOnlyList<int> Sdgs, string Description);

/// <summary>
/// What anyone may see without signing in: active partnerships, their cities, programmes, themes and SDGs.
/// No contacts, no expectations, no exchanges (those are the partners' working records).
/// </summary>
public sealed class DirectoryService(IDbContextFactory<CityPairsDbContext> dbFactory)
{
    public const int PageSize = 20;

    /// <summary>One page of the directory: it is public, so it never renders a whole large registry at once.</summary>
    public async Task<Page<DirectoryEntry>> ActivePartnershipsAsync(int page = 0, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var active = db.Partnerships.AsNoTracking().Where(p => p.Status == PartnershipStatus.Active && !p.IsArchived);
        var total = await active.CountAsync(cancellationToken);
        var rows = await active
            .OrderBy(p => p.Name).ThenBy(p => p.Id)
            .Skip(Math.Max(page, 0) * PageSize).Take(PageSize)
            .Select(p => new
            {
                p.Id, p.Name, p.Modality, p.StartedOn, p.Sdgs, p.Description,
                Members = p.Members.Join(db.Cities, m => m.CityId, c => c.Id, (m, c) => c.Name + " (" + c.CountryCode + ")").ToList(),
                Programmes = p.Programmes.Join(db.Programmes, pp => pp.ProgrammeId, x => x.Id, (pp, x) => x.ShortName).ToList(),
                Themes = p.Themes.Select(t => t.Name).ToList(),
            })
            .ToListAsync(cancellationToken);
        return new Page<DirectoryEntry>(rows.ConvertAll(r => new DirectoryEntry(
            r.Id, r.Name, r.Modality, r.StartedOn, [.. r.Members.Order(StringComparer.CurrentCulture)], [.. r.Programmes.Order(StringComparer.Ordinal)],
            [.. r.Themes.Order(StringComparer.CurrentCulture)], [.. r.Sdgs.Order()], r.Description)), total);
    }
}
