using System.Text;
using Mailroom.Core;
using Mailroom.Smtp.Tests.Support;

namespace Mailroom.Smtp.Tests.Integration;

public sealed class TlsAndAuthTests
{
    [Fact]
    public async Task PlaintextPipelinedAfterStartTlsIsDiscardedAndStateIsReset()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync();
        await using RawClient client = await ErrorPathTests.Greeted(server);
        await client.SendAsync("STARTTLS\r\nMAIL FROM:<evil@remote.example>\r\n");
        Assert.Equal("220 2.0.0 Ready to start TLS", await client.ReadReplyAsync());
        await client.StartTlsAsync();

        // RFC 3207 §4.2: the HELO is forgotten, and the injected MAIL was never executed.
        Assert.Equal("503 5.5.1 Error: send HELO/EHLO first", await client.CommandAsync("MAIL FROM:<a@remote.example>"));
        string ehlo = await client.CommandAsync("EHLO client.example");
        Assert.DoesNotContain("STARTTLS", ehlo, StringComparison.Ordinal);
        Assert.Contains("250-AUTH PLAIN LOGIN", ehlo, StringComparison.Ordinal);
        Assert.Equal("503 5.5.1 Error: need MAIL command", await client.CommandAsync("RCPT TO:<samt@example.org>"));
        Assert.Equal("554 5.5.1 Error: TLS already active", await client.CommandAsync("STARTTLS"));
    }

    [Fact]
    public async Task AuthIsNotOfferedBeforeTls()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(SmtpListenerRole.Submission);
        await using RawClient client = await ErrorPathTests.Connected(server);
        string ehlo = await client.CommandAsync("EHLO client.example");
        Assert.DoesNotContain("AUTH", ehlo, StringComparison.Ordinal);
        Assert.Contains("250-STARTTLS", ehlo, StringComparison.Ordinal);
        Assert.Equal("530 5.7.0 Must issue a STARTTLS command first", await client.CommandAsync("AUTH PLAIN " + Plain("samt@example.org", "secret")));
        Assert.Equal("530 5.7.0 Authentication required", await client.CommandAsync("MAIL FROM:<samt@example.org>"));
    }

    [Fact]
    public async Task SaslExchangesFollowRfc4954()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(SmtpListenerRole.Submission, o => o.AllowPlaintextAuth = true);
        await using (RawClient client = await ErrorPathTests.Greeted(server))
        {
            Assert.Equal("504 5.5.4 Unsupported authentication mechanism", await client.CommandAsync("AUTH CRAM-MD5"));
            Assert.Equal("334 ", await client.CommandAsync("AUTH PLAIN"));
            Assert.Equal("501 5.0.0 Authentication aborted", await client.CommandAsync("*"));
            Assert.Equal("334 VXNlcm5hbWU6", await client.CommandAsync("AUTH LOGIN"));
            Assert.Equal("501 5.5.2 Cannot Base64-decode Client responses", await client.CommandAsync("%%%"));
            Assert.Equal("334 ", await client.CommandAsync("AUTH PLAIN"));
            Assert.Equal("535 5.7.8 Error: authentication failed", await client.CommandAsync(Plain("samt@example.org", "wrong")));
            Assert.Equal("334 UGFzc3dvcmQ6", await client.CommandAsync("AUTH LOGIN " + B64("samt@example.org")));
            Assert.Equal("235 2.7.0 Authentication successful", await client.CommandAsync(B64("secret")));
            Assert.Equal("503 5.5.1 Error: already authenticated", await client.CommandAsync("AUTH PLAIN " + Plain("samt@example.org", "secret")));
            await client.CommandAsync("QUIT");
        }

        IReadOnlyList<string> log = await server.SmtpdLinesAfterDisconnectAsync();
        Assert.Contains("warning: localhost[127.0.0.1]: SASL PLAIN authentication failed: authentication failure", log);
        Assert.Equal("disconnect from localhost[127.0.0.1] ehlo=1 auth=1/6 quit=1 commands=3/8", log[^1]);
    }

    [Fact]
    public async Task BlockedClientIsRefusedAndDisconnected()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(
            SmtpListenerRole.Submission,
            o => o.AllowPlaintextAuth = true,
            net =>
            {
                net.AuthThrottle.FreeFailures = 10;
                net.AuthThrottle.BlockAfter = 1;
            });
        await using RawClient client = await ErrorPathTests.Greeted(server);
        Assert.Equal("535 5.7.8 Error: authentication failed", await client.CommandAsync("AUTH PLAIN " + Plain("samt@example.org", "wrong")));
        Assert.Equal("421 4.7.0 mx.example.org Error: too many authentication failures", await client.CommandAsync("AUTH PLAIN " + Plain("samt@example.org", "secret")));
        Assert.Null(await client.ReadLineAsync());
    }

    [Fact]
    public async Task MessageOverTlsCarriesTheCipherInItsTraceHeader()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync();
        await using (RawClient client = await ErrorPathTests.Greeted(server))
        {
            await client.CommandAsync("STARTTLS");
            await client.StartTlsAsync();
            await client.CommandAsync("EHLO client.example");
            await client.CommandAsync("MAIL FROM:<a@remote.example>");
            await client.CommandAsync("RCPT TO:<samt@example.org>");
            await client.CommandAsync("DATA");
            Assert.StartsWith("250 2.0.0 Ok", await client.RawAsync("Subject: t\r\n\r\n.\r\n"), StringComparison.Ordinal);
        }

        FakeSubmitter.FakeSubmission message = Assert.Single(server.Submitter.Committed);
        Assert.Equal("ESMTPS", message.Envelope.Protocol);
        Assert.Matches(@"^Received: from client\.example \(localhost \[127\.0\.0\.1\]\)\r\n\tby mx\.example\.org \(Mailroom\) with ESMTPS id \w+\r\n\t\(using TLSv1\.[23] with cipher \S+ \(\d+/\d+ bits\)\)\r\n\tfor <samt@example\.org>; ", message.Text);
    }

    internal static string Plain(string user, string password) => B64("\0" + user + "\0" + password);

    internal static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
