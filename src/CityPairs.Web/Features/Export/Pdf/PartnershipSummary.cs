using System.Globalization;
using CityPairs.Domain.Common;
using CityPairs.Domain.Exchanges;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Partnerships;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CityPairs.Web.Features.Export.Pdf;

/// <summary>
/// The printable summary of one partnership: members, programmes, status and its history, agreements,
/// expectations, themes and SDGs, the member cities' contacts, the timeline of exchanges and what they achieved.
/// Anyone who may open the partnership may print it, but contacts are private: only the contacts of member cities
/// the reader may edit are printed (<see cref="AccessRules.ContactScopeAsync"/>), and the PDF says whose were left out.
/// </summary>
public sealed class PartnershipSummary(
    IDbContextFactory<CityPairsDbContext> dbFactory, PartnershipService partnerships, IStringLocalizer<SharedResource> l, TimeProvider clock,
    ICurrentUser currentUser, AccessRules rules)
{
    public sealed record Document(string FileName, byte[] Content, int Pages);

    private sealed record ExchangeLine(
        DateOnly StartsOn, DateOnly EndsOn, ExchangeKind Kind, string Title, string? Host, bool IsOnline,
        List<ParticipantCount> Participants, string Outcomes, string FollowUps);

    /// <summary>The PDF, or null when there is no such partnership.</summary>
    public async Task<Document?> WriteAsync(int id, CancellationToken cancellationToken = default)
    {
        var detail = await partnerships.GetAsync(id, cancellationToken);
        if (detail is null)
        {
            return null;
        }

        var scope = await rules.ContactScopeAsync(await currentUser.GetAsync(), cancellationToken);
        var withheld = detail.Members.Where(m => !scope.Includes(m.CityId)).Select(m => m.CityName).Distinct().ToList();
        var memberIds = detail.Members.Select(m => m.CityId).Where(scope.Includes).ToList();

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var contacts = await db.Cities.AsNoTracking().Where(c => memberIds.Contains(c.Id))
            .SelectMany(c => c.Contacts.Select(x => new { City = c.Name, x.Name, x.Role, x.Email, x.ActiveFrom, x.ActiveTo }))
            .OrderBy(x => x.City).ThenBy(x => x.ActiveTo != null).ThenBy(x => x.Name)
            .ToListAsync(cancellationToken);
        var programmeIds = detail.Programmes.Select(p => p.Id).ToList();
        var programmeNames = await db.Programmes.AsNoTracking().Where(p => programmeIds.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        var exchanges = await db.Exchanges.AsNoTracking().Where(e => e.PartnershipId == id)
            .OrderBy(e => e.StartsOn).ThenBy(e => e.Id)
            .Select(e => new ExchangeLine(
                e.StartsOn, e.EndsOn, e.Kind, e.Title, db.Cities.Where(c => c.Id == e.HostCityId).Select(c => c.Name).FirstOrDefault(),
                e.IsOnline, e.Participants, e.Outcomes, e.FollowUps))
            .ToListAsync(cancellationToken);

        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        using var pdf = new PdfLayout(detail.Name, $"{detail.Name} · CityPairs · {Date(today)}");
        pdf.Title(detail.Name);
        pdf.Text(string.Join(" · ", new[]
        {
            l[$"Modality.{detail.Modality}"].Value, l[$"Status.{detail.Status}"].Value,
            detail.StartedOn is { } s ? l["Partnership.Since", Date(s)].Value : null,
            detail.EndedOn is { } ended ? l["Partnership.EndedOn", Date(ended)].Value : null,
            detail.IsArchived ? l["Common.Archived"].Value : null,
        }.Where(x => x is not null)), size: 11, after: 6);
        pdf.Field(l["Partnership.Description"], detail.Description);

        pdf.Heading(l["Partnership.Members"]);
        foreach (var m in detail.Members)
        {
            pdf.KeepRoom(40);
            pdf.Paragraph([new Run(m.CityName, true), new Run($" · {Countries.NameOf(m.CountryCode)} ({m.CountryCode}) · {l[$"Role.{m.Role}"]}", false)]);
            pdf.Field(l["Member.Expectations"], m.Expectations, indent: 12);
            pdf.Field(l["Member.Contributions"], m.Contributions, indent: 12);
        }

        pdf.Heading(l["Partnership.Programmes"]);
        if (detail.Programmes.Count == 0)
        {
            pdf.Text(l["Partnership.NoProgramme"]);
        }

        foreach (var p in detail.Programmes)
        {
            var period = p.From is null && p.To is null ? "" : $" ({Date(p.From)} – {Date(p.To)})";
            pdf.Paragraph([new Run(p.ShortName, true), new Run($" · {programmeNames.GetValueOrDefault(p.Id, "")}{period}", false)]);
        }

        pdf.Heading(l["Pdf.Status"]);
        pdf.Field(l["Partnership.Status"], l[$"Status.{detail.Status}"]);
        pdf.Field(l["Pdf.DiscontinuationReason"], detail.DiscontinuationReason);
        foreach (var h in detail.History)
        {
            var move = h.From is { } from ? $"{l[$"Status.{from}"]} → {l[$"Status.{h.To}"]}" : l[$"Status.{h.To}"].Value;
            var extra = string.Join(" · ", new[] { h.Reason, h.By }.Where(x => !string.IsNullOrWhiteSpace(x)));
            pdf.Text($"{Date(h.On)}   {move}{(extra.Length > 0 ? " · " + extra : "")}", indent: 12);
        }

        pdf.Heading(l["Partnership.Agreements"]);
        if (detail.Agreements.Count == 0)
        {
            pdf.Text(l["Agreements.Empty"]);
        }

        foreach (var a in detail.Agreements)
        {
            var until = a.ValidUntil is { } v ? $" – {Date(v)}" : "";
            pdf.Paragraph([new Run(l[$"Agreement.{a.Kind}"], true), new Run($" · {Date(a.SignedOn)}{until}{(a.Note.Length > 0 ? " · " + a.Note : "")}", false)]);
        }

        pdf.Heading(l["Pdf.Focus"]);
        pdf.Field(l["Partnership.Themes"], string.Join(", ", detail.Themes));
        pdf.Field("SDGs", string.Join(", ", detail.Sdgs));
        pdf.Field(l["Partnership.ExitStrategy"], detail.ExitStrategy);

        if (contacts.Count > 0 || withheld.Count > 0)
        {
            pdf.Heading(l["Pdf.Contacts"]);
            foreach (var c in contacts)
            {
                var period = $"{Date(c.ActiveFrom)} – {(c.ActiveTo is { } to ? Date(to) : "")}";
                pdf.Paragraph([new Run(c.Name, true), new Run($" · {c.Role} · {c.City} · {c.Email} · {period}", false)]);
            }

            // Named whether or not they have contacts, so the note says nothing about a city the reader may not see into.
            if (withheld.Count > 0)
            {
                pdf.Text(l["Pdf.ContactsWithheld", string.Join(", ", withheld)]);
            }
        }

        pdf.Heading(l["Pdf.Timeline"]);
        if (exchanges.Count == 0)
        {
            pdf.Text(l["Pdf.NoExchanges"]);
        }

        foreach (var e in exchanges)
        {
            pdf.KeepRoom(50);
            var dates = e.EndsOn > e.StartsOn ? $"{Date(e.StartsOn)} – {Date(e.EndsOn)}" : Date(e.StartsOn);
            pdf.Paragraph([new Run($"{dates} · {l[$"ExchangeKind.{e.Kind}"]} · ", false), new Run(e.Title, true)], after: 1);
            var place = e.IsOnline ? l["Exchange.Online"].Value : e.Host ?? "";
            var byRole = e.Participants.GroupBy(p => p.Role).OrderBy(g => g.Key)
                .Select(g => $"{l[$"ParticipantRole.{g.Key}"]} {g.Sum(p => p.Count)}");
            var people = l["Exchange.ParticipantCount", e.Participants.Sum(p => p.Count)].Value;
            pdf.Text(string.Join(" · ", new[] { place, people + (e.Participants.Count > 0 ? $" ({string.Join(", ", byRole)})" : "") }.Where(x => x.Length > 0)),
                size: 9, indent: 12, after: 1);
            pdf.Field(l["Exchange.Outcomes"], e.Outcomes, indent: 12);
            pdf.Field(l["Exchange.FollowUps"], e.FollowUps, indent: 12);
            pdf.Space(4);
        }

        pdf.Heading(l["Pdf.Outcomes"]);
        var participants = exchanges.Sum(e => e.Participants.Sum(p => p.Count));
        pdf.Text(l["Pdf.InNumbers", exchanges.Count, participants]);
        if (exchanges.Count > 0)
        {
            pdf.Field(l["Pdf.Period"], $"{Date(exchanges[0].StartsOn)} – {Date(exchanges.Max(e => e.EndsOn))}");
        }

        var content = pdf.Build();
        return new Document(FileName(detail.Name), content, pdf.PageCount);
    }

    /// <summary>The partnership's name as a file name: characters that file systems refuse become dashes.</summary>
    public static string FileName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var invalid = Path.GetInvalidFileNameChars().Concat(['\\', '/', ':', '*', '?', '"', '<', '>', '|']).ToHashSet();
        var clean = new string([.. name.Select(c => invalid.Contains(c) || char.IsControl(c) ? '-' : c)]).Trim(' ', '.');
        return (clean.Length == 0 ? "partnership" : clean) + ".pdf";
    }

    private static string Date(DateOnly? date) => date?.ToString("d", CultureInfo.CurrentCulture) ?? "";
}
