using CityPairs.Domain.Calls;
using CityPairs.Domain.Reference;
using CityPairs.Web.Features.Common;
using CityPairs.Web.Features.Matching;
using FluentValidation;

namespace CityPairs.Web.Features.Calls;

/// <summary>What the call form holds; kept as typed when a save fails.</summary>
public sealed class CallForm
{
    public int? CityId { get; set; }

    public string Title { get; set; } = "";

    public IReadOnlyCollection<int> ThemeIds { get; set; } = [];

    public IReadOnlyCollection<int> Sdgs { get; set; } = [];

    public CallModality Modality { get; set; } = CallModality.Hybrid;

    public DateTime? StartsOn { get; set; }

    public DateTime? EndsOn { get; set; }

    /// <summary>ISO 639-1 codes separated by commas ("es, en"), as on the city and exchange forms.</summary>
    public string WorkingLanguages { get; set; } = "";

    public string Description { get; set; } = "";

    public DateTime? ExpiresOn { get; set; }

    public bool IsPublic { get; set; }

    public uint Version { get; set; }

    public IReadOnlyList<string> LanguageCodes() =>
        [.. WorkingLanguages.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(c => c.ToLowerInvariant()).Distinct()];
}

/// <summary>
/// The call's rules. "Today" comes from the clock, so a call cannot be published already expired, nor left open
/// for more than <see cref="PartnerCall.MaxMonthsOpen"/> months: a call is a question for now.
/// </summary>
public sealed class CallFormValidator : AbstractValidator<CallForm>
{
    public CallFormValidator(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        DateTime Today() => clock.GetLocalNow().Date;

        RuleFor(f => f.CityId).NotNull().WithMessage("Choose the city that is looking for partners.");
        RuleFor(f => f.Title).PlainText().NotEmpty().WithMessage("Give the call a title.")
            .MaximumLength(PartnerCall.TitleMaxLength).WithMessage($"The title can be at most {PartnerCall.TitleMaxLength} characters.");
        RuleFor(f => f.Sdgs).Must(s => s.All(Sdg.IsValid)).WithMessage("SDGs are numbered 1 to 17.");
        RuleFor(f => f.ThemeIds).Must((f, themes) => themes.Count + f.Sdgs.Count > 0)
            .WithMessage("Say what the city seeks: choose at least one theme or SDG.");
        RuleFor(f => f.Modality).IsInEnum().WithMessage("Choose in person, online or hybrid.");
        RuleFor(f => f.StartsOn).NotNull().WithMessage("When could the work start?");
        RuleFor(f => f.EndsOn).NotNull().WithMessage("When should the work end?");
        RuleFor(f => f.EndsOn).GreaterThanOrEqualTo(f => f.StartsOn)
            .When(f => f.StartsOn is not null && f.EndsOn is not null)
            .WithMessage("The end of the time frame cannot be before its start.");
        RuleFor(f => f.EndsOn).Must(end => end!.Value.Date > Today()).When(f => f.EndsOn is not null)
            .WithMessage("The time frame must end in the future.");
        RuleFor(f => f.WorkingLanguages)
            .Must(text => new CallForm { WorkingLanguages = text }.LanguageCodes().Count > 0)
            .WithMessage("Give at least one working language, for example \"en\" or \"es, en\".")
            .Must(text => new CallForm { WorkingLanguages = text }.LanguageCodes().All(IsLanguage))
            .WithMessage("Give languages as two-letter ISO 639-1 codes separated by commas, for example \"es, en\".");
        RuleFor(f => f.Description).PlainText(multiLine: true).MaximumLength(PartnerCall.DescriptionMaxLength)
            .WithMessage($"The description can be at most {PartnerCall.DescriptionMaxLength} characters.");
        RuleFor(f => f.ExpiresOn).NotNull().WithMessage("Until when is the city looking? Give the call an expiry date.");
        RuleFor(f => f.ExpiresOn).Must(d => d!.Value.Date > Today()).When(f => f.ExpiresOn is not null)
            .WithMessage("The expiry date must be in the future.");
        RuleFor(f => f.ExpiresOn).Must(d => d!.Value.Date <= Today().AddMonths(PartnerCall.MaxMonthsOpen)).When(f => f.ExpiresOn is not null)
            .WithMessage($"A call can stay open for at most {PartnerCall.MaxMonthsOpen} months; publish a new one later if needed.");
    }

    /// <summary>Two lower-case letters ICU knows as a language ("xx" is refused).</summary>
    private static bool IsLanguage(string code) =>
        code.Length == 2 && code.All(char.IsAsciiLetterLower) && !string.Equals(LanguageNames.Of(code), code, StringComparison.Ordinal);
}
