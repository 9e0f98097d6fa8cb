using System.Globalization;

namespace CityPairs.Web.Features.Gazetteer;

/// <summary>
/// `dotnet run --project src/CityPairs.Web -- load-gazetteer path/to/cities15000.txt [--admin1 path/to/admin1CodesASCII.txt]`.
/// An admin1CodesASCII.txt beside the cities file is picked up without the option.
/// </summary>
public static class GazetteerCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var at = args.ToList().IndexOf("load-gazetteer");
        var rest = args.Skip(at + 1).ToList();
        var admin1Index = rest.IndexOf("--admin1");
        string? admin1 = admin1Index >= 0 && admin1Index + 1 < rest.Count ? rest[admin1Index + 1] : null;
        var path = rest.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (admin1Index < 0 || i != admin1Index + 1)).FirstOrDefault();
        if (path is null || !File.Exists(path))
        {
            await Console.Error.WriteLineAsync(path is null
                ? "Usage: load-gazetteer <citiesNNNN.txt> [--admin1 <admin1CodesASCII.txt>] (files from https://download.geonames.org/export/dump/)"
                : $"No such file: {path}");
            return 2;
        }

        admin1 ??= Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "admin1CodesASCII.txt") is var beside && File.Exists(beside) ? beside : null;
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        await using var cities = File.OpenRead(path);
        await using var areas = admin1 is null ? null : File.OpenRead(admin1);
        var last = DateTime.MinValue;
        var progress = new Progress<GazetteerProgress>(p =>
        {
            if (DateTime.UtcNow - last > TimeSpan.FromSeconds(1))
            {
                last = DateTime.UtcNow;
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {p.Rows:N0} lines, {p.Fraction:P0} of the file"));
            }
        });
        var loader = services.GetRequiredService<GazetteerLoader>();
        try
        {
            var result = await loader.LoadAsync(cities, areas, progress, cancellationToken: cancel.Token);
            foreach (var problem in result.Problems)
            {
                await Console.Out.WriteLineAsync($"  line {problem.Line}: {problem.Reason}");
            }

            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Gazetteer loaded from {path}{(admin1 is null ? "" : $" and {admin1}")}: {result.Read:N0} places read, {result.Inserted:N0} new, {result.Updated:N0} updated, {result.Unchanged:N0} unchanged, {result.BadLines:N0} bad lines skipped, in {result.Elapsed.TotalSeconds:N1} s."));
            return 0;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("Cancelled: the gazetteer is unchanged.");
            return 1;
        }
    }
}
