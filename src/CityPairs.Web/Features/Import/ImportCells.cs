using System.Globalization;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Cities;
using CityPairs.Web.Features.Export;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Features.Import;

/// <summary>A row of the file as a kind reads it: its report line and, when it has no problems, what it imports.</summary>
public sealed record ParsedRow<T>(ImportRow Row, T? Value)
    where T : class;

/// <summary>What every kind of import does the same way: the row limit, each row's cells by field, and reading values.</summary>
internal static class ImportCells
{
    /// <summary>Runs a kind's row parser with a context and each row's cells by field (trimmed; "" when not mapped).</summary>
    public static async Task<List<ParsedRow<T>>> ParseAsync<T>(
        IDbContextFactory<CityPairsDbContext> dbFactory, Table table, IReadOnlyDictionary<string, string> mapping,
        Func<CityPairsDbContext, Func<IReadOnlyList<string>, Func<string, string>>, Task<List<ParsedRow<T>>>> parse, CancellationToken cancellationToken)
        where T : class
    {
        if (table.Rows.Count > ImportService.MaxRows)
        {
            return [new ParsedRow<T>(new ImportRow(0, "", [$"The file has {table.Rows.Count} rows; import at most {ImportService.MaxRows} at a time."]), null)];
        }

        var index = table.Headers.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => x.i, StringComparer.Ordinal);
        Func<string, string> Cell(IReadOnlyList<string> row) => field => mapping.TryGetValue(field, out var h) ? row[index[h]].Trim() : "";
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await parse(db, Cell);
    }

    /// <summary>A form validator's property name as the file's field, so a problem names the column it came from.</summary>
    public static string Field(string property) => property switch
    {
        nameof(CityForm.CountryCode) => "country_code",
        nameof(CityForm.PrioritySdgs) => "priority_sdgs",
        nameof(CityForm.AdminArea) => "admin_area",
        nameof(Partnerships.PartnershipForm.ProgrammeIds) => "programmes",
        nameof(Partnerships.PartnershipForm.ThemeIds) => "themes",
        nameof(Partnerships.PartnershipForm.StartedOn) => "started_on",
        nameof(Partnerships.PartnershipForm.ExitStrategy) => "exit_strategy",
        _ => property.ToLowerInvariant(),
    };

    public static int? ParseInt(string text, string field, List<string> errors, bool allowEmpty)
    {
        if (text.Length == 0 && allowEmpty)
        {
            return null;
        }

        if (int.TryParse(text.Replace(",", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        errors.Add($"{field}: \"{text}\" is not a whole number.");
        return null;
    }

    public static double? ParseDouble(string text, string field, List<string> errors)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return d;
        }

        errors.Add(text.Length == 0 ? $"{field}: a value is required." : $"{field}: \"{text}\" is not a number (use a dot for decimals).");
        return null;
    }

    public static List<int> ParseInts(string text, string field, List<string> errors)
    {
        var numbers = new List<int>();
        foreach (var part in Table.Split(text.Replace(',', ';')))
        {
            if (int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            {
                numbers.Add(n);
            }
            else
            {
                errors.Add($"{field}: \"{part}\" is not a number.");
            }
        }

        return numbers;
    }

    public static DateOnly? ParseDate(string text, string field, List<string> errors)
    {
        if (text.Length == 0)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, ["yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ss", "yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return d;
        }

        errors.Add($"{field}: \"{text}\" is not a date; write it as 2024-05-31.");
        return null;
    }
}
