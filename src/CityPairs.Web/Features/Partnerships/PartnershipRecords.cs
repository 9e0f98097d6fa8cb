using CityPairs.Domain.Common;
using CityPairs.Domain.Exchanges;
using CityPairs.Domain.Partnerships;

namespace CityPairs.Web.Features.Partnerships;

public enum PartnershipSort
{
    Name,
    Status,
    StartedOn,
    LastExchange,
}

public sealed record PartnershipListQuery(
    string? Search = null,
    int? ProgrammeId = null,
    PartnershipStatus? Status = null,
    Modality? Modality = null,
    int? ThemeId = null,
    int? Sdg = null,
    string? CountryCode = null,
    bool IncludeArchived = false,
    PartnershipSort SortBy = PartnershipSort.Name,
    bool Descending = false,
    int Page = 0,
    int PageSize = 25,
    int? CityId = null);

public sealed record PartnershipListItem(
    int Id, string Name, Modality Modality, PartnershipStatus Status, DateOnly? StartedOn, IReadOnlyList<string> Members,
    IReadOnlyList<string> Programmes, int ExchangeCount, DateOnly? LastExchangeOn, bool IsArchived);

public sealed record MemberView(int CityId, string CityName, string CountryCode, Region Region, MemberRole Role, string Expectations, string Contributions);

public sealed record StatusChangeView(PartnershipStatus? From, PartnershipStatus To, DateOnly On, string? Reason, string? By);

public sealed record AgreementView(AgreementKind Kind, DateOnly SignedOn, DateOnly? ValidUntil, string Note);

public sealed record ProgrammeLink(int Id, string ShortName, DateOnly? From, DateOnly? To);

public sealed record ExchangeSummary(
    int Id, ExchangeKind Kind, string Title, DateOnly StartsOn, DateOnly EndsOn, string? HostCity, bool IsOnline, int Participants, string Outcomes, uint Version);

public sealed record PartnershipDetail(
    int Id, string Name, Modality Modality, PartnershipStatus Status, DateOnly? StartedOn, DateOnly? EndedOn, string? DiscontinuationReason,
    string Description, string ExitStrategy, bool IsArchived, uint Version,
    IReadOnlyList<MemberView> Members, IReadOnlyList<ProgrammeLink> Programmes, IReadOnlyList<string> Themes, IReadOnlyList<int> Sdgs,
    IReadOnlyList<AgreementView> Agreements, IReadOnlyList<StatusChangeView> History, IReadOnlyList<ExchangeSummary> Exchanges,
    IReadOnlyList<PartnershipStatus> AllowedNext);

/// <summary>A lifecycle step asked for from the detail page.</summary>
public sealed record StatusChangeRequest(
    PartnershipStatus To, DateOnly On, uint Version, string? Reason = null, AgreementKind? AgreementKind = null, DateOnly? ValidUntil = null, string? AgreementNote = null);
