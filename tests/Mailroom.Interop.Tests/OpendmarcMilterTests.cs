using System.Text;
using Mailroom.Interop.Tests.Support;

namespace Mailroom.Interop.Tests;

/// <summary>
/// OpenDMARC, Debian's, as the checking milter on port 25, against a test zone served by dnsmasq in OpenDMARC's own
/// network namespace (it only uses the system resolver) and reached through a unix socket: a message failing DMARC
/// with p=reject is refused with OpenDMARC's reply, a passing one is delivered with OpenDMARC's Authentication-Results.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class OpendmarcMilterTests : IDisposable
{
    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("mailroom-opendmarc-").FullName;

    public void Dispose() => System.IO.Directory.Delete(_directory, recursive: true);

    private static string Message(string from, string subject) =>
        $"From: <{from}>\r\nTo: bob@example.org\r\nSubject: {subject}\r\nDate: Sun, 6 Dec 2026 03:00:00 +0000\r\nMessage-ID: <{Guid.NewGuid():N}@example.net>\r\n\r\nHello.\r\n";

    [Fact]
    public async Task AMessageFailingDmarcRejectIsRefusedAndAPassingOneGetsOpendmarcsAuthenticationResults()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string opendmarcPath = ExternalTool.Require("opendmarc");
        await using TestDnsServer dns = new TestDnsServer()
            .Txt("_dmarc.reject.test", "v=DMARC1; p=reject")
            .Txt("reject.test", "v=spf1 -all")
            .Txt("_dmarc.pass.test", "v=DMARC1; p=reject")
            .Txt("pass.test", "v=spf1 ip4:127.0.0.2 -all");

        // OpenDMARC ignores 127.0.0.1 unless told otherwise; SPF it checks itself (no SPF header to trust here), and
        // that check passes a loopback client whatever the record says, so alignment is what fails the forged message.
        string ignored = Path.Combine(_directory, "ignore.hosts");
        await File.WriteAllTextAsync(ignored, "192.0.2.255\n", ct);
        // Mailroom drops to its service user: the socket (UMask 000) must be reachable through its directory.
        File.SetUnixFileMode(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        string socket = Path.Combine(_directory, "opendmarc.sock");
        string config = Path.Combine(_directory, "opendmarc.conf");
        await File.WriteAllTextAsync(config, $"""
            Socket local:{socket}
            AuthservID mailroom-test
            IgnoreHosts {ignored}
            RejectFailures true
            SPFSelfValidate true
            SPFIgnoreResults true
            FailureReports false
            PidFile {_directory}/opendmarc.pid
            UMask 000
            Syslog false
            """, ct);
        (string tool, string[] arguments) = dns.Isolated($"{opendmarcPath} -f -c {config}");
        await using DaemonProcess opendmarc = await DaemonProcess.StartAsync(tool, arguments, socket, TimeSpan.FromSeconds(60));

        await using MailroomServer server = await MailroomServer.StartAsync(
            [$"Smtp:Milters:0:Address=unix:{socket}"],
            async s =>
            {
                await s.AddDomainAsync("example.org");
                await s.AddUserAsync("bob@example.org");
            });

        // A From of reject.test sent with another domain's envelope sender: SPF cannot align, no DKIM, so DMARC fails.
        string refused = await SendAsync(server.SmtpPort, "bounce@other.test", Message("ann@reject.test", "forged"), ct);
        if (refused != "550 5.7.1 rejected by DMARC policy for reject.test")
        {
            string passed = Encoding.UTF8.GetString(await Maildir.WaitForMessageAsync(server.DataDirectory, "bob@example.org", "Subject: forged", TimeSpan.FromSeconds(60)));
            Assert.Fail($"{refused}\ndelivered:\n{passed}\nopendmarc said:\n{opendmarc.Output}");
        }

        await server.WaitForMaillogLineAsync(@"milter-reject: END-OF-MESSAGE: 550 5\.7\.1 rejected by DMARC policy for reject\.test; milter=unix:");

        string accepted = await SendAsync(server.SmtpPort, "ann@pass.test", Message("ann@pass.test", "genuine"), ct);
        Assert.StartsWith("250 2.0.0", accepted, StringComparison.Ordinal);
        string delivered = Encoding.UTF8.GetString(await Maildir.WaitForMessageAsync(server.DataDirectory, "bob@example.org", "Subject: genuine", TimeSpan.FromSeconds(60)));
        Assert.Contains("Authentication-Results: mailroom-test; dmarc=pass (p=reject dis=none) header.from=pass.test", delivered, StringComparison.Ordinal);
        Assert.Single(Maildir.Messages(server.DataDirectory, "bob@example.org"));
    }

    /// <summary>One transaction on port 25 from 127.0.0.2; the reply to the end of DATA.</summary>
    private static async Task<string> SendAsync(int port, string sender, string message, CancellationToken ct)
    {
        (RawSmtpConnection smtp, _) = await RawSmtpConnection.ConnectAsync(port, System.Net.IPAddress.Parse("127.0.0.2"), ct);
        await using (smtp)
        {
            await smtp.CommandAsync("EHLO client.example.net", ct);
            Assert.StartsWith("250", (await smtp.CommandAsync($"MAIL FROM:<{sender}>", ct))[^1], StringComparison.Ordinal);
            Assert.StartsWith("250", (await smtp.CommandAsync("RCPT TO:<bob@example.org>", ct))[^1], StringComparison.Ordinal);
            Assert.StartsWith("354", (await smtp.CommandAsync("DATA", ct))[^1], StringComparison.Ordinal);
            string reply = (await smtp.CommandAsync(message.TrimEnd('\r', '\n') + "\r\n.", ct))[^1];
            await smtp.CommandAsync("QUIT", ct);
            return reply;
        }
    }
}
