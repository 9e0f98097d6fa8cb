using System.IO.Compression;
using System.Text;
using CityPairs.Web.Features.Export;

namespace CityPairs.Web.Features.Import;

/// <summary>An upload refused for its size or shape; the message says what to do and is shown as it is.</summary>
public sealed class UploadRefusedException(string message) : IOException(message);

/// <summary>
/// Reads an uploaded CSV or XLSX within limits checked as the bytes arrive, never after: a file larger than allowed
/// stops being read at the limit, a CSV stops at the row limit, and an XLSX (a zip) is refused when its parts
/// unpack to more than <see cref="MaxUnpackedBytes"/>, measured by unpacking into a counter before any reader
/// builds rows from it (a zip bomb: a few hundred kilobytes that inflate to gigabytes). The compressed workbook
/// is buffered in a temporary file, deleted on close, as a zip needs random access.
/// </summary>
public static class Upload
{
    public const long MaxFileBytes = 50L * 1024 * 1024;

    /// <summary>A portfolio workbook holds every sheet of the portfolio, so it may be larger.</summary>
    public const long MaxWorkbookBytes = 100L * 1024 * 1024;

    /// <summary>What the parts of one XLSX may unpack to in total; a full 100,000-row export stays well below.</summary>
    public const long MaxUnpackedBytes = 256L * 1024 * 1024;

    /// <summary>A browser file's stream: its declared size is refused up front with our message, its bytes are counted anyway.</summary>
    public static Stream OpenBrowserFile(Microsoft.AspNetCore.Components.Forms.IBrowserFile file, long maxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Size > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        // The framework's own limit is set past ours so that ours, checked as bytes arrive, is the one that speaks.
        return file.OpenReadStream(maxBytes + 1, cancellationToken);
    }

    private static UploadRefusedException TooLarge(long max) =>
        new($"The file is larger than {max / (1024 * 1024)} MB. Split it into smaller files and import them one after the other.");

    /// <summary>A file of cities or partnerships (CSV, or the first sheet of an XLSX), at most <see cref="ImportService.MaxRows"/> rows.</summary>
    public static async Task<Table> ReadTableAsync(string fileName, Stream upload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        var limited = new LimitedStream(upload, MaxFileBytes);
        if (fileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase))
        {
            await using var workbook = await BufferWorkbookAsync(limited, cancellationToken);
            return Table.ReadXlsx(workbook, maxRows: ImportService.MaxRows);
        }

        // A browser upload only reads asynchronously, the parser synchronously: the bytes go to a temporary file
        // first (size checked as they arrive, nothing held in memory), then rows are counted as they are parsed.
        await using var buffered = await BufferAsync(limited, cancellationToken);
        using var reader = new StreamReader(buffered, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Table.ReadCsv(reader, ImportService.MaxRows, cancellationToken);
    }

    /// <summary>A portfolio workbook, each sheet at most <see cref="ImportService.MaxRows"/> rows.</summary>
    public static async Task<Dictionary<string, Table>> ReadWorkbookAsync(Stream upload, CancellationToken cancellationToken = default)
    {
        await using var workbook = await BufferWorkbookAsync(new LimitedStream(upload, MaxWorkbookBytes), cancellationToken);
        return PortfolioWorkbook.Read(workbook, ImportService.MaxRows);
    }

    private static async Task<Stream> BufferWorkbookAsync(Stream upload, CancellationToken cancellationToken)
    {
        var buffer = await BufferAsync(upload, cancellationToken);
        try
        {
            CheckUnpackedSize(buffer);
            buffer.Position = 0;
            return buffer;
        }
        catch
        {
            await buffer.DisposeAsync();
            throw;
        }
    }

    private static async Task<Stream> BufferAsync(Stream upload, CancellationToken cancellationToken)
    {
        var buffer = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await upload.CopyToAsync(buffer, cancellationToken);
            buffer.Position = 0;
            return buffer;
        }
        catch
        {
            await buffer.DisposeAsync();
            throw;
        }
    }

    /// <summary>Unpacks every part into a counter (the sizes a zip declares can lie) and refuses past the limit.</summary>
    public static void CheckUnpackedSize(Stream zip, long maxUnpacked = MaxUnpackedBytes)
    {
        ArgumentNullException.ThrowIfNull(zip);
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException)
        {
            throw new UploadRefusedException("This is not an Excel workbook (.xlsx): save it from Excel or LibreOffice as .xlsx, or as CSV.");
        }

        using (archive)
        {
            var total = 0L;
            var chunk = new byte[81920];
            foreach (var entry in archive.Entries)
            {
                using var part = entry.Open();
                int read;
                while ((read = part.Read(chunk, 0, chunk.Length)) > 0)
                {
                    total += read;
                    if (total > maxUnpacked)
                    {
                        throw new UploadRefusedException(
                            $"The workbook unpacks to more than {maxUnpacked / (1024 * 1024)} MB, far more than its rows need. Save it again as .xlsx or CSV, or split it.");
                    }
                }
            }
        }
    }

    /// <summary>Passes reads through until <c>max</c> bytes, then refuses: the size is checked while streaming.</summary>
    private sealed class LimitedStream(Stream inner, long max) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int read)
        {
            _read += read;
            if (_read > max)
            {
                throw TooLarge(max);
            }

            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
