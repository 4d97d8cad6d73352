using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Mailroom.Imap.Tests.Server.Support;

namespace Mailroom.Imap.Tests.Server;

public sealed class MailKitSessionTests
{
    [Theory]
    [InlineData(SecureSocketOptions.None, ", secured")]
    [InlineData(SecureSocketOptions.StartTls, ", TLS")]
    [InlineData(SecureSocketOptions.SslOnConnect, ", TLS")]
    public async Task MailKitLogsInWithAuthenticatePlainOnEveryTransport(SecureSocketOptions security, string note)
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        CancellationToken ct = TestContext.Current.CancellationToken;
        using (ImapClient client = await server.ConnectMailKitAsync(security, login: false))
        {
            Assert.Contains("PLAIN", client.AuthenticationMechanisms);
            Assert.Equal(security != SecureSocketOptions.None, client.IsSecure);
            await client.AuthenticateAsync(ImapTestServer.Charlie, "charlie", ct);
            ImapCapabilities expected = ImapCapabilities.IMAP4rev1 | ImapCapabilities.IMAP4rev2 | ImapCapabilities.SaslIR
                | ImapCapabilities.LiteralPlus | ImapCapabilities.Id | ImapCapabilities.Enable | ImapCapabilities.Idle
                | ImapCapabilities.Namespace | ImapCapabilities.Unselect | ImapCapabilities.UidPlus | ImapCapabilities.Move
                | ImapCapabilities.SpecialUse | ImapCapabilities.Children | ImapCapabilities.ListExtended
                | ImapCapabilities.ListStatus | ImapCapabilities.ESearch | ImapCapabilities.CondStore | ImapCapabilities.Binary;
            Assert.Equal(expected, client.Capabilities & expected);
            await client.Inbox.OpenAsync(FolderAccess.ReadOnly, ct);
            await client.DisconnectAsync(quit: true, ct);
        }

        IReadOnlyList<string> log = await server.LinesAfterDisconnectAsync();
        Assert.Equal("imap-login: Login: user=<charlie@alpha.example.org>, method=PLAIN, rip=127.0.0.1, lip=127.0.0.1" + note, log[0]);
        Assert.StartsWith("IMAP(charlie@alpha.example.org): Disconnected: Logged out in=", log[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongPasswordIsAnAuthenticationFailureAndLogged()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        CancellationToken ct = TestContext.Current.CancellationToken;
        using (ImapClient client = await server.ConnectMailKitAsync(login: false))
        {
            await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync(ImapTestServer.Charlie, "wrong", ct));
        }

        // MailKit tries AUTHENTICATE PLAIN, then falls back to LOGIN: two attempts.
        IReadOnlyList<string> log = await server.LinesAfterDisconnectAsync();
        Assert.Matches(
            @"^imap-login: Disconnected \(auth failed, 2 attempts in \d+ secs\): user=<charlie@alpha\.example\.org>, method=PLAIN, rip=127\.0\.0\.1, lip=127\.0\.0\.1, secured$",
            Assert.Single(log));
    }

    [Fact]
    public async Task IdNamespaceAndEnableCondstoreWork()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        CancellationToken ct = TestContext.Current.CancellationToken;
        using ImapClient client = await server.ConnectMailKitAsync();
        ImapImplementation id = await client.IdentifyAsync(new ImapImplementation { Name = "tests", Version = "1" }, ct);
        Assert.Equal("Mailroom", id.Name);
        FolderNamespace personal = Assert.Single(client.PersonalNamespaces);
        Assert.Equal('/', personal.DirectorySeparator);
        Assert.Equal("", personal.Path);

        await using RawImapClient raw = await server.ConnectAsync();
        await raw.LoginAsync();
        Assert.Equal(["* ENABLED CONDSTORE", "e OK Enabled."], await raw.CommandAsync("e", "ENABLE CONDSTORE X-UNKNOWN"));
        Assert.Equal(["* ENABLED", "f OK Enabled."], await raw.CommandAsync("f", "ENABLE CONDSTORE"));
        List<string> select = await raw.CommandAsync("s", "SELECT INBOX");
        Assert.Contains(select, l => l.StartsWith("* OK [HIGHESTMODSEQ ", StringComparison.Ordinal));
        Assert.Equal(["* ID (\"name\" \"Mailroom\" \"vendor\" \"Mailroom\")", "i OK ID completed."], await raw.CommandAsync("i", "ID NIL"));
    }

    [Fact]
    public async Task EnableImap4rev2DropsRecentAndAnswersSearchWithEsearch()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverAsync(ImapTestServer.Message(1));
        await using RawImapClient raw = await server.ConnectAsync();
        await raw.LoginAsync();
        Assert.Equal(["* ENABLED IMAP4rev2", "e OK Enabled."], await raw.CommandAsync("e", "ENABLE IMAP4rev2"));
        List<string> select = await raw.CommandAsync("s", "SELECT INBOX");
        Assert.DoesNotContain(select, l => l.Contains("RECENT", StringComparison.Ordinal));
        Assert.Equal(["* ESEARCH (TAG \"q\") ALL 1", "q OK Search completed."], await raw.CommandAsync("q", "SEARCH ALL"));
        Assert.Equal(["* 1 FETCH (FLAGS ())", "f OK Fetch completed."], await raw.CommandAsync("f", "FETCH 1 FLAGS"));
        Assert.Equal("c BAD Unknown STATUS item RECENT.", (await raw.CommandAsync("c", "STATUS INBOX (RECENT)"))[^1]);

        // SEARCHRES (RFC 5182), part of IMAP4rev2: "$" is the saved result.
        Assert.Equal(["d OK Search completed."], await raw.CommandAsync("d", "UID SEARCH RETURN (SAVE) SUBJECT \"Test 1\""));
        Assert.Equal(["* 1 FETCH (UID 1)", "g OK Fetch completed."], await raw.CommandAsync("g", "FETCH $ UID"));
        Assert.Equal(["* ESEARCH (TAG \"h\") COUNT 1", "h OK Search completed."], await raw.CommandAsync("h", "SEARCH RETURN (COUNT) $"));
    }
}
