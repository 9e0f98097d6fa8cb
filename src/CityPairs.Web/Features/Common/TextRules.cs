using System.Text.RegularExpressions;
using FluentValidation;

namespace CityPairs.Web.Features.Common;

/// <summary>
/// What every free-text field accepts: readable text. Markup is refused (Blazor would show it harmlessly,
/// but exports, e-mails and PDFs may not), as are control characters and broken Unicode (a lone surrogate
/// cannot be stored as UTF-8). Apostrophes, quotes and "&lt;" in prose stay allowed: Nimlaha'kok is a name.
/// </summary>
public static partial class TextRules
{
    public const string Message = "Use plain text: no markup, control characters or broken characters.";

    public static IRuleBuilderOptions<T, string?> PlainText<T>(this IRuleBuilder<T, string?> rule, bool multiLine = false) =>
        rule.Must(text => IsPlainText(text, multiLine)).WithMessage(Message);

    public static bool IsPlainText(string? text, bool multiLine = false)
    {
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
                continue;
            }

            if (char.IsLowSurrogate(c) || (char.IsControl(c) && !(multiLine && c is '\n' or '\r' or '\t')))
            {
                return false;
            }
        }

        return !Markup().IsMatch(text);
    }

    // A tag opener: "<" followed by a letter, "/", "!" or "?" ("<script", "</b>", "<!--").
    // NonBacktracking: it runs on every free-text field anyone types, so its time is linear in the text whatever it holds.
    [GeneratedRegex(@"<\s*[A-Za-z/!?]", RegexOptions.NonBacktracking, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Markup();
}
