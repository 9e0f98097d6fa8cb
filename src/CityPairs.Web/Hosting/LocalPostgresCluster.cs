using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Npgsql;

namespace CityPairs.Web.Hosting;

/// <summary>
/// A private PostgreSQL cluster started from the machine's own server binaries (initdb, pg_ctl), so a
/// developer needs no database set up by hand. The app keeps one in a per-user folder between runs; the
/// tests make a throwaway one in a temp folder. initdb refuses to run as root, so as root every server
/// command runs as the 'postgres' system user through runuser, on a folder that user owns.
/// A process that finds the server already running (the app, while a command such as migrate or
/// api-token runs beside it) attaches to it and leaves it running when it exits: only the instance
/// that started the server stops it.
/// </summary>
public sealed class LocalPostgresCluster : IAsyncDisposable
{
    private const string Superuser = "citypairs";
    private readonly string _baseDir;
    private readonly string _binDir;
    private readonly bool _throwaway;
    private readonly string _password;
    private bool _stopped;

    private LocalPostgresCluster(string baseDir, string binDir, bool throwaway, string password, int port, bool startedServer)
    {
        _baseDir = baseDir;
        _binDir = binDir;
        _throwaway = throwaway;
        _password = password;
        Port = port;
        StartedServer = startedServer;
    }

    public int Port { get; }

    /// <summary>True when this instance started the server (and so stops it); false when it attached to a running one.</summary>
    public bool StartedServer { get; }

