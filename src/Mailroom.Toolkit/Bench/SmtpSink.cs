using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Mailroom.Toolkit.Bench;

/// <summary>
/// <c>mailroom bench sink</c>: an SMTP server that accepts and discards mail as fast as it can, like Postfix's
/// smtp-sink, with optional failure injection and delays to exercise clients' retry paths. Like smtp-sink's
/// processes, plain sessions run on threads that each accept a connection and serve it with blocking calls: no
/// epoll registration or thread-pool hop per connection or per read. One thread always waits in accept; a new one
/// starts when the last waiting one takes a connection, up to <see cref="SinkSettings.MaxSessionThreads"/>.
/// </summary>
internal sealed class SmtpSink : IAsyncDisposable
{
    private readonly SinkSettings _settings;
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _countReached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Task> _sessions = [];
    private readonly Lock _sessionsLock = new();
    private readonly X509Certificate2? _certificate;
    private Task _acceptLoop = Task.CompletedTask;
    private long _queueIds;
    private int _threads;
    private int _idleThreads;

    public SmtpSink(SinkSettings settings, TimeProvider time)
    {
        _settings = settings;
        _listener = new Socket(settings.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (settings.StartTls || settings.ImplicitTls)
        {
            _certificate = settings.Certificate ?? SelfSignedCertificate.Create(settings.HostName, time.GetUtcNow());
        }
    }

    public SinkStats Stats { get; } = new();

    public SinkSettings Settings => _settings;

    public X509Certificate2? Certificate => _certificate;

    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>Completes when <see cref="SinkSettings.Count"/> messages were accepted.</summary>
    public Task CountReached => _countReached.Task;

    public void Start()
    {
        _listener.Bind(new IPEndPoint(_settings.Address, _settings.Port));
        _listener.Listen(512);
        if (_settings.ImplicitTls || _settings.MaxSessionThreads < 1)
        {
            _acceptLoop = AcceptLoopAsync();
        }
        else
        {
            TryStartSessionThread();
        }
    }

    internal long NextQueueId() => Interlocked.Increment(ref _queueIds);

    internal void OnMessageAccepted()
    {
        long total = Stats.AddMessage();
        if (_settings.Count is { } count && total >= count)
        {
            _countReached.TrySetResult();
        }
    }

    private bool TryStartSessionThread()
    {
        if (Interlocked.Increment(ref _threads) > _settings.MaxSessionThreads)
        {
            Interlocked.Decrement(ref _threads);
            return false;
        }

        Interlocked.Increment(ref _idleThreads);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Track(done.Task);
        var thread = new Thread(() =>
        {
            try
            {
                SessionThread();
            }
            finally
            {
                done.SetResult();
            }
        })
        {
            IsBackground = true,
            Name = "sink session",
        };
        thread.Start();
        return true;
    }

    private void SessionThread()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = _listener.Accept();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return;
            }

            socket.NoDelay = true;
            Stats.AddConnection();
            if (Interlocked.Decrement(ref _idleThreads) == 0 && !TryStartSessionThread())
            {
                // Every thread is busy and no more may start: serve this one asynchronously and keep accepting.
                Interlocked.Increment(ref _idleThreads);
                Track(new SinkSession(this, socket, _certificate, blocking: false).RunAsync(_stopping.Token));
                continue;
            }

            // Completes synchronously unless the session starts TLS; then this thread waits for it.
            new SinkSession(this, socket, _certificate, blocking: true).RunAsync(_stopping.Token).GetAwaiter().GetResult();
            Interlocked.Increment(ref _idleThreads);
        }
    }

    private void Track(Task session)
    {
        lock (_sessionsLock)
        {
            _sessions.RemoveAll(t => t.IsCompleted);
            _sessions.Add(session);
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            socket.NoDelay = true;
            Stats.AddConnection();
            Track(new SinkSession(this, socket, _certificate, blocking: false).RunAsync(_stopping.Token));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        Task[] running;
        lock (_sessionsLock)
        {
            running = [.. _sessions];
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        if (_settings.Certificate is null)
        {
            _certificate?.Dispose();
        }
        _stopping.Dispose();
    }
}
