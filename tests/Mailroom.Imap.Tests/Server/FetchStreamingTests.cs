using System.Globalization;
using System.Text;
using Mailroom.Imap.Tests.Server.Support;

namespace Mailroom.Imap.Tests.Server;

/// <summary>FETCH answers item after item from the file; what it sends is exact whatever the item list.</summary>
public sealed class FetchStreamingTests
{
    [Fact]
    public async Task HundredWholeBodiesOfOneMessageArriveExactly()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        string body = string.Concat(Enumerable.Range(0, 300).Select(i => "line " + i.ToString(CultureInfo.InvariantCulture) + new string('.', 60) + "\n"));
        await server.DeliverAsync("Subject: big\n\n" + body);
        int size = Encoding.ASCII.GetByteCount(("Subject: big\n\n" + body).ReplaceLineEndings("\r\n"));
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        await client.CommandAsync("a", "EXAMINE INBOX");
        List<string> lines = await client.CommandAsync("b", "FETCH 1 (" + string.Join(' ', Enumerable.Repeat("BODY.PEEK[]", 100)) + ")");
        Assert.Equal("b OK Fetch completed.", lines[^1]);
        Assert.Equal(100, lines.Count(l => l.EndsWith("BODY[] {" + size + "}", StringComparison.Ordinal)));
        Assert.Equal(100, lines.Count(l => l == "Subject: big"));
        Assert.Equal(100, lines.Count(l => l.StartsWith("line 299.", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task BinaryIsDecodedInPiecesWithLiteral8ForNulAndPartialsCutExactly()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        byte[] data = [.. Enumerable.Range(0, 200_000).Select(i => (byte)(i % 251))];
        string encoded = Convert.ToBase64String(data, Base64FormattingOptions.InsertLineBreaks);
        await server.DeliverAsync("Content-Type: multipart/mixed; boundary=b\n\n--b\n\ntext\n--b\nContent-Transfer-Encoding: base64\n\n" + encoded + "\n--b--\n");
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        await client.CommandAsync("a", "EXAMINE INBOX");
        Assert.Equal(
            ["* 1 FETCH (BINARY.SIZE[2] 200000 BINARY.SIZE[2] 200000 BINARY[1] {4}", "text)", "b OK Fetch completed."],
            await client.CommandAsync("b", "FETCH 1 (BINARY.SIZE[2] BINARY.SIZE[2] BINARY.PEEK[1])"));

        // The window from 251 holds 0, 1, 2: "~{3}" and those bytes.
        List<string> partial = await client.CommandAsync("c", "FETCH 1 (BINARY.PEEK[2]<251.3> BINARY.PEEK[2]<199999.10>)");
        Assert.Equal("* 1 FETCH (BINARY[2]<251> ~{3}", partial[0]);
        Assert.Equal("\0\u0001\u0002 BINARY[2]<199999> ~{1}", partial[1]);
        Assert.Equal("c OK Fetch completed.", partial[^1]);
    }
}
