using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using Mailroom.Net.Trace;

namespace Mailroom.Net;

/// <summary>
/// Binds every <see cref="ListenerBinding"/> (IPv4 and IPv6), accepts connections, enforces the
/// <see cref="NetOptions"/> limits, runs implicit TLS and the protocol handlers. On stop it stops accepting, cancels
/// the handlers' <c>stopping</c> token, waits up to <see cref="NetOptions.ShutdownTimeout"/> for sessions to end,
/// then aborts the rest.
/// </summary>
public sealed partial class MailListenerHost : IHostedService, IDisposable
{
    private static readonly TimeSpan s_rejectWriteTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_abortDrainTimeout = TimeSpan.FromSeconds(2);

    private readonly IReadOnlyList<ListenerBinding> _bindings;
    private readonly TlsCertificateProvider _certificates;
    private volatile NetOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<MailListenerHost> _logger;
    private readonly ConnectionLimiter _limiter;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Listener> _listeners = [];
    private readonly List<Task> _acceptLoops = [];
    private readonly ConcurrentDictionary<long, MailConnection> _connections = new();
    private int _activeCount;
    private bool _bound;
    private bool _started;
    private readonly SessionTracer? _tracer;

    public MailListenerHost(
        IEnumerable<ListenerBinding> bindings,
        TlsCertificateProvider certificates,
        IOptions<NetOptions> options,
        TimeProvider timeProvider,
        ILogger<MailListenerHost> logger,
        SessionTracer? tracer = null)
    {
        ArgumentNullException.ThrowIfNull(bindings);
        ArgumentNullException.ThrowIfNull(options);
        _bindings = [.. bindings];
        _certificates = certificates;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _tracer = tracer;
        _limiter = new ConnectionLimiter(_options);
    }

    /// <summary>True from the start of accepting until stop begins (the readiness check's "listeners up").</summary>
    public bool IsAccepting => _started && !_stopping.IsCancellationRequested;

    /// <summary>Sessions running now by listener name (status output).</summary>
    public IReadOnlyDictionary<string, int> SessionsByListener() =>
        _connections.Values.GroupBy(c => c.ListenerName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>
    /// Takes a reloaded configuration's connection limits, exemptions, handshake and shutdown timeouts. Connections
    /// already accepted keep their slots; the new limits apply from the next connection. Listener addresses and ports
    /// are bound once and change only at a restart.
    /// </summary>
    public void Reconfigure(NetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _limiter.Reconfigure(options);
        _options = options;
    }

    /// <summary>Number of connections currently holding a slot, all classes (for tests and status output).</summary>
    public int ConnectionCount => _limiter.Count;

    /// <summary>Number of connections of one listener class currently holding a slot.</summary>
    public int ConnectionCountOf(ListenerClass listenerClass) => _limiter.CountOf(listenerClass);

    /// <summary>Test seam: creates a bound, listening socket (replaced to simulate bind failures).</summary>
    internal Func<IPEndPoint, Socket> BindSocket { get; set; } = ListenerSocket.Bind;

    /// <summary>The endpoints actually bound for the named listener (port 0 resolved to the ephemeral port).</summary>
    public IReadOnlyList<IPEndPoint> GetBoundEndPoints(string name)
    {
        lock (_listeners)
        {
            return [.. _listeners.Where(l => string.Equals(l.Binding.Name, name, StringComparison.Ordinal)).Select(l => l.EndPoint)];
        }
    }

    /// <summary>
    /// Loads the certificate and binds every endpoint without accepting yet, so that a process started as root can
    /// bind ports below 1024 and read its key, then drop its privileges before any byte is read from the network.
    /// <see cref="StartAsync"/> binds first when this was not called. Idempotent.
    /// </summary>
    /// <exception cref="NetStartupException">A port cannot be bound or the certificate cannot be loaded; the message says what to change.</exception>
    public void Bind()
    {
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        lock (_listeners)
        {
            if (_bound)
            {
                return;
            }
        }

        _certificates.EnsureLoaded();
        var bound = new List<Listener>();
        try
        {
            foreach (var binding in _bindings)
            {
                foreach (var endPoint in binding.EndPoints)
                {
                    if (TryBind(binding, endPoint) is { } listener)
                    {
                        bound.Add(listener);
                    }
                }
            }
        }
        catch
        {
            foreach (var listener in bound)
            {
                listener.Socket.Dispose();
            }

            throw;
        }

        lock (_listeners)
        {
            _listeners.AddRange(bound);
            _bound = true;
        }
    }

    /// <summary>Binds (unless <see cref="Bind"/> already did), then starts accepting.</summary>
    /// <exception cref="NetStartupException">A port cannot be bound or the certificate cannot be loaded; the message says what to change.</exception>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        if (_started)
        {
            throw new InvalidOperationException("The listener host is already started.");
        }

        Bind();
        List<Listener> bound;
        lock (_listeners)
        {
            bound = [.. _listeners];
        }

        _started = true;
        foreach (var listener in bound)
        {
            NetLog.Listening(_logger, listener.EndPoint, listener.Binding.Name);
            _acceptLoops.Add(AcceptLoopAsync(listener));
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops accepting, cancels sessions, waits up to the shutdown timeout, then aborts what is left.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_started || _stopping.IsCancellationRequested)
        {
            return;
        }

        List<Listener> listeners;
        lock (_listeners)
        {
            listeners = [.. _listeners];
        }

        foreach (var listener in listeners)
        {
            listener.Socket.Dispose();
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);
        foreach (var name in listeners.Select(l => l.Binding.Name).Distinct(StringComparer.Ordinal))
        {
            NetLog.StoppedListening(_logger, name);
        }

        if (Volatile.Read(ref _activeCount) == 0)
        {
            return;
        }

        using var graceEnded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var grace = Task.Delay(_options.ShutdownTimeout, _timeProvider, graceEnded.Token);
        await Task.WhenAny(_drained.Task, grace).ConfigureAwait(false);
        await graceEnded.CancelAsync().ConfigureAwait(false);
        if (_drained.Task.IsCompleted)
        {
            return;
        }

        NetLog.AbortingConnections(_logger, _connections.Count);
        foreach (var connection in _connections.Values)
        {
            connection.Abort();
        }

        try
        {
            await _drained.Task.WaitAsync(s_abortDrainTimeout, TimeProvider.System).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Handlers that ignore both cancellation and a closed socket are left behind; the process is exiting.
        }
    }

    public void Dispose()
    {
        lock (_listeners)
        {
            foreach (var listener in _listeners)
            {
                listener.Socket.Dispose();
            }
        }

        _stopping.Dispose();
    }

    private Listener? TryBind(ListenerBinding binding, IPEndPoint endPoint)
    {
        try
        {
            var socket = BindSocket(endPoint);
            return new Listener(binding, socket, (IPEndPoint)socket.LocalEndPoint!);
        }
        catch (SocketException ex) when (ListenerSocket.IsMissingIPv6(endPoint, ex) && binding.EndPoints.Count > 1)
        {
            NetLog.IPv6Unavailable(_logger, endPoint, binding.Name, ex.SocketErrorCode);
            return null;
        }
        catch (SocketException ex)
        {
            throw new NetStartupException(ListenerSocket.DescribeBindFailure(binding, endPoint, ex), ex);
        }
    }

    private sealed record Listener(ListenerBinding Binding, Socket Socket, IPEndPoint EndPoint);
}
