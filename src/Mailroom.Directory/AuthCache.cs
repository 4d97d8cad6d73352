using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Mailroom.Directory;

/// <summary>
/// Remembers successful password verifications for a short time, so a client that logs in every minute
/// (POP3 polling, IMAP reconnects) costs one slow hash per TTL instead of one per login. The key is a
/// SHA-256 of (user, password, stored hash): no password is kept, a wrong password never matches, and a
/// changed password (a different stored hash) misses. The size is capped against login floods.
/// </summary>
internal sealed class AuthCache
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _entries = new(StringComparer.Ordinal);
    private readonly TimeSpan _ttl;
    private readonly int _capacity;
    private readonly TimeProvider _timeProvider;

    public AuthCache(TimeSpan ttl, int capacity, TimeProvider timeProvider)
    {
        _ttl = ttl;
        _capacity = capacity;
        _timeProvider = timeProvider;
    }

    public bool IsEnabled => _ttl > TimeSpan.Zero && _capacity > 0;

    public int Count => _entries.Count;

    public static string CreateKey(string userName, string password, string storedHash)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        foreach (string part in (ReadOnlySpan<string>)[userName, password, storedHash])
        {
            // Length-prefixed parts: ("ab", "c") and ("a", "bc") must not collide.
            byte[] bytes = Encoding.UTF8.GetBytes(part);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            hash.AppendData(length);
            hash.AppendData(bytes);
        }

        return Convert.ToBase64String(hash.GetHashAndReset());
    }

    public bool Contains(string key)
    {
        if (!IsEnabled || !_entries.TryGetValue(key, out DateTimeOffset expires))
        {
            return false;
        }

        if (expires > _timeProvider.GetUtcNow())
        {
            return true;
        }

        _entries.TryRemove(key, out _);
        return false;
    }

    public void Add(string key)
    {
        if (!IsEnabled)
        {
            return;
        }

        DateTimeOffset now = _timeProvider.GetUtcNow();
        if (_entries.Count >= _capacity)
        {
            foreach (KeyValuePair<string, DateTimeOffset> entry in _entries)
            {
                if (entry.Value <= now)
                {
                    _entries.TryRemove(entry.Key, out _);
                }
            }

            // Still full of live entries: start over rather than track recency; the cost is one slow
            // verification per active user, once.
            if (_entries.Count >= _capacity)
            {
                _entries.Clear();
            }
        }

        _entries[key] = now + _ttl;
    }
}
