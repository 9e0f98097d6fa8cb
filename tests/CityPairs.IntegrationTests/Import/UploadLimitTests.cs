using System.IO.Compression;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using CityPairs.Web.Features.Export;
using CityPairs.Web.Features.Import;

namespace CityPairs.IntegrationTests.Import;

/// <summary>
/// Uploads are checked while they stream: an oversized file stops being read at the limit, a file with too many rows
/// stops at the row limit, and a zip-bomb workbook is refused before any row is built, each with a message that says
/// what to do. Memory is measured by what the reading thread allocates, which a whole-file read would exceed.
/// </summary>
public sealed class UploadLimitTests
{
    /// <summary>An endless CSV made on demand, counting what was read from it.</summary>
    private sealed class GeneratedCsv(long length, string row) : Stream
    {
        private readonly byte[] _row = Encoding.UTF8.GetBytes(row);
        private long _position;

        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            for (var i = 0; i < n; i++)
            {
                buffer[offset + i] = _row[(int)((_position + i) % _row.Length)];
            }

            _position += n;
            BytesRead += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public async Task An_oversized_csv_is_refused_once_the_limit_has_streamed_in_without_reading_the_rest()
    {
        // Few, long rows: the row limit is not what stops it.
        var longRow = "name,profile\r\n" + new string('x', 1_000_000) + "\r\n";
        await using var upload = new GeneratedCsv(Upload.MaxFileBytes * 4, longRow);

        var refused = await Assert.ThrowsAsync<UploadRefusedException>(() => Upload.ReadTableAsync("cities.csv", upload));

        Assert.Contains("larger than 50 MB", refused.Message, StringComparison.Ordinal);
        Assert.True(upload.BytesRead < Upload.MaxFileBytes + (1 << 20), $"read {upload.BytesRead} bytes of {upload.Length}");
    }

    [Fact]
    public async Task A_csv_with_more_rows_than_allowed_is_refused_at_the_row_limit()
    {
        await using var upload = new GeneratedCsv(Upload.MaxFileBytes - 1, "Tarija,BO\r\n");

        var refused = await Assert.ThrowsAnyAsync<InvalidDataException>(() => Upload.ReadTableAsync("cities.csv", upload));

        Assert.Contains($"more than {ImportService.MaxRows:N0} rows", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>A real workbook whose first sheet's XML is followed by <paramref name="padding"/> bytes of spaces: a few hundred KB packed.</summary>
    private static async Task<MemoryStream> ZipBombAsync(long padding)
    {
        var workbook = new MemoryStream();
        await new Table(["name", "country_code"], [["Tarija", "BO"]]).WriteXlsxAsync(workbook, "cities");
        var bomb = new MemoryStream();
        workbook.Position = 0;
        using (var source = new ZipArchive(workbook, ZipArchiveMode.Read))
        using (var target = new ZipArchive(bomb, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                var copy = target.CreateEntry(entry.FullName, CompressionLevel.SmallestSize);
                await using var to = copy.Open();
                await using (var from = entry.Open())
                {
                    await from.CopyToAsync(to);
                }

                if (entry.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal))
                {
                    // Whitespace after the root element: a reader that unpacks it all holds it all.
                    var spaces = new byte[1 << 20];
                    Array.Fill(spaces, (byte)' ');
                    for (long written = 0; written < padding; written += spaces.Length)
                    {
                        await to.WriteAsync(spaces);
                    }
                }
            }
        }

        bomb.Position = 0;
        return bomb;
    }

    [Fact]
    public async Task A_zip_bomb_workbook_is_refused_before_any_row_is_read_and_without_unpacking_it_into_memory()
    {
        await using var bomb = await ZipBombAsync(Upload.MaxUnpackedBytes + (64L << 20));
        Assert.True(bomb.Length < 2 << 20, $"the bomb is {bomb.Length} bytes packed");
        var before = GC.GetAllocatedBytesForCurrentThread();

        var refused = Assert.Throws<UploadRefusedException>(() => Upload.ReadTableAsync("cities.xlsx", bomb).GetAwaiter().GetResult());

        Assert.Contains("unpacks to more than 256 MB", refused.Message, StringComparison.Ordinal);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 32L << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public async Task A_workbook_within_the_limits_still_reads()
    {
        await using var small = await ZipBombAsync(padding: 0);

        var table = await Upload.ReadTableAsync("cities.xlsx", small);

        Assert.Equal(["name", "country_code"], table.Headers);
        Assert.Equal(["Tarija", "BO"], Assert.Single(table.Rows));
    }

    [Fact]
    public async Task A_file_that_is_not_a_workbook_is_refused_with_a_message()
    {
        await using var notZip = new MemoryStream(Encoding.UTF8.GetBytes("name,country\r\nTarija,BO\r\n"));

        var refused = await Assert.ThrowsAsync<UploadRefusedException>(() => Upload.ReadTableAsync("cities.xlsx", notZip));

        Assert.Contains("not an Excel workbook", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_regular_expression_of_the_app_has_a_timeout_or_cannot_backtrack()
    {
        var generated = typeof(Upload).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<GeneratedRegexAttribute>() is not null)
            .ToList();
        Assert.NotEmpty(generated);

        foreach (var method in generated)
        {
            var regex = (Regex)method.Invoke(null, null)!;
            Assert.True(regex.MatchTimeout != Regex.InfiniteMatchTimeout, $"{method.DeclaringType!.Name}.{method.Name} has no timeout");
        }
    }
}
