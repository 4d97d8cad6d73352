using System.Text;
using MailKit;
using MailKit.Net.Imap;
using Mailroom.Imap.Tests.Server.Support;

namespace Mailroom.Imap.Tests.Server;

/// <summary>UTF8=ACCEPT (RFC 6855): UTF-8 mailbox names and messages after ENABLE, modified UTF-7 names without it.</summary>
public sealed class Utf8AcceptTests
{
    [Fact]
    public async Task MailKitWithUtf8CreatesAndListsUtf8NamesThatOthersSeeInModifiedUtf7()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(maildir: true);
        CancellationToken ct = TestContext.Current.CancellationToken;
        using (ImapClient client = await server.ConnectMailKitAsync())
        {
            Assert.True(client.Capabilities.HasFlag(ImapCapabilities.UTF8Accept));
            await client.EnableUTF8Async(ct);
            IMailFolder root = client.GetFolder(client.PersonalNamespaces[0]);
            IMailFolder? created = await root.CreateAsync("Grüße", isMessageFolder: true, ct);
            Assert.Equal("Grüße", created?.FullName);
            IList<IMailFolder> folders = await root.GetSubfoldersAsync(StatusItems.Count, subscribedOnly: false, ct);
            IMailFolder listed = Assert.Single(folders, f => f.Name == "Grüße");
            Assert.Equal(0, listed.Count);
        }

