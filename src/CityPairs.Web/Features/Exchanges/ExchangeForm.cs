using CityPairs.Web.Features.Common;
using CityPairs.Domain.Exchanges;
using CityPairs.Domain.Reference;
using FluentValidation;

namespace CityPairs.Web.Features.Exchanges;

/// <summary>What the exchange form holds; kept as typed when a save fails.</summary>
public sealed class ExchangeForm
{
    public ExchangeKind Kind { get; set; } = ExchangeKind.StudyVisit;

    public string Title { get; set; } = "";

    public DateTime? StartsOn { get; set; }

    public DateTime? EndsOn { get; set; }

    public bool IsOnline { get; set; }

    public int? HostCityId { get; set; }

    public List<ParticipantRow> Participants { get; set; } = [];

    /// <summary>ISO 639-1 codes separated by commas ("es, nl"); empty when no interpretation was needed.</summary>
    public string InterpretationLanguages { get; set; } = "";

    public IReadOnlyCollection<int> ThemeIds { get; set; } = [];

    public IReadOnlyCollection<int> Sdgs { get; set; } = [];

    public string Outcomes { get; set; } = "";

    public string FollowUps { get; set; } = "";

    public List<DocumentRow> Documents { get; set; } = [];

    public uint Version { get; set; }

    public IReadOnlyList<string> LanguageCodes() =>
        [.. InterpretationLanguages.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(c => c.ToLowerInvariant()).Distinct()];
}

public sealed class ParticipantRow
{
    public ActorType ActorType { get; set; } = ActorType.LocalOrNationalAuthority;

    public ParticipantRole Role { get; set; } = ParticipantRole.Technical;

    public int Count { get; set; } = 1;
}

public sealed class DocumentRow
{
    public string Title { get; set; } = "";

    public string Url { get; set; } = "";
}

public sealed class ExchangeFormValidator : AbstractValidator<ExchangeForm>
{
    public ExchangeFormValidator()
    {
        RuleFor(f => f.Title).PlainText().NotEmpty().WithMessage("Give the exchange a title.")
            .MaximumLength(200).WithMessage("The title can be at most 200 characters.");
        RuleFor(f => f.StartsOn).NotNull().WithMessage("When did it start?");
        RuleFor(f => f.EndsOn).NotNull().WithMessage("When did it end?");
        RuleFor(f => f.EndsOn).GreaterThanOrEqualTo(f => f.StartsOn)
            .When(f => f.StartsOn is not null && f.EndsOn is not null)
            .WithMessage("The end date cannot be before the start date.");
        RuleFor(f => f.HostCityId).NotNull().When(f => !f.IsOnline)
            .WithMessage("Choose the host city, or mark the exchange as online.");
        RuleFor(f => f.Sdgs).Must(s => s.All(Sdg.IsValid)).WithMessage("SDGs are numbered 1 to 17.");
        RuleFor(f => f.InterpretationLanguages)
            .Must(text => new ExchangeForm { InterpretationLanguages = text }.LanguageCodes().All(c => c.Length == 2 && c.All(char.IsAsciiLetterLower)))
            .WithMessage("Give languages as two-letter codes separated by commas, for example \"es, nl\".");
        RuleFor(f => f.Outcomes).PlainText(multiLine: true).MaximumLength(8000).WithMessage("Outcomes can be at most 8000 characters.");
        RuleFor(f => f.FollowUps).PlainText(multiLine: true).MaximumLength(8000).WithMessage("Follow-ups can be at most 8000 characters.");
        RuleForEach(f => f.Participants).ChildRules(p =>
            p.RuleFor(x => x.Count).InclusiveBetween(0, 100_000).WithMessage("A participant count is between 0 and 100,000."));
        RuleFor(f => f.Participants)
            .Must(rows => rows.GroupBy(r => (r.ActorType, r.Role)).All(g => g.Count() == 1))
            .WithMessage("Each kind of participant and role appears once; add the numbers together.");
        RuleForEach(f => f.Documents).ChildRules(d =>
        {
            d.RuleFor(x => x.Title).PlainText().NotEmpty().WithMessage("Give the document a title.").MaximumLength(200);
            d.RuleFor(x => x.Url)
                .Must(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
                .WithMessage("A document link is a web address starting with https:// or http://.");
        });
    }
}
