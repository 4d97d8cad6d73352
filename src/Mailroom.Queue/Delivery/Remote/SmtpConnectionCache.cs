namespace Mailroom.Queue.Delivery.Remote;

/// <summary>
/// Idle SMTP sessions kept after a successful transaction so that the next message to the same host
/// skips connect, greeting, EHLO and TLS (Postfix's connection cache). Sessions idle longer than the
/// cache time are closed.
/// </summary>
internal sealed class SmtpConnectionCache : IAsyncDisposable
{
    private readonly Dictionary<string, Stack<(RelayClient Client, long IdleSince)>> _idle = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _maxIdle;
    private readonly ITimer? _sweeper;
    private bool _disposed;

    public SmtpConnectionCache(TimeProvider time, TimeSpan maxIdle)
    {
        _time = time;
        _maxIdle = maxIdle;
        if (maxIdle > TimeSpan.Zero)
        {
            _sweeper = time.CreateTimer(static state => ((SmtpConnectionCache)state!).Sweep(), this, maxIdle, maxIdle);
        }
    }

    /// <summary>A connected idle session to <paramref name="target"/>, or null.</summary>
    public RelayClient? TryTake(SmtpTarget target)
    {
        List<RelayClient> stale = [];
        RelayClient? found = null;
        lock (_idle)
        {
            if (_idle.TryGetValue(target.Key, out var stack))
            {
                while (found is null && stack.TryPop(out var item))
                {
                    if (item.Client.IsConnected && _time.GetElapsedTime(item.IdleSince) < _maxIdle)
                    {
                        found = item.Client;
                    }
                    else
                    {
                        stale.Add(item.Client);
                    }
                }
            }
        }

        Close(stale);
        return found;
    }

    /// <summary>Keeps a session whose last transaction succeeded; closes it when caching is off.</summary>
    public void Return(RelayClient client)
    {
        if (_maxIdle > TimeSpan.Zero && client.IsConnected)
        {
            lock (_idle)
            {
                if (!_disposed)
                {
                    if (!_idle.TryGetValue(client.Target.Key, out var stack))
                    {
                        stack = new Stack<(RelayClient, long)>();
                        _idle[client.Target.Key] = stack;
                    }

                    stack.Push((client, _time.GetTimestamp()));
                    return;
                }
            }
        }

        Close([client]);
    }

    public async ValueTask DisposeAsync()
    {
        List<RelayClient> all;
        lock (_idle)
        {
            _disposed = true;
            all = [.. _idle.Values.SelectMany(s => s).Select(i => i.Client)];
            _idle.Clear();
        }

        if (_sweeper is not null)
        {
            await _sweeper.DisposeAsync().ConfigureAwait(false);
        }

        foreach (RelayClient client in all)
        {
            await QuitAsync(client).ConfigureAwait(false);
        }
    }

    /// <summary>Says QUIT (RFC 5321 §4.1.1.10) without waiting on a server that does not answer.</summary>
    public static async Task QuitAsync(RelayClient client)
    {
        try
        {
            if (client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await client.DisconnectAsync(true, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or MailKit.Net.Smtp.SmtpProtocolException or MailKit.Net.Smtp.SmtpCommandException or System.Net.Sockets.SocketException)
        {
            // The session is being dropped anyway.
        }
        finally
        {
            client.Dispose();
        }
    }

    private void Sweep()
    {
        List<RelayClient> stale = [];
        lock (_idle)
        {
            foreach (var stack in _idle.Values)
            {
                var keep = stack.Where(i => i.Client.IsConnected && _time.GetElapsedTime(i.IdleSince) < _maxIdle).Reverse().ToArray();
                stale.AddRange(stack.Where(i => !keep.Contains(i)).Select(i => i.Client));
                stack.Clear();
                foreach (var item in keep)
                {
                    stack.Push(item);
                }
            }
        }

        Close(stale);
    }

    private static void Close(List<RelayClient> clients)
    {
        foreach (RelayClient client in clients)
        {
            _ = QuitAsync(client);
        }
    }
}
