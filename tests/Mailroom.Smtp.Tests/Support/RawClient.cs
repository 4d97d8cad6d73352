using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Mailroom.Smtp.Tests.Support;

/// <summary>A line-oriented test client on a raw socket (optionally upgraded to TLS).</summary>
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

    public async Task SendAsync(string text)
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(text), TestContext.Current.CancellationToken);
        await _stream.FlushAsync(TestContext.Current.CancellationToken);
    }

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

    public async Task StartTlsAsync()
    {
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = SmtpTestServer.Hostname }, TestContext.Current.CancellationToken);
        _stream = ssl;
        _reader = new StreamReader(_stream, new UTF8Encoding(false), false, 1);
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
