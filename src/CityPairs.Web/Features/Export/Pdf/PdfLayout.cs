using System.Collections.Concurrent;
using System.Text;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Writer;

namespace CityPairs.Web.Features.Export.Pdf;

/// <summary>
/// A flowing A4 document: headings, paragraphs of plain and bold runs, wrapped to the text width and broken
/// across pages, with "page n of m" footers. PdfPig only places text at coordinates; the wrapping and the page
/// breaks are ours. The font is DejaVu Sans, embedded in the assembly, so no system fonts are needed.
/// </summary>
internal sealed class PdfLayout : IDisposable
{
    private const double PageWidth = 595.28;
    private const double PageHeight = 841.89;
    private const double Margin = 50;
    private const double Bottom = Margin + 20;
    private const double TextWidth = PageWidth - (2 * Margin);
    private const double Leading = 1.35;

    private static readonly byte[] RegularFont = LoadFont("DejaVuSans.ttf");
    private static readonly byte[] BoldFont = LoadFont("DejaVuSans-Bold.ttf");

    /// <summary>Advance widths at size 1, shared by every document (the font never changes); NaN = no glyph.</summary>
    private static readonly ConcurrentDictionary<(bool Bold, char C), double> Widths = new();

    private readonly PdfDocumentBuilder _builder = new();
    private readonly PdfDocumentBuilder.AddedFont _regular;
    private readonly PdfDocumentBuilder.AddedFont _bold;
    private readonly List<PdfPageBuilder> _pages = [];
    private readonly string _footer;
    private PdfPageBuilder _page = null!;
    private double _y;

    public PdfLayout(string title, string footer)
    {
        _builder.DocumentInformation.Title = title;
        _builder.DocumentInformation.Producer = "CityPairs";
        _regular = _builder.AddTrueTypeFont(RegularFont);
        _bold = _builder.AddTrueTypeFont(BoldFont);
        _footer = footer;
        NewPage();
    }

    public int PageCount => _pages.Count;

    public void Title(string text) => Paragraph([new Run(text, true)], size: 18, after: 4);

    /// <summary>A section heading, kept on the same page as at least the first lines that follow it.</summary>
    public void Heading(string text)
    {
        _y -= 8;
        KeepRoom(14 * Leading + (3 * 10 * Leading));
        Paragraph([new Run(text, true)], size: 13, after: 2);
        Rule();
    }

    public void Text(string text, double size = 10, double indent = 0, double after = 2) => Paragraph([new Run(text, false)], size, indent, after);

