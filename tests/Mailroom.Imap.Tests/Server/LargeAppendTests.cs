using System.Text;
using MailKit;
using MailKit.Net.Imap;
using Mailroom.Imap.Protocol;
using Mailroom.Imap.Tests.Server.Support;

namespace Mailroom.Imap.Tests.Server;

public sealed class LargeAppendTests
{
    /// <summary>A message of <paramref name="size"/> bytes, CRLF lines with 8-bit bytes, no NUL (CHAR8).</summary>
    private static byte[] BigMessage(int size, byte seed)
    {
        byte[] message = new byte[size];
        byte[] header = Encoding.ASCII.GetBytes("Subject: Big " + seed + "\r\n\r\n");
        header.CopyTo(message, 0);
        for (int i = header.Length; i < size; i++)
        {
            int column = (i - header.Length) % 78;
            message[i] = column switch
            {
                76 => (byte)'\r',
                77 => (byte)'\n',
                _ => (byte)(1 + ((i * 31 + seed) % 255)) is (byte)'\r' or (byte)'\n' ? (byte)'x' : (byte)(1 + ((i * 31 + seed) % 255)),
            };
        }

        return message;
    }

    private static string MaildirTmp(ImapTestServer server) => Path.Combine(server.Maildirs.GetMaildirPath(ImapTestServer.Charlie), "tmp");

    private static bool NoFiles(string directory) => !System.IO.Directory.Exists(directory) || System.IO.Directory.GetFileSystemEntries(directory).Length == 0;

    [Fact]
    public async Task LargeAppendArrivesByteExactWithBothLiteralKinds()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(maildir: true);
        CancellationToken ct = TestContext.Current.CancellationToken;
        byte[] synchronising = BigMessage((3 * 1024 * 1024) + 12_345, 1);
        byte[] nonSynchronising = BigMessage((2 * 1024 * 1024) + 777, 2);
        Assert.True(synchronising.Length > SpooledLiteral.Threshold * 4);

        await using (RawImapClient raw = await server.ConnectAsync())
        {
            await raw.LoginAsync();
            await raw.SendAsync($"a APPEND INBOX {{{synchronising.Length}}}\r\n");
            Assert.Equal("+ Ready for literal data", await raw.ReadLineAsync());
            await raw.SendAsync([.. synchronising, .. "\r\n"u8]);
            Assert.Matches(@"^a OK \[APPENDUID \d+ 1\] Append completed\.$", Assert.Single(await raw.ReadUntilTaggedAsync("a")));
            await raw.SendAsync([.. Encoding.ASCII.GetBytes($"b APPEND INBOX (\\Seen) {{{nonSynchronising.Length}+}}\r\n"), .. nonSynchronising, .. "\r\n"u8]);
            Assert.Matches(@"^b OK \[APPENDUID \d+ 2\] Append completed\.$", Assert.Single(await raw.ReadUntilTaggedAsync("b")));
        }

