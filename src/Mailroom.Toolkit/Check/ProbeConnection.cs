using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Mailroom.Toolkit.Check;

/// <summary>
/// A line-oriented client connection for probing SMTP, POP3 and IMAP servers. Its TLS step accepts any
/// certificate on purpose: it records what it saw so the check can judge it instead of aborting.
/// </summary>
internal sealed class ProbeConnection : IAsyncDisposable
{
    private const int MaxLine = 8192;
    private readonly string _host;
    private readonly CancellationTokenSource _timeout;
    private readonly TimeSpan _stepTimeout;
    private readonly byte[] _buffer = new byte[MaxLine];
    private Stream _stream;
    private int _start;
    private int _end;

    private readonly CheckTrace? _trace;
    private readonly string _target;

    private ProbeConnection(string host, Stream stream, System.Net.IPEndPoint? localEndPoint, TimeSpan stepTimeout, CheckTrace? trace, string target, CancellationToken cancellationToken)
    {
        _host = host;
        _trace = trace;
        _target = target;
        LocalEndPoint = localEndPoint;
        _stream = stream;
        _stepTimeout = stepTimeout;
        _timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    public TlsInfo? Tls { get; private set; }

    /// <summary>The address the server sees this connection come from.</summary>
    public System.Net.IPEndPoint? LocalEndPoint { get; }

    /// <param name="trace">Where <c>--trace</c> prints each line both ways, or null.</param>
    /// <param name="target">The connection's name in the trace (<c>smtp 25</c>).</param>
    public static async Task<ProbeConnection> ConnectAsync(string host, int port, TimeSpan timeout, CheckTrace? trace, string target, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            connect.CancelAfter(timeout);
            await socket.ConnectAsync(host, port, connect.Token).ConfigureAwait(false);
            return new ProbeConnection(host, new NetworkStream(socket, ownsSocket: true), socket.LocalEndPoint as System.Net.IPEndPoint, timeout, trace, target, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task StartTlsAsync()
    {
        X509Certificate2? seen = null;
        SslPolicyErrors errors = SslPolicyErrors.None;
        X509ChainStatusFlags chainStatus = X509ChainStatusFlags.NoError;
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = _host,
            EnabledSslProtocols = SslProtocols.None,
            RemoteCertificateValidationCallback = (_, certificate, chain, policyErrors) =>
            {
                seen = certificate is null ? null : new X509Certificate2(certificate);
                errors = policyErrors;
                chainStatus = chain?.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (a, s) => a | s.Status) ?? X509ChainStatusFlags.NoError;
                return true;
            },
        };
        _stream = ssl;
        _start = _end = 0;
        Arm();
        await ssl.AuthenticateAsClientAsync(options, _timeout.Token).ConfigureAwait(false);
        if (seen is null)
        {
            throw new AuthenticationException("The server sent no certificate.");
        }

        using (seen)
        {
            Tls = TlsInfo.From(ssl, seen, errors, chainStatus);
        }

        _trace?.Note(_target, $"TLS started: {ssl.SslProtocol}, {ssl.NegotiatedCipherSuite}");
    }

    public async Task WriteLineAsync(string line)
    {
        Arm();
        _trace?.Client(_target, line);
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n"), _timeout.Token).ConfigureAwait(false);
    }

    public async Task<string> ReadLineAsync()
    {
        while (true)
        {
            int lf = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (lf >= 0)
            {
                string line = Encoding.UTF8.GetString(_buffer, _start, lf).TrimEnd('\r');
                _start += lf + 1;
                _trace?.Server(_target, line);
                return line;
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                throw new IOException("Reply line too long.");
            }

            Arm();
            int read = await _stream.ReadAsync(_buffer.AsMemory(_end), _timeout.Token).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("Connection closed by the server.");
            }

            _end += read;
        }
    }

    /// <summary>Reads a (multi-line) SMTP reply: the code and the text of each line.</summary>
    public async Task<(int Code, IReadOnlyList<string> Lines)> ReadSmtpReplyAsync()
    {
        var lines = new List<string>();
        while (true)
        {
            string line = await ReadLineAsync().ConfigureAwait(false);
            if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), out int code))
            {
                throw new IOException($"Malformed SMTP reply: {line}");
            }

            lines.Add(line.Length > 4 ? line[4..] : string.Empty);
            if (line.Length == 3 || line[3] != '-')
            {
                return (code, lines);
            }
        }
    }

    public async Task<(int Code, IReadOnlyList<string> Lines)> SmtpAsync(string command)
    {
        await WriteLineAsync(command).ConfigureAwait(false);
        return await ReadSmtpReplyAsync().ConfigureAwait(false);
    }

    private void Arm() => _timeout.CancelAfter(_stepTimeout);

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        _timeout.Dispose();
    }
}
