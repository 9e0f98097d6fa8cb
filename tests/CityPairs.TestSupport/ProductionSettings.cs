namespace CityPairs.TestSupport;

/// <summary>
/// What a test adds to <see cref="CityPairsApp"/>'s settings to run the app as outside Development (the app then
/// neither migrates nor seeds: the test database is migrated already). Everything production insists on is here.
/// </summary>
public static class ProductionSettings
{
    public static Dictionary<string, string> Values => new()
    {
        ["environment"] = "Production",
    };
}