    /// <summary>"Label: value" with the label in bold; nothing when the value is empty.</summary>
    public void Field(string label, string? value, double indent = 0)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            Paragraph([new Run(label + ": ", true), new Run(value, false)], 10, indent, 2);
        }
    }

    /// <summary>Makes sure the next <paramref name="height"/> points fit on this page, else starts a new one.</summary>
    public void KeepRoom(double height)
    {
        if (_y - height < Bottom)
        {
            NewPage();
        }
    }

    public void Space(double points) => _y -= points;

    public void Rule()
    {
        _page.DrawLine(new PdfPoint(Margin, _y + 2), new PdfPoint(PageWidth - Margin, _y + 2), 0.5);
        _y -= 6;
    }

    /// <summary>Runs of text laid out word by word; line breaks in the text start new lines.</summary>
    public void Paragraph(IReadOnlyList<Run> runs, double size = 10, double indent = 0, double after = 2)
    {
        var lineHeight = size * Leading;
        var width = TextWidth - indent;
        var line = new List<(string Text, bool Bold)>();
        var lineWidth = 0.0;

        void Flush()
        {
            KeepRoom(lineHeight);
            _y -= size;
            var x = Margin + indent;
            foreach (var (text, bold) in line)
            {
                if (text.Length > 0)
                {
                    _page.AddText(text, size, new PdfPoint(x, _y), bold ? _bold : _regular);
                    x += Measure(text, bold, size);
                }
            }

            _y -= lineHeight - size;
            line.Clear();
            lineWidth = 0;
        }

        void Append(string text, bool bold)
        {
            if (line.Count > 0 && line[^1].Bold == bold)
            {
                line[^1] = (line[^1].Text + text, bold);
            }
            else
            {
                line.Add((text, bold));
            }

            lineWidth += Measure(text, bold, size);
        }

        foreach (var run in runs)
        {
            var paragraphs = Clean(run.Text, run.Bold).Split('\n');
            for (var p = 0; p < paragraphs.Length; p++)
            {
                if (p > 0)
                {
                    Flush();
                }

                foreach (var word in paragraphs[p].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var spaced = lineWidth > 0 ? " " + word : word;
                    var spacedWidth = Measure(spaced, run.Bold, size);
                    if (lineWidth + spacedWidth <= width)
                    {
                        Append(spaced, run.Bold);
                        continue;
                    }

                    if (lineWidth > 0)
                    {
                        Flush();
                    }

                    // A word wider than the line (a long URL) is cut where it must be.
                    var rest = word;
                    while (Measure(rest, run.Bold, size) > width)
                    {
                        var fit = 1;
                        while (fit < rest.Length && Measure(rest[..(fit + 1)], run.Bold, size) <= width)
                        {
                            fit++;
                        }

                        Append(rest[..fit], run.Bold);
                        Flush();
                        rest = rest[fit..];
                    }

                    Append(rest, run.Bold);
                }

                if (run.Text.EndsWith(' ') && p == paragraphs.Length - 1 && lineWidth > 0)
                {
                    Append(" ", run.Bold);
                }
            }
        }

        if (line.Count > 0)
        {
            Flush();
        }

        _y -= after;
    }

    public byte[] Build()
    {
        for (var i = 0; i < _pages.Count; i++)
        {
            var footer = Clean($"{_footer} · {i + 1} / {_pages.Count}", false);
            _pages[i].AddText(footer, 8, new PdfPoint(Margin, Margin - 10), _regular);
        }

        return _builder.Build();
    }

    public void Dispose() => _builder.Dispose();

    private void NewPage()
    {
        _page = _builder.AddPage(PageWidth, PageHeight);
        _pages.Add(_page);
        _y = PageHeight - Margin;
    }

    private double Measure(string text, bool bold, double size)
    {
        var total = 0.0;
        foreach (var c in text)
        {
            total += Width(c, bold);
        }

        return total * size;
    }

    private double Width(char c, bool bold) => Widths.GetOrAdd((bold, c), key =>
    {
        try
        {
            var letters = _page.MeasureText(key.C.ToString(), 1000, new PdfPoint(0, 0), key.Bold ? _bold : _regular);
            return letters.Count == 0 ? 0 : (letters[0].EndBaseLine.X - letters[0].StartBaseLine.X) / 1000;
        }
        catch (InvalidOperationException)
        {
            return double.NaN; // not in the font
        }
    });

    /// <summary>
    /// Text the font can draw: control characters become spaces, line breaks stay, and characters DejaVu has no
    /// glyph for (CJK, emoji) become "?" instead of failing the whole document.
    /// </summary>
    private string Clean(string text, bool bold)
    {
        var clean = new StringBuilder(text.Length);
        foreach (var c in text.Replace("\r\n", "\n", StringComparison.Ordinal))
        {
            if (c == '\n')
            {
                clean.Append('\n');
            }
            else if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                clean.Append(' ');
            }
            else if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c))
                {
                    clean.Append('?');
                }
            }
            else
            {
                clean.Append(double.IsNaN(Width(c, bold)) ? '?' : c);
            }
        }

        return clean.ToString();
    }

    private static byte[] LoadFont(string file)
    {
        using var stream = typeof(PdfLayout).Assembly.GetManifestResourceStream($"CityPairs.Web.Fonts.{file}")
            ?? throw new InvalidOperationException($"The font {file} is not embedded: build the web project (it copies DejaVu from npm).");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

/// <summary>A stretch of text in one weight.</summary>
internal readonly record struct Run(string Text, bool Bold);
