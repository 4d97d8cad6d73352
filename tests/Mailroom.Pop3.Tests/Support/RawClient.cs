using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Mailroom.Pop3.Tests.Support;

/// <summary>A line-oriented POP3 test client on a raw socket (optionally upgraded to TLS).</summary>
internal sealed class RawClient : IAsyncDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);
    private readonly TcpClient _tcp;
    private Stream _stream;
    private StreamReader _reader;

    private RawClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _reader = new StreamReader(_stream, new UTF8Encoding(false), false, 1);
    }

    public static async Task<RawClient> ConnectAsync(IPEndPoint endPoint)
    {
        var tcp = new TcpClient(endPoint.AddressFamily);
        await tcp.ConnectAsync(endPoint, TestContext.Current.CancellationToken);
        return new RawClient(tcp);
    }

    public async Task SendAsync(string text) => await SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes, TestContext.Current.CancellationToken);
        await _stream.FlushAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>One line without its CRLF, or null at end of stream.</summary>
    public async Task<string?> ReadLineAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(ReadTimeout);
        return await _reader.ReadLineAsync(timeout.Token);
    }

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
            string line = await ReadLineAsync() ?? throw new EndOfStreamException("connection closed; got: " + string.Join("\n", lines));
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

    public async Task StartTlsAsync()
    {
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, TestContext.Current.CancellationToken);
        _stream = ssl;
        _reader = new StreamReader(_stream, new UTF8Encoding(false), false, 1);
    }

    /// <summary>Drops the connection without QUIT.</summary>
    public void Abort() => _tcp.Client.Close(0);

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
