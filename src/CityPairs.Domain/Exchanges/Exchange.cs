using CityPairs.Domain.Common;
using CityPairs.Domain.Reference;

namespace CityPairs.Domain.Exchanges;

/// <summary>Something the partners did together: a visit, a workshop, a digital dialogue ...</summary>
public sealed class Exchange : Entity
{
    public int PartnershipId { get; set; }

    public ExchangeKind Kind { get; set; }

    public required string Title { get; set; }

    public DateOnly StartsOn { get; set; }

    public DateOnly EndsOn { get; set; }

    /// <summary>The city that hosted it; null when it took place online.</summary>
    public int? HostCityId { get; set; }

    public bool IsOnline { get; set; }

    public List<ParticipantCount> Participants { get; set; } = [];

    /// <summary>ISO 639-1 codes of the languages interpreted into, empty when none was needed.</summary>
    public List<string> InterpretationLanguages { get; set; } = [];

    public List<Theme> Themes { get; set; } = [];

    public List<int> Sdgs { get; set; } = [];

    public string Outcomes { get; set; } = "";

    public string FollowUps { get; set; } = "";

    public List<DocumentLink> Documents { get; set; } = [];

    public int TotalParticipants => Participants.Sum(p => p.Count);
}

public enum ExchangeKind
{
    StudyVisit = 1,
    FieldVisit = 2,
    Workshop = 3,
    DigitalDialogue = 4,
    Training = 5,
    PeerReview = 6,
    MasterClass = 7,
    LearningExchange = 8,
    Conference = 9,
    StaffSecondment = 10,
}

/// <summary>The seven kinds of actor in UCLG's peer-learning guide (seed 003).</summary>
public enum ActorType
{
    CityNetworkOrAssociation = 1,
    LocalOrNationalAuthority = 2,
    SpecificPlatform = 3,
    InternationalOrganisation = 4,
    NgoOrCivilSociety = 5,
    AcademicInstitution = 6,
    PrivateSector = 7,
}

public enum ParticipantRole
{
    Political = 1,
    Technical = 2,
}

public sealed class ParticipantCount
{
    public ActorType ActorType { get; set; }

    public ParticipantRole Role { get; set; }

    public int Count { get; set; }
}

public sealed class DocumentLink
{
    public required string Title { get; set; }

    public required string Url { get; set; }
}
