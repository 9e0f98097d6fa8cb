using CityPairs.Web.Features.Common;
using System.Globalization;
using CityPairs.Domain.Cities;
using CityPairs.Domain.Common;
using CityPairs.Domain.Reference;
using FluentValidation;

namespace CityPairs.Web.Features.Cities;

/// <summary>What the create and edit pages bind to; it keeps the user's input as typed, even when a save fails.</summary>
public sealed class CityForm
{
    public int? Id { get; set; }

    /// <summary>The city's xmin when the form was opened: a save against a newer version is refused.</summary>
    public uint Version { get; set; }

    public string Name { get; set; } = "";

    public string? CountryCode { get; set; }

    public Region? Region { get; set; }

    public string? AdminArea { get; set; }

    public CityKind Kind { get; set; } = CityKind.City;

    public int? Population { get; set; }

    public double Latitude { get; set; }

    public double Longitude { get; set; }

    /// <summary>ISO 639-1 codes separated by commas, as typed ("es, eu").</summary>
    public string Languages { get; set; } = "";

    public string Profile { get; set; } = "";

    public IReadOnlyCollection<int> PrioritySdgs { get; set; } = [];

    public List<CityThemeForm> Themes { get; set; } = [];

    public List<CityContactForm> Contacts { get; set; } = [];

    public IReadOnlyList<string> LanguageCodes() =>
        [.. Languages.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.ToLowerInvariant()).Distinct()];
}

public sealed class CityThemeForm
{
    public int? ThemeId { get; set; }

    public ThemeInterest Interest { get; set; } = ThemeInterest.Both;
}

/// <summary>A contact row. Dates are ISO strings (yyyy-MM-dd) as the browser's date input gives them.</summary>
public sealed class CityContactForm
{
    /// <summary>Null for a contact added in this form; existing contacts are ended, never removed.</summary>
    public int? Id { get; set; }

    public string Name { get; set; } = "";

    public string Role { get; set; } = "";

    public string Email { get; set; } = "";

    public string ActiveFrom { get; set; } = "";

    public string? ActiveTo { get; set; }

    public static bool TryParseDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    public static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

public sealed class CityFormValidator : AbstractValidator<CityForm>
{
    public CityFormValidator()
    {
        RuleFor(c => c.Name).PlainText()
            .Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("Enter the city's name.")
            .MaximumLength(120).WithMessage("The name can have at most 120 characters.");
        RuleFor(c => c.CountryCode)
            .Must(c => !string.IsNullOrWhiteSpace(c)).WithMessage("Choose a country.")
            .Must(Countries.IsKnown).When(c => !string.IsNullOrWhiteSpace(c.CountryCode)).WithMessage("Choose a country from the list.");
        RuleFor(c => c.Region).NotNull().WithMessage("Choose a region.").IsInEnum().WithMessage("Choose a region.");
        RuleFor(c => c.AdminArea).PlainText().MaximumLength(120).WithMessage("The state or province can have at most 120 characters.");
        RuleFor(c => c.Kind).IsInEnum();
        RuleFor(c => c.Population).GreaterThan(0).When(c => c.Population is not null).WithMessage("The population must be a positive number.");
        RuleFor(c => c.Latitude).InclusiveBetween(-90, 90).WithMessage("The latitude must lie between -90 and 90.");
        RuleFor(c => c.Longitude).InclusiveBetween(-180, 180).WithMessage("The longitude must lie between -180 and 180.");
        RuleFor(c => c.Languages)
            .Must(l => new CityForm { Languages = l }.LanguageCodes().All(code => code.Length == 2 && code.All(char.IsAsciiLetterLower)))
            .WithMessage("Write languages as two-letter ISO codes separated by commas, for example \"es, eu\".");
        RuleFor(c => c.Profile).PlainText(multiLine: true).MaximumLength(4000).WithMessage("The profile can have at most 4000 characters.");
        RuleFor(c => c.PrioritySdgs).Must(s => s.All(Sdg.IsValid)).WithMessage("SDGs are numbered 1 to 17.");
        RuleFor(c => c.Themes)
            .Must(t => t.Where(x => x.ThemeId is not null).Select(x => x.ThemeId).Distinct().Count() == t.Count(x => x.ThemeId is not null))
            .WithMessage("Each theme can be listed once; mark it as offered and sought (Both) instead.");
        RuleForEach(c => c.Themes).ChildRules(theme =>
        {
            theme.RuleFor(t => t.ThemeId).NotNull().WithMessage("Choose a theme.");
            theme.RuleFor(t => t.Interest).IsInEnum();
        });
        RuleForEach(c => c.Contacts).SetValidator(new CityContactFormValidator());
    }
}

public sealed class CityContactFormValidator : AbstractValidator<CityContactForm>
{
    public CityContactFormValidator()
    {
        RuleFor(c => c.Name).PlainText()
            .Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("Enter the contact's name.")
            .MaximumLength(120).WithMessage("The name can have at most 120 characters.");
        RuleFor(c => c.Role).PlainText().MaximumLength(120).WithMessage("The role can have at most 120 characters.");
        RuleFor(c => c.Email)
            .Must(e => !string.IsNullOrWhiteSpace(e)).WithMessage("Enter an email address.")
            .Matches(@"^[^@\s]+@[^@\s]+$").When(c => !string.IsNullOrWhiteSpace(c.Email)).WithMessage("Enter an email address such as name@city.org.")
            .MaximumLength(254).WithMessage("The email address can have at most 254 characters.");
        RuleFor(c => c.ActiveFrom).Must(d => CityContactForm.TryParseDate(d, out _)).WithMessage("Enter the date the contact started.");
        RuleFor(c => c.ActiveTo)
            .Must(d => CityContactForm.TryParseDate(d, out _)).When(c => !string.IsNullOrWhiteSpace(c.ActiveTo)).WithMessage("Enter a valid date or leave it empty.")
            .Must((c, to) => !CityContactForm.TryParseDate(c.ActiveFrom, out var from) || !CityContactForm.TryParseDate(to, out var end) || end >= from)
            .WithMessage("The end date cannot be before the start date.");
    }
}