        Assert.True(NoFiles(MaildirTmp(server)));
        using ImapClient client = await server.ConnectMailKitAsync();
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly, ct);
        foreach ((uint uid, byte[] sent) in new[] { (1u, synchronising), (2u, nonSynchronising) })
        {
            await using Stream body = await client.Inbox.GetStreamAsync(new UniqueId(uid), "", ct);
            var received = new MemoryStream();
            await body.CopyToAsync(received, ct);
            Assert.True(sent.AsSpan().SequenceEqual(received.ToArray()), $"UID {uid}: BODY[] differs from the APPEND literal");
        }
    }

    [Fact]
    public async Task ConnectionDroppedDuringALargeAppendLeavesNoSpoolFileAndNoMessage()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(maildir: true);
        string maildir = server.Maildirs.GetMaildirPath(ImapTestServer.Charlie);
        await using (RawImapClient raw = await server.ConnectAsync())
        {
            await raw.LoginAsync();
            byte[] half = BigMessage(1024 * 1024, 3);
            await raw.SendAsync([.. Encoding.ASCII.GetBytes("a APPEND INBOX {4000000+}\r\n"), .. half]);
            if (SpoolFiles.CanObserve)
            {
                // The literal goes to an (already unlinked) file in the Maildir's tmp/, not into memory.
                Assert.Single(await SpoolFiles.WaitAsync(maildir, static n => n > 0));
            }

            raw.Abort();
        }

        await server.LinesAfterDisconnectAsync();
        if (SpoolFiles.CanObserve)
        {
            Assert.Empty(await SpoolFiles.WaitAsync(maildir, static n => n == 0));
        }

        Assert.True(NoFiles(MaildirTmp(server)));
        await using RawImapClient again = await server.ConnectAsync();
        await again.LoginAsync();
        Assert.Equal("* STATUS INBOX (MESSAGES 0 UIDNEXT 1)", (await again.CommandAsync("b", "STATUS INBOX (MESSAGES UIDNEXT)"))[0]);
    }

    [Fact]
    public async Task AppendOverTheLiteralLimitIsRefusedBeforeAnyByteIsRead()
    {
        const int limit = 1024 * 1024;
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxLiteralSize = limit, maildir: true);
        await using RawImapClient raw = await server.ConnectAsync();
        await raw.LoginAsync();

        // No continuation: the next line is a new command, not literal data.
        Assert.Equal(["a NO [TOOBIG] Message too large."], await raw.CommandAsync("a", "APPEND INBOX {" + (limit + 1) + "}"));
        Assert.Equal(["b OK NOOP completed."], await raw.CommandAsync("b", "NOOP"));
        Assert.True(NoFiles(MaildirTmp(server)));

        // Exactly at the limit is accepted (and spooled).
        byte[] message = BigMessage(limit, 4);
        await raw.SendAsync($"c APPEND INBOX {{{limit}}}\r\n");
        Assert.Equal("+ Ready for literal data", await raw.ReadLineAsync());
        await raw.SendAsync([.. message, .. "\r\n"u8]);
        Assert.Matches(@"^c OK \[APPENDUID \d+ 1\] ", Assert.Single(await raw.ReadUntilTaggedAsync("c")));

        await raw.SendAsync("d APPEND INBOX {" + (limit + 1) + "+}\r\n");
        Assert.Equal("* BYE [TOOBIG] Literal too big.", await raw.ReadLineAsync());
        Assert.Null(await raw.ReadLineAsync());
        Assert.True(NoFiles(MaildirTmp(server)));
    }

    [Fact]
    public async Task AppendTextBeyondTheCommandLimitIsRefusedAtTheNextLiteral()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxCommandSize = 1024, maildir: true);
        await using RawImapClient raw = await server.ConnectAsync();
        await raw.LoginAsync();
        string filler = " " + new string('x', 600) + " {0}\r\n";
        await raw.SendAsync("a APPEND INBOX {0}\r\n");
        Assert.Equal("+ Ready for literal data", await raw.ReadLineAsync());
        await raw.SendAsync(filler);
        Assert.Equal("+ Ready for literal data", await raw.ReadLineAsync());
        await raw.SendAsync(filler);
        Assert.Equal(["a NO [TOOBIG] Command too large."], await raw.ReadUntilTaggedAsync("a"));
        Assert.Equal(["b OK NOOP completed."], await raw.CommandAsync("b", "NOOP"));
    }

    [Fact]
    public async Task LargeAppendBeforeLoginIsRefusedWithoutSpooling()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(maildir: true);
        await using RawImapClient raw = await server.ConnectAsync();
        await raw.ReadLineAsync();
        byte[] message = BigMessage(SpooledLiteral.Threshold * 2, 5);
        await raw.SendAsync([.. Encoding.ASCII.GetBytes($"a APPEND INBOX {{{message.Length}+}}\r\n"), .. message, .. "\r\n"u8]);
        Assert.Equal(["a BAD Not authenticated."], await raw.ReadUntilTaggedAsync("a"));
        Assert.False(System.IO.Directory.Exists(server.Maildirs.GetMaildirPath(ImapTestServer.Charlie)));
        Assert.Equal(["b OK NOOP completed."], await raw.CommandAsync("b", "NOOP"));
    }
}
