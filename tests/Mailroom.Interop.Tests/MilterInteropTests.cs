using System.Net;
using System.Net.Sockets;
using System.Text;
using Mailroom.Interop.Tests.Support;

namespace Mailroom.Interop.Tests;

/// <summary>
/// rspamd, Debian's, as the port-25 milter: GTUBE is refused with rspamd's reply, a clean message is delivered with the
/// header rspamd adds, and a message rspamd marks as spam (its add-header action) lands in the recipient's Junk folder.
/// </summary>
public sealed class RspamdMilterTests(RspamdMilter rspamd) : IClassFixture<RspamdMilter>
{
    private const string Gtube = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

    private Task<MailroomServer> StartAsync() => MailroomServer.StartAsync(
        [$"Smtp:Milters:0:Address={rspamd.Address}", "Smtp:Milters:0:DefaultAction=Tempfail"],
        async s =>
        {
            await s.AddDomainAsync("example.org");
            await s.AddUserAsync("bob@example.org");
        });

    private static string Message(string subject, string body) =>
        $"From: Ann <ann@example.net>\r\nTo: bob@example.org\r\nSubject: {subject}\r\nDate: Sun, 6 Dec 2026 03:00:00 +0000\r\nMessage-ID: <{Guid.NewGuid():N}@example.net>\r\n\r\n{body}\r\n";

    [Fact]
    public async Task GtubeIsRefusedWithRspamdsReplyAndNothingIsQueued()
    {
        await using MailroomServer server = await StartAsync();
        string reply = await MilterSmtp.SendAsync(server.SmtpPort, "ann@example.net", "bob@example.org", Message("offer", Gtube), TestContext.Current.CancellationToken);
        Assert.Matches(@"^5\d\d 5\.7\.1 ", reply);
        await server.WaitForMaillogLineAsync(@"milter-reject: .*milter=inet:127\.0\.0\.1");
        Assert.Empty(Maildir.Messages(server.DataDirectory, "bob@example.org"));
    }

