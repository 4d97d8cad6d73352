using Mailroom.Cli;
using Mailroom.Queue.Admin;

namespace Mailroom.Tests;

/// <summary>How <c>mailroom queue list</c> shows each message's states, one bracketed line each, as mailq does.</summary>
public sealed class QueueListTests
{
    private static QueuedMessageInfo Message(bool spam = false, bool quarantine = false, string? authentication = null) =>
        new("5E4A5BA2D4", "deferred", 1200, DateTimeOffset.UnixEpoch, "ann@example.net", null, [new QueuedRecipientInfo("bob@example.org", null, null)])
        {
            Spam = spam,
            Quarantine = quarantine,
            Authentication = authentication,
        };

    private static string[] States(QueuedMessageInfo message, bool spamToJunk) =>
        [.. QueueCommands.Rows(message, spamToJunk).Select(static row => row[^1]).Where(static text => text.StartsWith('['))];

    [Fact]
    public void ASpamMarkedMessageIsShownGoingToJunkWhenThatIsTheSitesDefault()
    {
        Assert.Equal(["[marked as spam: to Junk (INBOX for users whose junk setting is off)]"], States(Message(spam: true), spamToJunk: true));
    }

    [Fact]
    public void ASpamMarkedMessageIsShownGoingToInboxWhenTheSiteTurnedSpamToJunkOff()
    {
        Assert.Equal(["[marked as spam: to INBOX (Junk for users whose junk setting is on)]"], States(Message(spam: true), spamToJunk: false));
    }

    [Fact]
    public void AnUnmarkedMessageHasNoSpamLine()
    {
        Assert.Empty(States(Message(), spamToJunk: true));
    }

    [Fact]
    public void AQuarantinedMessageSaysJunkOnceWhateverItsSpamMark()
    {
        Assert.Equal(["[spf=fail dmarc=fail(example.net); quarantined to Junk]"], States(Message(spam: true, quarantine: true, authentication: "spf=fail dmarc=fail(example.net)"), spamToJunk: false));
    }
}
