using System.Collections.Concurrent;
using System.Threading.Channels;
using Mailroom.Core;
using Mailroom.Core.Filtering;
using Mailroom.Directory;
using Mailroom.Queue.Bounces;
using Mailroom.Queue.Delivery;
using Mailroom.Store.Mailboxes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mailroom.Queue;

/// <summary>
/// The queue manager (Postfix's qmgr with its local agent): on start it recovers the spool, then delivers
/// committed messages from an in-memory channel with bounded concurrency, retrying deferred ones with
/// exponential backoff. Usable without the generic host: call <see cref="StartAsync"/> and <see cref="StopAsync"/>.
/// </summary>
public sealed partial class QueueManager : IHostedService, IDisposable
{
    private readonly QueueOptions _options;
    private readonly LocalDeliveryAgent _local;
    private readonly IRemoteDeliveryAgent? _remote;
    private readonly TimeProvider _time;
    private readonly ILogger _qmgrLog;
    private readonly ILogger _localLog;
    private readonly ILogger _smtpLog;
    private readonly ILogger _logger;
    private readonly BounceNotifier _bounces;
    private readonly Channel<QueueEntry> _channel = Channel.CreateUnbounded<QueueEntry>();
    private readonly ConcurrentDictionary<string, QueueEntry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _openSubmissions = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private Task[] _workers = [];
    private FileStream? _lock;
    private Admin.QueueControlServer? _control;
    private bool _disposed;

    /// <param name="options">Queue options.</param>
    /// <param name="store">Where local recipients' mail goes.</param>
    /// <param name="timeProvider">Clock for delays, backoff timers and queue ids.</param>
    /// <param name="loggerFactory">Creates the mail-log loggers (qmgr, local, smtp) and diagnostics.</param>
    /// <param name="directory">When given, a local mailbox is checked to still exist before delivery.</param>
    /// <param name="remoteAgent">When given, delivers non-local recipients; otherwise they stay deferred.</param>
    /// <param name="quota">When given, local delivery refuses a message its recipient's quota has no room for.</param>
    /// <param name="filter">When given (Sieve), decides per local recipient where a message goes.</param>
    /// <param name="localOptions">Local delivery settings (the detail folder).</param>
    /// <param name="sendingCounters">When given, the control socket answers <c>mailroom limits</c> with them.</param>
    public QueueManager(
        IOptions<QueueOptions> options,
        IMailboxStore store,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory,
        IMailDirectory? directory = null,
        IRemoteDeliveryAgent? remoteAgent = null,
        IMailboxQuota? quota = null,
        IDeliveryFilter? filter = null,
        IOptions<LocalDeliveryOptions>? localOptions = null,
        ISendingCounters? sendingCounters = null)
    {
        SendingCounters = sendingCounters;
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options.Value;
        _local = new LocalDeliveryAgent(store, directory, quota, timeProvider, localOptions?.Value, filter, new SpoolQueue(this));
        _remote = remoteAgent;
        _time = timeProvider;
        _qmgrLog = loggerFactory.CreateLogger(MaillogCategories.Qmgr);
        _localLog = loggerFactory.CreateLogger(MaillogCategories.Local);
        _smtpLog = loggerFactory.CreateLogger(MaillogCategories.Smtp);
        _logger = loggerFactory.CreateLogger<QueueManager>();
        Directories = new QueueDirectories(_options.QueueDirectory);
        Directories.EnsureCreated();
        Space = new QueueSpace(Directories.Root, _options.MinFreeSpace);
        _bounces = new BounceNotifier(_options, new SpoolQueue(this), directory, timeProvider, loggerFactory.CreateLogger(MaillogCategories.Bounce));
    }

    internal QueueDirectories Directories { get; }

    /// <summary>The SMTP server's sending-limit counters, shown by <c>mailroom limits</c>; null when not counted.</summary>
    internal ISendingCounters? SendingCounters { get; }

    internal QueueSpace Space { get; }

    internal TimeProvider TimeProvider => _time;

    /// <summary>The defer log of a message: <c>defer/&lt;id&gt;</c> (see <see cref="RecipientStatusFile"/>).</summary>
    internal string DeferLogPath(string id) => Path.Combine(Directories.Defer, id);

    /// <summary>
    /// Takes the queue lock (one owner per spool: a second server, or the CLI editing files of a stopped
    /// queue, waits for it), recovers the spool (see <see cref="Recover"/>), starts the delivery workers and
    /// the control socket of <c>mailroom queue</c>.
    /// </summary>
    /// <exception cref="IOException">Another process holds the queue for more than 10 s.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        for (int i = 0; i < 100 && _lock is null; i++)
        {
            _lock = Admin.QueueLock.TryAcquire(Directories);
            if (_lock is null)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }

        if (_lock is null)
        {
            throw new IOException($"the queue {Directories.Root} is in use by another process (lock {Directories.LockFile})");
        }

        Recover();
        var workers = new Task[_options.DeliveryConcurrency];
        for (int i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(() => WorkAsync(_stopping.Token), CancellationToken.None);
        }

