using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Mailroom.Testing;

/// <summary>
/// A line-oriented test client on a raw socket, optionally upgraded to TLS: it types what a person at telnet or
/// <c>openssl s_client</c> would. Protocol test projects derive their own command helpers from it.
/// </summary>
internal class RawLineClient : IAsyncDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);
    private readonly TcpClient _tcp;
    private Stream _stream;
    private StreamReader _reader;

    protected RawLineClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _reader = NewReader(_stream);
    }

    /// <param name="endPoint">The server.</param>
    /// <param name="source">The client's own address (another loopback address such as 127.0.0.2); null: the system's choice.</param>
    protected static async Task<TcpClient> ConnectTcpAsync(IPEndPoint endPoint, IPAddress? source = null)
    {
        var tcp = new TcpClient(endPoint.AddressFamily);
        if (source is not null)
        {
            tcp.Client.Bind(new IPEndPoint(source, 0));
        }

        await tcp.ConnectAsync(endPoint, TestContext.Current.CancellationToken);
        return tcp;
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

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

    /// <summary>Starts TLS on the connection, accepting the test server's certificate.</summary>
    public async Task StartTlsAsync(string targetHost)
    {
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = targetHost }, TestContext.Current.CancellationToken);
        _stream = ssl;
        _reader = NewReader(_stream);
    }

    /// <summary>Layers a transform on the connection from now on (IMAP COMPRESS, for one).</summary>
    public void Layer(Func<Stream, Stream> layer)
    {
        _stream = layer(_stream);
        _reader = NewReader(_stream);
    }

    /// <summary>Drops the connection without a goodbye (RST).</summary>
    public void Abort() => _tcp.Client.Close(0);

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }

    // A one-byte buffer: nothing past the current line is consumed, so a test can hand the stream to TLS.
    private static StreamReader NewReader(Stream stream) => new(stream, new UTF8Encoding(false), false, 1);
}
