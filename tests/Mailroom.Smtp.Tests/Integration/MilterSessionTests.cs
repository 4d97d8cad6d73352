using Mailroom.Core;
using Mailroom.Policy.Milter;
using Mailroom.Smtp.Tests.Support;
using Mailroom.Testing;
using static Mailroom.Testing.FakeMilter;

namespace Mailroom.Smtp.Tests.Integration;

/// <summary>The milters at each stage of the session as the SMTP client sees them, and what reaches the queue.</summary>
public sealed class MilterSessionTests
{
    private const string Content = "Subject: x\r\n\r\nbody\r\n.\r\n";

    private static Task<SmtpTestServer> StartAsync(FakeMilter milter, SmtpListenerRole role = SmtpListenerRole.Mta) =>
        SmtpTestServer.StartAsync(role, o =>
        {
            var settings = new MilterSettings { Address = milter.Address };
            (role == SmtpListenerRole.Mta ? o.Milters : o.SubmissionMilters).Add(settings);
        });

    /// <summary>Postfix's greeting after a milter's reject at connect; the client may still say EHLO.</summary>
    private static async Task<RawClient> GreetedAfterRejectAsync(SmtpTestServer server)
    {
        RawClient client = await server.ConnectAsync();
        Assert.Equal("554 mx.example.org ESMTP not accepting connections", await client.ReadLineAsync());
        Assert.StartsWith("250-mx.example.org", await client.CommandAsync("EHLO client.example"), StringComparison.Ordinal);
        return client;
    }

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
        Assert.Equal("held", annotation.HoldReason);
        Assert.Contains(server.Logs.Entries.Select(e => e.Message), l => l.EndsWith("milter-hold: END-OF-MESSAGE: held; milter=" + milter.Address, StringComparison.Ordinal));
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
    public async Task AMessageMarkedAsSpamIsRecordedAsSpamForLocalDelivery(string field, bool spam)
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync();
        Assert.StartsWith("250 2.0.0", await SendAsync(server, field + Content), StringComparison.Ordinal);
        MessageAnnotation? annotation = Assert.Single(server.Submitter.Committed).Annotation;
        Assert.Equal(spam, annotation?.Spam == true);
        Assert.False(annotation?.Quarantine == true);
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
        Assert.True(queued.Annotation!.Spam);
        Assert.Contains("X-Verdict: junk\r\n", queued.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMiltersRefusalAtRcptRefusesThatRecipientAloneAndTheMessageGoesToTheOthers()
    {
        await using var milter = new FakeMilter(respond: (code, data) => code == (byte)'R' && System.Text.Encoding.UTF8.GetString(data).Contains("alice", StringComparison.Ordinal)
            ? [Packet('y', Z("550 5.7.1 Not her"))]
            : null);
        await using SmtpTestServer server = await StartAsync(milter);
        await using RawClient client = await ErrorPathTests.InTransaction(server);
        Assert.Equal("550 5.7.1 Not her", await client.CommandAsync("RCPT TO:<alice@example.org>"));
        await client.CommandAsync("DATA");
        Assert.StartsWith("250 2.0.0 Ok: queued as ", await client.RawAsync(Content), StringComparison.Ordinal);
        Assert.Equal(["samt@example.org"], Assert.Single(server.Submitter.Committed).Envelope.Recipients.Select(r => r.Address));
        Assert.Contains(server.Logs.Entries.Select(e => e.Message), l => l.Contains("reject: RCPT from", StringComparison.Ordinal) && l.Contains("550 5.7.1 Not her", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AMiltersRefusalAtMailIsTheReplyToMail()
    {
        await using var milter = new FakeMilter(respond: (code, _) => code == (byte)'M' ? [Packet('y', Z("451 4.7.1 Greylisted"))] : null);
        await using SmtpTestServer server = await StartAsync(milter);
        await using RawClient client = await ErrorPathTests.Greeted(server);
        Assert.Equal("451 4.7.1 Greylisted", await client.CommandAsync("MAIL FROM:<a@remote.example>"));
        Assert.Equal("503 5.5.1 Error: need MAIL command", await client.CommandAsync("RCPT TO:<samt@example.org>"));
    }

    [Fact]
    public async Task AConnectRejectIsA554GreetingAsPostfixGivesAndTheReplyToEveryMail()
    {
        await using var milter = new FakeMilter(respond: (code, _) => code == (byte)'C' ? [Packet('r')] : null);
        await using SmtpTestServer server = await StartAsync(milter);
        await using RawClient client = await GreetedAfterRejectAsync(server);
        Assert.Equal("550 5.7.1 Command rejected", await client.CommandAsync("MAIL FROM:<a@remote.example>"));
        Assert.Equal("550 5.7.1 Command rejected", await client.CommandAsync("MAIL FROM:<b@remote.example>"));
    }

    [Fact]
    public async Task A421FromTheMilterAtConnectIsTheGreetingAndTheSessionEnds()
    {
        await using var milter = new FakeMilter(respond: (code, _) => code == (byte)'C' ? [Packet('y', Z("421 4.7.0 Try later"))] : null);
        await using SmtpTestServer server = await StartAsync(milter);
        await using RawClient client = await server.ConnectAsync();
        Assert.Equal("421 4.7.0 Try later", await client.ReadReplyAsync());
        await Assert.ThrowsAsync<EndOfStreamException>(client.ReadReplyAsync);
    }

    [Fact]
    public async Task A421FromTheMilterAtHeloIsTheReplyAndTheSessionEnds()
    {
        await using var milter = new FakeMilter(respond: (code, _) => code == (byte)'H' ? [Packet('y', Z("421 4.7.0 Bad helo"))] : null);
        await using SmtpTestServer server = await StartAsync(milter);
        await using RawClient client = await server.ConnectAsync();
        Assert.StartsWith("220 ", await client.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.Equal("421 4.7.0 Bad helo", await client.CommandAsync("EHLO client.example"));
        await Assert.ThrowsAsync<EndOfStreamException>(client.ReadReplyAsync);
    }

    [Fact]
    public async Task ADiscardAtRcptIsAnsweredAsAcceptedAfterDataButNothingIsQueued()
    {
        await using var milter = new FakeMilter(respond: (code, _) => code == (byte)'R' ? [Packet('d')] : null);
        await using SmtpTestServer server = await StartAsync(milter);
        Assert.StartsWith("250 2.0.0 Ok: queued as ", await SendAsync(server), StringComparison.Ordinal);
        Assert.Empty(server.Submitter.Committed);
        await milter.EndedAsync();
        Assert.DoesNotContain('T', milter.Codes);
    }

    [Fact]
    public async Task TwoMessagesOnOneConnectionShareOneMilterConversationWithAbortBetween()
    {
        await using var milter = new FakeMilter();
        await using (SmtpTestServer server = await StartAsync(milter))
        {
            await using RawClient client = await ErrorPathTests.InTransaction(server);
            await client.CommandAsync("DATA");
            Assert.StartsWith("250 2.0.0", await client.RawAsync(Content), StringComparison.Ordinal);
            Assert.Equal("250 2.1.0 Ok", await client.CommandAsync("MAIL FROM:<a@remote.example>"));
            Assert.Equal("250 2.1.5 Ok", await client.CommandAsync("RCPT TO:<samt@example.org>"));
            await client.CommandAsync("DATA");
            Assert.StartsWith("250 2.0.0", await client.RawAsync(Content), StringComparison.Ordinal);
            Assert.Equal("221 2.0.0 Bye", await client.CommandAsync("QUIT"));
            await milter.EndedAsync();
        }

        string codes = new([.. milter.Codes.Where(c => c != 'D')]);
        Assert.Matches("^OCHMRTL+NBEAMRTL+NBEAQ$", codes);
    }

    [Fact]
    public async Task ARefusalAtDataAnswersTheDataCommandBeforeAnyContentIsRead()
    {
        await using var milter = new FakeMilter(respond: (code, _) => code == (byte)'T' ? [Packet('y', Z("554 5.7.1 No mail from you"))] : null);
        await using SmtpTestServer server = await StartAsync(milter);
        await using RawClient client = await ErrorPathTests.InTransaction(server);

        Assert.Equal("554 5.7.1 No mail from you", await client.CommandAsync("DATA"));
        Assert.Equal("250 2.0.0 Ok", await client.CommandAsync("RSET"));
        Assert.Equal("221 2.0.0 Bye", await client.CommandAsync("QUIT"));
        await milter.EndedAsync();

        Assert.Empty(server.Submitter.Committed);
        Assert.DoesNotContain('L', milter.Codes);
        Assert.Contains(server.Logs.Entries.Select(e => e.Message), l => l.Contains("milter-reject: DATA: 554 5.7.1 No mail from you", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheDataEventIsSentWhenTheClientSendsDataBeforeThe354()
    {
        await using var milter = new FakeMilter();
        await using SmtpTestServer server = await StartAsync(milter);
        await using RawClient client = await ErrorPathTests.InTransaction(server);

        Assert.StartsWith("354 ", await client.CommandAsync("DATA"), StringComparison.Ordinal);

        Assert.Contains('T', milter.Codes);
        Assert.DoesNotContain('L', milter.Codes);
        Assert.StartsWith("250 2.0.0", await client.RawAsync(Content), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARefusalAtTheFirstBdatAnswersThatChunkAndTheRestOfTheMessage()
    {
        await using var milter = new FakeMilter(respond: (code, _) => code == (byte)'T' ? [Packet('t')] : null);
        await using SmtpTestServer server = await StartAsync(milter);
        await using RawClient client = await ErrorPathTests.InTransaction(server);

        Assert.Equal("451 4.7.1 Service unavailable - try again later", await client.RawAsync("BDAT 12\r\nSubject: b\r\n"));
        Assert.Equal("451 4.7.1 Service unavailable - try again later", await client.RawAsync("BDAT 6 LAST\r\n\r\nhi\r\n"));
        Assert.Equal("250 2.1.0 Ok", await client.CommandAsync("MAIL FROM:<a@remote.example>"));

        Assert.Empty(server.Submitter.Committed);
    }

    [Fact]
    public async Task ADiscardAtDataIsAnsweredAsAcceptedAfterTheContentButNothingIsQueued()
    {
        await using var milter = new FakeMilter(respond: (code, _) => code == (byte)'T' ? [Packet('d')] : null);
        await using SmtpTestServer server = await StartAsync(milter);

        Assert.StartsWith("250 2.0.0 Ok: queued as ", await SendAsync(server), StringComparison.Ordinal);

        Assert.Empty(server.Submitter.Committed);
        await milter.EndedAsync();
        Assert.DoesNotContain('L', milter.Codes);
    }

    [Fact]
    public async Task AConnectRejectIsTheAnswerToVrfyAndStarttlsToo()
    {
        await using var milter = new FakeMilter(respond: (code, _) => code == (byte)'C' ? [Packet('r')] : null);
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(SmtpListenerRole.Mta, o =>
        {
            o.Milters.Add(new MilterSettings { Address = milter.Address });
            o.EnableVrfy = true;
        });
        await using RawClient client = await GreetedAfterRejectAsync(server);

        Assert.Equal("550 5.7.1 Command rejected", await client.CommandAsync("VRFY samt"));
        Assert.Equal("550 5.7.1 Command rejected", await client.CommandAsync("STARTTLS"));
        Assert.Equal("250 2.0.0 Ok", await client.CommandAsync("NOOP"));
    }

    [Fact]
    public async Task AConnectTempfailKeepsThe220Greeting()
    {
        await using var milter = new FakeMilter(respond: (code, _) => code == (byte)'C' ? [Packet('t')] : null);
        await using SmtpTestServer server = await StartAsync(milter);
        await using RawClient client = await ErrorPathTests.Greeted(server);

        Assert.Equal("451 4.7.1 Service unavailable - try again later", await client.CommandAsync("MAIL FROM:<a@remote.example>"));
    }

    [Fact]
    public async Task AHeloTempfailIsAnswered454ToAuthAndStarttlsAsPostfixDoes()
    {
        await using var milter = new FakeMilter(respond: (code, _) => code == (byte)'H' ? [Packet('t')] : null);
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(SmtpListenerRole.Mta, o =>
        {
            o.Milters.Add(new MilterSettings { Address = milter.Address });
            o.AllowPlaintextAuth = true;
            o.EnableVrfy = true;
        });
        await using RawClient client = await ErrorPathTests.Greeted(server);

        Assert.Equal("454 4.3.0 Try again later", await client.CommandAsync("AUTH PLAIN AHNhbXQAc2VjcmV0"));
        Assert.Equal("454 4.3.0 Try again later", await client.CommandAsync("STARTTLS"));
        Assert.Equal("451 4.7.1 Service unavailable - try again later", await client.CommandAsync("VRFY samt"));
        Assert.Equal("451 4.7.1 Service unavailable - try again later", await client.CommandAsync("MAIL FROM:<a@remote.example>"));
    }

    [Fact]
    public async Task WithoutARefusalAtConnectOrHeloVrfyAndStarttlsAreAnsweredAsUsual()
    {
        await using var milter = new FakeMilter();
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(SmtpListenerRole.Mta, o =>
        {
            o.Milters.Add(new MilterSettings { Address = milter.Address });
            o.EnableVrfy = true;
        });
        await using RawClient client = await ErrorPathTests.Greeted(server);

        Assert.Equal("252 2.0.0 samt", await client.CommandAsync("VRFY samt"));
        Assert.StartsWith("220 ", await client.CommandAsync("STARTTLS"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BeforeTlsAMiltersRefusalAnswersAuthAheadOfTheStarttlsRequirementAsInPostfix()
    {
        await using var rejecting = new FakeMilter(respond: (code, _) => code == (byte)'C' ? [Packet('r')] : null);
        await using var tempfailing = new FakeMilter(respond: (code, _) => code == (byte)'H' ? [Packet('t')] : null);
        await using SmtpTestServer rejected = await StartAsync(rejecting);
        await using SmtpTestServer deferred = await StartAsync(tempfailing);
        await using RawClient afterReject = await GreetedAfterRejectAsync(rejected);
        await using RawClient afterTempfail = await ErrorPathTests.Greeted(deferred);

        // Postfix's smtpd_sasl_auth_cmd asks the milters before it checks smtpd_tls_auth_only.
        Assert.Equal("550 5.7.1 Command rejected", await afterReject.CommandAsync("AUTH PLAIN AHNhbXQAc2VjcmV0"));
        Assert.Equal("454 4.3.0 Try again later", await afterTempfail.CommandAsync("AUTH PLAIN AHNhbXQAc2VjcmV0"));
    }

    [Fact]
    public async Task BeforeTlsWithoutAMiltersRefusalAuthIsAskedForStarttlsFirst()
    {
        await using var milter = new FakeMilter();
        await using SmtpTestServer server = await StartAsync(milter);
        await using RawClient client = await ErrorPathTests.Greeted(server);

        Assert.Equal("530 5.7.0 Must issue a STARTTLS command first", await client.CommandAsync("AUTH PLAIN AHNhbXQAc2VjcmV0"));
    }

    [Fact]
    public async Task VrfyChecksItsSyntaxBeforeTheMiltersRefusalAsPostfixDoes()
    {
        await using var milter = new FakeMilter(respond: (code, _) => code == (byte)'C' ? [Packet('r')] : null);
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(SmtpListenerRole.Mta, o =>
        {
            o.Milters.Add(new MilterSettings { Address = milter.Address });
            o.EnableVrfy = true;
        });
        await using RawClient client = await GreetedAfterRejectAsync(server);

        Assert.Equal("501 5.5.4 Syntax: VRFY address", await client.CommandAsync("VRFY"));
        Assert.Equal("550 5.7.1 Command rejected", await client.CommandAsync("VRFY samt"));
    }
}
