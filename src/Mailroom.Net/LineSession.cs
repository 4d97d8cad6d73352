using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Mailroom.Net;

/// <summary>
/// The session loop shared by SMTP, POP3 and IMAP: greeting, then bounded lines handed to the protocol, replies
/// flushed only when no further complete line is buffered (pipelining, RFC 2920), STARTTLS, absolute deadlines (per
/// command line, and for the whole dialogue before login), graceful shutdown, and exceptions caught once here at the
/// session edge. <see cref="CommandSession{TRequest, TState, TEntry}"/> adds the command table, state check and error budget.
/// </summary>
public abstract partial class LineSession
{
    // Bounds the last words (421, * BYE) to a client that stopped reading, so a closing session cannot hang.
    private static readonly TimeSpan s_finalWriteTimeout = TimeSpan.FromSeconds(10);

    private readonly TimeProvider _timeProvider;
    private readonly CancellationTokenSource _sessionCts;
    private byte[] _lineBuffer = [];
    private int _lineLength;

    protected LineSession(MailConnection connection, LineSessionOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Connection = connection;
        MaxLineLength = options.MaxLineLength;
        IdleTimeout = options.IdleTimeout;
        _loginTimeout = options.LoginTimeout is { } login && login <= TimeSpan.Zero
            ? throw new ArgumentOutOfRangeException(nameof(options), login, "The login timeout must be positive.")
            : options.LoginTimeout;
        _minDataRate = options.MinDataRate >= 0
            ? options.MinDataRate
            : throw new ArgumentOutOfRangeException(nameof(options), options.MinDataRate, "The minimum data rate must not be negative.");
        _timeProvider = timeProvider;
        _sessionCts = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionAborted);
    }

    protected MailConnection Connection { get; }

    /// <summary>The current output (<see cref="MailConnection.Output"/>; changes after STARTTLS).</summary>
    protected PipeWriter Output => Connection.Output;

    /// <summary>The current input, for DATA/BDAT/literals (<see cref="MailConnection.Input"/>; changes after STARTTLS).</summary>
    protected PipeReader Input => Connection.Input;

    /// <summary>Longest accepted line in bytes, excluding CRLF; may change with the protocol state.</summary>
    protected int MaxLineLength
    {
        get;
        set => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The line limit must be positive.");
    }

    /// <summary>
    /// Deadline for each command line (absolute from when the loop starts waiting for it), for a reply to drain and for
    /// a handler's raw transfer; may change with the protocol state.
    /// </summary>
    protected TimeSpan IdleTimeout
    {
        get;
        set => field = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The idle timeout must be positive.");
    }

    /// <summary>The first bytes (at most <see cref="TooLongLineKept"/>) of the line last reported too long.</summary>
    protected ReadOnlySpan<byte> TooLongLineHead => _tooLongHead.AsSpan(0, _tooLongHeadLength);

    /// <summary>The last bytes before its CRLF (at most <see cref="TooLongLineKept"/>) of the line last reported too long.</summary>
    protected ReadOnlySpan<byte> TooLongLineTail => _tooLongTail.AsSpan(0, _tooLongTailLength);

    /// <summary>Cancelled when a deadline passes or the connection is aborted; pass it to raw reads of <see cref="Input"/>.</summary>
    protected CancellationToken SessionAborted => _sessionCts.Token;

    /// <summary>Runs the whole session; never throws for client misbehaviour or transport failures.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        SessionEnd end;
        _idleTimer = _timeProvider.CreateTimer(static state => ((LineSession)state!).OnIdleTimerFired(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (_loginTimeout is { } loginTimeout)
        {
            _loginTimer = _timeProvider.CreateTimer(static state => ((LineSession)state!).OnIdleTimerFired(), this, loginTimeout, Timeout.InfiniteTimeSpan);
        }

        var stopRegistration = stopping.UnsafeRegister(static state => ((LineSession)state!).OnStopping(), this);
        try
        {
            end = await RunLoopAsync(SessionAborted).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            end = await HandleFailureAsync(ex).ConfigureAwait(false);
        }
        finally
        {
            await stopRegistration.DisposeAsync().ConfigureAwait(false);
            _idleTimer.Dispose();
            _loginTimer?.Dispose();
        }

        // Whatever ended the session, it stops counting against the connection limits before the disconnect is
        // logged and the socket closed (the replies that end a session already released it before they were sent).
        Connection.ReleaseSlot();
        try
        {
            await OnEndAsync(end).ConfigureAwait(false);
        }
        catch (Exception ex) when (!IsTransportFailure(ex))
        {
            NetLog.SessionFailed(Connection.Logger, ex, Connection.Id, Connection.ListenerName, Connection.RemoteEndPoint);
        }
        finally
        {
            _sessionCts.Dispose();
            if (_lineBuffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_lineBuffer);
                _lineBuffer = [];
            }
        }
    }

    /// <summary>Writes the greeting (or, having set <see cref="RefusedAtGreeting"/>, the refusal that takes its place).</summary>
    protected abstract ValueTask OnStartAsync(CancellationToken ct);

    /// <summary>
    /// Set by <see cref="OnStartAsync"/> when it refused the client instead of greeting it (postscreen's pregreet test):
    /// the loop sends what was written, releases the connection slot and closes without reading a command.
    /// </summary>
    protected bool RefusedAtGreeting { get; set; }

    /// <summary>
    /// Handles one line: <paramref name="line"/> is without its CRLF (or bare LF), copied into a session buffer, valid
    /// until the next line is read; the reader is already past it, so a handler may read <see cref="Input"/> directly.
    /// </summary>
    protected abstract ValueTask<SessionAction> OnLineAsync(ReadOnlyMemory<byte> line, CancellationToken ct);

    /// <summary>
    /// The line exceeded <see cref="MaxLineLength"/>; input has been drained to the next LF without buffering it, except
    /// for its first and last bytes (<see cref="TooLongLineHead"/>, <see cref="TooLongLineTail"/>), which let a protocol
    /// answer the command by its tag (IMAP) rather than end the session.
    /// </summary>
    protected abstract ValueTask<SessionAction> OnLineTooLongAsync(CancellationToken ct);

    /// <summary>
    /// A deadline passed (the command line's, a transfer's or the login's): writes the timeout reply (e.g.
    /// <c>421 4.4.2 host Error: timeout exceeded</c>); the loop flushes and closes.
    /// </summary>
    protected abstract ValueTask OnIdleTimeoutAsync(CancellationToken ct);

    /// <summary>Writes the shutdown reply (e.g. <c>421 4.3.2 Service shutting down</c>); the loop flushes and closes.</summary>
    protected abstract ValueTask OnShutdownAsync(CancellationToken ct);

    /// <summary>
    /// TLS is up after STARTTLS: reset the protocol state (RFC 3207 §4.2: forget everything learnt before). A protocol
    /// that speaks first after the handshake writes its reply here; the loop flushes it before reading.
    /// </summary>
    protected virtual void OnTlsStarted()
    {
    }

    /// <summary>
    /// An unexpected exception ended the session (already logged): write a generic last reply if the protocol has one
    /// (<c>421 4.3.0</c>, <c>* BYE</c>, <c>-ERR</c>). Default: nothing.
    /// </summary>
    protected virtual ValueTask OnErrorAsync(CancellationToken ct) => default;

    /// <summary>The session is over (log the disconnect line); the connection is closed after this returns.</summary>
    protected virtual ValueTask OnEndAsync(SessionEnd reason) => default;

    /// <summary>
    /// Where the secret part of a client line starts (a password, a SASL response), for the session's transcript:
    /// from there on it is written as <c>&lt;redacted&gt;</c>. -1: nothing to hide. Called only for traced sessions.
    /// </summary>
    protected virtual int TraceSecretStart(ReadOnlySpan<byte> line) => -1;

    /// <summary>The protocol announces literals with <c>{N}</c> (IMAP, ManageSieve): the transcript summarises them.</summary>
    protected virtual bool TraceLiterals => false;

    /// <summary>
    /// The session logged in: a running transcript notes it, or one starts when <c>Log:TracePeers</c> lists the user
    /// (one check per login; nothing when the list is empty).
    /// </summary>
    protected void TraceLogin(string user)
    {
        if (Connection.TraceLogin(user))
        {
            Connection.Trace!.SummariseServerLiterals = TraceLiterals;
        }
    }

    /// <summary>Content the client sent outside the line reader (DATA, BDAT, a literal), summarised by size in the transcript.</summary>
    protected void TraceClientSummary(string what, long bytes) => Connection.Trace?.ClientSummary(what, bytes);

    private async Task<SessionEnd> RunLoopAsync(CancellationToken ct)
    {
        if (Connection.Trace is { } startedTrace)
        {
            startedTrace.SummariseServerLiterals = TraceLiterals;
        }

        await OnStartAsync(ct).ConfigureAwait(false);
        _outputPending = true;
        if (RefusedAtGreeting)
        {
            Connection.ReleaseSlot();
            await FlushWithTimeoutAsync(ct).ConfigureAwait(false);
            return SessionEnd.ClientQuit;
        }

        while (true)
        {
            SessionAction action;
            switch (await ReadLineAsync(ct).ConfigureAwait(false))
            {
                case LineStatus.Line:
                    if (Connection.Trace is { } trace)
                    {
                        ReadOnlySpan<byte> traced = _lineBuffer.AsSpan(0, _lineLength);
                        trace.Client(traced, TraceSecretStart(traced));
                    }

                    action = await OnLineAsync(_lineBuffer.AsMemory(0, _lineLength), ct).ConfigureAwait(false);
                    break;
                case LineStatus.TooLong:
                    Connection.Trace?.Client([.. TooLongLineHead, .. "...<line too long>"u8], TraceSecretStart(TooLongLineHead));
                    action = await OnLineTooLongAsync(ct).ConfigureAwait(false);
                    break;
                case LineStatus.Shutdown:
                    await WriteLastWordsAsync(static (session, token) => session.OnShutdownAsync(token)).ConfigureAwait(false);
                    return SessionEnd.Shutdown;
                default:
                    return SessionEnd.ClientDisconnected;
            }

            _outputPending = true;
            if (action == SessionAction.Close)
            {
                // The goodbye is written but not sent: a client that reconnects on reading it must find the slot free.
                Connection.ReleaseSlot();
                await FlushWithTimeoutAsync(ct).ConfigureAwait(false);
                return SessionEnd.ClientQuit;
            }

            if (action == SessionAction.StartTls)
            {
                await FlushWithTimeoutAsync(ct).ConfigureAwait(false);
                try
                {
                    await Connection.UpgradeToTlsAsync(ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is AuthenticationException or IOException
                    || (ex is OperationCanceledException && (!ct.IsCancellationRequested || Volatile.Read(ref _idleExpired) == 1)))
                {
                    // The handshake's own timeout, or the login deadline passing during it: the plaintext pipes are
                    // gone and TLS is not up, so there is no way left to say goodbye.
                    NetLog.StartTlsFailed(Connection.Logger, Connection.Id, Connection.RemoteEndPoint, Connection.ListenerName, ex.Message);
                    return SessionEnd.TlsFailed;
                }

                _draining = false;
                OnTlsStarted();

                // Whatever OnTlsStarted wrote (ManageSieve issues its capabilities again, RFC 5804 §2.2) leaves before
                // the next read; for the other protocols there is nothing to send.
                _outputPending = true;
            }
        }
    }

    private async ValueTask<SessionEnd> HandleFailureAsync(Exception ex)
    {
        if (ex is OperationCanceledException && Volatile.Read(ref _idleExpired) == 1)
        {
            await WriteLastWordsAsync(static (session, token) => session.OnIdleTimeoutAsync(token)).ConfigureAwait(false);
            return SessionEnd.IdleTimeout;
        }

        if (Connection.ConnectionAborted.IsCancellationRequested)
        {
            return SessionEnd.Shutdown;
        }

        if (IsTransportFailure(ex))
        {
            return SessionEnd.ClientDisconnected;
        }

        NetLog.SessionFailed(Connection.Logger, ex, Connection.Id, Connection.ListenerName, Connection.RemoteEndPoint);
        await WriteLastWordsAsync(static (session, token) => session.OnErrorAsync(token)).ConfigureAwait(false);
        return SessionEnd.Error;
    }

    /// <summary>Writes and flushes a closing reply within a bounded time; a client that is gone or not reading is ignored.</summary>
    private async ValueTask WriteLastWordsAsync(Func<LineSession, CancellationToken, ValueTask> write)
    {
        using var timeout = new CancellationTokenSource(s_finalWriteTimeout, _timeProvider);
        using var registration = Connection.ConnectionAborted.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), timeout);
        try
        {
            await write(this, timeout.Token).ConfigureAwait(false);
            Connection.ReleaseSlot();
            await Output.FlushAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsTransportFailure(ex) || ex is OperationCanceledException)
        {
            // The client cannot be told; the connection is closed next either way.
        }
    }

    private static bool IsTransportFailure(Exception ex) =>
        ex is IOException or SocketException or ObjectDisposedException or AuthenticationException;
}
