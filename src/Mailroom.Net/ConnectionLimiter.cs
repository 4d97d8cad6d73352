using System.Net;

namespace Mailroom.Net;

/// <summary>
/// Counts live connections per listener class, in total and per client (IPv4 address or IPv6 /64): the two checks
/// of Kestrel's ConnectionLimitMiddleware and Postfix's anvil, kept apart per class so that a flood of one service
/// cannot refuse another. Exempt clients (trusted networks, as anvil exempts <c>mynetworks</c>) count towards the
/// class total only. A slot is taken before the protocol starts and given back by <see cref="ConnectionSlot.Release"/>
/// as soon as the session has said its last word, so a client that reconnects on reading the goodbye finds it free.
/// </summary>
internal sealed class ConnectionLimiter
{
    private readonly Pool[] _pools;
    private volatile IReadOnlyList<IPNetwork> _exemptions;

    public ConnectionLimiter(NetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _pools = [.. Enum.GetValues<ListenerClass>().Select(_ => new Pool(0, 0))];
        _exemptions = [];
        Reconfigure(options);
    }

    /// <summary>Sets the limits and exemptions; live connections keep their slots and count against the new limits.</summary>
    public void Reconfigure(NetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<IPNetwork> exemptions = NetworkList.TryParse(options.ConnectionLimitExemptions, "Net:ConnectionLimitExemptions", out IReadOnlyList<IPNetwork> parsed, out string? error)
            ? parsed
            : throw new ArgumentException(error, nameof(options));
        foreach (ListenerClass c in Enum.GetValues<ListenerClass>())
        {
            ConnectionPoolOptions pool = options.Pools.For(c);
            _pools[(int)c].SetLimits(pool.MaxConnections ?? options.MaxConnections, pool.MaxConnectionsPerIp ?? options.MaxConnectionsPerIp);
        }

        _exemptions = exemptions;
    }

    /// <summary>Live connections over all classes.</summary>
    public int Count => _pools.Sum(static p => p.Count);

    /// <summary>Live connections of one class.</summary>
    public int CountOf(ListenerClass listenerClass) => _pools[(int)listenerClass].Count;

    /// <summary>
    /// Takes a slot of <paramref name="listenerClass"/> for <paramref name="address"/>, or returns why none is free
    /// (then nothing is taken). <paramref name="exempt"/> skips the per-client check (the listener trusts the client).
    /// </summary>
    public ConnectionRejection? TryAcquire(ListenerClass listenerClass, IPAddress address, bool exempt, out ConnectionSlot? slot)
    {
        ArgumentNullException.ThrowIfNull(address);
        IPAddress? block = exempt || NetworkList.Contains(_exemptions, address) ? null : ClientAddressBlock.Of(address);
        return _pools[(int)listenerClass].TryAcquire(block, out slot);
    }

    internal sealed class Pool(int maxTotal, int maxPerClient)
    {
        private readonly Dictionary<IPAddress, int> _perClient = [];
        private int _total;

        public void SetLimits(int total, int perClient)
        {
            lock (_perClient)
            {
                maxTotal = total;
                maxPerClient = perClient;
            }
        }

        public int Count => Volatile.Read(ref _total);

        public ConnectionRejection? TryAcquire(IPAddress? block, out ConnectionSlot? slot)
        {
            slot = null;
            lock (_perClient)
            {
                // Only live connections are counted (a slot is released before the session's last reply leaves), so
                // exactly maxTotal and maxPerClient connections fit: the check refuses the one past the limit.
                if (_total >= maxTotal)
                {
                    return ConnectionRejection.TooManyConnections;
                }

                if (block is not null)
                {
                    _perClient.TryGetValue(block, out int count);
                    if (maxPerClient > 0 && count >= maxPerClient)
                    {
                        return ConnectionRejection.TooManyConnectionsFromAddress;
                    }

                    _perClient[block] = count + 1;
                }

                _total++;
            }

            slot = new ConnectionSlot(this, block);
            return null;
        }

        public void Release(IPAddress? block)
        {
            lock (_perClient)
            {
                if (block is not null && _perClient.TryGetValue(block, out int count))
                {
                    if (count <= 1)
                    {
                        _perClient.Remove(block);
                    }
                    else
                    {
                        _perClient[block] = count - 1;
                    }
                }

                _total--;
            }
        }
    }

    /// <summary>One taken slot; released once, whoever releases it first (the session's end or the host's cleanup).</summary>
    internal sealed class ConnectionSlot
    {
        private readonly Pool _pool;
        private readonly IPAddress? _block;
        private int _released;

        internal ConnectionSlot(Pool pool, IPAddress? block)
        {
            _pool = pool;
            _block = block;
        }

        public void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                _pool.Release(_block);
            }
        }
    }
}
