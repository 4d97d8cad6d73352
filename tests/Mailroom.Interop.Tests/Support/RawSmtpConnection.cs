using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Mailroom.Interop.Tests.Support;

/// <summary>
/// A bare TCP connection that speaks SMTP line by line, as an admin does with telnet: no client library in between,
/// so the exact reply lines are what the test sees.
/// </summary>
internal sealed class RawSmtpConnection : IAsyncDisposable
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);

    private readonly TcpClient _client;
    private Stream _stream;
    private StreamReader _reader;

    private RawSmtpConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
        // Latin-1 maps bytes 1:1, so an 8-bit reply could never break the reader.
        _reader = new StreamReader(_stream, Encoding.Latin1, detectEncodingFromByteOrderMarks: false);
    }

    /// <summary>Connects and returns the connection with the greeting already read.</summary>
    public static Task<(RawSmtpConnection Connection, IReadOnlyList<string> Greeting)> ConnectAsync(int port, CancellationToken cancellationToken = default) =>
        ConnectAsync(port, from: null, cancellationToken);

    /// <summary>As <see cref="ConnectAsync(int, CancellationToken)"/>, from the loopback address <paramref name="from"/> (e.g. 127.0.0.5).</summary>
    public static async Task<(RawSmtpConnection Connection, IReadOnlyList<string> Greeting)> ConnectAsync(int port, System.Net.IPAddress? from, CancellationToken cancellationToken = default)
    {
        var client = from is null ? new TcpClient { NoDelay = true } : new TcpClient(new System.Net.IPEndPoint(from, 0)) { NoDelay = true };
        try
        {
            await client.ConnectAsync("127.0.0.1", port, cancellationToken);
        }
        catch
        {
            client.Dispose();
            throw;
        }

        var connection = new RawSmtpConnection(client);
        return (connection, await connection.ReadReplyAsync(cancellationToken));
    }

    /// <summary>
    /// Sends STARTTLS and, on 220, upgrades this connection to TLS (the server's certificate is self-signed, so it is
    /// not verified). Returns the STARTTLS reply.
    /// </summary>
    public async Task<IReadOnlyList<string>> StartTlsAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<string> reply = await CommandAsync("STARTTLS", cancellationToken);
        if (reply[0].StartsWith("220", StringComparison.Ordinal))
        {
            var tls = new SslStream(_stream, leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = MailroomServer.HostName,
                    RemoteCertificateValidationCallback = (_, _, _, _) => true,
                },
                cancellationToken);
            _stream = tls;
            _reader = new StreamReader(_stream, Encoding.Latin1, detectEncodingFromByteOrderMarks: false);
        }

        return reply;
    }

    /// <summary>The server's certificate once <see cref="StartTlsAsync"/> upgraded the connection.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate? RemoteCertificate => (_stream as SslStream)?.RemoteCertificate;

    public async Task SendAsync(string text, CancellationToken cancellationToken = default)
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
    }

    /// <summary>Sends one command line and returns every line of its reply.</summary>
    public async Task<IReadOnlyList<string>> CommandAsync(string line, CancellationToken cancellationToken = default)
    {
        await SendAsync(line + "\r\n", cancellationToken);
        return await ReadReplyAsync(cancellationToken);
    }

    /// <summary>Reads a (possibly multi-line) reply: lines <c>NNN-text</c> until <c>NNN text</c> (RFC 5321 §4.2.1).</summary>
    public async Task<IReadOnlyList<string>> ReadReplyAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReplyTimeout);
        var lines = new List<string>();
        while (true)
        {
            string line = await _reader.ReadLineAsync(timeout.Token)
                ?? throw new IOException($"connection closed after {lines.Count} reply lines");
            lines.Add(line);
            if (line.Length < 4 || line[3] != '-')
            {
                return lines;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
