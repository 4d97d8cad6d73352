using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Mailroom.Interop.Tests.Support;

namespace Mailroom.Interop.Tests;

/// <summary>
/// The seed guide's IMAP check against the real program: three messages sent over SMTP, then the classic
/// <c>a1 login</c> … <c>a5 logout</c> dialogue typed by hand on 143, inside STARTTLS and on 993 (both through
/// <c>openssl s_client</c>, as admins do it), and Dovecot's lines in the mail log.
/// </summary>
public sealed partial class ImapTranscriptTests : IAsyncLifetime
{
    private const string Charlie = "charlie@alpha.example.org";
    private const string Dialogue = "a1 login charlie@alpha.example.org charlie\na2 select inbox\na3 fetch 3 body[text]\na4 close\na5 logout\n";
    private MailroomServer? _server;

    private MailroomServer Server => _server!;

    public async ValueTask InitializeAsync()
    {
        _server = await MailroomServer.StartAsync(provision: async server =>
        {
            await server.AddDomainAsync("alpha.example.org");
            await server.AddUserAsync(Charlie, "charlie");
        });
        for (int i = 1; i <= 3; i++)
        {
            await SmtpDelivery.SendAsync(Server, "samt@example.org", Charlie, $"message {i}", $"Body of message {i}.", TestContext.Current.CancellationToken);
            await Eventually.WaitUntilAsync(() => Maildir.Messages(Server.DataDirectory, Charlie).Count == i, Maildir.DeliveryTimeout, $"message {i} delivered");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task TheClassicTelnetTranscriptReadsTheThirdMessage()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Server.Port("imap"), ct);
        using NetworkStream stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.Latin1);
        async Task<List<string>> Command(string tag, string line)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"{tag} {line}\r\n"), ct);
            var lines = new List<string>();
            string? reply;
            do
            {
                reply = await reader.ReadLineAsync(ct);
                Assert.NotNull(reply);
                lines.Add(reply);
            }
            while (!reply.StartsWith(tag + " ", StringComparison.Ordinal));

            return lines;
        }

        string? greeting = await reader.ReadLineAsync(ct);
        Assert.Matches(@"^\* OK \[CAPABILITY [^\]]*IMAP4rev1[^\]]*\] Mailroom ready\.$", greeting);

        Assert.StartsWith("a1 OK ", (await Command("a1", $"login {Charlie} charlie"))[^1], StringComparison.Ordinal);
        List<string> select = await Command("a2", "select inbox");
        Assert.Contains(@"* FLAGS (\Answered \Flagged \Deleted \Seen \Draft)", select);
        Assert.Contains(@"* OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft \*)] Flags permitted.", select);
        Assert.Contains("* 3 EXISTS", select);
        // The first session to select the mailbox sees the new messages as \Recent (RFC 3501 §2.3.2).
        Assert.Contains(select, l => l is "* 0 RECENT" or "* 3 RECENT");
        Assert.Contains("* OK [UNSEEN 1] First unseen.", select);
        Assert.Contains(select, l => UidValidity().IsMatch(l));
        Assert.Contains("* OK [UIDNEXT 4] Predicted next UID", select);
        Assert.Equal("a2 OK [READ-WRITE] Select completed.", select[^1]);

        List<string> fetch = await Command("a3", "fetch 3 body[text]");
        string expectedBody = "Body of message 3.\r\n";
        Assert.Equal($"* 3 FETCH (BODY[TEXT] {{{expectedBody.Length}}}", fetch[0]);
        Assert.Equal("Body of message 3.", fetch[1]);
        Assert.Equal("a3 OK Fetch completed.", fetch[^1]);

        Assert.Equal("a4 OK Close completed.", (await Command("a4", "close"))[^1]);
        List<string> logout = await Command("a5", "logout");
        Assert.Equal("* BYE Logging out", logout[0]);
        Assert.Equal("a5 OK Logout completed.", logout[^1]);

        await Server.WaitForMaillogLineAsync($@"imap-login: Login: user=<{Charlie}>, method=PLAIN, rip=127\.0\.0\.1, lip=127\.0\.0\.1, secured$");
        await Server.WaitForMaillogLineAsync($@"IMAP\({Charlie}\): Disconnected: Logged out in=\d+ out=\d+$");
    }

    [Theory]
    [InlineData("imap")]
    [InlineData("imaps")]
    public async Task TheTranscriptWorksInsideTlsThroughOpensslSClient(string listener)
    {
        List<string> arguments = ["s_client", "-connect", "127.0.0.1:" + Server.Port(listener).ToString(CultureInfo.InvariantCulture), "-crlf", "-quiet", "-ign_eof"];
        if (listener == "imap")
        {
            arguments.InsertRange(1, ["-starttls", "imap"]);
        }

        ProcessResult result = await ExternalTool.RunAsync("openssl", arguments, Dialogue);

        Assert.Contains("a2 OK [READ-WRITE] Select completed.", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("* 3 FETCH (BODY[TEXT] {20}", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("a4 OK Close completed.", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("a5 OK Logout completed.", result.StandardOutput, StringComparison.Ordinal);
        // Over TLS the login line says so, as Dovecot's does.
        await Server.WaitForMaillogLineAsync($@"imap-login: Login: user=<{Charlie}>, method=PLAIN, rip=127\.0\.0\.1, lip=127\.0\.0\.1, (TLS|secured)");
    }

    [GeneratedRegex(@"^\* OK \[UIDVALIDITY \d+\] UIDs valid$")]
    private static partial Regex UidValidity();
}