        await using RawImapClient raw = await server.ConnectAsync();
        await raw.LoginAsync();
        List<string> list = await raw.CommandAsync("l", "LIST \"\" Gr*");
        Assert.Equal("* LIST (\\HasNoChildren) \"/\" Gr&APwA3w-e", list[0]);
        Assert.DoesNotContain(list, l => l.Any(c => c > '~'));
        Assert.Equal(["* STATUS Gr&APwA3w-e (MESSAGES 0)", "s OK Status completed."], await raw.CommandAsync("s", "STATUS Gr&APwA3w-e (MESSAGES)"));
    }

    [Fact]
    public async Task AfterEnableNamesAreUtf8InListStatusSelectAndRename()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        Assert.Equal(["* ENABLED UTF8=ACCEPT", "e OK Enabled."], await client.CommandAsync("e", "ENABLE UTF8=ACCEPT"));
        Assert.Equal(["* ENABLED", "f OK Enabled."], await client.CommandAsync("f", "ENABLE UTF8=ACCEPT"));
        Assert.Matches(@"^c OK \[MAILBOXID \(F[0-9a-f]+\)\] Create completed\.$", Assert.Single(await client.CommandAsync("c", "CREATE \"Ελληνικά/Παλιά\"")));
        List<string> list = await client.CommandAsync("l", "LIST \"\" \"Ελλ*\"");
        Assert.Contains("* LIST (\\HasChildren) \"/\" \"Ελληνικά\"", list);
        Assert.Contains("* LIST (\\HasNoChildren) \"/\" \"Ελληνικά/Παλιά\"", list);
        Assert.Equal(["* STATUS \"Ελληνικά/Παλιά\" (MESSAGES 0)", "s OK Status completed."], await client.CommandAsync("s", "STATUS \"Ελληνικά/Παλιά\" (MESSAGES)"));
        Assert.Equal(["r OK Rename completed."], await client.CommandAsync("r", "RENAME \"Ελληνικά/Παλιά\" \"日本語\""));
        List<string> select = await client.CommandAsync("x", "SELECT \"日本語\"");
        Assert.StartsWith("x OK [READ-WRITE]", select[^1], StringComparison.Ordinal);

        // The modified UTF-7 form is just a name after ENABLE: it is not decoded.
        Assert.StartsWith("y NO", (await client.CommandAsync("y", "SELECT &ZeVnLIqe-"))[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutEnableUtf8NamesAreRefusedAndModifiedUtf7IsDecoded()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        Assert.Equal(["c NO [CANNOT] Mailbox name is not valid modified UTF-7."], await client.CommandAsync("c", "CREATE \"Grüße\""));
        Assert.Matches(@"^d OK \[MAILBOXID \(F[0-9a-f]+\)\] Create completed\.$", Assert.Single(await client.CommandAsync("d", "CREATE Gr&APwA3w-e")));
        Assert.Equal(["* LIST (\\HasNoChildren) \"/\" Gr&APwA3w-e", "l OK List completed."], await client.CommandAsync("l", "LIST \"\" Gr*"));
    }

    [Fact]
    public async Task InvalidUtf8IsBad()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        await client.CommandAsync("e", "ENABLE UTF8=ACCEPT");
        await client.SendAsync([.. "c CREATE \"Gr"u8, 0xC3, 0x28, .. "\"\r\n"u8]);
        Assert.Equal("c BAD String is not valid UTF-8", await client.ReadLineAsync());
        await client.SendAsync([.. "d CREATE Gr"u8, 0xC3, 0xBC, .. "\r\n"u8]);
        Assert.Equal("d BAD Unexpected characters at end of command", await client.ReadLineAsync());
        Assert.Equal(["n OK NOOP completed."], await client.CommandAsync("n", "NOOP"));
    }

    [Fact]
    public async Task AppendUtf8StoresAnInternationalisedMessageAsSent()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        string message = "From: Jörg <jörg@bücher.example>\r\nTo: 李 <李@例え.jp>\r\nSubject: Grüße aus Köln\r\n\r\nHallo.\r\n";
        int size = Encoding.UTF8.GetByteCount(message);
        Assert.Equal(["a BAD APPEND UTF8 needs ENABLE UTF8=ACCEPT"], await client.CommandAsync("a", "APPEND INBOX UTF8 (~{" + size + "+}\r\n" + message + ")"));

        await client.CommandAsync("e", "ENABLE UTF8=ACCEPT");
        Assert.Equal(["b BAD APPEND UTF8 takes a literal8"], await client.CommandAsync("b", "APPEND INBOX UTF8 ({" + size + "+}\r\n" + message + ")"));
        Assert.StartsWith("c OK [APPENDUID ", (await client.CommandAsync("c", "APPEND INBOX (\\Seen) UTF8 (~{" + size + "+}\r\n" + message + ")"))[^1], StringComparison.Ordinal);

        // Split at every byte: the session assembles the same command.
        byte[] whole = Encoding.UTF8.GetBytes("d APPEND INBOX UTF8 (~{" + size + "+}\r\n" + message + ")\r\n");
        foreach (byte b in whole)
        {
            await client.SendAsync([b]);
        }

        Assert.StartsWith("d OK [APPENDUID ", (await client.ReadUntilTaggedAsync("d"))[^1], StringComparison.Ordinal);
        await client.CommandAsync("s", "SELECT INBOX");
        List<string> fetch = await client.CommandAsync("f", "FETCH 1:2 (BODY.PEEK[HEADER.FIELDS (SUBJECT)] RFC822.SIZE)");
        Assert.Equal(2, fetch.Count(l => l.Contains("RFC822.SIZE " + size, StringComparison.Ordinal)));
        Assert.Contains("Subject: Grüße aus Köln", fetch);
    }

    [Fact]
    public async Task SearchWithCharsetIsBadAfterEnable()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverAsync(ImapTestServer.Message(1, "Hello, Grüße."));
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        await client.CommandAsync("s", "SELECT INBOX");
        Assert.Equal(["* SEARCH 1", "a OK Search completed."], await client.CommandAsync("a", "SEARCH CHARSET UTF-8 BODY Hello"));

        // RFC 5161 §3.1: ENABLE is for the authenticated state.
        await client.CommandAsync("u", "UNSELECT");
        Assert.Equal(["* ENABLED UTF8=ACCEPT", "e OK Enabled."], await client.CommandAsync("e", "ENABLE UTF8=ACCEPT"));
        await client.CommandAsync("t", "SELECT INBOX");
        Assert.Equal(["b BAD SEARCH CHARSET is not allowed after ENABLE UTF8=ACCEPT."], await client.CommandAsync("b", "SEARCH CHARSET UTF-8 BODY Hello"));
        Assert.Equal(["* SEARCH 1", "c OK Search completed."], await client.CommandAsync("c", "SEARCH BODY \"Grüße\""));
    }
}
