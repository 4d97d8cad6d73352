using Mailroom.Smtp.Tests.Support;

namespace Mailroom.Smtp.Tests.Integration;

public sealed class ErrorPathTests
{
    [Fact]
    public async Task LineOverLimitIsAnsweredAndSessionContinues()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(configure: o => o.MaxLineLength = 1000);
        await using RawClient client = await Greeted(server);
        Assert.Equal("500 5.5.2 Error: line too long", await client.CommandAsync("NOOP " + new string('x', 1000)));
        Assert.Equal("250 2.0.0 Ok", await client.CommandAsync("NOOP " + new string('x', 990)));
    }

    [Fact]
    public async Task ClientTextQuotedInARefusalHasItsControlCharactersReplaced()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync();
        await using RawClient client = await Greeted(server);
        Assert.Equal("555 5.5.4 Unsupported option: X=a?b?c", await client.CommandAsync("MAIL FROM:<a@example.net> X=a\rb\u0007c"));
        Assert.Equal("250 2.0.0 Ok", await client.CommandAsync("NOOP"));
    }

    [Theory]
    [InlineData("line one\nline two\r\n", "550 5.5.2 Error: bare <CR> or <LF> received")]
    [InlineData("line one\rline two\r\n", "550 5.5.2 Error: bare <CR> or <LF> received")]
    [InlineData("nul \0 here\r\n", "550 5.6.0 Error: message content contains NUL characters")]
    public async Task BadContentIsReadToTheEndThenRefused(string body, string reply)
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync();
        await using RawClient client = await InTransaction(server);
        Assert.Equal("354 End data with <CR><LF>.<CR><LF>", await client.CommandAsync("DATA"));
        Assert.Equal(reply, await client.RawAsync("Subject: x\r\n\r\n" + body + ".\r\n"));
        Assert.Equal("250 2.0.0 Ok", await client.CommandAsync("NOOP"));
        FakeSubmitter.FakeSubmission submission = Assert.Single(server.Submitter.Submissions);
        Assert.False(submission.Committed);
        Assert.True(submission.Disposed);
    }

    [Fact]
    public async Task BareLineEndingsAreNormalizedWhenConfigured()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(configure: o => o.BareLineEndings = BareLineEndingHandling.Normalize);
        await using RawClient client = await InTransaction(server);
        await client.CommandAsync("DATA");
        Assert.StartsWith("250 2.0.0 Ok: queued as", await client.RawAsync("Subject: x\n\nbody\r\n.\r\n"), StringComparison.Ordinal);
        Assert.EndsWith("\r\nSubject: x\r\n\r\nbody\r\n", Assert.Single(server.Submitter.Committed).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SmuggledEndOfDataIsContent()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(configure: o => o.BareLineEndings = BareLineEndingHandling.Normalize);
        await using RawClient client = await InTransaction(server);
        await client.CommandAsync("DATA");
        await client.SendAsync("Subject: x\r\n\r\nbody\n.\nMAIL FROM:<evil@remote.example>\r\nRCPT TO:<samt@example.org>\r\nDATA\r\n.\r\n");
        Assert.StartsWith("250 2.0.0 Ok: queued as", await client.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.Equal("221 2.0.0 Bye", await client.CommandAsync("QUIT"));
        Assert.Single(server.Submitter.Committed);
    }

    [Fact]
    public async Task OversizedMessageIsRefusedAfterItsEndWithoutBeingBuffered()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(configure: o => o.MaxMessageSize = 2000);
        server.Submitter.CountOnly = true;
        await using RawClient client = await Greeted(server);
        Assert.Equal("552 5.3.4 Message size exceeds fixed limit", await client.CommandAsync("MAIL FROM:<a@remote.example> SIZE=5000"));
        await client.CommandAsync("MAIL FROM:<a@remote.example> SIZE=1000");
        await client.CommandAsync("RCPT TO:<samt@example.org>");
        await client.CommandAsync("DATA");
        string line = new string('x', 998) + "\r\n";
        for (int i = 0; i < 200; i++)
        {
            await client.SendAsync(line);
        }

        Assert.Equal("552 5.3.4 Error: message file too big", await client.RawAsync(".\r\n"));
        FakeSubmitter.FakeSubmission submission = Assert.Single(server.Submitter.Submissions);
        Assert.False(submission.Committed);
        Assert.InRange(submission.BytesWritten, 0, 2000 + 1024);
    }

    [Theory]
    [InlineData("RCPT TO:<samt@example.org>", "503 5.5.1 Error: send HELO/EHLO first", false)]
    [InlineData("MAIL FROM:<a@remote.example>", "503 5.5.1 Error: send HELO/EHLO first", false)]
    [InlineData("RCPT TO:<samt@example.org>", "503 5.5.1 Error: need MAIL command", true)]
    [InlineData("DATA", "503 5.5.1 Error: need MAIL command", true)]
    [InlineData("AUTH PLAIN", "503 5.5.1 Error: send HELO/EHLO first", false)]
    [InlineData("FROB", "502 5.5.2 Error: command not recognized", true)]
    [InlineData("MAIL TO:<a@b.example>", "501 5.5.4 Syntax: MAIL FROM:<address>", true)]
    [InlineData("EHLO", "501 5.5.4 Syntax: EHLO hostname", true)]
    [InlineData("HELO a\u0001b", "501 5.5.4 Syntax: HELO hostname", false)]
    [InlineData("VRFY samt", "502 5.5.1 VRFY command is disabled", true)]
    [InlineData("AUTH PLAIN", "530 5.7.0 Must issue a STARTTLS command first", true)]
    public async Task CommandsOutOfSequenceOrMalformedAreRefused(string command, string reply, bool greet)
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync();
        await using RawClient client = greet ? await Greeted(server) : await Connected(server);
        Assert.Equal(reply, await client.CommandAsync(command));
    }

    [Fact]
    public async Task NestedMailAndDataWithoutValidRecipientsAreRefused()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync();
        await using RawClient client = await Greeted(server);
        await client.CommandAsync("MAIL FROM:<a@remote.example>");
        Assert.Equal("503 5.5.1 Error: nested MAIL command", await client.CommandAsync("MAIL FROM:<a@remote.example>"));
        Assert.Equal("503 5.5.1 Error: need RCPT command", await client.CommandAsync("DATA"));
        await client.CommandAsync("RCPT TO:<nobody@example.org>");
        Assert.Equal("554 5.5.1 Error: no valid recipients", await client.CommandAsync("DATA"));
        Assert.Equal("250 2.0.0 Ok", await client.CommandAsync("RSET"));
        Assert.Equal("250 2.1.0 Ok", await client.CommandAsync("MAIL FROM:<a@remote.example>"));
    }

    [Fact]
    public async Task TooManyErrorsEndTheSession()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(configure: o => o.MaxErrors = 3);
        await using (RawClient client = await Greeted(server))
        {
            await client.CommandAsync("RCPT TO:<samt@example.org>");
            await client.CommandAsync("RCPT TO:<samt@example.org>");
            Assert.Equal("503 5.5.1 Error: need MAIL command\n421 4.7.0 mx.example.org Error: too many errors", await client.CommandAsync("RCPT TO:<samt@example.org>") + "\n" + await client.ReadLineAsync());
            Assert.Null(await client.ReadLineAsync());
        }

        IReadOnlyList<string> log = await server.SmtpdLinesAfterDisconnectAsync();
        Assert.Equal(
            ["too many errors after RCPT from localhost[127.0.0.1]", "disconnect from localhost[127.0.0.1] ehlo=1 rcpt=0/3 commands=1/4"],
            log.Skip(1));
    }

    [Fact]
    public async Task IdleClientIsToldAndDisconnected()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(configure: o => o.IdleTimeout = TimeSpan.FromMilliseconds(300));
        await using (RawClient client = await Connected(server))
        {
            Assert.Equal("421 4.4.2 mx.example.org Error: timeout exceeded", await client.ReadLineAsync());
            Assert.Null(await client.ReadLineAsync());
        }

        Assert.Equal(
            ["connect from localhost[127.0.0.1]", "timeout after CONNECT from localhost[127.0.0.1]", "disconnect from localhost[127.0.0.1] commands=0"],
            await server.SmtpdLinesAfterDisconnectAsync());
    }

    [Fact]
    public async Task IdleClientDuringDataIsTimedOut()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(configure: o => o.IdleTimeout = TimeSpan.FromMilliseconds(300));
        await using RawClient client = await InTransaction(server);
        await client.CommandAsync("DATA");
        await client.SendAsync("Subject: half a message\r\n");
        Assert.Equal("421 4.4.2 mx.example.org Error: timeout exceeded", await client.ReadLineAsync());
        Assert.Contains("timeout after DATA from localhost[127.0.0.1]", await server.SmtpdLinesAfterDisconnectAsync());
        Assert.All(server.Submitter.Submissions, s => Assert.True(s.Disposed && !s.Committed));
    }

    [Fact]
    public async Task RelayIsDeniedToAnUntrustedClient()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(configure: o => o.TrustedNetworks.Clear());
        await using (RawClient client = await Greeted(server))
        {
            await client.CommandAsync("MAIL FROM:<samt@example.org>");
            Assert.Equal("554 5.7.1 <x@remote.example>: Relay access denied", await client.CommandAsync("RCPT TO:<x@remote.example>"));
            Assert.Equal("250 2.1.5 Ok", await client.CommandAsync("RCPT TO:<samt@example.org>"));
            await client.CommandAsync("QUIT");
        }

        Assert.Contains(
            "NOQUEUE: reject: RCPT from localhost[127.0.0.1]: 554 5.7.1 <x@remote.example>: Relay access denied; from=<samt@example.org> to=<x@remote.example> proto=ESMTP helo=<client.example>",
            await server.SmtpdLinesAfterDisconnectAsync());
    }

    [Fact]
    public async Task TrustedClientMayRelay()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync();
        await using RawClient client = await InTransaction(server, "x@remote.example");
        await client.CommandAsync("DATA");
        Assert.StartsWith("250 2.0.0 Ok", await client.RawAsync("\r\n.\r\n"), StringComparison.Ordinal);
        Assert.Equal(Mailroom.Core.RecipientRoute.Remote, Assert.Single(Assert.Single(server.Submitter.Committed).Envelope.Recipients).Route);
    }

    [Fact]
    public async Task DirectoryOutageIsATemporaryFailure()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync();
        server.Directory.Unavailable = true;
        await using RawClient client = await Greeted(server);
        await client.CommandAsync("MAIL FROM:<a@remote.example>");
        Assert.Equal("451 4.3.0 <samt@example.org>: Temporary lookup failure", await client.CommandAsync("RCPT TO:<samt@example.org>"));
    }

    [Fact]
    public async Task BarePostmasterIsTheHostsPostmaster()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync();
        server.Directory.Domains.Add("mx.example.org");
        server.Directory.Aliases["postmaster@mx.example.org"] = ["postmaster@example.org"];
        await using RawClient client = await Greeted(server);
        await client.CommandAsync("MAIL FROM:<a@remote.example>");
        Assert.Equal("250 2.1.5 Ok", await client.CommandAsync("RCPT TO:<Postmaster>"));
        await client.CommandAsync("DATA");
        await client.RawAsync("\r\n.\r\n");
        EnvelopeRecipientAssert(Assert.Single(Assert.Single(server.Submitter.Committed).Envelope.Recipients));
    }

    [Fact]
    public async Task QueueCommitFailureIsATemporaryError()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync();
        server.Submitter.FailCommit = true;
        await using RawClient client = await InTransaction(server);
        await client.CommandAsync("DATA");
        Assert.Equal("451 4.3.0 Error: queue file write error", await client.RawAsync("Subject: x\r\n\r\nb\r\n.\r\n"));
        Assert.True(Assert.Single(server.Submitter.Submissions).Disposed);
    }

    [Fact]
    public async Task QueueBeginFailureIsATemporaryError()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync();
        server.Submitter.FailBegin = true;
        await using RawClient client = await InTransaction(server);
        Assert.Equal("451 4.3.0 Error: queue file write error", await client.CommandAsync("DATA"));
    }

    [Fact]
    public async Task ClientLeavingDuringDataIsLoggedAsLostConnection()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync();
        await using (RawClient client = await InTransaction(server))
        {
            await client.CommandAsync("DATA");
            await client.SendAsync("Subject: x\r\n");
        }

        IReadOnlyList<string> log = await server.SmtpdLinesAfterDisconnectAsync();
        Assert.Equal("lost connection after DATA from localhost[127.0.0.1]", log[^2]);
        Assert.Equal("disconnect from localhost[127.0.0.1] ehlo=1 mail=1 rcpt=1 data=0/1 commands=3/4", log[^1]);
        Assert.All(server.Submitter.Submissions, s => Assert.True(s.Disposed && !s.Committed));
    }

    [Fact]
    public async Task ShutdownIsAnnounced()
    {
        SmtpTestServer server = await SmtpTestServer.StartAsync();
        try
        {
            await using RawClient client = await Greeted(server);
            await server.Host.StopAsync(CancellationToken.None);
            Assert.Equal("421 4.3.2 mx.example.org Service shutting down", await client.ReadLineAsync());
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task ConnectionsOverThePerAddressLimitAreRefused()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(
            configure: o => o.TrustedNetworks.Clear(),
            configureNet: o =>
            {
                o.MaxConnectionsPerIp = 1;
                o.ConnectionLimitExemptions.Clear();
            });
        await using RawClient first = await Connected(server);
        await using RawClient second = await server.ConnectAsync();
        Assert.Equal("421 4.7.0 mx.example.org Error: too many connections from 127.0.0.1", await second.ReadLineAsync());
    }

    [Fact]
    public async Task TrustedNetworksAreExemptFromThePerAddressLimitAsPostfixAnvilExemptsMynetworks()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(configureNet: o =>
        {
            o.MaxConnectionsPerIp = 1;
            o.ConnectionLimitExemptions.Clear();
        });
        await using RawClient first = await Connected(server);
        await using RawClient second = await Connected(server);
        Assert.Equal("250 2.0.0 Ok", await second.CommandAsync("NOOP"));
    }

    [Fact]
    public async Task VrfyAnswers252WhenEnabled()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(configure: o => o.EnableVrfy = true);
        await using RawClient client = await Connected(server);
        Assert.Contains("250-VRFY", await client.CommandAsync("EHLO c.example"), StringComparison.Ordinal);
        Assert.Equal("252 2.0.0 samt@example.org", await client.CommandAsync("VRFY samt@example.org"));
    }

    private static void EnvelopeRecipientAssert(Mailroom.Core.EnvelopeRecipient recipient)
    {
        Assert.Equal("postmaster@example.org", recipient.Address);
        Assert.Equal("Postmaster", recipient.OriginalAddress);
    }

    internal static async Task<RawClient> Connected(SmtpTestServer server)
    {
        RawClient client = await server.ConnectAsync();
        Assert.Equal("220 mx.example.org ESMTP Mailroom", await client.ReadLineAsync());
        return client;
    }

    internal static async Task<RawClient> Greeted(SmtpTestServer server)
    {
        RawClient client = await Connected(server);
        Assert.StartsWith("250-mx.example.org", await client.CommandAsync("EHLO client.example"), StringComparison.Ordinal);
        return client;
    }

    internal static async Task<RawClient> InTransaction(SmtpTestServer server, string recipient = "samt@example.org")
    {
        RawClient client = await Greeted(server);
        Assert.Equal("250 2.1.0 Ok", await client.CommandAsync("MAIL FROM:<a@remote.example>"));
        Assert.Equal("250 2.1.5 Ok", await client.CommandAsync($"RCPT TO:<{recipient}>"));
        return client;
    }
}
