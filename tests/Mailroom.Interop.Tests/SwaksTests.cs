using Mailroom.Interop.Tests.Support;

namespace Mailroom.Interop.Tests;

/// <summary>swaks, the Swiss army knife admins test SMTP servers with, in its three usual modes.</summary>
public sealed class SwaksTests(SharedServer shared)
{
    private readonly MailroomServer _server = shared.Server;

    [Fact]
    public Task PlainSmtpToALocalUserIsDelivered()
        => SendAndExpectDeliveryAsync(_server.SmtpPort, SharedServer.Samt, []);

    [Fact]
    public Task SubmissionWithStarttlsAndAuthPlainIsDelivered()
        => SendAndExpectDeliveryAsync(
            _server.SubmissionPort,
            SharedServer.Alice,
            ["--tls", "--auth", "PLAIN", "--auth-user", SharedServer.Alice, "--auth-password", MailroomServer.Password]);

    [Fact]
    public Task SmtpsWithImplicitTlsAndAuthLoginIsDelivered()
        => SendAndExpectDeliveryAsync(
            _server.SmtpsPort,
            SharedServer.Alice,
            ["--tls-on-connect", "--auth", "LOGIN", "--auth-user", SharedServer.Alice, "--auth-password", MailroomServer.Password]);

    private async Task SendAndExpectDeliveryAsync(int port, string from, string[] options)
    {
        string tag = SharedServer.NewTag("swaks");
        ProcessResult result = await ExternalTool.RunAsync("swaks",
        [
            "--server", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--helo", "client.example.org", "--from", from, "--to", SharedServer.Samt,
            "--header", $"X-Tag: {tag}", "--body", $"swaks body {tag}", "--timeout", "15",
            .. options,
        ]);

        Assert.True(result.ExitCode == 0, $"swaks failed: {result}");
        // swaks marks server lines "<-" in plaintext and "<~" inside TLS.
        Assert.Matches(@"(?m)^<[-~]  250 2\.0\.0 Ok: queued as [0-9A-F]+$", result.StandardOutput);
        byte[] delivered = await Maildir.WaitForMessageAsync(_server.DataDirectory, SharedServer.Samt, $"X-Tag: {tag}");
        Assert.Contains($"swaks body {tag}", System.Text.Encoding.ASCII.GetString(delivered), StringComparison.Ordinal);
    }
}
