using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CityPairs.CircuitMemory;

/// <summary>One measurement of the app process.</summary>
public sealed record Sample(long HeapBytes, long RssBytes, int Circuits, int Connected)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"managed heap {HeapBytes / 1048576.0:0.0} MiB, VmRSS {RssBytes / 1048576.0:0.0} MiB, {Circuits} circuits ({Connected} connected)");

    public static Sample Parse(string line)
    {
        var parts = line.Split(' ');
        return new Sample(long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture),
            int.Parse(parts[3], CultureInfo.InvariantCulture), int.Parse(parts[4], CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// The child process: the real app (Program, Development, so it migrates and loads the demo data) on a Kestrel port,
/// plus a circuit counter. It answers "measure" on stdin with "measured heap rss circuits connected" on stdout.
/// </summary>
internal static class AppHost
{
    public static async Task<int> RunAsync(string connectionString)
    {
        await using var app = new HostedApp(connectionString);
        app.Start();
        Console.WriteLine($"ready {app.BaseAddress}");
        while (await Console.In.ReadLineAsync() is { } line)
        {
            if (line == "measure")
            {
                // Twice, with finalizers in between, so what is left is what the circuits keep alive.
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                var heap = GC.GetTotalMemory(forceFullCollection: false);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"measured {heap} {ResidentBytes()} {CircuitCounter.Open} {CircuitCounter.Connected}"));
            }
            else if (line == "quit")
            {
                break;
            }
        }

        return 0;
    }

    private static long ResidentBytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    private sealed class HostedApp(string connectionString) : WebApplicationFactory<Program>
    {
        public Uri BaseAddress { get; private set; } = null!;

        public void Start()
        {
            UseKestrel(0);
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:CityPairs", connectionString);
            // stdout is the protocol with the parent: only warnings and errors may share it.
            builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
            builder.UseSetting("Serilog:MinimumLevel:Override:Serilog.AspNetCore.RequestLoggingMiddleware", "Warning");
            builder.UseSetting("RateLimits:SignInPerMinute", "10000");
            builder.ConfigureServices(services => services.AddSingleton<CircuitHandler, CircuitCounter>());
        }
    }

    private sealed class CircuitCounter : CircuitHandler
    {
        private static int _open;
        private static int _connected;

        public static int Open => Volatile.Read(ref _open);

        public static int Connected => Volatile.Read(ref _connected);

        public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _open);
            return Task.CompletedTask;
        }

        public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            Interlocked.Decrement(ref _open);
            return Task.CompletedTask;
        }

        public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _connected);
            return Task.CompletedTask;
        }

        public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            Interlocked.Decrement(ref _connected);
            return Task.CompletedTask;
        }
    }
}

/// <summary>The parent's handle on the child process and its line protocol.</summary>
internal sealed class HostProcess : IDisposable
{
    private readonly Process _process;

    private HostProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public static HostProcess Start(string connectionString)
    {
        var self = Environment.ProcessPath!;
        var info = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.ArgumentList.Add(typeof(HostProcess).Assembly.Location);
        }

        // WebApplicationFactory's guess of the app's content root is the solution folder plus the project name, which
        // is not where the project lives; tell it.
        info.Environment["ASPNETCORE_TEST_CONTENTROOT_CITYPAIRS_WEB"] = WebProjectDirectory();
        info.ArgumentList.Add("host");
        info.ArgumentList.Add(connectionString);
        return new HostProcess(Process.Start(info)!);
    }

    private static string WebProjectDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CityPairs.sln")))
            {
                return Path.Combine(dir.FullName, "src", "CityPairs.Web");
            }
        }

        throw new InvalidOperationException("Run the benchmark from a checkout of the repository (CityPairs.sln not found).");
    }

    public async Task<Uri> ReadyAsync() => new((await ReadAsync("ready "))["ready ".Length..]);

    public async Task<Sample> MeasureAsync()
    {
        await _process.StandardInput.WriteLineAsync("measure");
        await _process.StandardInput.FlushAsync();
        return Sample.Parse(await ReadAsync("measured "));
    }

    public async Task QuitAsync()
    {
        await _process.StandardInput.WriteLineAsync("quit");
        await _process.StandardInput.FlushAsync();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>The next line with the prefix; the app's own warnings pass through to our console.</summary>
    private async Task<string> ReadAsync(string prefix)
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line;
            }

            Console.WriteLine($"  app: {line}");
        }

        throw new InvalidOperationException("The app process ended before answering.");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
