using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace Mailroom.Toolkit.Smtp;

/// <summary>
/// A lean SMTP client connection over a socket: writes raw command bytes and parses replies from one reused
/// buffer. Built for <c>bench send</c>, where MailKit's per-message allocations would measure the client instead
/// of the server.
/// </summary>
internal sealed class SmtpWireClient : IAsyncDisposable
{
    private const int MaxReplyLine = 4096;
    private readonly byte[] _buffer = new byte[16384];
    private readonly TimeSpan _timeout;
    private readonly CancellationTokenSource _timeoutSource;
    private Stream _stream;
    private int _start;
    private int _end;

    private SmtpWireClient(Stream stream, TimeSpan timeout, CancellationToken cancellationToken)
    {
        _stream = stream;
        _timeout = timeout;
        _timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    public bool IsSecure => _stream is SslStream;

    /// <summary>Set by the caller once EHLO showed PIPELINING and the user allowed it.</summary>
    public bool Pipelining { get; set; }

    public static async Task<SmtpWireClient> ConnectAsync(EndPoint endPoint, string host, bool implicitTls, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connectTimeout.CancelAfter(timeout);
                await socket.ConnectAsync(endPoint, connectTimeout.Token).ConfigureAwait(false);
            }

            var client = new SmtpWireClient(new NetworkStream(socket, ownsSocket: true), timeout, cancellationToken);
            if (implicitTls)
            {
                await client.StartTlsAsync(host).ConfigureAwait(false);
            }

            return client;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Switches the connection to TLS. A benchmark accepts any certificate: it measures, it does not trust.</summary>
    public async Task StartTlsAsync(string host)
    {
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = host,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        };
        ArmTimeout();
        await ssl.AuthenticateAsClientAsync(options, _timeoutSource.Token).ConfigureAwait(false);
        _stream = ssl;

        // RFC 3207 §4.2: nothing received before the handshake may be used afterwards.
        _start = _end = 0;
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data)
    {
        ArmTimeout();
        return _stream.WriteAsync(data, _timeoutSource.Token);
    }

    public async ValueTask<SmtpReply> CommandAsync(string command, bool keepLines = false)
    {
        await WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n")).ConfigureAwait(false);
        return await ReadReplyAsync(keepLines).ConfigureAwait(false);
    }

    /// <summary>Reads one possibly multi-line reply (<c>250-…</c> lines until <c>250 …</c>).</summary>
    public async ValueTask<SmtpReply> ReadReplyAsync(bool keepLines = false)
    {
        List<string>? lines = null;
        while (true)
        {
            int offset = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (offset < 0)
            {
                await FillAsync().ConfigureAwait(false);
                continue;
            }

            int lf = _start + offset;
            int lineLength = offset;
            if (lineLength < 3)
            {
                throw new IOException("Malformed SMTP reply line.");
            }

            ReadOnlySpan<byte> line = _buffer.AsSpan(_start, lineLength).TrimEnd((byte)'\r');
            int code = ParseCode(line);
            bool last = line.Length == 3 || line[3] != (byte)'-';
            if (keepLines || code >= 400)
            {
                lines ??= [];
                lines.Add(line.Length > 4 ? Encoding.UTF8.GetString(line[4..]) : string.Empty);
            }

            _start = lf + 1;
            if (last)
            {
                return new SmtpReply(code, lines);
            }
        }
    }

    /// <summary>The three-digit code that starts a reply line (RFC 5321 §4.2); the blocking bench sender shares it.</summary>
    internal static int ParseCode(ReadOnlySpan<byte> line)
    {
        int code = 0;
        for (int i = 0; i < 3; i++)
        {
            int digit = line[i] - '0';
            if (digit is < 0 or > 9)
            {
                throw new IOException("Malformed SMTP reply code.");
            }

            code = (code * 10) + digit;
        }

        return code;
    }

    private async ValueTask FillAsync()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end >= MaxReplyLine && _end == _buffer.Length)
        {
            throw new IOException("SMTP reply line too long.");
        }

        ArmTimeout();
        int read = await _stream.ReadAsync(_buffer.AsMemory(_end), _timeoutSource.Token).ConfigureAwait(false);
        if (read == 0)
        {
            throw new IOException("Server closed the connection.");
        }

        _end += read;
    }

    // Re-arming one source per connection avoids a new linked token per read (CancelAfter resets the due time).
    private void ArmTimeout() => _timeoutSource.CancelAfter(_timeout);

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        _timeoutSource.Dispose();
    }
}
