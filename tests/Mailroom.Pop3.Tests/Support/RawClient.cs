using System.Net;
using System.Net.Sockets;

namespace Mailroom.Pop3.Tests.Support;

/// <summary>The raw line client with POP3's response shapes (one line, or lines up to ".").</summary>
internal sealed class RawClient : RawLineClient
{
    private RawClient(TcpClient tcp)
        : base(tcp)
    {
    }

    public static async Task<RawClient> ConnectAsync(IPEndPoint endPoint) => new(await ConnectTcpAsync(endPoint));

    /// <summary>Sends one command line and returns the one-line reply.</summary>
    public async Task<string> CommandAsync(string line)
    {
        await SendAsync(line + "\r\n");
        return await ReadLineAsync() ?? throw new EndOfStreamException("connection closed after " + line);
    }

    /// <summary>Reads the lines of a multi-line response up to (not including) the terminating ".".</summary>
    public async Task<List<string>> ReadMultilineAsync()
    {
        var lines = new List<string>();
        for (int i = 0; i < 100_000; i++)
        {
            string line = await ReadLineAsync() ?? throw new EndOfStreamException("connection closed inside a multi-line response");
            if (line == ".")
            {
                return lines;
            }

            lines.Add(line);
        }

        throw new InvalidOperationException("multi-line response too long");
    }

    /// <summary>Reads the greeting and logs in with USER/PASS.</summary>
    public async Task LoginAsync(string user, string password)
    {
        Assert.Equal("+OK Mailroom ready.", await ReadLineAsync());
        Assert.Equal("+OK", await CommandAsync("USER " + user));
        Assert.Equal("+OK Logged in.", await CommandAsync("PASS " + password));
    }

    public Task StartTlsAsync() => StartTlsAsync("localhost");
}
