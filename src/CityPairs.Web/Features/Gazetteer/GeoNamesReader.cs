using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using CityPairs.Domain.Common;

namespace CityPairs.Web.Features.Gazetteer;

/// <summary>A line of a GeoNames file that was left out, and why. Lines count from 1, as an editor shows them.</summary>
public sealed record GeoNamesProblem(long Line, string Reason);

/// <summary>How far a load has got: rows read so far and bytes read of the whole file (0 when unknown).</summary>
public sealed record GazetteerProgress(long Rows, long Bytes, long TotalBytes)
{
    public double Fraction => TotalBytes > 0 ? Math.Min(1, (double)Bytes / TotalBytes) : 0;
}

/// <summary>
/// Reads the GeoNames cities format (citiesNNNN.txt; https://download.geonames.org/export/dump/readme.txt):
/// UTF-8, tab-separated, 19 columns, no header, one place per line. It streams: a 30 MB file is never held in
/// memory. A bad line is reported with its number and skipped, so one odd record does not stop a 150,000-line load.
/// </summary>
public static class GeoNamesReader
{
    public const int Columns = 19;

    public static async IAsyncEnumerable<GazetteerPlace> ReadAsync(
        Stream content, Action<GeoNamesProblem> problem, IProgress<GazetteerProgress>? progress = null, long? totalBytes = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(problem);
        var counting = new CountingStream(content);
        var total = totalBytes ?? (content.CanSeek ? content.Length : 0);
        using var reader = new StreamReader(counting, new UTF8Encoding(false, throwOnInvalidBytes: false), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var seen = new HashSet<int>();
        long line = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } text)
        {
            line++;
            if (line % 5_000 == 0)
            {
                progress?.Report(new GazetteerProgress(line, counting.BytesRead, total));
            }

            if (text.Length == 0 || text[0] == '#')
            {
                continue;
            }

            var place = Parse(text, out var reason);
            if (place is null)
            {
                problem(new GeoNamesProblem(line, reason!));
            }
            else if (!seen.Add(place.GeonameId))
            {
                problem(new GeoNamesProblem(line, $"geonameid {place.GeonameId} appears earlier in the file."));
            }
            else
            {
                yield return place;
            }
        }

        progress?.Report(new GazetteerProgress(line, counting.BytesRead, total));
    }

    /// <summary>One line as a place, or null with the reason it cannot be one.</summary>
    public static GazetteerPlace? Parse(string line, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(line);
        var f = line.Split('\t');
        reason = null;
        if (f.Length != Columns)
        {
            reason = $"expected {Columns} tab-separated columns, found {f.Length}.";
            return null;
        }

        if (!int.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
        {
            reason = $"geonameid \"{Clip(f[0])}\" is not a positive whole number.";
            return null;
        }

        var name = f[1].Trim();
        if (name.Length == 0 || name.Length > 200 || name.Any(char.IsControl))
        {
            reason = name.Length == 0 ? "the name is empty." : $"the name \"{Clip(name)}\" is too long or has control characters.";
            return null;
        }

        var country = f[8].Trim().ToUpperInvariant();
        if (country.Length != 2 || !country.All(char.IsAsciiLetterUpper))
        {
            reason = $"country code \"{Clip(f[8])}\" is not two letters.";
            return null;
        }

        if (!double.TryParse(f[4], NumberStyles.Float, CultureInfo.InvariantCulture, out var lat) || lat is < -90 or > 90 || double.IsNaN(lat))
        {
            reason = $"latitude \"{Clip(f[4])}\" is not a number between -90 and 90.";
            return null;
        }

        if (!double.TryParse(f[5], NumberStyles.Float, CultureInfo.InvariantCulture, out var lng) || lng is < -180 or > 180 || double.IsNaN(lng))
        {
            reason = $"longitude \"{Clip(f[5])}\" is not a number between -180 and 180.";
            return null;
        }

        int? population = null;
        if (f[14].Length > 0)
        {
            if (!long.TryParse(f[14], NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p > int.MaxValue)
            {
                reason = $"population \"{Clip(f[14])}\" is not a whole number.";
                return null;
            }

            // GeoNames writes 0 for "not known"; a city's population is positive or absent.
            population = p > 0 ? (int)p : null;
        }

        DateOnly? modified = null;
        if (f[18].Length > 0)
        {
            if (!DateOnly.TryParseExact(f[18], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                reason = $"modification date \"{Clip(f[18])}\" is not a date (yyyy-MM-dd).";
                return null;
            }

            modified = d;
        }

        var ascii = f[2].Trim();
        return new GazetteerPlace
        {
            GeonameId = id,
            Name = name,
            AsciiName = ascii.Length is > 0 and <= 200 ? ascii : name,
            CountryCode = country,
            Admin1Code = f[10].Trim() is { Length: > 0 and <= 20 } admin1 ? admin1 : null,
            Latitude = lat,
            Longitude = lng,
            Population = population,
            FeatureCode = f[7].Trim() is { Length: <= 10 } code ? code : "",
            Timezone = f[17].Trim() is { Length: > 0 and <= 40 } tz ? tz : null,
            ModifiedOn = modified,
        };
    }

    /// <summary>
    /// GeoNames' admin1CodesASCII.txt: "ES.59", name, ascii name, geonameid. Lines that do not fit are skipped
    /// (this file only names the divisions; a missing name shows the place without it).
    /// </summary>
    public static async Task<List<GazetteerAdminArea>> ReadAdminAreasAsync(Stream content, CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(content, Encoding.UTF8);
        var areas = new Dictionary<string, GazetteerAdminArea>(StringComparer.Ordinal);
        while (await reader.ReadLineAsync(cancellationToken) is { } text)
        {
            var f = text.Split('\t');
            if (f.Length >= 2 && f[0].Trim() is { Length: >= 4 and <= 30 } code && code[2] == '.' && f[1].Trim() is { Length: > 0 and <= 200 } name)
            {
                areas[code] = new GazetteerAdminArea { Code = code, Name = name };
            }
        }

        return [.. areas.Values];
    }

    /// <summary>"Name, admin area, Country (population)", as a suggestion reads.</summary>
    public static string Describe(string name, string? adminArea, string countryCode, int? population)
    {
        var text = new StringBuilder(name);
        if (!string.IsNullOrEmpty(adminArea) && adminArea != name)
        {
            text.Append(", ").Append(adminArea);
        }

        text.Append(", ").Append(Countries.IsKnown(countryCode) ? Countries.NameOf(countryCode) : countryCode);
        if (population is { } p)
        {
            text.Append(" (").Append(p.ToString("N0", CultureInfo.CurrentCulture)).Append(')');
        }

        return text.ToString();
    }

    private static string Clip(string text) => text.Length > 40 ? text[..40] + "…" : text;

    /// <summary>Counts the bytes the reader has taken from the file, for "bytes read of total".</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            BytesRead += n;
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            BytesRead += n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
