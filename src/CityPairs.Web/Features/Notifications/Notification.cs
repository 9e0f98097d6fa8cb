namespace CityPairs.Web.Features.Notifications;

/// <summary>
/// One item in a user's in-app inbox: what happened, in a sentence, and the page it is about. Written by
/// <see cref="Notifier"/> in the same SaveChanges as the change it reports.
/// </summary>
public sealed class Notification
{
    public long Id { get; set; }

    public string UserId { get; set; } = "";

    /// <summary>What kind of event this is ("invitation", "invitation-answered" ...); e-mail digests group by it.</summary>
    public string Kind { get; set; } = "";

    public string Title { get; set; } = "";

    public string Text { get; set; } = "";

    /// <summary>The app-relative page the notification opens, for example "/partnerships/12".</summary>
    public string LinkPath { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ReadAt { get; set; }
}
