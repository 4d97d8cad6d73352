using System.Net;
using System.Net.Sockets;

namespace Mailroom.Imap.Tests.Server.Support;

/// <summary>The raw line client with IMAP's response shape: untagged lines up to the tagged one.</summary>
internal sealed class RawImapClient : RawLineClient
{
    private RawImapClient(TcpClient tcp)
        : base(tcp)
    {
    }

    public static async Task<RawImapClient> ConnectAsync(IPEndPoint endPoint) => new(await ConnectTcpAsync(endPoint));

    /// <summary>Sends <c>tag command</c> and returns every line up to and including the tagged one.</summary>
    public async Task<List<string>> CommandAsync(string tag, string command)
    {
        await SendAsync(tag + " " + command + "\r\n");
        return await ReadUntilTaggedAsync(tag);
    }

    public async Task<List<string>> ReadUntilTaggedAsync(string tag)
    {
        var lines = new List<string>();
        for (int i = 0; i < 100_000; i++)
        {
            string line = await ReadLineAsync() ?? throw new EndOfStreamException("connection closed; got: " + string.Join(" | ", lines));
            lines.Add(line);
            if (line.StartsWith(tag + " ", StringComparison.Ordinal))
            {
                return lines;
            }
        }

        throw new InvalidOperationException("response too long");
    }

    /// <summary>Reads the greeting and logs in with LOGIN.</summary>
    public async Task LoginAsync(string user = ImapTestServer.Charlie, string password = "charlie")
    {
        Assert.StartsWith("* OK [CAPABILITY ", await ReadLineAsync(), StringComparison.Ordinal);
        Assert.StartsWith("L1 OK [CAPABILITY ", (await CommandAsync("L1", "LOGIN " + user + " " + password))[^1], StringComparison.Ordinal);
    }

    /// <summary>APPENDs <see cref="ImapTestServer.Message"/> <paramref name="i"/> with a non-synchronising literal (LITERAL+), so one round trip.</summary>
    public async Task AppendAsync(string mailbox, int i)
    {
        string message = ImapTestServer.Message(i).ReplaceLineEndings("\r\n");
        await SendAsync("ap APPEND " + mailbox + " {" + System.Text.Encoding.UTF8.GetByteCount(message) + "+}\r\n" + message + "\r\n");
        Assert.StartsWith("ap OK", (await ReadUntilTaggedAsync("ap"))[^1], StringComparison.Ordinal);
    }
}
