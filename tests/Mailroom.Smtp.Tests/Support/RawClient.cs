using System.Net;
using System.Net.Sockets;

namespace Mailroom.Smtp.Tests.Support;

/// <summary>The raw line client with SMTP's reply shape (<c>250-…</c> lines up to <c>250 …</c>).</summary>
internal sealed class RawClient : RawLineClient
{
    private RawClient(TcpClient tcp)
        : base(tcp)
    {
    }

    public static async Task<RawClient> ConnectAsync(IPEndPoint endPoint, IPAddress? source = null) => new(await ConnectTcpAsync(endPoint, source));

    /// <summary>A whole (possibly multi-line) reply, lines joined by newlines.</summary>
    public async Task<string> ReadReplyAsync()
    {
        var lines = new List<string>();
        while (true)
        {
            string line = await ReadLineAsync() ?? throw new EndOfStreamException("connection closed; got: " + string.Join("\n", lines));
            lines.Add(line);
            if (line.Length < 4 || line[3] != '-')
            {
                return string.Join("\n", lines);
            }
        }
    }

    /// <summary>Sends one command line and returns its reply.</summary>
    public async Task<string> CommandAsync(string line)
    {
        await SendAsync(line + "\r\n");
        return await ReadReplyAsync();
    }

    /// <summary>Sends bytes exactly as given (BDAT chunks) and returns the next reply.</summary>
    public async Task<string> RawAsync(string text)
    {
        await SendAsync(text);
        return await ReadReplyAsync();
    }

    public Task StartTlsAsync() => StartTlsAsync(SmtpTestServer.Hostname);
}