    public string DataDirectory => Path.Combine(_baseDir, "data");

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = Superuser,
        Password = _password,
        Database = database,
    }.ConnectionString;

    /// <summary>Where the app keeps its development cluster: per user, kept between runs.</summary>
    public static string DefaultAppDirectory()
    {
        if (IsRoot)
        {
            // root's home is closed to the postgres user that must own the data; /var/tmp survives reboots.
            return "/var/tmp/citypairs-root/postgres";
        }

        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrEmpty(dataHome))
        {
            dataHome = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        }

        return Path.Combine(dataHome, "citypairs", "postgres");
    }

    /// <summary>The folder holding initdb and pg_ctl: on PATH, or the newest under /usr/lib/postgresql.</summary>
    public static string? FindServerBinaries()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(dir => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")));
        if (onPath is not null)
        {
            return onPath;
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (!Directory.Exists(debianRoot))
        {
            return null;
        }

        return Directory.GetDirectories(debianRoot)
            .Select(dir => (dir, version: int.TryParse(Path.GetFileName(dir), out var v) ? v : 0))
            .OrderByDescending(x => x.version)
            .Select(x => Path.Combine(x.dir, "bin"))
            .FirstOrDefault(bin => File.Exists(Path.Combine(bin, "initdb")));
    }

    public const string MissingServerMessage =
        "PostgreSQL server binaries (initdb, pg_ctl) were not found. Install them (Debian/Ubuntu: 'sudo apt-get install postgresql') " +
        "or set ConnectionStrings__CityPairs to a PostgreSQL server you have.";

    /// <summary>Starts (creating on first use) the cluster kept in <paramref name="baseDir"/>.</summary>
    public static Task<LocalPostgresCluster> StartPersistentAsync(string baseDir, CancellationToken cancellationToken = default) =>
        StartAsync(baseDir, throwaway: false, cancellationToken);

    /// <summary>Starts a new cluster in a temp folder, tuned for tests (no fsync), deleted on dispose.</summary>
    public static Task<LocalPostgresCluster> StartThrowawayAsync(CancellationToken cancellationToken = default)
    {
        var root = IsRoot ? "/var/tmp" : Path.GetTempPath();
        var dir = Path.Combine(root, "citypairs-test-" + Guid.NewGuid().ToString("N")[..12]);
        return StartAsync(dir, throwaway: true, cancellationToken);
    }

    private static async Task<LocalPostgresCluster> StartAsync(string baseDir, bool throwaway, CancellationToken cancellationToken)
    {
        var binDir = FindServerBinaries() ?? throw new InvalidOperationException(MissingServerMessage);
        Directory.CreateDirectory(baseDir);

        // Two processes starting at once (the app and a command) would both run initdb or both start a
        // server; the loser's server then fails on postmaster.pid. The lock makes the second one wait and
        // attach. The operating system releases it when a process dies, so a crash leaves no stale lock.
        await using var startLock = await AcquireStartLockAsync(baseDir, cancellationToken);
        if (IsRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", baseDir], asPostgres: false, cancellationToken);
        }

        var dataDir = Path.Combine(baseDir, "data");
        var passwordFile = Path.Combine(baseDir, "password");
        if (!File.Exists(Path.Combine(dataDir, "PG_VERSION")))
        {
            var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            await File.WriteAllTextAsync(passwordFile, password, cancellationToken);
            if (IsRoot)
            {
                await RunAsync("chown", ["postgres:postgres", passwordFile], asPostgres: false, cancellationToken);
            }

            await RunAsync(Path.Combine(binDir, "initdb"),
                ["-D", dataDir, "-U", Superuser, "--pwfile", passwordFile, "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"],
                asPostgres: IsRoot, cancellationToken);
        }

        var storedPassword = (await File.ReadAllTextAsync(passwordFile, cancellationToken)).Trim();

        // A server that is already running (the app's, or one left by an app that was killed) is attached
        // to rather than fought over, and stays running when this instance is disposed.
        var runningPort = await RunningPortAsync(binDir, dataDir, cancellationToken);
        if (runningPort is int port)
        {
            return new LocalPostgresCluster(baseDir, binDir, throwaway, storedPassword, port, startedServer: false);
        }

        port = FreeLoopbackPort();
        try
        {
            await StartServerAsync(binDir, baseDir, port, throwaway, cancellationToken);
        }
        catch (InvalidOperationException)
        {
            // Started meanwhile by a process that does not take the lock (an older build, pg_ctl by hand):
            // our postmaster lost the race on postmaster.pid, so attach to the winner.
            if (await RunningPortAsync(binDir, dataDir, cancellationToken) is int startedElsewhere)
            {
                return new LocalPostgresCluster(baseDir, binDir, throwaway, storedPassword, startedElsewhere, startedServer: false);
            }

            throw;
        }

        return new LocalPostgresCluster(baseDir, binDir, throwaway, storedPassword, port, startedServer: true);
    }

    private static async Task<FileStream> AcquireStartLockAsync(string baseDir, CancellationToken cancellationToken)
    {
        var lockPath = Path.Combine(baseDir, "start.lock");
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            try
            {
                // On Unix .NET backs FileShare.None with an advisory flock held until the stream is closed.
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
        }
    }

    private static Task StartServerAsync(string binDir, string baseDir, int port, bool throwaway, CancellationToken cancellationToken)
    {
        var options = $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='{baseDir}'";
        if (throwaway)
        {
            // Test data is thrown away, so durability buys nothing and costs seconds.
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        }

        return RunAsync(Path.Combine(binDir, "pg_ctl"),
            ["start", "-D", Path.Combine(baseDir, "data"), "-l", Path.Combine(baseDir, "server.log"), "-w", "-t", "60", "-o", options],
            asPostgres: IsRoot, cancellationToken);
    }

    /// <summary>Creates the database when missing, so the first start logs no "database does not exist" error.</summary>
    public async Task EnsureDatabaseAsync(string database, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
        exists.Parameters.AddWithValue(database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            // Identifiers cannot be parameters; the name is quoted so any name is safe.
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Restarts the server on the same port, as an operator or a crash-restart would (reliability tests).</summary>
    public Task RestartAsync() =>
        // -l as at start: without it the server writes to our pipes and the call never returns.
        RunAsync(Path.Combine(_binDir, "pg_ctl"),
            ["restart", "-D", DataDirectory, "-l", Path.Combine(_baseDir, "server.log"), "-m", "fast", "-w", "-t", "60"], asPostgres: IsRoot, CancellationToken.None);

    /// <summary>Stops the server and keeps its data: an outage, ended by <see cref="ResumeAsync"/> (reliability tests).</summary>
    public Task PauseAsync() =>
        RunAsync(Path.Combine(_binDir, "pg_ctl"), ["stop", "-D", DataDirectory, "-m", "fast", "-w"], asPostgres: IsRoot, CancellationToken.None);

    /// <summary>Starts the server again after <see cref="PauseAsync"/>, on the same port with the same data.</summary>
    public Task ResumeAsync() => StartServerAsync(_binDir, _baseDir, Port, _throwaway, CancellationToken.None);

    /// <summary>
    /// Stops the server if this instance started it (and deletes a throwaway cluster's folder). An instance
    /// that attached to a running server leaves it running: it belongs to the process that started it.
    /// </summary>
    public async Task StopAsync()
    {
        if (_stopped || !StartedServer)
        {
            return;
        }

        _stopped = true;
        await RunAsync(Path.Combine(_binDir, "pg_ctl"), ["stop", "-D", DataDirectory, "-m", "fast", "-w"], asPostgres: IsRoot, CancellationToken.None);
        if (_throwaway)
        {
            Directory.Delete(_baseDir, recursive: true);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static bool IsRoot => RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && Environment.UserName == "root";

    private static async Task<int?> RunningPortAsync(string binDir, string dataDir, CancellationToken cancellationToken)
    {
        var status = await TryRunAsync(Path.Combine(binDir, "pg_ctl"), ["status", "-D", dataDir], asPostgres: IsRoot, cancellationToken);
        var pidFile = Path.Combine(dataDir, "postmaster.pid");
        if (status != 0 || !File.Exists(pidFile))
        {
            return null;
        }

        // postmaster.pid's fourth line is the port the server listens on.
        var lines = await File.ReadAllLinesAsync(pidFile, cancellationToken);
        return lines.Length > 3 && int.TryParse(lines[3], out var port) ? port : null;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> args, bool asPostgres, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await ExecuteAsync(file, args, asPostgres, cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"'{Path.GetFileName(file)} {string.Join(' ', args)}' failed ({exitCode}): {output.Trim()}");
        }
    }

    private static async Task<int> TryRunAsync(string file, IReadOnlyList<string> args, bool asPostgres, CancellationToken cancellationToken) =>
        (await ExecuteAsync(file, args, asPostgres, cancellationToken)).ExitCode;

    private static async Task<(int ExitCode, string Output)> ExecuteAsync(
        string file, IReadOnlyList<string> args, bool asPostgres, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo
        {
            FileName = asPostgres ? "runuser" : file,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The server outlives this call; it must not keep our pipes open.
            RedirectStandardInput = false,
        };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", file })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }
}
