namespace CityPairs.Domain.Reference;

/// <summary>
/// A subject cities work on (urban mobility, water management ...). Reference data, editable by
/// administrators; the SDG crosswalk lets matching and dashboards connect the two vocabularies.
/// </summary>
public sealed class Theme
{
    public int Id { get; set; }

    public required string Name { get; set; }

    public string Description { get; set; } = "";

    public List<int> RelatedSdgs { get; set; } = [];

    public uint Version { get; set; }
}
