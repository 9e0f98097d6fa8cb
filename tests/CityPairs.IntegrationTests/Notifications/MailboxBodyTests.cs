using CityPairs.Web.Features.Notifications;

namespace CityPairs.IntegrationTests.Notifications;

/// <summary>How the development mailbox turns a plain-text body into text and links (no database).</summary>
public sealed class MailboxBodyTests
{
    [Fact]
    public void Links_to_the_public_address_open_on_this_app_and_other_links_stay_as_they_are()
    {
        var parts = DevelopmentMailbox.Parts(
            "Open http://localhost:5080/partnerships/7?x=1 or read https://example.org/guide.\nThanks", "http://localhost:5080");

        Assert.Equal(
        [
            new BodyPart("Open ", null),
            new BodyPart("http://localhost:5080/partnerships/7?x=1", "/partnerships/7?x=1"),
            new BodyPart(" or read ", null),
            new BodyPart("https://example.org/guide", "https://example.org/guide"),
            new BodyPart(".\nThanks", null),
        ], parts);
    }

    [Fact]
    public void Markup_in_a_body_is_text_not_a_link()
    {
        var parts = DevelopmentMailbox.Parts("<script>alert(1)</script> javascript:alert(1)", "http://localhost:5080");

        Assert.Equal([new BodyPart("<script>alert(1)</script> javascript:alert(1)", null)], parts);
    }
}
