using System.Globalization;
using System.Net.Sockets;
using System.Text;
using MailKit.Net.Pop3;
using MailKit.Security;
using Mailroom.Interop.Tests.Support;
using MimeKit;

namespace Mailroom.Interop.Tests;

/// <summary>
/// The seed guide's POP3 check against the real program: mail sent over SMTP is read back over POP3 — typed by
/// hand on the plain port, inside STLS and on 995 (through <c>openssl s_client</c>, as admins do it), and with MailKit
/// over STLS and implicit TLS — and the mail log has Dovecot's lines.
/// </summary>
public sealed class Pop3RoundTripTests : IAsyncLifetime
{
    private const string Charlie = "charlie@alpha.example.org";
    private MailroomServer? _server;

    private MailroomServer Server => _server!;

    public async ValueTask InitializeAsync()
    {
        _server = await MailroomServer.StartAsync(provision: async server =>
        {
            await server.AddDomainAsync("alpha.example.org");
            await server.AddUserAsync(Charlie, "charlie");
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task TheClassicTelnetTranscriptRetrievesWhatSmtpDelivered()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        for (int i = 1; i <= 3; i++)
        {
            await SendAsync($"message {i}", ct);
        }

        await Eventually.WaitUntilAsync(() => Maildir.Messages(Server.DataDirectory, Charlie).Count == 3, Maildir.DeliveryTimeout, "three delivered messages");
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Server.Port("pop3"), ct);
        using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.Latin1);
        async Task<string> Command(string line)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"), ct);
            return (await reader.ReadLineAsync(ct))!;
        }

        Assert.Equal("+OK Mailroom ready.", await reader.ReadLineAsync(ct));
        Assert.Equal("+OK", await Command($"user {Charlie}"));
        Assert.Equal("+OK Logged in.", await Command("pass charlie"));
        Assert.Equal("+OK 3 messages:", await Command("list"));
        var sizes = new List<int>();
        for (string? line = await reader.ReadLineAsync(ct); line != "."; line = await reader.ReadLineAsync(ct))
        {
            sizes.Add(int.Parse(line!.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(3, sizes.Count);
        Assert.Equal($"+OK {sizes[2]} octets", await Command("retr 3"));
        var message = new StringBuilder();
        for (string? line = await reader.ReadLineAsync(ct); line != "."; line = await reader.ReadLineAsync(ct))
        {
            message.Append(line).Append("\r\n");
        }

        // LIST's octet count is exactly what RETR sent (RFC 1939 §5).
        Assert.Equal(sizes[2], Encoding.Latin1.GetByteCount(message.ToString()));
        // The queue delivers concurrently, so which of the three is number 3 is not fixed.
        Assert.Contains("Subject: message ", message.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("Return-Path: <samt@example.org>", message.ToString(), StringComparison.Ordinal);
        Assert.Equal("+OK Logging out.", await Command("quit"));

        await Server.WaitForMaillogLineAsync($@"pop3-login: Login: user=<{Charlie}>, method=PLAIN, rip=127\.0\.0\.1, lip=127\.0\.0\.1, secured$");
        await Server.WaitForMaillogLineAsync($@"POP3\({Charlie}\): Disconnected: Logged out top=0/0, retr=1/{sizes[2]}, del=0/3, size={sizes.Sum()}$");
    }

    [Theory]
    [InlineData("pop3")]
    [InlineData("pop3s")]
    public async Task TheTranscriptWorksInsideTlsThroughOpensslSClient(string listener)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        for (int i = 1; i <= 3; i++)
        {
            await SendAsync($"message {i}", ct);
        }

        await Eventually.WaitUntilAsync(() => Maildir.Messages(Server.DataDirectory, Charlie).Count == 3, Maildir.DeliveryTimeout, "three delivered messages");
        List<string> arguments = ["s_client", "-connect", "127.0.0.1:" + Server.Port(listener).ToString(CultureInfo.InvariantCulture), "-crlf", "-quiet", "-ign_eof"];
        if (listener == "pop3")
        {
            arguments.InsertRange(1, ["-starttls", "pop3"]);
        }

        ProcessResult result = await ExternalTool.RunAsync("openssl", arguments, $"user {Charlie}\npass charlie\nlist\nretr 3\nquit\n");

        string output = result.StandardOutput;
        Assert.Contains("+OK Logged in.", output, StringComparison.Ordinal);
        Assert.Contains("+OK 3 messages:", output, StringComparison.Ordinal);
        Assert.Matches(@"\+OK \d+ octets\r?\nReturn-Path: <samt@example\.org>", output);
        Assert.Contains("Subject: message ", output, StringComparison.Ordinal);
        Assert.Contains("+OK Logging out.", output, StringComparison.Ordinal);
        // Over TLS the login line says so, as Dovecot's does.
        await Server.WaitForMaillogLineAsync($@"pop3-login: Login: user=<{Charlie}>, method=PLAIN, rip=127\.0\.0\.1, lip=127\.0\.0\.1, TLS$");
        await Server.WaitForMaillogLineAsync($@"POP3\({Charlie}\): Disconnected: Logged out top=0/0, retr=1/\d+, del=0/3, size=\d+$");
    }

    [Theory]
    [InlineData("pop3", SecureSocketOptions.StartTls)]
    [InlineData("pop3s", SecureSocketOptions.SslOnConnect)]
    public async Task MailKitRetrievesAndDeletesOverTls(string listener, SecureSocketOptions security)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string tag = SharedServer.NewTag(listener);
        await SendAsync(tag, ct);
        await Maildir.WaitForMessageAsync(Server.DataDirectory, Charlie, tag);

        using var client = new Pop3Client { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", Server.Port(listener), security, ct);
        Assert.True(client.IsSecure);
        await client.AuthenticateAsync(Charlie, "charlie", ct);
        int index = -1;
        for (int i = 0; i < client.Count && index < 0; i++)
        {
            MimeMessage candidate = await client.GetMessageAsync(i, ct);
            if (candidate.Subject == tag)
            {
                index = i;
            }
        }

        Assert.True(index >= 0, $"message {tag} not found over {listener}");
        await client.DeleteMessageAsync(index, ct);
        await client.DisconnectAsync(quit: true, ct);
        await Eventually.WaitUntilAsync(
            () => Maildir.Messages(Server.DataDirectory, Charlie).All(path => !File.ReadAllText(path).Contains(tag, StringComparison.Ordinal)),
            Maildir.DeliveryTimeout,
            "the deleted message gone from the Maildir");
    }

    private async Task SendAsync(string subject, CancellationToken ct)
    {
        (RawSmtpConnection smtp, _) = await RawSmtpConnection.ConnectAsync(Server.SmtpPort, ct);
        await using (smtp)
        {
            await smtp.CommandAsync("EHLO example.org", ct);
            await smtp.CommandAsync("MAIL FROM:<samt@example.org>", ct);
            Assert.StartsWith("250", (await smtp.CommandAsync($"RCPT TO:<{Charlie}>", ct))[^1], StringComparison.Ordinal);
            await smtp.CommandAsync("DATA", ct);
            IReadOnlyList<string> reply = await smtp.CommandAsync($"Subject: {subject}\r\n\r\n{subject}\r\n.", ct);
            Assert.StartsWith("250 2.0.0 Ok: queued as", reply[^1], StringComparison.Ordinal);
            await smtp.CommandAsync("QUIT", ct);
        }
    }
}
