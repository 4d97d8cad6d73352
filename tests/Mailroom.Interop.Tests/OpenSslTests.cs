using System.Globalization;
using Mailroom.Interop.Tests.Support;

namespace Mailroom.Interop.Tests;

/// <summary><c>openssl s_client</c>: how admins look at a mail server's TLS by hand.</summary>
public sealed class OpenSslTests(SharedServer shared)
{
    private const string Dialogue = "EHLO client.example.org\nQUIT\n";

    private readonly MailroomServer _server = shared.Server;

    private string Address(int port) => "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task StarttlsSmtpOnSubmissionAnswersEhloInsideTls()
    {
        // -starttls smtp does the plaintext EHLO and STARTTLS itself; what we type is the dialogue inside TLS.
        ProcessResult result = await ExternalTool.RunAsync("openssl",
            ["s_client", "-starttls", "smtp", "-connect", Address(_server.SubmissionPort), "-crlf", "-quiet"], Dialogue);

        Assert.Contains($"250-{MailroomServer.HostName}", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("250-AUTH ", result.StandardOutput.Replace("250 AUTH", "250-AUTH", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("221 2.0.0 Bye", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImplicitTlsOnSmtpsGreetsAndAnswersEhlo()
    {
        ProcessResult result = await ExternalTool.RunAsync("openssl",
            ["s_client", "-connect", Address(_server.SmtpsPort), "-crlf", "-quiet"], Dialogue);

        Assert.Contains($"220 {MailroomServer.HostName} ESMTP Mailroom", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"250-{MailroomServer.HostName}", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("221 2.0.0 Bye", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuitEndsTheTlsSessionWithCloseNotify()
    {
        // RFC 8446 §6.1: each party sends close_notify before closing its write side; OpenSSL 3 reports a bare
        // TCP close as "unexpected eof while reading" and s_client exits 1.
        ProcessResult result = await ExternalTool.RunAsync("openssl",
            ["s_client", "-connect", Address(_server.SmtpsPort), "-crlf", "-quiet"], Dialogue);

        Assert.Contains("221 2.0.0 Bye", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected eof", result.StandardError, StringComparison.OrdinalIgnoreCase);
        Assert.True(result.ExitCode == 0, $"openssl s_client failed: {result}");
    }

    [Fact]
    public async Task Tls10HandshakeIsRefused()
    {
        // OpenSSL 3 refuses TLS 1.0 itself at the default security level; level 0 lets the client at least offer it.
        ProcessResult result = await ExternalTool.RunAsync("openssl",
            ["s_client", "-connect", Address(_server.SmtpsPort), "-tls1", "-cipher", "DEFAULT@SECLEVEL=0", "-crlf"], Dialogue);

        if (result.StandardError.Contains("no protocols available", StringComparison.OrdinalIgnoreCase) ||
            result.StandardError.Contains("unknown option", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Skip("this openssl cannot offer TLS 1.0 at all, so the server's refusal cannot be observed");
        }

        Assert.True(result.ExitCode != 0, $"a TLS 1.0 handshake succeeded: {result}");
        Assert.DoesNotContain("220 ", result.StandardOutput, StringComparison.Ordinal);
    }
}
