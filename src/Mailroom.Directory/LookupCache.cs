using System.Collections.Concurrent;

namespace Mailroom.Directory;

/// <summary>
/// Recent directory answers with a short lifetime: found results for <c>ttl</c>, "not found" ones for
/// <c>negativeTtl</c> (so a dictionary attack on RCPT does not reach the database once per guess). Bounded in
/// size; when full of live entries it starts over, which costs one lookup per active key.
/// </summary>
internal sealed class LookupCache
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeSpan _ttl;
    private readonly TimeSpan _negativeTtl;
    private readonly int _capacity;
    private readonly TimeProvider _timeProvider;

    public LookupCache(TimeSpan ttl, TimeSpan negativeTtl, int capacity, TimeProvider timeProvider)
    {
        _ttl = ttl;
        _negativeTtl = negativeTtl;
        _capacity = capacity;
        _timeProvider = timeProvider;
    }

    public int Count => _entries.Count;

    public bool TryGet<T>(string key, out T value)
    {
        if (_entries.TryGetValue(key, out Entry entry))
        {
            if (entry.Expires > _timeProvider.GetUtcNow())
            {
                value = (T)entry.Value!;
                return true;
            }

            _entries.TryRemove(key, out _);
        }

        value = default!;
        return false;
    }

    /// <summary>Remembers <paramref name="value"/>; <paramref name="negative"/> selects the "not found" lifetime.</summary>
    public void Set<T>(string key, T value, bool negative)
    {
        TimeSpan ttl = negative ? _negativeTtl : _ttl;
        if (ttl <= TimeSpan.Zero || _capacity <= 0)
        {
            return;
        }

        DateTimeOffset now = _timeProvider.GetUtcNow();
        if (_entries.Count >= _capacity)
        {
            foreach (KeyValuePair<string, Entry> entry in _entries)
            {
                if (entry.Value.Expires <= now)
                {
                    _entries.TryRemove(entry.Key, out _);
                }
            }

            if (_entries.Count >= _capacity)
            {
                _entries.Clear();
            }
        }

        _entries[key] = new Entry(value, now + ttl);
    }

    private readonly record struct Entry(object? Value, DateTimeOffset Expires);
}
