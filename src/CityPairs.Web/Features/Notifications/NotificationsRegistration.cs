using System.Globalization;
using CityPairs.Web.Data;
using Microsoft.Extensions.Options;

namespace CityPairs.Web.Features.Notifications;

public static class NotificationsRegistration
{
    /// <summary>The outbox sender, the digest, the inbox and, in Development, the built-in mail server.</summary>
    public static void AddNotifications(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MailOptions>().BindConfiguration(MailOptions.Section);
        services.AddOptions<DigestOptions>().BindConfiguration(DigestOptions.Section);
        // First of the notification services, so the app stops before anything is sent with half a configuration.
        services.AddHostedService<DeliverySettingsCheck>();

        if (builder.Environment.IsDevelopment() && builder.Configuration.GetValue<bool>($"{MailOptions.Section}:{nameof(MailOptions.DevelopmentServer)}"))
        {
            // Port 0 (the tests: several apps at once) picks a free port now, and the sender is pointed at it.
            var catcher = new MailCatcher(builder.Configuration.GetValue($"{MailOptions.Section}:{nameof(MailOptions.Port)}", 0));
            builder.Configuration[$"{MailOptions.Section}:{nameof(MailOptions.Port)}"] = catcher.Port.ToString(CultureInfo.InvariantCulture);
            builder.Configuration[$"{MailOptions.Section}:{nameof(MailOptions.Host)}"] = "127.0.0.1";
            services.AddSingleton(catcher);
            services.AddSingleton<DevelopmentMailServer>();
            services.AddHostedService(sp => sp.GetRequiredService<DevelopmentMailServer>());
        }

        services.AddSingleton<OutboxWakeUp>();
        services.AddSingleton<OutboxSender>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxSender>());
        services.AddSingleton<NotificationDigest>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationDigest>());
        services.AddScoped<InboxService>();
        services.AddScoped<UnreadCount>();
    }

    public static void MapNotifications(this WebApplication app)
    {
        app.MapInboxEndpoints();
        if (app.Environment.IsDevelopment() && app.Services.GetService<DevelopmentMailServer>() is not null)
        {
            app.MapDevelopmentMailbox();
        }
    }
}

/// <summary>
/// Outside Development the app refuses to start without a mail server and a public address: otherwise invitations and
/// password resets would pile up unsent, or carry links built from whatever Host header a request came with.
/// Runs when the web host starts, so the one-shot commands (migrate, create-admin) need neither.
/// </summary>
public sealed class DeliverySettingsCheck(IHostEnvironment environment, IOptions<MailOptions> mail, IOptions<PublicLinkOptions> links) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (environment.IsDevelopment())
        {
            return Task.CompletedTask;
        }

        var problems = mail.Value.Problems().ToList();
        if (!Uri.TryCreate(links.Value.PublicBaseUrl, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("https" or "http"))
        {
            problems.Add("App__PublicBaseUrl (the address people open, for example https://citypairs.example.org) is not set.");
        }

        if (problems.Count > 0)
        {
            throw new StartupException($"E-mail is not configured: {string.Join(" ", problems)} See docs/DEPLOYMENT.md.");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
