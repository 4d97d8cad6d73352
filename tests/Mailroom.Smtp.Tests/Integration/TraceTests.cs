using Mailroom.Smtp.Tests.Support;
using Mailroom.Testing;

namespace Mailroom.Smtp.Tests.Integration;

public sealed class TraceTests
{
    private const string Body = "Subject: hello\r\n\r\nthe body stays out of the trace\r\n";

    [Fact]
    public async Task ATracedAddressGetsEveryLineBothWaysAfterTlsWithSecretsRedactedAndTheBodySummarised()
    {
        using var trace = new TraceFolder("127.0.0.0/8");
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(SmtpListenerRole.Submission, tracer: trace.Tracer);
        await using (RawClient client = await ErrorPathTests.Greeted(server))
        {
            Assert.Equal("220 2.0.0 Ready to start TLS", await client.CommandAsync("STARTTLS"));
            await client.StartTlsAsync();
            await client.CommandAsync("EHLO client.example");
            Assert.Equal("334 UGFzc3dvcmQ6", await client.CommandAsync("AUTH LOGIN " + TlsAndAuthTests.B64("samt@example.org")));
            Assert.Equal("235 2.7.0 Authentication successful", await client.CommandAsync(TlsAndAuthTests.B64("secret")));
            await client.CommandAsync("MAIL FROM:<samt@example.org>");
            await client.CommandAsync("RCPT TO:<samt@example.org>");
            Assert.StartsWith("354 ", await client.CommandAsync("DATA"), StringComparison.Ordinal);
            Assert.StartsWith("250 2.0.0 Ok: queued as ", await client.CommandAsync(Body + "."), StringComparison.Ordinal);
            await client.CommandAsync("QUIT");
        }

        string transcript = await trace.FinishedTranscriptAsync();
        string[] lines = TraceFolder.Lines(transcript);
        Assert.StartsWith("# smtp session ", lines[0], StringComparison.Ordinal);
        Assert.Equal("S: 220 mx.example.org ESMTP Mailroom", lines[1]);
        Assert.Equal("C: EHLO client.example", lines[2]);
        Assert.Contains("C: STARTTLS", lines);
        Assert.Contains(lines, l => l.StartsWith("# TLS started: TLSv1.", StringComparison.Ordinal));
        int tls = Array.FindIndex(lines, l => l.StartsWith("# TLS started", StringComparison.Ordinal));
        Assert.Equal("C: EHLO client.example", lines[tls + 1]);
        Assert.Contains("S: 250-AUTH PLAIN LOGIN", lines);
        Assert.Contains("C: AUTH LOGIN <redacted>", lines);
        Assert.Contains("S: 334 UGFzc3dvcmQ6", lines);
        Assert.Contains("C: <redacted>", lines);
        Assert.Contains("# logged in as samt@example.org", lines);
        Assert.Contains("C: MAIL FROM:<samt@example.org>", lines);
        Assert.Contains($"C: <message body: {Body.Length} bytes>", lines);
        Assert.Contains("C: QUIT", lines);
        Assert.Equal("# connection closed", lines[^1]);
        Assert.DoesNotContain(TlsAndAuthTests.B64("secret"), transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(TlsAndAuthTests.B64("samt@example.org"), transcript, StringComparison.Ordinal);
        Assert.DoesNotContain("the body stays out", transcript, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(trace.Files[0]));
        }
    }

    [Fact]
    public async Task ATracedUserIsTracedFromLoginOnWithTheInitialResponseRedacted()
    {
        using var trace = new TraceFolder("samt@example.org");
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(SmtpListenerRole.Submission, o => o.AllowPlaintextAuth = true, tracer: trace.Tracer);
        await using (RawClient client = await ErrorPathTests.Greeted(server))
        {
            Assert.Equal("235 2.7.0 Authentication successful", await client.CommandAsync("AUTH PLAIN " + TlsAndAuthTests.Plain("samt@example.org", "secret")));
            await client.CommandAsync("NOOP");
            await client.CommandAsync("QUIT");
        }

        string[] lines = TraceFolder.Lines(await trace.FinishedTranscriptAsync());
        Assert.Contains("traced for user samt@example.org", lines[0], StringComparison.Ordinal);
        Assert.Equal(["S: 235 2.7.0 Authentication successful", "C: NOOP", "S: 250 2.0.0 Ok", "C: QUIT", "S: 221 2.0.0 Bye", "# connection closed"], lines[1..]);
    }

    [Fact]
    public async Task AnAuthPlainInitialResponseIsRedactedInATracedSession()
    {
        using var trace = new TraceFolder("127.0.0.1");
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(SmtpListenerRole.Submission, o => o.AllowPlaintextAuth = true, tracer: trace.Tracer);
        await using (RawClient client = await ErrorPathTests.Greeted(server))
        {
            await client.CommandAsync("AUTH PLAIN " + TlsAndAuthTests.Plain("samt@example.org", "wrong"));
            Assert.Equal("334 ", await client.CommandAsync("AUTH PLAIN"));
            await client.CommandAsync(TlsAndAuthTests.Plain("samt@example.org", "secret"));
            await client.CommandAsync("QUIT");
        }

        string transcript = await trace.FinishedTranscriptAsync();
        string[] lines = TraceFolder.Lines(transcript);
        Assert.Contains("C: AUTH PLAIN <redacted>", lines);
        Assert.Contains("C: AUTH PLAIN", lines);
        Assert.Contains("C: <redacted>", lines);
        Assert.DoesNotContain(TlsAndAuthTests.Plain("samt@example.org", "secret"), transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(TlsAndAuthTests.Plain("samt@example.org", "wrong"), transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASessionFromAnotherAddressOrUserWritesNoTrace()
    {
        using var trace = new TraceFolder("192.0.2.0/24", "ann@example.org");
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(SmtpListenerRole.Submission, o => o.AllowPlaintextAuth = true, tracer: trace.Tracer);
        await using (RawClient client = await ErrorPathTests.Greeted(server))
        {
            Assert.Equal("235 2.7.0 Authentication successful", await client.CommandAsync("AUTH PLAIN " + TlsAndAuthTests.Plain("samt@example.org", "secret")));
            await client.CommandAsync("QUIT");
        }

        await server.SmtpdLinesAfterDisconnectAsync();
        Assert.Empty(trace.Files);
    }
}