    [Fact]
    public async Task ACleanMessageIsDeliveredWithRspamdsHeader()
    {
        await using MailroomServer server = await StartAsync();
        string reply = await MilterSmtp.SendAsync(server.SmtpPort, "ann@example.net", "bob@example.org", Message("lunch", "Shall we meet at noon?"), TestContext.Current.CancellationToken);
        Assert.StartsWith("250 2.0.0", reply, StringComparison.Ordinal);
        string delivered = Encoding.UTF8.GetString(await Maildir.WaitForMessageAsync(server.DataDirectory, "bob@example.org", "Subject: lunch", TimeSpan.FromSeconds(60)));
        Assert.Contains("X-Spamd-Result: default: False", delivered, StringComparison.Ordinal);
        Assert.Contains("Shall we meet at noon?", delivered, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMessageRspamdMarksAsSpamGoesToJunk()
    {
        await using MailroomServer server = await StartAsync();
        string reply = await MilterSmtp.SendAsync(server.SmtpPort, "ann@example.net", "bob@example.org", Message(RspamdMilter.JunkSubject, "Cheap offer."), TestContext.Current.CancellationToken);
        Assert.StartsWith("250 2.0.0", reply, StringComparison.Ordinal);
        string junk = Path.Combine(Maildir.PathOf(server.DataDirectory, "bob@example.org"), ".Junk");
        string path = await Eventually.WaitForAsync(
            () => new[] { "new", "cur" }.Select(d => Path.Combine(junk, d)).Where(System.IO.Directory.Exists).SelectMany(System.IO.Directory.EnumerateFiles).FirstOrDefault(),
            TimeSpan.FromSeconds(60), "the spam in Junk");
        string filed = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
        Assert.Contains("X-Spam: Yes", filed, StringComparison.Ordinal);
        Assert.Empty(Maildir.Messages(server.DataDirectory, "bob@example.org"));
    }
}

/// <summary>A milter that accepts the connection and never answers: the default action applies at its deadline.</summary>
public sealed class UnresponsiveMilterTests
{
    [Theory]
    [InlineData("Tempfail", "451 4.7.1 ")]
    [InlineData("Reject", "550 5.7.1 ")]
    public async Task TheDefaultActionRefusesEveryMailOfTheSessionAndNothingIsQueued(string action, string expected)
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        await using MailroomServer server = await StartAsync(silent, action);

        // The milter fails at connect (negotiation times out): as in Postfix, EHLO is answered as usual and the default
        // action answers MAIL FROM; Postfix's greeting is 554 "not accepting connections" when that is a reject.
        (RawSmtpConnection smtp, IReadOnlyList<string> greeting) = await RawSmtpConnection.ConnectAsync(server.SmtpPort, TestContext.Current.CancellationToken);
        await using (smtp)
        {
            Assert.StartsWith(action == "Reject" ? "554 " : "220 ", greeting[^1], StringComparison.Ordinal);
            Assert.StartsWith("250", (await smtp.CommandAsync("EHLO client.example.net", TestContext.Current.CancellationToken))[^1], StringComparison.Ordinal);
            Assert.StartsWith(expected, (await smtp.CommandAsync("MAIL FROM:<ann@example.net>", TestContext.Current.CancellationToken))[^1], StringComparison.Ordinal);
            Assert.StartsWith(expected, (await smtp.CommandAsync("MAIL FROM:<ann@example.net>", TestContext.Current.CancellationToken))[^1], StringComparison.Ordinal);
        }

        await server.WaitForMaillogLineAsync(@"milter inet:127\.0\.0\.1:\d+: timeout; default action " + action);
        Assert.Empty(System.IO.Directory.EnumerateFiles(Path.Combine(server.QueueDirectory, "incoming")));
    }

    [Fact]
    public async Task WithDefaultActionAcceptTheAcknowledgedMessageIsDelivered()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        await using MailroomServer server = await StartAsync(silent, "Accept");
        string reply = await MilterSmtp.SendAsync(server.SmtpPort, "ann@example.net", "bob@example.org", "Subject: kept\r\n\r\nStill delivered.\r\n", TestContext.Current.CancellationToken);
        Assert.StartsWith("250 2.0.0", reply, StringComparison.Ordinal);
        await Maildir.WaitForMessageAsync(server.DataDirectory, "bob@example.org", "Still delivered.", TimeSpan.FromSeconds(60));
    }

    private static Task<MailroomServer> StartAsync(TcpListener silent, string action) => MailroomServer.StartAsync(
        [$"Smtp:Milters:0:Address=inet:127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}", $"Smtp:Milters:0:DefaultAction={action}",
            "Smtp:Milters:0:ConnectTimeout=00:00:02", "Smtp:Milters:0:CommandTimeout=00:00:02", "Smtp:Milters:0:ContentTimeout=00:00:02"],
        async s =>
        {
            await s.AddDomainAsync("example.org");
            await s.AddUserAsync("bob@example.org");
        });
}

/// <summary>One SMTP transaction on port 25 from loopback; returns the reply to the end of DATA.</summary>
internal static class MilterSmtp
{
    public static async Task<string> SendAsync(int port, string sender, string recipient, string message, CancellationToken ct)
    {
        (RawSmtpConnection smtp, _) = await RawSmtpConnection.ConnectAsync(port, ct);
        await using (smtp)
        {
            await smtp.CommandAsync("EHLO client.example.net", ct);
            Assert.StartsWith("250", (await smtp.CommandAsync($"MAIL FROM:<{sender}>", ct))[^1], StringComparison.Ordinal);
            Assert.StartsWith("250", (await smtp.CommandAsync($"RCPT TO:<{recipient}>", ct))[^1], StringComparison.Ordinal);
            Assert.StartsWith("354", (await smtp.CommandAsync("DATA", ct))[^1], StringComparison.Ordinal);
            string reply = (await smtp.CommandAsync(message.TrimEnd('\r', '\n') + "\r\n.", ct))[^1];
            await smtp.CommandAsync("QUIT", ct);
            return reply;
        }
    }
}
