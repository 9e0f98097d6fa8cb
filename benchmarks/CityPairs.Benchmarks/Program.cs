using BenchmarkDotNet.Running;
using CityPairs.Benchmarks;
using CityPairs.Domain.Matching;

if (args.Contains("--memory"))
{
    // The profiles exist anyway (the service maps them from the database), so the snapshot's own cost is
    // the difference between the heap with the profiles alone and with the snapshot built over them.
    var profiles = RegistryGenerator.Generate(100_000);
    var withProfiles = GC.GetTotalMemory(forceFullCollection: true);
    var snapshot = MatchingSnapshot.Build(profiles);
    var withSnapshot = GC.GetTotalMemory(forceFullCollection: true);
    Console.WriteLine($"profiles alone: {withProfiles / 1024.0 / 1024:F1} MiB");
    Console.WriteLine($"snapshot over them: {(withSnapshot - withProfiles) / 1024.0 / 1024:F1} MiB");
    Console.WriteLine($"ApproximateMemoryBytes: {snapshot.ApproximateMemoryBytes / 1024.0 / 1024:F1} MiB");
    GC.KeepAlive(profiles);
    GC.KeepAlive(snapshot);
    return;
}

if (args is ["--import", .. var sizes])
{
    await ImportThroughput.RunAsync(sizes.Length == 0 ? [10_000, 100_000] : [.. sizes.Select(int.Parse)]);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(MatchingBenchmarks).Assembly).Run(args);
