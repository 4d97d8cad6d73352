using System.IO.Compression;
using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Mailroom.Imap.Tests.Server.Support;
using MimeKit;

namespace Mailroom.Imap.Tests.Server;

/// <summary>COMPRESS=DEFLATE (RFC 4978).</summary>
public sealed class CompressTests
{
    [Theory]
    [InlineData(SecureSocketOptions.None)]
    [InlineData(SecureSocketOptions.StartTls)]
    public async Task MailKitCompressesThenAppendsFetchesAndIdles(SecureSocketOptions security)
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        CancellationToken ct = TestContext.Current.CancellationToken;
        using ImapClient client = await server.ConnectMailKitAsync(security);
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.Compress));
        await client.CompressAsync(ct);

        // A body larger than the server's flush threshold: the FETCH streams in several compressed flushes.
        string body = string.Join("\r\n", Enumerable.Range(0, 20_000).Select(i => "line " + i + " of a long body"));
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Sender", "sender@example.net"));
        message.To.Add(new MailboxAddress("Charlie", ImapTestServer.Charlie));
        message.Subject = "compressed";
        message.Body = new TextPart("plain") { Text = body };
        await client.Inbox.AppendAsync(message, MessageFlags.Seen, ct);

        await client.Inbox.OpenAsync(FolderAccess.ReadWrite, ct);
        MimeMessage fetched = await client.Inbox.GetMessageAsync(0, ct);
        Assert.Equal("compressed", fetched.Subject);
        Assert.Equal(body.ReplaceLineEndings("\n"), fetched.TextBody?.ReplaceLineEndings("\n").TrimEnd('\n'));

        // IDLE: the update reaches the client at once, although the compressor would rather wait for more.
        using var done = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var arrived = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Inbox.CountChanged += (_, _) =>
        {
            arrived.TrySetResult(client.Inbox.Count);
            done.Cancel();
        };
        Task idle = client.IdleAsync(done.Token, ct);
        await Task.Delay(100, ct);
        await server.DeliverAsync(ImapTestServer.Message(2));
        Assert.Equal(2, await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30), ct));
        await idle;
        await client.DisconnectAsync(quit: true, ct);
    }

    [Fact]
    public async Task SecondCompressIsRefusedWithCompressionActive()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        Assert.Equal(["c OK Begin compression."], await client.CommandAsync("c", "COMPRESS DEFLATE"));
        client.Layer(stream => new DeflateDuplexStream(stream));
        Assert.Equal(["d NO [COMPRESSIONACTIVE] Compression is already active."], await client.CommandAsync("d", "compress deflate"));
        Assert.Equal(["e OK NOOP completed."], await client.CommandAsync("e", "NOOP"));
        Assert.Equal(["* BYE Logging out", "f OK Logout completed."], await client.CommandAsync("f", "LOGOUT"));
    }

    [Fact]
    public async Task CompressNeedsLoginAndKnowsOnlyDeflate()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.ReadLineAsync();
        Assert.Equal(["a BAD Not authenticated."], await client.CommandAsync("a", "COMPRESS DEFLATE"));
        Assert.StartsWith("b OK [CAPABILITY ", (await client.CommandAsync("b", "LOGIN " + ImapTestServer.Charlie + " charlie"))[^1], StringComparison.Ordinal);
        Assert.Contains(" COMPRESS=DEFLATE ", (await client.CommandAsync("c", "CAPABILITY"))[0], StringComparison.Ordinal);
        Assert.Equal(["d BAD Unknown compression mechanism."], await client.CommandAsync("d", "COMPRESS GZIP"));
        Assert.Equal("e BAD", (await client.CommandAsync("e", "COMPRESS"))[0][..5]);
        Assert.Equal(["f OK NOOP completed."], await client.CommandAsync("f", "NOOP"));
    }

    [Fact]
    public async Task CommandsSentRightAfterCompressAreReadThroughTheDecompressor()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        CancellationToken ct = TestContext.Current.CancellationToken;

        // A bare socket read a byte at a time: no reader may take the compressed reply along with the OK line.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(server.EndPoint, ct);
        Stream stream = tcp.GetStream();
        await ReadRawLineAsync(stream, ct);
        await stream.WriteAsync(Encoding.ASCII.GetBytes("a LOGIN " + ImapTestServer.Charlie + " charlie\r\n"), ct);
        Assert.StartsWith("a OK ", await ReadRawLineAsync(stream, ct), StringComparison.Ordinal);

        // The compressed NOOP follows the command in the same write: the server has it buffered before its OK.
        byte[] pipelined = [.. "c COMPRESS DEFLATE\r\n"u8, .. Compress("n NOOP\r\n")];
        await stream.WriteAsync(pipelined, ct);
        Assert.Equal("c OK Begin compression.", await ReadRawLineAsync(stream, ct));
        using var reader = new StreamReader(new DeflateStream(stream, CompressionMode.Decompress, leaveOpen: true));
        Assert.Equal("n OK NOOP completed.", await reader.ReadLineAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), ct));
    }

    [Fact]
    public async Task CompressedInputSplitAtEveryByteIsOneCommand()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        Assert.Equal(["c OK Begin compression."], await client.CommandAsync("c", "COMPRESS DEFLATE"));
        byte[] compressed = Compress("s1 STATUS INBOX (MESSAGES)\r\n");
        foreach (byte b in compressed)
        {
            await client.SendAsync([b]);
        }

        // Only the server's replies are read through this layer; the test sends nothing more.
        client.Layer(stream => new DeflateDuplexStream(stream));
        Assert.Equal("* STATUS INBOX (MESSAGES 0)", await client.ReadLineAsync());
        Assert.Equal("s1 OK Status completed.", await client.ReadLineAsync());
    }

    [Fact]
    public async Task CompressedLineAtTheLimitIsAcceptedAndOneByteMoreIsTooBig()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxLineLength = 1024);
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        Assert.Equal(["c OK Begin compression."], await client.CommandAsync("c", "COMPRESS DEFLATE"));
        client.Layer(stream => new DeflateDuplexStream(stream));
        string prefix = "b ID (\"name\" \"";
        string line = prefix + new string('y', 1024 - prefix.Length - 2) + "\")";
        await client.SendAsync(line + "\r\n");
        Assert.StartsWith("* ID ", await client.ReadLineAsync(), StringComparison.Ordinal);
        Assert.StartsWith("b OK", await client.ReadLineAsync(), StringComparison.Ordinal);
        string over = prefix + new string('y', 1024 - prefix.Length - 1) + "\")";
        await client.SendAsync(over + "\r\n");
        Assert.Equal("b BAD [TOOBIG] Command line too long.", await client.ReadLineAsync());
        Assert.Equal(["n OK NOOP completed."], await client.CommandAsync("n", "NOOP"));
    }

    [Fact]
    public async Task DecompressionBombMeetsTheLineLimitAndTheSessionGoesOn()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxLineLength = 1024);
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        Assert.Equal(["c OK Begin compression."], await client.CommandAsync("c", "COMPRESS DEFLATE"));

        // 64 MiB of one line inflate from about 64 KiB: the server drains it a bounded chunk at a time.
        const int Size = 64 << 20;
        byte[] bomb = new byte[Size];
        bomb.AsSpan().Fill((byte)'x');
        "a NOOP "u8.CopyTo(bomb);
        "\r\n"u8.CopyTo(bomb.AsSpan(Size - 2));
        byte[] compressed;
        using (var sink = new MemoryStream())
        {
            using (var deflater = new DeflateStream(sink, CompressionLevel.Optimal, leaveOpen: true))
            {
                deflater.Write(bomb);
                deflater.Write("n NOOP\r\n"u8);
                deflater.Flush();
            }

            compressed = sink.ToArray();
        }

        Assert.True(compressed.Length < Size / 500, "the input is a bomb: " + compressed.Length + " bytes");
        await client.SendAsync(compressed);
        client.Layer(stream => new DeflateDuplexStream(stream));
        Assert.Equal("a BAD [TOOBIG] Command line too long.", await client.ReadLineAsync());
        Assert.Equal("n OK NOOP completed.", await client.ReadLineAsync());
    }

    [Fact]
    public async Task CorruptCompressedInputEndsTheSessionAsABrokenConnectionDoes()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        Assert.Equal(["c OK Begin compression."], await client.CommandAsync("c", "COMPRESS DEFLATE"));

        // Block type 3 does not exist (RFC 1951 §3.2.3).
        await client.SendAsync([0xFF, 0xFF, 0xFF, 0xFF]);
        client.Layer(stream => new DeflateDuplexStream(stream));
        Assert.Null(await client.ReadLineAsync());
        IReadOnlyList<string> log = await server.LinesAfterDisconnectAsync();
        Assert.Contains(log, l => l.StartsWith("IMAP(" + ImapTestServer.Charlie + "): Disconnected: ", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Fact]
    public async Task CompressedLiteralOverTheLimitIsRefusedBeforeItsData()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxLiteralSize = 4096);
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        Assert.Equal(["c OK Begin compression."], await client.CommandAsync("c", "COMPRESS DEFLATE"));
        client.Layer(stream => new DeflateDuplexStream(stream));
        Assert.Equal(["a NO [TOOBIG] Message too large."], await client.CommandAsync("a", "APPEND INBOX {4097}"));
        string message = "Subject: x\r\n\r\n" + new string('z', 4096 - 14);
        await client.SendAsync("b APPEND INBOX {4096}\r\n");
        Assert.Equal("+ Ready for literal data", await client.ReadLineAsync());
        await client.SendAsync(message + "\r\n");
        Assert.StartsWith("b OK [APPENDUID ", (await client.ReadUntilTaggedAsync("b"))[^1], StringComparison.Ordinal);
    }

    private static async Task<string> ReadRawLineAsync(Stream stream, CancellationToken ct)
    {
        var line = new List<byte>();
        byte[] one = new byte[1];
        while (line.Count < 10_000 && await stream.ReadAsync(one, ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), ct) == 1)
        {
            if (one[0] == (byte)'\n')
            {
                return Encoding.ASCII.GetString([.. line]).TrimEnd('\r');
            }

            line.Add(one[0]);
        }

        throw new EndOfStreamException("no line: " + Encoding.ASCII.GetString([.. line]));
    }

    /// <summary>The start of a client's DEFLATE stream: <paramref name="text"/> and a sync flush.</summary>
    private static byte[] Compress(string text)
    {
        using var sink = new MemoryStream();
        using var deflater = new DeflateStream(sink, CompressionLevel.Optimal, leaveOpen: true);
        deflater.Write(Encoding.ASCII.GetBytes(text));
        deflater.Flush();
        return sink.ToArray();
    }
}
