using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Mailroom.Toolkit.Bench;

/// <summary>
/// <c>mailroom bench sink</c>: an SMTP server that accepts and discards mail as fast as it can, like Postfix's
/// smtp-sink, with optional failure injection and delays to exercise clients' retry paths.
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
        _acceptLoop = AcceptLoopAsync();
    }

    internal string NextQueueId() => Interlocked.Increment(ref _queueIds).ToString("X10", System.Globalization.CultureInfo.InvariantCulture);

    internal void OnMessageAccepted()
    {
        long total = Stats.AddMessage();
        if (_settings.Count is { } count && total >= count)
        {
            _countReached.TrySetResult();
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
            var session = new SinkSession(this, socket, _certificate);
            Task run = session.RunAsync(_stopping.Token);
            lock (_sessionsLock)
            {
                _sessions.RemoveAll(t => t.IsCompleted);
                _sessions.Add(run);
            }
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
