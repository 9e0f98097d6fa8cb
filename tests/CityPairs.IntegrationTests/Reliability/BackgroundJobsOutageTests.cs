using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using CityPairs.Web;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CityPairs.IntegrationTests.Reliability;

/// <summary>
/// A background job that lets an exception out stops the whole app (.NET's default for a failed BackgroundService).
/// The outbox and the digest caught Npgsql's exceptions but not EF's RetryLimitExceededException, a plain
/// Exception: an outage longer than EF's retries ended the app, and every open page with it ("Rejoin failed").
/// </summary>
public sealed class BackgroundJobsOutageTests
{
    [Fact]
    public async Task The_outbox_sender_says_the_database_is_unreachable_and_keeps_running()
    {
        var log = new RecordingLogger<OutboxSender>();
        using var wakeUp = new OutboxWakeUp();
        var sender = new OutboxSender(UnreachableDatabase(), Options.Create(new MailOptions { Host = "localhost", FromAddress = "x@example.org" }),
            wakeUp, TimeProvider.System, log);

        await RunUntilItReportsTheOutageAsync(sender, log);
    }

    [Fact]
    public async Task The_digest_job_says_the_database_is_unreachable_and_keeps_running()
    {
        var log = new RecordingLogger<NotificationDigest>();
        using var wakeUp = new OutboxWakeUp();
        var notifier = new Notifier(Options.Create(new PublicLinkOptions()), TimeProvider.System);
        var localizer = new StringLocalizer<SharedResource>(new ResourceManagerStringLocalizerFactory(
            Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));
        var digest = new NotificationDigest(UnreachableDatabase(), notifier, Options.Create(new DigestOptions { DigestCheckInterval = TimeSpan.FromSeconds(1) }),
            wakeUp, localizer, TimeProvider.System, log);

        await RunUntilItReportsTheOutageAsync(digest, log);
    }

    private static async Task RunUntilItReportsTheOutageAsync(BackgroundService job, RecordingLogger log)
    {
        await job.StartAsync(CancellationToken.None);
        try
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            while (log.Warnings.IsEmpty && !job.ExecuteTask!.IsCompleted)
            {
                await Task.Delay(100, patience.Token);
            }

            Assert.False(job.ExecuteTask!.IsCompleted, job.ExecuteTask.Exception?.ToString());
            Assert.NotEmpty(log.Warnings);
        }
        finally
        {
            await job.StopAsync(CancellationToken.None);
        }
    }

    // A loopback port that nothing listens on refuses at once; one retry keeps the test short.
    private static PooledDbContextFactory<CityPairsDbContext> UnreachableDatabase()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var options = new DbContextOptionsBuilder<CityPairsDbContext>();
        DatabaseSetup.Configure(options, $"Host=127.0.0.1;Port={port};Database=none;Username=x;Password=y;Timeout=2", maxRetryCount: 1);
        return new PooledDbContextFactory<CityPairsDbContext>(options.Options);
    }

    private class RecordingLogger : ILogger
    {
        public ConcurrentQueue<string> Warnings { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Warning)
            {
                Warnings.Enqueue(formatter(state, exception));
            }
        }
    }

    private sealed class RecordingLogger<T> : RecordingLogger, ILogger<T>;
}
