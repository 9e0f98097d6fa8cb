using CityPairs.Web.Features.Common;
using CityPairs.Web.Features.Export;

namespace CityPairs.Web.Features.Import;

public enum ImportKind
{
    Cities,
    Partnerships,

    /// <summary>A GeoNames cities file for the gazetteer: no preview or mapping, loaded by GazetteerLoader.</summary>
    Gazetteer,
}

/// <summary>One data row of the file; <see cref="Line"/> counts the heading as line 1, as a spreadsheet shows it.</summary>
public sealed record ImportRow(int Line, string Label, IReadOnlyList<string> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>What the file would import: which column feeds which field, and every row with its problems.</summary>
public sealed record ImportPreview(
    ImportKind Kind, IReadOnlyDictionary<string, string> Mapping, IReadOnlyList<string> Ignored, IReadOnlyList<string> Missing,
    IReadOnlyList<ImportRow> Rows, Table Table)
{
    public bool CanCommit(IReadOnlySet<int> excludedLines) =>
        Missing.Count == 0 && Rows.Any(r => !excludedLines.Contains(r.Line)) && Rows.All(r => r.IsValid || excludedLines.Contains(r.Line));
}

public sealed record ImportResult(bool Committed, int Imported, string Message, IReadOnlyList<ImportRow> Problems);

/// <summary>
/// Imports cities and partnerships from CSV or Excel, all or nothing: every included row must pass the same
/// validators and domain rules as the forms, then all rows are saved in one transaction. This is the workflow
/// every kind shares (reading the file, matching headings to fields, the preview, the check again at commit);
/// reading and saving the rows is each kind's own (<see cref="CityImport"/>, <see cref="PartnershipImport"/>).
/// </summary>
public sealed class ImportService(CityImport cities, PartnershipImport partnerships, ILogger<ImportService>? logger = null)
{
    // The commit copies cities by binary COPY, so 100,000 rows import in seconds (docs/PERFORMANCE.md, "Import throughput").
    public const int MaxRows = 100_000;

    public async Task<ImportPreview> PreviewAsync(ImportKind kind, Table table, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        var (mapping, ignored, missing) = Map(kind, table.Headers);
        var rows = new List<ImportRow>();
        if (missing.Count == 0)
        {
            rows.AddRange(kind == ImportKind.Cities
                ? (await cities.ParseAsync(table, mapping, progress, cancellationToken)).Select(p => p.Row)
                : (await partnerships.ParseAsync(table, mapping, progress, cancellationToken)).Select(p => p.Row));
        }

        return new ImportPreview(kind, mapping, ignored, missing, rows, table);
    }

    /// <summary>Saves every row not excluded, in one transaction, or nothing at all when any of them has a problem.</summary>
    public async Task<ImportResult> CommitAsync(ImportPreview preview, IReadOnlySet<int> excludedLines, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        // An outage is an answer, not a crash: the page keeps the preview and its exclusions for another try.
        try
        {
            return await CommitCoreAsync(preview, excludedLines, progress, cancellationToken);
        }
        catch (Exception ex) when (Common.DatabaseOutage.Is(ex))
        {
            Common.SaveLog.Unreachable(logger.OrNull(), ex);
            return new ImportResult(false, 0, Common.DatabaseOutage.Message, []);
        }
    }

    private async Task<ImportResult> CommitCoreAsync(ImportPreview preview, IReadOnlySet<int> excludedLines, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(preview);
        ArgumentNullException.ThrowIfNull(excludedLines);
        if (preview.Missing.Count > 0)
        {
            return new ImportResult(false, 0, $"Columns missing: {string.Join(", ", preview.Missing)}. Nothing was imported.", []);
        }

        // Validated again against the database as it is now: it may have changed since the preview.
        // The progress bar's first half is checking the rows again, the second half saving them.
        var checking = progress is null ? null : new Scaled(progress, 0, 0.5);
        var saving = progress is null ? null : new Scaled(progress, 0.5, 0.5);
        return preview.Kind == ImportKind.Cities
            ? await CommitRowsAsync(
                await cities.ParseAsync(preview.Table, preview.Mapping, checking, cancellationToken), excludedLines,
                rows => cities.CommitAsync(rows, saving, cancellationToken))
            : await CommitRowsAsync(
                await partnerships.ParseAsync(preview.Table, preview.Mapping, checking, cancellationToken), excludedLines,
                rows => partnerships.CommitAsync(rows, saving, cancellationToken));
    }

    private static async Task<ImportResult> CommitRowsAsync<T>(
        List<ParsedRow<T>> rows, IReadOnlySet<int> excludedLines, Func<IReadOnlyList<T>, Task<ImportResult>> commit)
        where T : class
    {
        var parsed = rows.Where(p => !excludedLines.Contains(p.Row.Line)).ToList();
        var problems = parsed.Where(p => !p.Row.IsValid).Select(p => p.Row).ToList();
        if (problems.Count > 0)
        {
            return new ImportResult(false, 0, $"{problems.Count} row(s) have problems. Nothing was imported: fix or exclude them.", problems);
        }

        if (parsed.Count == 0)
        {
            return new ImportResult(false, 0, "There are no rows to import.", []);
        }

        return await commit([.. parsed.Select(p => p.Value!)]);
    }

    private sealed class Scaled(IProgress<double> inner, double from, double span) : IProgress<double>
    {
        public void Report(double value) => inner.Report(from + span * value);
    }

    private static string Normalise(string heading) => new([.. heading.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);

    private static (Dictionary<string, string> Mapping, List<string> Ignored, List<string> Missing) Map(ImportKind kind, IReadOnlyList<string> headers)
    {
        var fields = kind switch
        {
            ImportKind.Cities => CityImport.Fields,
            ImportKind.Partnerships => PartnershipImport.Fields,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "The gazetteer is loaded by GazetteerLoader, without a preview."),
        };
        var mapping = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, _, aliases) in fields)
        {
            // The first alias that matches wins, so "country code" beats "country" when a file has both.
            var header = aliases.Select(a => headers.FirstOrDefault(h => Normalise(h) == a && !mapping.ContainsValue(h))).FirstOrDefault(h => h is not null);
            if (header is not null)
            {
                mapping[field] = header;
            }
        }

        var missing = fields.Where(f => f.Required && !mapping.ContainsKey(f.Field)).Select(f => f.Field).ToList();
        return (mapping, [.. headers.Where(h => !mapping.ContainsValue(h))], missing);
    }
}
