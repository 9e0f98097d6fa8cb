namespace CityPairs.Web.Features.Common;

/// <summary>
/// Turns what a person typed into a PostgreSQL LIKE pattern. '%' and '_' in their text are literal
/// characters, not wildcards: searching for "%" finds names containing a percent sign, not everything.
/// </summary>
public static class LikePattern
{
    public static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal);

    /// <summary>Matches any value that contains the text.</summary>
    public static string Containing(string text) => "%" + Escape(text.Trim()) + "%";
}
