using Mailroom.Core;
using Mailroom.Policy.Milter;
using Mailroom.Smtp.Tests.Support;
using Mailroom.Testing;
using static Mailroom.Testing.FakeMilter;

namespace Mailroom.Smtp.Tests.Integration;

/// <summary>The milters at the end of DATA as the SMTP client sees them, and what reaches the queue.</summary>
public sealed class MilterSessionTests
{
    private const string Content = "Subject: x\r\n\r\nbody\r\n.\r\n";

    private static Task<SmtpTestServer> StartAsync(FakeMilter milter, SmtpListenerRole role = SmtpListenerRole.Mta) =>
        SmtpTestServer.StartAsync(role, o =>
        {
            var settings = new MilterSettings { Address = milter.Address };
            (role == SmtpListenerRole.Mta ? o.Milters : o.SubmissionMilters).Add(settings);
        });

    private static async Task<string> SendAsync(SmtpTestServer server, string content = Content)
    {
        await using RawClient client = await ErrorPathTests.InTransaction(server);
        await client.CommandAsync("DATA");
        return await client.RawAsync(content);
    }

    [Fact]
    public async Task TheMiltersRefusalIsTheReplyAndNothingIsQueued()
    {
        await using var milter = new FakeMilter(respond: (code, _) => code == (byte)'E' ? [Packet('y', Z("554 5.7.1 Gtube pattern"))] : null);
        await using SmtpTestServer server = await StartAsync(milter);
        Assert.Equal("554 5.7.1 Gtube pattern", await SendAsync(server));
        Assert.Empty(server.Submitter.Committed);
    }

    [Fact]
    public async Task ADiscardIsAnsweredAsAcceptedButNothingIsQueued()
    {
        await using var milter = new FakeMilter(respond: (code, _) => code == (byte)'E' ? [Packet('d')] : null);
        await using SmtpTestServer server = await StartAsync(milter);
        Assert.StartsWith("250 2.0.0 Ok: queued as ", await SendAsync(server), StringComparison.Ordinal);
        Assert.Empty(server.Submitter.Committed);
    }

    [Fact]
    public async Task HeaderEditsAreInTheQueuedContent()
    {
        await using var milter = new FakeMilter(respond: (code, _) => code == (byte)'E' ? [Packet('h', Z("X-Filtered"), Z("yes")), Packet('m', U32(1), Z("Subject"), Z("[tagged] x")), Packet('c')] : null);
        await using SmtpTestServer server = await StartAsync(milter);
        Assert.StartsWith("250 2.0.0", await SendAsync(server), StringComparison.Ordinal);
        string text = Assert.Single(server.Submitter.Committed).Text;
        Assert.Contains("Subject: [tagged] x\r\nX-Filtered: yes\r\n\r\nbody\r\n", text, StringComparison.Ordinal);
        Assert.StartsWith("Received: from ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnvelopeChangesAndQuarantineGoWithTheMessage()
    {
        await using var milter = new FakeMilter(respond: (code, _) => code == (byte)'E'
            ? [Packet('e', Z("<new@remote.example>")), Packet('+', Z("<alice@example.org>")), Packet('-', Z("<samt@example.org>")), Packet('q', Z("held")), Packet('c')]
            : null);
        await using SmtpTestServer server = await StartAsync(milter);
        Assert.StartsWith("250 2.0.0", await SendAsync(server), StringComparison.Ordinal);
        MessageAnnotation annotation = Assert.Single(server.Submitter.Committed).Annotation!;
        Assert.True(annotation.Hold);
        Envelope envelope = annotation.Envelope!;
        Assert.Equal("new@remote.example", envelope.Sender);
        EnvelopeRecipient recipient = Assert.Single(envelope.Recipients);
        Assert.Equal(("alice@example.org", RecipientRoute.Local), (recipient.Address, recipient.Route));
    }

    [Fact]
    public async Task SubmissionMiltersAreNotAskedOnPort25()
    {
        await using var milter = new FakeMilter(respond: (code, _) => code == (byte)'E' ? [Packet('r')] : null);
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(SmtpListenerRole.Mta, o => o.SubmissionMilters.Add(new MilterSettings { Address = milter.Address }));
        Assert.StartsWith("250 2.0.0", await SendAsync(server), StringComparison.Ordinal);
        Assert.Empty(milter.Received);
    }

    [Theory]
    [InlineData("X-Spam: Yes\r\n", true)]
    [InlineData("X-Spam-Flag: YES\r\n", true)]
    [InlineData("X-Spam: No\r\n", false)]
    [InlineData("", false)]
    public async Task AMessageMarkedAsSpamIsQuarantinedToJunk(string field, bool junk)
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync();
        Assert.StartsWith("250 2.0.0", await SendAsync(server, field + Content), StringComparison.Ordinal);
        Assert.Equal(junk, Assert.Single(server.Submitter.Committed).Annotation?.Quarantine == true);
    }

    [Fact]
    public async Task ASpamHeaderAddedByAMilterFilesInJunkAndTheMarkerIsConfigurable()
    {
        await using var milter = new FakeMilter(respond: (code, _) => code == (byte)'E' ? [Packet('h', Z("X-Verdict"), Z("junk")), Packet('c')] : null);
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(SmtpListenerRole.Mta, o =>
        {
            o.Milters.Add(new MilterSettings { Address = milter.Address });
            o.SpamHeaders.Clear();
            o.SpamHeaders.Add("X-Verdict: JUNK");
        });
        Assert.StartsWith("250 2.0.0", await SendAsync(server, "X-Spam: Yes\r\n" + Content), StringComparison.Ordinal);
        FakeSubmitter.FakeSubmission queued = Assert.Single(server.Submitter.Committed);
        Assert.True(queued.Annotation!.Quarantine);
        Assert.Contains("X-Verdict: junk\r\n", queued.Text, StringComparison.Ordinal);
    }
}
