using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CityPairs.Web.Features.Notifications;

/// <summary>
/// Development's mail server: runs the <see cref="MailCatcher"/> inside the app on Mail:Port, where the outbox
/// delivers, so every message the app sends can be read at /dev/mailbox without a real mail server.
/// </summary>
public sealed partial class DevelopmentMailServer(MailCatcher catcher, ILogger<DevelopmentMailServer> logger) : IHostedService
{
    /// <summary>False when the port was taken (another copy of the app runs); the mailbox page says so.</summary>
    public bool IsRunning { get; private set; }

    public int Port => catcher.Port;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await catcher.StartAsync();
            IsRunning = true;
            LogListening(catcher.Port);
        }
        catch (SocketException ex)
        {
            // Development convenience only: the app still runs, and the outbox keeps the mail until a server answers.
            LogCannotListen(ex, catcher.Port);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => catcher.StopAsync();

    [LoggerMessage(Level = LogLevel.Information, Message = "Development mail server on 127.0.0.1:{Port}; read what the app sends at /dev/mailbox")]
    private partial void LogListening(int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The development mail server cannot listen on port {Port}; set Mail__Port to a free port (0 picks one)")]
    private partial void LogCannotListen(Exception exception, int port);
}

/// <summary>One piece of a message body: text as it is, or a link.</summary>
public sealed record BodyPart(string Text, string? Href);

public static partial class DevelopmentMailbox
{
    public const string Path = "/dev/mailbox";

    /// <summary>
    /// Mapped only in Development, for anyone signed in: every account there is a demo account, and a coordinator (or a
    /// browser test acting as one) reads their own invitation without switching to an administrator. Nothing real is
    /// ever in it: the catcher holds only what this development app sent, in memory.
    /// </summary>
    public static IEndpointRouteBuilder MapDevelopmentMailbox(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, () => new RazorComponentResult<DevelopmentMailboxPage>()).RequireAuthorization();
        return app;
    }

    /// <summary>
    /// Splits a plain-text body into text and links. A link into the configured public address opens on whatever
    /// address this development app answers (a test's random port), so its href is made relative.
    /// </summary>
    public static IReadOnlyList<BodyPart> Parts(string body, string publicBaseUrl)
    {
        var parts = new List<BodyPart>();
        var at = 0;
        foreach (Match match in LinkPattern().Matches(body))
        {
            if (match.Index > at)
            {
                parts.Add(new BodyPart(body[at..match.Index], null));
            }

            var link = match.Value;
            var href = !string.IsNullOrWhiteSpace(publicBaseUrl) && link.StartsWith(publicBaseUrl.TrimEnd('/') + "/", StringComparison.OrdinalIgnoreCase)
                ? link[publicBaseUrl.TrimEnd('/').Length..]
                : link;
            parts.Add(new BodyPart(link, href));
            at = match.Index + match.Length;
        }

        if (at < body.Length)
        {
            parts.Add(new BodyPart(body[at..], null));
        }

        return parts;
    }

    // A sentence's closing full stop or bracket is not part of the link.
    [GeneratedRegex(@"https?://[^\s<>""]*[^\s<>"".,;:!?)]", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex LinkPattern();
}
