using System.Collections.Concurrent;
using System.Net;

namespace Mailroom.Policy.Dnsbl;

/// <summary>
/// Verdicts per client address until their TTL passes, at most <c>capacity</c> of them: when full, expired ones go
/// first, then the ones closest to expiring, a tenth at a time, so a flood of new addresses costs one sweep per many
/// insertions and can never grow memory.
/// </summary>
internal sealed class DnsblCache
{
    private readonly ConcurrentDictionary<IPAddress, Entry> _entries = new();
    private readonly int _capacity;
    private readonly TimeProvider _time;
    private readonly Lock _sweep = new();

    public DnsblCache(int capacity, TimeProvider time)
    {
        _capacity = capacity;
        _time = time;
    }

    public int Count => _entries.Count;

    public bool TryGet(IPAddress client, out DnsblVerdict? verdict)
    {
        if (_entries.TryGetValue(client, out Entry? entry) && entry.Expires > _time.GetTimestamp())
        {
            verdict = entry.Verdict;
            return true;
        }

        verdict = null;
        return false;
    }

    public void Set(IPAddress client, DnsblVerdict verdict, TimeSpan ttl)
    {
        if (ttl <= TimeSpan.Zero || _capacity <= 0)
        {
            return;
        }

        if (_entries.Count >= _capacity)
        {
            Sweep();
        }

        long expires = _time.GetTimestamp() + (long)(ttl.TotalSeconds * _time.TimestampFrequency);
        _entries[client] = new Entry(verdict, expires);
    }

    private void Sweep()
    {
        lock (_sweep)
        {
            if (_entries.Count < _capacity)
            {
                return;
            }

            long now = _time.GetTimestamp();
            foreach (KeyValuePair<IPAddress, Entry> pair in _entries)
            {
                if (pair.Value.Expires <= now)
                {
                    _entries.TryRemove(pair);
                }
            }

            int excess = _entries.Count - (_capacity - Math.Max(1, _capacity / 10));
            if (excess > 0)
            {
                foreach (KeyValuePair<IPAddress, Entry> pair in _entries.OrderBy(p => p.Value.Expires).Take(excess).ToList())
                {
                    _entries.TryRemove(pair);
                }
            }
        }
    }

    private sealed record Entry(DnsblVerdict Verdict, long Expires);
}
