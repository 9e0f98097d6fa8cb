using CityPairs.Web.Features.Common;
using CityPairs.Domain.Partnerships;
using CityPairs.Domain.Programmes;
using CityPairs.Web.Features.Cities;
using FluentValidation;

namespace CityPairs.Web.Features.Programmes;

public sealed class ProgrammeForm
{
    public int? Id { get; set; }

    public uint Version { get; set; }

    public string Name { get; set; } = "";

    public string ShortName { get; set; } = "";

    public string Funder { get; set; } = "";

    /// <summary>yyyy-MM-dd, as the browser's date input gives it.</summary>
    public string StartsOn { get; set; } = "";

    public string? EndsOn { get; set; }

    public string Description { get; set; } = "";

    public IReadOnlyCollection<Modality> Modalities { get; set; } = [];

    public string? Website { get; set; }

    /// <summary>
    /// Who may take part. The programme page does not edit these yet; it carries them through unchanged. The
    /// portfolio workbook and the API set them.
    /// </summary>
    public IReadOnlyList<EligibilityRule> Eligibility { get; set; } = [];

    /// <summary>The programme's own matching weights; null means the matcher's defaults.</summary>
    public ProgrammeMatchWeights? MatchWeights { get; set; }
}

public sealed class ProgrammeFormValidator : AbstractValidator<ProgrammeForm>
{
    public ProgrammeFormValidator()
    {
        RuleFor(p => p.Name).PlainText()
            .Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("Enter the programme's name.")
            .MaximumLength(200).WithMessage("The name can have at most 200 characters.");
        RuleFor(p => p.ShortName).PlainText()
            .Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("Enter a short name, such as URBACT or IUC.")
            .MaximumLength(30).WithMessage("The short name can have at most 30 characters.");
        RuleFor(p => p.Funder).PlainText().MaximumLength(200).WithMessage("The funder can have at most 200 characters.");
        RuleFor(p => p.StartsOn).Must(d => CityContactForm.TryParseDate(d, out _)).WithMessage("Enter the date the programme started.");
        RuleFor(p => p.EndsOn)
            .Must(d => CityContactForm.TryParseDate(d, out _)).When(p => !string.IsNullOrWhiteSpace(p.EndsOn)).WithMessage("Enter a valid date or leave it empty.")
            .Must((p, end) => !CityContactForm.TryParseDate(p.StartsOn, out var start) || !CityContactForm.TryParseDate(end, out var e) || e >= start)
            .WithMessage("The end date cannot be before the start date.");
        RuleFor(p => p.Description).PlainText(multiLine: true).MaximumLength(4000).WithMessage("The description can have at most 4000 characters.");
        RuleFor(p => p.Modalities).Must(m => m.Count > 0).WithMessage("Choose at least one modality.");
        RuleFor(p => p.Website)
            .Must(w => Uri.TryCreate(w, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            .When(p => !string.IsNullOrWhiteSpace(p.Website)).WithMessage("Enter a web address starting with https://.")
            .MaximumLength(500).WithMessage("The web address can have at most 500 characters.");
        RuleForEach(p => p.Eligibility).Must(r => Enum.IsDefined(r.Kind))
            .WithMessage("An eligibility rule must say whether members must be in, or outside, its regions.");
        RuleForEach(p => p.Eligibility).Must(r => r.Regions.Count > 0 && r.Regions.All(Enum.IsDefined))
            .WithMessage("An eligibility rule must name at least one region.");
        RuleFor(p => p.MatchWeights).Must(HaveUsableWeights!).When(p => p.MatchWeights is not null)
            .WithMessage("Match weights must be numbers of zero or more; the distance and saturation halves must be above zero.");
    }

    // The matcher's own rule (MatchWeights.Validate), so the form and the engine can never disagree.
    private static bool HaveUsableWeights(ProgrammeMatchWeights weights)
    {
        try
        {
            weights.ToMatchWeights().Validate();
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
