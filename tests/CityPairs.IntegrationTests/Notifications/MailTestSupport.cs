using System.Globalization;
using CityPairs.TestSupport;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CityPairs.IntegrationTests.Notifications;

/// <summary>The app delivering to a test's own SMTP server, and waits that end as soon as what they wait for happens.</summary>
internal static class MailTestSupport
{
    public const string PublicBaseUrl = "https://citypairs.test";

    /// <summary>A real app instance whose outbox is delivered to <paramref name="port"/> on 127.0.0.1, retrying quickly.</summary>
    public static CityPairsApp AppDeliveringTo(PostgresDatabase database, int port, Dictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Mail:DevelopmentServer"] = "false",
            ["Mail:Host"] = "127.0.0.1",
            ["Mail:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Mail:Security"] = "None",
            ["Mail:FromAddress"] = "citypairs@citypairs.test",
            ["Mail:PollInterval"] = "00:00:00.100",
            ["Mail:RetryDelay"] = "00:00:00.100",
            ["Mail:MaxRetryDelay"] = "00:00:00.300",
            ["Mail:Timeout"] = "00:00:05",
            ["App:PublicBaseUrl"] = PublicBaseUrl,
        };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        var app = new CityPairsApp(database.ConnectionString, settings);
        // Builds and starts the host (the sender starts with it).
        _ = app.Services;
        return app;
    }

    /// <summary>Queues one e-mail through the app's own Notifier, as a feature would, and commits it.</summary>
    public static async Task<long> NotifyAsync(this CityPairsApp app, string email, string title, string linkPath)
    {
        var notifier = app.Services.GetRequiredService<Notifier>();
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<CityPairsDbContext>>().CreateDbContextAsync();
        notifier.Notify(db, [new Recipient(null, email, "A Contact")], new Notice("test", title, $"About {title}.", linkPath));
        await db.SaveChangesAsync();
        return await db.OutboxMessages.Where(m => m.Subject == title).Select(m => m.Id).SingleAsync();
    }

    public static async Task<OutboxMessage> RowAsync(this PostgresDatabase database, long id)
    {
        await using var db = database.CreateDbContext();
        return await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id);
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails with <paramref name="what"/> after a generous limit.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Still waiting after {seconds} s for: {what}");
            }

            await Task.Delay(50);
        }
    }

    public static Task EventuallyAsync(Func<bool> condition, string what, int seconds = 30) =>
        EventuallyAsync(() => Task.FromResult(condition()), what, seconds);
}
