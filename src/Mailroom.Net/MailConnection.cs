using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Mailroom.Core.Telemetry;
using Mailroom.Net.Trace;
using Microsoft.Extensions.Logging;

namespace Mailroom.Net;

/// <summary>
/// One accepted client connection (after implicit TLS when the listener has it). The transport is a pair of pipes
/// over the socket's stream, or over the TLS stream once TLS is up; <see cref="Input"/> and <see cref="Output"/>
/// change at the STARTTLS upgrade, so read them anew after it.
/// </summary>
public sealed partial class MailConnection
{
    private static long s_nextId;

    private readonly Socket _socket;
    private readonly NetworkStream _networkStream;
    private readonly TlsCertificateProvider _certificates;
    private readonly TimeSpan _handshakeTimeout;
    private readonly TimeProvider _timeProvider;
    private readonly CancellationTokenSource _aborted = new();
    private SslStream? _sslStream;
    private PipeWriter _output;
    private TracingPipeWriter? _tracedOutput;

    internal MailConnection(
        string listenerName,
        Socket socket,
        TlsCertificateProvider certificates,
        TimeSpan handshakeTimeout,
        TimeProvider timeProvider,
        ILogger logger)
    {
        Id = Interlocked.Increment(ref s_nextId);
        ListenerName = listenerName;
        _socket = socket;
        _certificates = certificates;
        _handshakeTimeout = handshakeTimeout;
        _timeProvider = timeProvider;
        Logger = logger;
        RemoteEndPoint = Normalize((IPEndPoint)socket.RemoteEndPoint!);
        LocalEndPoint = Normalize((IPEndPoint)socket.LocalEndPoint!);
        IsLoopback = IPAddress.IsLoopback(RemoteEndPoint.Address);
        _networkStream = new NetworkStream(socket, ownsSocket: true);
        (Input, _output) = CreatePipes(_networkStream);
    }

    /// <summary>Unique per process, for logs.</summary>
    public long Id { get; }

    /// <summary>The listener binding's name: <c>smtp</c>, <c>submission</c>, <c>smtps</c>, <c>pop3</c>, ...</summary>
    public string ListenerName { get; }

    /// <summary>The client's address (IPv4-mapped IPv6 addresses are given as IPv4).</summary>
    public IPEndPoint RemoteEndPoint { get; }

    /// <summary>The local address the client connected to.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The client address is 127.0.0.0/8 or ::1 (or IPv4-mapped loopback).</summary>
    public bool IsLoopback { get; }

    /// <summary>The current transport's input (changes after STARTTLS).</summary>
    public PipeReader Input { get; private set; }

    /// <summary>The current transport's output (changes after STARTTLS).</summary>
    public PipeWriter Output => _tracedOutput ?? _output;

    /// <summary>This session's transcript (<c>Log:TracePeers</c>), or null: nearly every session has none.</summary>
    public SessionTrace? Trace { get; private set; }

    /// <summary>Set when <c>Log:TracePeers</c> lists anything, so that a login can still start a transcript.</summary>
    internal SessionTracer? Tracer { get; set; }

    /// <summary>TLS is established (implicit or STARTTLS).</summary>
    public bool IsSecure => Tls is not null;

    /// <summary>The negotiated TLS parameters; null until TLS.</summary>
    public TlsDetails? Tls { get; private set; }

    /// <summary>Cancelled when the host aborts the connection (after the shutdown timeout).</summary>
    public CancellationToken ConnectionAborted => _aborted.Token;

    internal ILogger Logger { get; }

    /// <summary>The connection-limit slot this connection holds, once the limiter granted one.</summary>
    internal ConnectionLimiter.ConnectionSlot? Slot { get; set; }

    /// <summary>
    /// The session is over (its last reply is written, not yet sent): the connection stops counting against the
    /// connection limits now, before the client can read the goodbye and reconnect. Idempotent.
    /// </summary>
    internal void ReleaseSlot() => Slot?.Release();

