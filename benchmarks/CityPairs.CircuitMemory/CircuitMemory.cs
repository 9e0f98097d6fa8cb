using System.Diagnostics;
using System.Globalization;
using CityPairs.Web.Hosting;
using Microsoft.Playwright;
using Npgsql;

namespace CityPairs.CircuitMemory;

/// <summary>
/// Memory per Blazor circuit: the app runs in a child process (<see cref="AppHost"/>, so the browser driver's own
/// objects are not on the heap we measure), Chromium opens N signed-in sessions on interactive pages, and the child
/// reports its live managed heap (after a full, compacting GC) and its resident set before and after.
/// <code>
/// dotnet run -c Release --project benchmarks/CityPairs.CircuitMemory -- [--sessions 100] [--db "connection string"]
/// </code>
/// Without --db a throwaway PostgreSQL cluster with the demo data is used (the page contents, not the registry size,
/// decide a circuit's size); with --db the app runs against that database (it must have the demo accounts).
/// </summary>
public static class CircuitMemory
{
    private const int WarmUpSessions = 4;

    public static async Task<int> Main(string[] args)
    {
        if (args is ["host", var connectionString])
        {
            return await AppHost.RunAsync(connectionString);
        }

        var sessions = int.Parse(Option(args, "--sessions") ?? "100", CultureInfo.InvariantCulture);
        var chromium = Option(args, "--chromium") ?? "/usr/bin/chromium";
        var database = Option(args, "--db");
        LocalPostgresCluster? cluster = null;
        if (database is null)
        {
            Console.WriteLine("Starting a throwaway PostgreSQL cluster ...");
            cluster = await LocalPostgresCluster.StartThrowawayAsync();
            await cluster.EnsureDatabaseAsync("citypairs_circuits");
            database = cluster.ConnectionString("citypairs_circuits");
        }

        try
        {
            return await MeasureAsync(database, sessions, chromium);
        }
        finally
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }
        }
    }

    private static async Task<int> MeasureAsync(string database, int sessions, string chromium)
    {
        using var host = HostProcess.Start(database);
        var baseAddress = await host.ReadyAsync();
        Console.WriteLine($"App (child process {host.Id}) at {baseAddress}");

        var partnershipId = await FirstPartnershipAsync(database);
        string[] paths = ["/cities", $"/partnerships/{partnershipId}"];

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            // One browser, one context per session; pages share a few renderer processes so 100 sessions fit on a
            // small machine (the server sees 100 circuits either way).
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--renderer-process-limit=8", "--disable-renderer-backgrounding", "--disable-background-timer-throttling"],
        });

        var storageState = await SignInAsync(browser, baseAddress);

        // Warm-up sessions stay open: the JIT, caches and pools they fill are in the baseline, and the sessions
        // measured next are exactly the new circuits.
        var warmUp = await OpenSessionsAsync(browser, baseAddress, storageState, paths, WarmUpSessions);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var before = await host.MeasureAsync();
        Console.WriteLine($"Before: {before}");

        var stopwatch = Stopwatch.StartNew();
        var opened = await OpenSessionsAsync(browser, baseAddress, storageState, paths, sessions);
        Console.WriteLine($"{sessions} sessions interactive in {stopwatch.Elapsed.TotalSeconds:0.0} s");
        await Task.Delay(TimeSpan.FromSeconds(5));
        var after = await host.MeasureAsync();
        Console.WriteLine($"With {sessions} more sessions: {after}");

        foreach (var context in opened)
        {
            await context.CloseAsync();
        }

        await Task.Delay(TimeSpan.FromSeconds(10));
        var closed = await host.MeasureAsync();
        Console.WriteLine($"10 s after closing them: {closed}");

        foreach (var context in warmUp)
        {
            await context.CloseAsync();
        }

        static string Mib(double bytes) => (bytes / (1024 * 1024)).ToString("0.0", CultureInfo.InvariantCulture);
        static string Kib(double bytes) => (bytes / 1024).ToString("0", CultureInfo.InvariantCulture);
        Console.WriteLine();
        Console.WriteLine("| | Managed heap (after full GC) | Resident set (VmRSS) | Circuits (connected) |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        Console.WriteLine($"| Baseline: app with {WarmUpSessions} warm-up sessions | {Mib(before.HeapBytes)} MiB | {Mib(before.RssBytes)} MiB | {before.Circuits} ({before.Connected}) |");
        Console.WriteLine($"| With {sessions} more sessions | {Mib(after.HeapBytes)} MiB | {Mib(after.RssBytes)} MiB | {after.Circuits} ({after.Connected}) |");
        Console.WriteLine($"| 10 s after closing them | {Mib(closed.HeapBytes)} MiB | {Mib(closed.RssBytes)} MiB | {closed.Circuits} ({closed.Connected}) |");
        Console.WriteLine($"| **Per circuit**: (with - baseline) / {sessions} | **{Kib((after.HeapBytes - before.HeapBytes) / (double)sessions)} KiB** | {Kib((after.RssBytes - before.RssBytes) / (double)sessions)} KiB | |");
        await host.QuitAsync();
        return 0;
    }

    private static async Task<string> SignInAsync(IBrowser browser, Uri baseAddress)
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.Locator("[data-testid=login-email]").FillAsync(Web.Data.Seeding.DemoAccounts.Officer);
        await page.Locator("[data-testid=login-password]").FillAsync(Web.Data.Seeding.DemoAccounts.Password);
        await page.Locator("[data-testid=login-submit]").ClickAsync();
        await page.Locator("[data-testid=signed-in-as]").WaitForAsync();
        return await context.StorageStateAsync();
    }

    /// <summary>Opens <paramref name="count"/> sessions, a few at a time, each until its circuit is interactive.</summary>
    private static async Task<List<IBrowserContext>> OpenSessionsAsync(IBrowser browser, Uri baseAddress, string storageState, string[] paths, int count)
    {
        using var gate = new SemaphoreSlim(4);
        var contexts = await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), StorageState = storageState });
                var page = await context.NewPageAsync();
                await page.GotoAsync(paths[i % paths.Length], new PageGotoOptions { Timeout = 600_000 });
                await page.Locator("[data-testid=interactive]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 600_000 });
                return context;
            }
            finally
            {
                gate.Release();
            }
        }));
        return [.. contexts];
    }

    private static async Task<int> FirstPartnershipAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id FROM partnerships WHERE NOT is_archived ORDER BY id LIMIT 1", connection);
        return (int)(await command.ExecuteScalarAsync())!;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
