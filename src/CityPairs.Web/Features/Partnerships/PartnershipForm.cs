using CityPairs.Web.Features.Common;
using CityPairs.Domain.Partnerships;
using CityPairs.Domain.Reference;
using FluentValidation;

namespace CityPairs.Web.Features.Partnerships;

/// <summary>What the create and edit forms hold; kept as typed when a save fails.</summary>
public sealed class PartnershipForm
{
    public string Name { get; set; } = "";

    public Modality Modality { get; set; } = Modality.Pairing;

    public DateTime? StartedOn { get; set; }

    public string Description { get; set; } = "";

    public string ExitStrategy { get; set; } = "";

    public List<MemberForm> Members { get; set; } = [];

    public List<int> ProgrammeIds { get; set; } = [];

    public IReadOnlyCollection<int> ThemeIds { get; set; } = [];

    public IReadOnlyCollection<int> Sdgs { get; set; } = [];

    /// <summary>The xmin the form was loaded with: a save against a newer version is a conflict.</summary>
    public uint Version { get; set; }
}

public sealed class MemberForm
{
    public int CityId { get; set; }

    public string CityName { get; set; } = "";

    public MemberRole Role { get; set; } = MemberRole.Partner;

    public string Expectations { get; set; } = "";

    public string Contributions { get; set; } = "";
}

public sealed class PartnershipFormValidator : AbstractValidator<PartnershipForm>
{
    public PartnershipFormValidator()
    {
        RuleFor(f => f.Name).PlainText().NotEmpty().WithMessage("Give the partnership a name.")
            .MaximumLength(200).WithMessage("The name can be at most 200 characters.");
        RuleFor(f => f.Members).Must(m => m.Count >= Partnership.MinimumMembers)
            .WithMessage("A partnership needs at least two member cities.");
        RuleFor(f => f.Members).Must(m => m.Select(x => x.CityId).Distinct().Count() == m.Count)
            .WithMessage("A city can be a member only once: a city cannot partner itself.");
        RuleFor(f => f.Members).Must(m => m.Count == 2).When(f => f.Modality == Modality.Pairing)
            .WithMessage("A pairing has exactly two members; choose cluster or network for more.");
        RuleFor(f => f.Members).Must(m => m.Count >= 3).When(f => f.Modality == Modality.Triangular)
            .WithMessage("Triangular cooperation needs at least three members.");
        RuleFor(f => f.Sdgs).Must(s => s.All(Sdg.IsValid)).WithMessage("SDGs are numbered 1 to 17.");
        RuleFor(f => f.StartedOn).LessThanOrEqualTo(_ => DateTime.Today.AddYears(1))
            .WithMessage("The start date is too far in the future.");
        RuleFor(f => f.Description).PlainText(multiLine: true).MaximumLength(4000).WithMessage("The description can be at most 4000 characters.");
        RuleFor(f => f.ExitStrategy).PlainText(multiLine: true).MaximumLength(4000).WithMessage("The exit strategy can be at most 4000 characters.");
        RuleForEach(f => f.Members).ChildRules(member =>
        {
            member.RuleFor(m => m.Expectations).PlainText(multiLine: true).MaximumLength(4000).WithMessage("Expectations can be at most 4000 characters.");
            member.RuleFor(m => m.Contributions).PlainText(multiLine: true).MaximumLength(4000).WithMessage("Contributions can be at most 4000 characters.");
        });
    }
}
