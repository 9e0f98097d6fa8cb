using BenchmarkDotNet.Attributes;
using CityPairs.Domain.Common;
using CityPairs.Domain.Matching;
using CityPairs.Domain.Programmes;

namespace CityPairs.Benchmarks;

// Short on purpose: the whole suite runs in a few minutes on the 2-core CI-sized machine.
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
[MemoryDiagnoser]
public class MatchingBenchmarks
{
    private List<CityProfile> _profiles = [];
    private MatchingSnapshot _snapshot = MatchingSnapshot.Empty;
    private int[] _queryIds = [];
    private CityProfile[] _edits = [];
    private int _next;

    [Params(100_000)]
    public int Cities { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _profiles = RegistryGenerator.Generate(Cities);
        _snapshot = MatchingSnapshot.Build(_profiles);

        // Rotate through many query cities so one lucky profile does not decide the figure.
        var random = new Random(7);
        _queryIds = _profiles.Where(p => !p.IsArchived).OrderBy(_ => random.Next()).Take(256).Select(p => p.Id).ToArray();
        _edits = Enumerable.Range(0, 256).Select(i => RegistryGenerator.Edited(_profiles[random.Next(_profiles.Count)], i)).ToArray();
    }

    [Benchmark(Description = "TopMatches(20), 100k cities")]
    public IReadOnlyList<MatchSuggestion> TopMatches() =>
        MatchingEngine.TopMatches(_snapshot, new MatchQuery(_queryIds[_next++ & 255]));

    [Benchmark(Description = "TopMatches(20), IUC rules + 5 exclusions")]
    public IReadOnlyList<MatchSuggestion> TopMatchesWithProgrammeRules() =>
        MatchingEngine.TopMatches(_snapshot, new MatchQuery(_queryIds[_next++ & 255])
        {
            Eligibility =
            [
                new EligibilityRule { Kind = EligibilityRuleKind.AtLeastOneMemberIn, Regions = [Region.Europe] },
                new EligibilityRule { Kind = EligibilityRuleKind.AtLeastOneMemberOutside, Regions = [Region.Europe] },
            ],
            ExcludedCityIds = [1, 2, 3, 4, 5],
        });

    [Benchmark(Description = "WithUpsert(one city)")]
    public MatchingSnapshot UpsertOneCity() => _snapshot.WithUpsert(_edits[_next++ & 255]);

    [Benchmark(Description = "Build(100k cities)")]
    public MatchingSnapshot Rebuild() => MatchingSnapshot.Build(_profiles);
}