    /// <summary>
    /// Starts TLS mid-session (SMTP STARTTLS, POP3 STLS, IMAP STARTTLS). RFC 3207 §4.2 / CVE-2011-0411: any bytes the
    /// client sent after the command and that are already buffered are discarded, never executed; the handshake then
    /// runs on the raw socket stream (TLS 1.2/1.3 only, with the current certificate) within the handshake timeout.
    /// The caller must have flushed its "ready to start TLS" reply.
    /// </summary>
    /// <exception cref="InvalidOperationException">TLS is already active.</exception>
    /// <exception cref="IOException">The transport failed or the client closed it.</exception>
    /// <exception cref="System.Security.Authentication.AuthenticationException">The handshake failed.</exception>
    /// <exception cref="OperationCanceledException">The handshake timed out or was cancelled.</exception>
    public async ValueTask UpgradeToTlsAsync(CancellationToken cancellationToken)
    {
        if (IsSecure)
        {
            throw new InvalidOperationException("TLS is already active on this connection.");
        }

        if (Input.TryRead(out var buffered))
        {
            Input.AdvanceTo(buffered.Buffer.End);
        }

        await Output.FlushAsync(cancellationToken).ConfigureAwait(false);
        await Input.CompleteAsync().ConfigureAwait(false);
        await Output.CompleteAsync().ConfigureAwait(false);
        await AuthenticateAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Implicit TLS: the handshake before any protocol byte (SMTPS, POP3S, IMAPS).</summary>
    internal async ValueTask AuthenticateImplicitTlsAsync(CancellationToken cancellationToken)
    {
        await Input.CompleteAsync().ConfigureAwait(false);
        await Output.CompleteAsync().ConfigureAwait(false);
        await AuthenticateAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask AuthenticateAsync(CancellationToken cancellationToken)
    {
        var sslStream = new SslStream(_networkStream, leaveInnerStreamOpen: true);
        _sslStream = sslStream;
        using var timeout = new CancellationTokenSource(_handshakeTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token, _aborted.Token);
        try
        {
            await sslStream.AuthenticateAsServerAsync(_certificates.GetServerOptions(), linked.Token).ConfigureAwait(false);
        }
        catch
        {
            MailroomMetrics.TlsHandshakes.Add(1, MailroomMetrics.Tag("service", ListenerName), MailroomMetrics.Tag("result", "failed"));
            throw;
        }

        MailroomMetrics.TlsHandshakes.Add(1, MailroomMetrics.Tag("service", ListenerName), MailroomMetrics.Tag("result", "ok"));
        var suite = sslStream.NegotiatedCipherSuite;
        var suiteName = suite.ToString();
        Tls = new TlsDetails(sslStream.SslProtocol, suite, suiteName, TlsCipherStrength.KeyBits(suiteName));
        (Input, _output) = CreatePipes(sslStream);
        if (Trace is { } trace)
        {
            _tracedOutput = new TracingPipeWriter(_output, trace);
            trace.Note($"TLS started: {Tls.ProtocolName}, {suiteName}");
        }
    }

    /// <summary>Starts the transcript (at connect, for a listed address): from here on both directions are traced.</summary>
    internal void StartTrace(SessionTrace trace)
    {
        Trace = trace;
        _tracedOutput = new TracingPipeWriter(_output, trace);
    }

    /// <summary>
    /// The session logged in as <paramref name="user"/>: notes it in a running transcript, or starts one when
    /// <c>Log:TracePeers</c> lists the user. Returns whether a transcript is now running.
    /// </summary>
    public bool TraceLogin(string user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (Trace is { } trace)
        {
            trace.Note("logged in as " + user);
            return true;
        }

        if (Tracer?.StartForUser(this, user) is { } started)
        {
            StartTrace(started);
            return true;
        }

        return false;
    }

    /// <summary>Closes the socket at once; pending reads and writes fail. Used when the shutdown timeout has passed.</summary>
    internal void Abort()
    {
        try
        {
            _aborted.Cancel();
        }
        catch (AggregateException)
        {
            // A callback registered by a session failed; the socket is closed below all the same.
        }

        _socket.Dispose();
    }

    /// <summary>Flushes what is buffered (best effort), then closes TLS and the socket.</summary>
    internal async ValueTask CloseAsync()
    {
        try
        {
            await Output.CompleteAsync().ConfigureAwait(false);
            await Input.CompleteAsync().ConfigureAwait(false);
            if (_sslStream is not null)
            {
                // RFC 8446 §6.1: end the TLS session with close_notify, so that clients (openssl s_client) can tell
                // a finished session from a truncated one. Bounded: a client that stopped reading must not hold us.
                await _sslStream.ShutdownAsync().WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                await _sslStream.DisposeAsync().ConfigureAwait(false);
            }

            // A FIN rather than a reset, so that a last reply ("221", "421") is not lost to unread client data.
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or InvalidOperationException or TimeoutException)
        {
            // The client is already gone; nothing left to deliver.
        }
        finally
        {
            await _networkStream.DisposeAsync().ConfigureAwait(false);
            _aborted.Dispose();
            if (Trace is { } trace)
            {
                trace.Note("connection closed");
                trace.Dispose();
            }
        }
    }

    // The stream writer sends each buffer segment with its own write (one sendto, or one TLS record): with the default
    // 4 KB segments a FETCH of many messages or a large RETR costs a syscall per 4 KB. Segments are rented only while
    // output is pending and returned at each flush, so an idle connection holds none.
    private const int OutputSegmentSize = 64 * 1024;

    private static (PipeReader, PipeWriter) CreatePipes(Stream stream) => (
        PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true)),
        PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: OutputSegmentSize, leaveOpen: true)));

    private static IPEndPoint Normalize(IPEndPoint endPoint) => endPoint.Address.IsIPv4MappedToIPv6
        ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port)
        : endPoint;
}
