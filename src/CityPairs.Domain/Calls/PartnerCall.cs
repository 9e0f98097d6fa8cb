using CityPairs.Domain.Common;

namespace CityPairs.Domain.Calls;

/// <summary>
/// A city's "seeking partners" call (URBACT's partner search, the Enterprise Europe Network's expressions of
/// interest): what the city wants to learn, how and when it wants to work, and until when it is looking. The
/// city that seeks decides (DOMAIN.md), so a call is the city's own record: its coordinators and the officers
/// whose programmes work with it write it. A call is live until it expires or is withdrawn; nothing deletes it,
/// so the history of what a city sought stays.
/// </summary>
public sealed class PartnerCall : Entity
{
    public const int TitleMaxLength = 200;
    public const int DescriptionMaxLength = 4000;

    /// <summary>A call is a short-lived question to the field; a standing one would drown the fresh ones.</summary>
    public const int MaxMonthsOpen = 12;

    public int CityId { get; set; }

    public required string Title { get; set; }

    /// <summary>Theme ids the city seeks experience in (the shared theme list).</summary>
    public List<int> SoughtThemeIds { get; set; } = [];

    /// <summary>SDG numbers (1-17) the partnership should advance.</summary>
    public List<int> SoughtSdgs { get; set; } = [];

    public CallModality Modality { get; set; }

    /// <summary>The period the city wants to work with a partner in.</summary>
    public DateOnly StartsOn { get; set; }

    public DateOnly EndsOn { get; set; }

    /// <summary>ISO 639-1 codes of the languages the city can work in.</summary>
    public List<string> WorkingLanguages { get; set; } = [];

    public string Description { get; set; } = "";

    /// <summary>The last day is the day before: a call is live while ExpiresOn is after today.</summary>
    public DateOnly ExpiresOn { get; set; }

    /// <summary>Shown in the public directory (without any contact detail) as well as to signed-in users.</summary>
    public bool IsPublic { get; set; }

    /// <summary>Set when the city closes the call early (found a partner, changed plans).</summary>
    public DateTimeOffset? WithdrawnAt { get; set; }

    public bool IsLiveOn(DateOnly today) => WithdrawnAt is null && ExpiresOn > today;

    /// <summary>Closes the call now; a withdrawn call stays withdrawn (publish a new one instead).</summary>
    public void Withdraw(DateTimeOffset at)
    {
        if (WithdrawnAt is not null)
        {
            throw new DomainRuleException("This call has already been withdrawn.");
        }

        WithdrawnAt = at;
    }
}

/// <summary>How the city wants to work with a partner.</summary>
public enum CallModality
{
    InPerson = 1,
    Online = 2,
    Hybrid = 3,
}
