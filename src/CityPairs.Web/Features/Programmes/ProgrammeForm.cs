using CityPairs.Web.Features.Common;
using CityPairs.Domain.Partnerships;
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
    }
}
