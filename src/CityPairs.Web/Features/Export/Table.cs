using System.Text;
using MiniExcelLibs;

namespace CityPairs.Web.Features.Export;

/// <summary>Rows of text under named columns: what a CSV or a worksheet holds, read or written the same way.</summary>
public sealed record Table(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    /// <summary>List values inside one cell ("es; ca", "11; 13").</summary>
    public const string ListSeparator = "; ";

    private static readonly char[] Separators = [',', ';', '\t'];

    private static readonly char[] NeedQuotes = [',', '"', '\r', '\n'];

    /// <summary>
    /// What a spreadsheet takes for the start of a formula (OWASP, CSV injection): "=", "+", "-", "@", and a tab or
    /// carriage return in front of one.
    /// </summary>
    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    /// <summary>
    /// A cell as written to a file: text a spreadsheet would run as a formula (a city named =HYPERLINK(...)) gets a
    /// leading apostrophe, the spreadsheet convention for "this is text". Numbers are left alone ("-64.73" is a
    /// longitude, not a formula). Apostrophes already in front of a formula start get one more, so
    /// <see cref="Restore"/> gives back exactly what was exported; "'s-Hertogenbosch" is not touched.
    /// </summary>
    public static string Neutralise(string? cell)
    {
        if (string.IsNullOrEmpty(cell))
        {
            return cell ?? "";
        }

        var first = cell.AsSpan().TrimStart('\'');
        if (first.Length == 0 || Array.IndexOf(FormulaStarts, first[0]) < 0 || IsNumber(cell))
        {
            return cell;
        }

        return "'" + cell;
    }

    /// <summary>A cell as read from a file: undoes <see cref="Neutralise"/> (one apostrophe in front of a formula start).</summary>
    public static string Restore(string cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (cell.Length < 2 || cell[0] != '\'')
        {
            return cell;
        }

        var first = cell.AsSpan().TrimStart('\'');
        return first.Length > 0 && Array.IndexOf(FormulaStarts, first[0]) >= 0 ? cell[1..] : cell;
    }

    private static bool IsNumber(string cell) =>
        double.TryParse(cell, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);

    public static string Join<T>(IEnumerable<T> values) => string.Join(ListSeparator, values);

    public static IReadOnlyList<string> Split(string? cell) =>
        string.IsNullOrWhiteSpace(cell) ? [] : cell.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    // ---- CSV (RFC 4180): comma separated, quoted when needed, UTF-8 with a BOM so Excel reads accents ----

    public async Task WriteCsvAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        await using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true);
        await writer.WriteAsync(CsvLine(Headers).AsMemory(), cancellationToken);
        foreach (var row in Rows)
        {
            await writer.WriteAsync(CsvLine(row).AsMemory(), cancellationToken);
        }
    }

    private static string CsvLine(IEnumerable<string> cells) =>
        string.Join(',', cells.Select(Neutralise).Select(c => c.IndexOfAny(NeedQuotes) >= 0 || c.StartsWith(' ') || c.EndsWith(' ')
            ? "\"" + c.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : c)) + "\r\n";

    /// <summary>Reads CSV; a semicolon or tab separator is recognised from the header line (Excel in many locales writes ';').</summary>
    public static Table ReadCsv(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var reader = new StringReader(text);
        return ReadCsv(reader, int.MaxValue);
    }

    /// <summary>
    /// Reads CSV as it streams in, refusing (InvalidDataException) once it has more than <paramref name="maxRows"/>
    /// data rows: the rest of the file is never read. Blank lines are skipped as they come, not kept and dropped later.
    /// </summary>
    public static Table ReadCsv(TextReader reader, int maxRows, CancellationToken cancellationToken = default) =>
        FromRecords(CsvRecords(reader, maxRows, cancellationToken));

    /// <summary>The cells of a CSV text exactly as written (no apostrophe removed), line by line.</summary>
    public static List<List<string>> CsvRecords(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var reader = new StringReader(text);
        return CsvRecords(reader, int.MaxValue);
    }

    private static List<List<string>> CsvRecords(TextReader reader, int maxRows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        // The separator is the commonest of the candidates on the first line, read ahead and then parsed like the rest.
        var firstLine = new StringBuilder();
        int next;
        while ((next = reader.Read()) >= 0)
        {
            firstLine.Append((char)next);
            if (next == '\n')
            {
                break;
            }
        }

        var head = firstLine.ToString().TrimStart('\uFEFF');
        var separator = Separators.OrderByDescending(c => head.Count(x => x == c)).First();
        var records = new List<List<string>>();
        var record = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false, quoteInQuoted = false, afterCarriageReturn = false;

        void EndRecord()
        {
            record.Add(cell.ToString());
            cell.Clear();
            if (record.Exists(c => !string.IsNullOrWhiteSpace(c)))
            {
                records.Add(record);
                // The heading plus maxRows data rows; one more is the refusal.
                if (records.Count - 1 > maxRows)
                {
                    throw new InvalidDataException($"The file has more than {maxRows:N0} rows; import at most {maxRows:N0} at a time.");
                }
            }

            record = [];
        }

        void Take(char c)
        {
            if (quoteInQuoted)
            {
                quoteInQuoted = false;
                if (c == '"')
                {
                    // "" inside quotes is one quote character.
                    cell.Append('"');
                    return;
                }

                quoted = false;
            }

            if (quoted)
            {
                if (c == '"')
                {
                    quoteInQuoted = true;
                }
                else
                {
                    cell.Append(c);
                }

                return;
            }

            var wasCarriageReturn = afterCarriageReturn;
            afterCarriageReturn = false;
            if (c == '"')
            {
                quoted = true;
            }
            else if (c == separator)
            {
                record.Add(cell.ToString());
                cell.Clear();
            }
            else if (c == '\r')
            {
                EndRecord();
                afterCarriageReturn = true;
            }
            else if (c == '\n')
            {
                if (!wasCarriageReturn)
                {
                    EndRecord();
                }
            }
            else
            {
                cell.Append(c);
            }
        }

        foreach (var c in head)
        {
            Take(c);
        }

        var buffer = new char[8192];
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var i = 0; i < read; i++)
            {
                Take(buffer[i]);
            }
        }

        if (cell.Length > 0 || record.Count > 0)
        {
            EndRecord();
        }

        return records;
    }

    // ---- Excel (.xlsx), first worksheet, first row = headings ----

    public async Task WriteXlsxAsync(Stream stream, string sheetName, CancellationToken cancellationToken = default) =>
        await MiniExcel.SaveAsAsync(stream, SheetRows(this), sheetName: sheetName, excelType: ExcelType.XLSX, cancellationToken: cancellationToken);

    /// <summary>The rows as MiniExcel writes a sheet: one dictionary per row, keyed by heading.</summary>
    public static List<Dictionary<string, object>> SheetRows(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var rows = table.Rows.Select(r =>
        {
            var d = new Dictionary<string, object>(StringComparer.Ordinal);
            for (var i = 0; i < table.Headers.Count; i++)
            {
                d[table.Headers[i]] = i < r.Count ? Neutralise(r[i]) : "";
            }

            return d;
        }).ToList();
        if (rows.Count == 0)
        {
            // MiniExcel takes the headings from the first row: an empty export gets one blank row, which readers skip.
            rows.Add(table.Headers.ToDictionary(h => h, _ => (object)"", StringComparer.Ordinal));
        }

        return rows;
    }

    /// <summary>Reads a worksheet row by row, refusing (InvalidDataException) past <paramref name="maxRows"/> data rows.</summary>
    public static Table ReadXlsx(Stream stream, string? sheetName = null, int maxRows = int.MaxValue)
    {
        var records = new List<List<string>>();
        foreach (var row in MiniExcel.Query(stream, useHeaderRow: false, sheetName: sheetName, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>())
        {
            var cells = row.Values.Select(Cell).ToList();
            if (cells.Exists(c => !string.IsNullOrWhiteSpace(c)))
            {
                records.Add(cells);
                if (records.Count - 1 > maxRows)
                {
                    var where = sheetName is null ? "The file" : $"The sheet {sheetName}";
                    throw new InvalidDataException($"{where} has more than {maxRows:N0} rows; import at most {maxRows:N0} at a time.");
                }
            }
        }

        return FromRecords(records);
    }

    private static string Cell(object? value) => value switch
    {
        null => "",
        DateTime d => d.TimeOfDay == TimeSpan.Zero ? d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : d.ToString("s", System.Globalization.CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static Table FromRecords(List<List<string>> records)
    {
        // Blank lines (a trailing newline, an emptied row in Excel) are not rows.
        records = [.. records.Where(r => r.Any(c => !string.IsNullOrWhiteSpace(c)))];
        if (records.Count == 0)
        {
            return new Table([], []);
        }

        records = [.. records.Select(r => r.Select(Restore).ToList())];
        var headers = records[0].Select(h => h.Trim()).ToList();
        while (headers.Count > 0 && headers[^1].Length == 0)
        {
            headers.RemoveAt(headers.Count - 1);
        }

        return new Table(headers, [.. records.Skip(1).Select(r => (IReadOnlyList<string>)[.. Enumerable.Range(0, headers.Count).Select(i => i < r.Count ? r[i] : "")])]);
    }
}