        _workers = workers;
        _control = new Admin.QueueControlServer(this, Directories.ControlSocket, _logger);
        _control.Start();
    }

    /// <summary>
    /// Stops delivering: running attempts are cancelled (a cancelled Maildir write leaves nothing behind)
    /// and every message not yet finished stays in the spool for the next start.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (QueueEntry entry in _entries.Values)
        {
            entry.RetryTimer?.Dispose();
        }

        if (_control is not null)
        {
            await _control.DisposeAsync().ConfigureAwait(false);
            _control = null;
        }

        await Task.WhenAll(_workers).WaitAsync(cancellationToken).ConfigureAwait(false);
        _lock?.Dispose();
        _lock = null;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stopping.Cancel();
        foreach (QueueEntry entry in _entries.Values)
        {
            entry.RetryTimer?.Dispose();
        }

        _stopping.Dispose();
        _control?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _lock?.Dispose();
    }

    /// <summary>
    /// Tracks <paramref name="id"/> as an open submission, which may write <c>incoming/&lt;id&gt;</c> (recovery must leave
    /// it alone); false when one has it already.
    /// </summary>
    internal bool TryTrackIncoming(string id) => _openSubmissions.TryAdd(id, true);

    /// <summary>See <see cref="QueueOptions.DirectMemoryLimit"/>.</summary>
    internal int DirectMemoryLimit => _options.DirectMemoryLimit;

    internal void UntrackIncoming(string id) => _openSubmissions.TryRemove(id, out _);

    /// <summary>True when <paramref name="id"/> names a message already in the queue.</summary>
    internal bool IsQueued(string id) =>
        _entries.ContainsKey(id)
        || File.Exists(Path.Combine(Directories.Hold, id))
        || File.Exists(Path.Combine(Directories.Active, id))
        || File.Exists(Path.Combine(Directories.Deferred, id));

    /// <summary>Hands a durable entry to the delivery workers (once, however often it is found).</summary>
    internal void Schedule(QueueEntry entry)
    {
        if (_entries.TryAdd(entry.Id, entry))
        {
            Enqueue(entry);
        }
    }

    /// <summary>Puts an entry in the delivery channel unless it is there already or withdrawn.</summary>
    private void Enqueue(QueueEntry entry)
    {
        lock (entry)
        {
            if (entry.InChannel || entry.Withdrawn)
            {
                return;
            }

            entry.InChannel = true;
        }

        _channel.Writer.TryWrite(entry);
    }

    private async Task WorkAsync(CancellationToken stopping)
    {
        ChannelReader<QueueEntry> reader = _channel.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                while (!stopping.IsCancellationRequested && reader.TryRead(out QueueEntry? entry))
                {
                    lock (entry)
                    {
                        entry.InChannel = false;
                    }

                    await entry.Gate.WaitAsync(stopping).ConfigureAwait(false);
                    try
                    {
                        if (!entry.Withdrawn)
                        {
                            await AttemptAsync(entry, stopping).ConfigureAwait(false);
                        }
                    }
                    finally
                    {
                        entry.Gate.Release();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: unfinished messages stay on disk.
        }
    }

    private async ValueTask AttemptAsync(QueueEntry entry, CancellationToken stopping)
    {
        try
        {
            await DeliverAsync(entry, stopping).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            // Removed by the administrator (or its data file vanished): nothing left to deliver.
            QueueDiagnostics.Vanished(_logger, entry.Id);
            _entries.TryRemove(entry.Id, out _);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && stopping.IsCancellationRequested))
        {
            // Whatever went wrong, the message stays on disk and the worker keeps serving the others.
            QueueDiagnostics.AttemptFailed(_logger, entry.Id, ex);
            ScheduleRetry(entry);
        }
    }

    private void ScheduleRetry(QueueEntry entry)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        entry.Attempts++;
        double factor = Math.Pow(2, Math.Min(entry.Attempts - 1, 20));
        TimeSpan delay = _options.MinimalBackoff * factor;
        if (delay > _options.MaximalBackoff)
        {
            delay = _options.MaximalBackoff;
        }

        entry.NextAttempt = _time.GetUtcNow() + delay;
        string deferLog = DeferLogPath(entry.Id);
        try
        {
            // Postfix's defer/ logfile: why each recipient waits, and (here) when the next attempt is due.
            using var log = new RecipientStatusFile(deferLog);
            foreach (int index in entry.Deferrals)
            {
                Delivery.RecipientOutcome? outcome = entry.LastOutcomes[index];
                if (outcome is { } o)
                {
                    log.Append(index, o.Status, o.Dsn, o.Text);
                }
            }

            log.AppendRetry(entry.NextAttempt.Value, entry.Attempts);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Without the line a restart retries at once: earlier than planned, never lost.
            QueueDiagnostics.CleanupFailed(_logger, deferLog, ex);
        }

        entry.Deferrals.Clear();

        // From the recorded due time, not "delay from now": the defer log above is the schedule, and the time spent
        // writing it must not push the attempt later than what it says.
        TimeSpan remaining = entry.NextAttempt.Value - _time.GetUtcNow();
        StartTimer(entry, remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
    }

    private void StartTimer(QueueEntry entry, TimeSpan delay)
    {
        entry.RetryTimer?.Dispose();
        entry.RetryTimer = _time.CreateTimer(
            static state =>
            {
                var (manager, e) = ((QueueManager, QueueEntry))state!;
                manager.Enqueue(e);
            },
            (this, entry),
            delay,
            Timeout.InfiniteTimeSpan);
        QueueDiagnostics.RetryScheduled(_logger, entry.Id, delay);
    }
}
