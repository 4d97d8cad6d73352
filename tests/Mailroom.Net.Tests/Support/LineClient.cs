using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace Mailroom.Net.Tests.Support;

/// <summary>A raw test client: writes exact bytes and reads one byte at a time, so it never reads past a line.</summary>
internal sealed class LineClient : IAsyncDisposable
{
    private static readonly TimeSpan s_readTimeout = TimeSpan.FromSeconds(5);
    private readonly Socket _socket;
    private readonly NetworkStream _network;
    private Stream _stream;

    private LineClient(Socket socket)
    {
        _socket = socket;
        _network = new NetworkStream(socket, ownsSocket: true);
        _stream = _network;
    }

    public int Available => _socket.Available;

    public SslStream? Tls => _stream as SslStream;

    public static async Task<LineClient> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint);
        return new LineClient(socket);
    }

    /// <summary>Sends the text in one write (one segment on loopback).</summary>
    public async Task SendAsync(string text)
    {
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(text));
        await _stream.FlushAsync();
    }

    /// <summary>Reads one line without its CRLF; null when the server closed the connection.</summary>
    public async Task<string?> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(s_readTimeout);
        var line = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            int read;
            try
            {
                read = await _stream.ReadAsync(one, timeout.Token);
            }
            catch (IOException)
            {
                read = 0;
            }

            if (read == 0)
            {
                return line.Length == 0 ? null : line.ToString();
            }

            if (one[0] == (byte)'\n')
            {
                return line.ToString().TrimEnd('\r');
            }

            line.Append((char)one[0]);
        }
    }

    public async Task StartTlsAsync(SslProtocols protocols = SslProtocols.None)
    {
        var tls = new SslStream(_network, leaveInnerStreamOpen: true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = protocols,
            // The test server's certificate is self-signed; trust is not what these tests are about.
            RemoteCertificateValidationCallback = static (_, _, _, _) => true,
        });
        _stream = tls;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stream != _network)
        {
            await _stream.DisposeAsync();
        }

        await _network.DisposeAsync();
    }
}
