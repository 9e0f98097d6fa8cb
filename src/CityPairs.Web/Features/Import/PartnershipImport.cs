using System.Text.RegularExpressions;
using CityPairs.Domain.Common;
using CityPairs.Domain.Partnerships;
using CityPairs.Domain.Programmes;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Common;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Export;
using CityPairs.Web.Features.Partnerships;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Features.Import;

/// <summary>One row of a partnership file, read into what the partnership form would hold.</summary>
public sealed record NewPartnershipRow(PartnershipForm Form, PartnershipStart Start);

/// <summary>
/// The partnerships kind of import: members, programmes and themes found by name among the records already
/// here, each row read into a partnership form and checked by <see cref="PartnershipService.CheckNewAsync(System.Security.Claims.ClaimsPrincipal, PartnershipForm, PartnershipStart, PartnershipReferences, CancellationToken)"/>
/// against references loaded once per file
/// (the same checks as the form, Matches and the API: the importer's programmes, a start past Proposed only for
/// administrators, eligibility), then all rows added through <see cref="PartnershipService.AddNewAsync(CityPairsDbContext, System.Security.Claims.ClaimsPrincipal, PartnershipForm, PartnershipStart, PartnershipReferences, CancellationToken)"/> in
/// one transaction.
/// </summary>
public sealed partial class PartnershipImport(
    IDbContextFactory<CityPairsDbContext> dbFactory, PartnershipService partnerships, ICurrentUser currentUser, ILogger<PartnershipImport>? logger = null)
{
    /// <summary>Field -> the headings that mean it (compared without case, spaces, dashes or underscores).</summary>
    public static IReadOnlyList<(string Field, bool Required, string[] Aliases)> Fields { get; } =
    [
        ("name", true, ["name", "partnership", "partnershipname", "title"]),
        ("modality", false, ["modality", "kind", "type"]),
        ("status", false, ["status", "stage"]),
        ("started_on", false, ["startedon", "start", "started", "since", "startdate"]),
        ("ended_on", false, ["endedon", "end", "ended", "enddate"]),
        ("discontinuation_reason", false, ["discontinuationreason", "reason"]),
        ("members", true, ["members", "cities", "membercities", "partners"]),
        ("programmes", false, ["programmes", "programme", "programs", "program"]),
        ("themes", false, ["themes", "theme"]),
        ("sdgs", false, ["sdgs", "sdg", "goals"]),
        ("description", false, ["description", "summary"]),
        ("exit_strategy", false, ["exitstrategy", "exit"]),
    ];

    public Task<List<ParsedRow<NewPartnershipRow>>> ParseAsync(
        Table table, IReadOnlyDictionary<string, string> mapping, IProgress<double>? progress, CancellationToken cancellationToken) =>
        ImportCells.ParseAsync(dbFactory, table, mapping, (db, cells) => ParseRowsAsync(db, table, cells, progress, cancellationToken), cancellationToken);

    /// <summary>
    /// Saves the rows in one transaction, 500 to a batch: all of them or, when the writer or the database refuses
    /// one (something changed since the preview), none.
    /// </summary>
    public async Task<ImportResult> CommitAsync(IReadOnlyList<NewPartnershipRow> rows, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var user = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateForAsync(currentUser, cancellationToken);
        string? refusal = null;
        // Retries are on (EnableRetryOnFailure): a user transaction must run inside the execution strategy, and
        // a retry starts it again from the beginning, so the entities are rebuilt inside.
        var strategy = db.Database.CreateExecutionStrategy();
        try
        {
            await strategy.ExecuteAsync(async ct =>
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var done = 0;
                foreach (var batch in rows.Chunk(500))
                {
                    // One read of what the checks need per batch (after Clear, the themes are read again for this batch).
                    var references = await partnerships.LoadReferencesAsync(db, user, batch.Select(r => r.Form), ct);
                    foreach (var row in batch)
                    {
                        var added = await partnerships.AddNewAsync(db, user, row.Form, row.Start, references, ct);
                        if (!added.Succeeded)
                        {
                            refusal = $"{row.Form.Name.Trim()}: {Describe(added)}";
                            return;
                        }
                    }

                    await db.SaveChangesAsync(ct);
                    db.ChangeTracker.Clear();
                    done += batch.Length;
                    progress?.Report((double)done / rows.Count);
                }

                await transaction.CommitAsync(ct);
            }, cancellationToken);
        }
        catch (DbUpdateException ex) when (Common.SafeSave.FindPostgresError(ex) is { } postgres)
        {
            Common.SaveLog.ImportRefused(logger.OrNull(), ex);
            return new ImportResult(false, 0, $"The database refused the import ({postgres.MessageText}). Nothing was imported.", []);
        }

        if (refusal is not null)
        {
            return new ImportResult(false, 0, $"{refusal} Nothing was imported.", []);
        }

        return new ImportResult(true, rows.Count, $"{rows.Count} partnerships imported.", []);
    }

    // A cell of an uploaded file: the timeout bounds what a crafted cell can cost (cells are plain text of bounded length).
    [GeneratedRegex(@"^(?<name>.+?)\s*(\((?<cc>[A-Za-z]{2})\))?\s*(\[(?<role>\w+)\])?$", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex MemberPattern();

    /// <summary>
    /// Reads each row into a partnership the way the form would make it, replaying its lifecycle to the status in
    /// the file; a row without problems carries the step that adds it to a context at commit.
    /// </summary>
    private async Task<List<ParsedRow<NewPartnershipRow>>> ParseRowsAsync(
        CityPairsDbContext db, Table table, Func<IReadOnlyList<string>, Func<string, string>> cells, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var cities = await db.Cities.AsNoTracking().Where(c => !c.IsArchived).Select(c => new { c.Id, c.Name, c.CountryCode, c.Region }).ToListAsync(cancellationToken);
        var programmes = await db.Programmes.AsNoTracking().ToListAsync(cancellationToken);
        var themes = await db.Themes.AsNoTracking().Select(t => new { t.Id, t.Name }).ToListAsync(cancellationToken);
        var read = new List<(int Line, PartnershipForm Form, PartnershipStart Start, List<string> Errors)>();
        var user = await currentUser.GetAsync();
        for (var i = 0; i < table.Rows.Count; i++)
        {
            var cell = cells(table.Rows[i]);
            var line = i + 2;
            var errors = new List<string>();
            var form = new PartnershipForm { Name = cell("name"), Description = cell("description"), ExitStrategy = cell("exit_strategy") };
            if (cell("modality") is { Length: > 0 } modalityText)
            {
                if (Enum.TryParse<Modality>(modalityText, true, out var m) && Enum.IsDefined(m))
                {
                    form.Modality = m;
                }
                else
                {
                    errors.Add($"modality: \"{modalityText}\" is not one of {string.Join(", ", Enum.GetNames<Modality>())}.");
                }
            }

            var status = PartnershipStatus.Proposed;
            if (cell("status") is { Length: > 0 } statusText && !(Enum.TryParse(statusText, true, out status) && Enum.IsDefined(status)))
            {
                errors.Add($"status: \"{statusText}\" is not one of {string.Join(", ", Enum.GetNames<PartnershipStatus>())}.");
            }

            var started = ImportCells.ParseDate(cell("started_on"), "started_on", errors);
            var ended = ImportCells.ParseDate(cell("ended_on"), "ended_on", errors);
            form.StartedOn = started?.ToDateTime(TimeOnly.MinValue);
            var reason = cell("discontinuation_reason");

            foreach (var text in Table.Split(cell("members")))
            {
                Match match;
                try
                {
                    match = MemberPattern().Match(text);
                }
                catch (RegexMatchTimeoutException)
                {
                    errors.Add("members: a member could not be read; write each as \"Name (CC) [Role]\", separated by \";\".");
                    continue;
                }

                var name = match.Groups["name"].Value.Trim();
                var cc = match.Groups["cc"].Success ? match.Groups["cc"].Value.ToUpperInvariant() : null;
                var found = cities.Where(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase) && (cc is null || c.CountryCode == cc)).ToList();
                if (found.Count != 1)
                {
                    errors.Add(found.Count == 0
                        ? $"members: no registered city \"{text}\"; import or register it first."
                        : $"members: \"{text}\" matches several cities; add the country code, as in \"{name} (XX)\".");
                    continue;
                }

                var role = MemberRole.Partner;
                if (match.Groups["role"].Success && !(Enum.TryParse(match.Groups["role"].Value, true, out role) && Enum.IsDefined(role)))
                {
                    errors.Add($"members: \"{match.Groups["role"].Value}\" is not a role ({string.Join(", ", Enum.GetNames<MemberRole>())}).");
                }

                form.Members.Add(new MemberForm { CityId = found[0].Id, CityName = found[0].Name, Role = role });
            }

            var chosen = new List<Programme>();
            foreach (var text in Table.Split(cell("programmes")))
            {
                var programme = programmes.FirstOrDefault(p => string.Equals(p.ShortName, text, StringComparison.OrdinalIgnoreCase) || string.Equals(p.Name, text, StringComparison.OrdinalIgnoreCase));
                if (programme is null)
                {
                    errors.Add($"programmes: no programme \"{text}\".");
                }
                else
                {
                    chosen.Add(programme);
                }
            }

            form.ProgrammeIds = [.. chosen.Select(p => p.Id)];
            var themeIds = new List<int>();
            foreach (var text in Table.Split(cell("themes")))
            {
                if (themes.FirstOrDefault(t => string.Equals(t.Name, text, StringComparison.OrdinalIgnoreCase)) is { } theme)
                {
                    themeIds.Add(theme.Id);
                }
                else
                {
                    errors.Add($"themes: no theme \"{text}\".");
                }
            }

            form.ThemeIds = themeIds;
            form.Sdgs = ImportCells.ParseInts(cell("sdgs"), "sdgs", errors);
            read.Add((line, form, new PartnershipStart(status, started, ended, reason), errors));
            progress?.Report((i + 1.0) / table.Rows.Count / 2);
        }

        // The writer's own checks, on everything they read loaded once for the whole file rather than per row.
        // Rows that could not even be read are not asked further: their form is incomplete.
        var references = await partnerships.LoadReferencesAsync(db, user, read.Where(r => r.Errors.Count == 0).Select(r => r.Form), cancellationToken);
        var result = new List<ParsedRow<NewPartnershipRow>>(read.Count);
        foreach (var (line, form, start, errors) in read)
        {
            if (errors.Count == 0 && await partnerships.CheckNewAsync(user, form, start, references, cancellationToken) is { } problem)
            {
                errors.AddRange(problem.Errors.Count > 0
                    ? problem.Errors.Select(e => $"{ImportCells.Field(e.Field)}: {e.Message}")
                    : [Describe(problem)]);
            }

            var label = string.IsNullOrWhiteSpace(form.Name) ? $"line {line}" : form.Name.Trim();
            result.Add(new ParsedRow<NewPartnershipRow>(new ImportRow(line, label, errors), errors.Count > 0 ? null : new NewPartnershipRow(form, start)));
            progress?.Report(0.5 + result.Count / 2.0 / read.Count);
        }

        return result;
    }

    /// <summary>A refusal in the words the import report uses: "programmes: ..." where a field is named.</summary>
    private static string Describe<T>(Common.SaveResult<T> result) =>
        result.Errors.Count > 0
            ? string.Join(" ", result.Errors.Select(e => $"{ImportCells.Field(e.Field)}: {e.Message}"))
            : result.Message ?? Common.SaveResult<T>.ForbiddenMessage;
}
