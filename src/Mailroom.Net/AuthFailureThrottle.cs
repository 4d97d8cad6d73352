using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Mailroom.Net;

/// <summary>
/// Failed-authentication penalties shared by SMTP, POP3 and IMAP, after Dovecot's auth penalty: failures delay
/// further attempts <em>from the failing client</em> (an IPv4 address or an IPv6 /64), doubling from
/// <see cref="AuthThrottleOptions.BaseDelay"/> past <see cref="AuthThrottleOptions.FreeFailures"/> up to
/// <see cref="AuthThrottleOptions.MaxDelay"/>, and past <see cref="AuthThrottleOptions.BlockAfter"/> that client's
/// attempts are refused unchecked. Failures for a user name are counted too, across clients, but that signal only
/// slows attempts at that user from clients that have themselves failed at it: it never delays, let alone refuses,
/// the right password from a client that has not failed, so no one can lock a user out by guessing at their account.
/// Counts are forgotten once <see cref="AuthThrottleOptions.Window"/> has passed since the last failure.
/// </summary>
public sealed class AuthFailureThrottle
{
    private volatile AuthThrottleOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public AuthFailureThrottle(IOptions<NetOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value.AuthThrottle;
        _timeProvider = timeProvider;
    }

    /// <summary>
    /// The delay to apply before checking the next attempt of <paramref name="client"/>: its own penalty, or, when it
    /// has failed at <paramref name="userName"/> before, the user's if larger.
    /// </summary>
    public TimeSpan GetDelay(IPAddress client, string? userName)
    {
        ArgumentNullException.ThrowIfNull(client);
        var now = _timeProvider.GetTimestamp();
        int failures;
        lock (_lock)
        {
            failures = Current(ClientKey(client), now);
            if (!string.IsNullOrEmpty(userName) && Current(PairKey(client, userName), now) > 0)
            {
                failures = Math.Max(failures, Current(UserKey(userName), now));
            }
        }

        return Penalty(failures);
    }

    /// <summary>True when the client is over the hard limit: refuse its attempts without checking the credentials.</summary>
    public bool IsBlocked(IPAddress client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var now = _timeProvider.GetTimestamp();
        lock (_lock)
        {
            return Current(ClientKey(client), now) >= _options.BlockAfter;
        }
    }

    /// <summary>Takes a reloaded configuration's limits; the failures already counted are kept.</summary>
    public void Reconfigure(AuthThrottleOptions options) => _options = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>Counts a failed attempt against the client and (when known) the user name and the pair of both.</summary>
    public void RecordFailure(IPAddress client, string? userName)
    {
        ArgumentNullException.ThrowIfNull(client);
        var now = _timeProvider.GetTimestamp();
        lock (_lock)
        {
            Increment(ClientKey(client), now);
            if (!string.IsNullOrEmpty(userName))
            {
                Increment(UserKey(userName), now);
                Increment(PairKey(client, userName), now);
            }
        }
    }

    /// <summary>
    /// Forgets the client's failures and its failures at this user. Resetting the client is Dovecot's rule: an office
    /// behind one NAT address is not kept waiting because one colleague mistyped. The user's own count stays: a
    /// guesser who also owns a valid account cannot wipe the signal by logging into it, and since that signal only
    /// slows clients that failed at the user, the user's own logins from a clean client never feel it.
    /// </summary>
    public void RecordSuccess(IPAddress client, string userName)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(userName);
        lock (_lock)
        {
            _entries.Remove(ClientKey(client));
            _entries.Remove(PairKey(client, userName));
        }
    }

    private TimeSpan Penalty(int failures)
    {
        var excess = failures - _options.FreeFailures;
        if (excess <= 0)
        {
            return TimeSpan.Zero;
        }

        // Doubling per failure; the shift is capped so that the multiplication cannot overflow before the cap applies.
        var factor = 1L << Math.Min(excess - 1, 30);
        var ticks = _options.BaseDelay.Ticks > _options.MaxDelay.Ticks / factor ? _options.MaxDelay.Ticks : _options.BaseDelay.Ticks * factor;
        return TimeSpan.FromTicks(Math.Min(ticks, _options.MaxDelay.Ticks));
    }

    private int Current(string key, long now)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            return 0;
        }

        if (IsExpired(entry, now))
        {
            _entries.Remove(key);
            return 0;
        }

        return entry.Failures;
    }

    private void Increment(string key, long now)
    {
        if (_entries.TryGetValue(key, out var entry) && !IsExpired(entry, now))
        {
            _entries[key] = new Entry(entry.Failures == int.MaxValue ? entry.Failures : entry.Failures + 1, now);
            return;
        }

        if (_entries.Count >= _options.MaxTrackedKeys)
        {
            Evict(now);
        }

        _entries[key] = new Entry(1, now);
    }

    /// <summary>Drops expired entries, then, if still full, the tenth with the oldest last failure.</summary>
    private void Evict(long now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (IsExpired(entry, now))
            {
                _entries.Remove(key);
            }
        }

        if (_entries.Count < _options.MaxTrackedKeys)
        {
            return;
        }

        var oldest = _entries
            .OrderBy(static pair => pair.Value.LastFailure)
            .Take(Math.Max(1, _entries.Count / 10))
            .Select(static pair => pair.Key)
            .ToList();
        foreach (var key in oldest)
        {
            _entries.Remove(key);
        }
    }

    private bool IsExpired(Entry entry, long now) => _timeProvider.GetElapsedTime(entry.LastFailure, now) > _options.Window;

    private static string ClientKey(IPAddress address) => "a:" + ClientAddressBlock.Describe(address);

    private static string UserKey(string userName) => "u:" + UserDigest(userName);

    private static string PairKey(IPAddress address, string userName) => "p:" + ClientAddressBlock.Describe(address) + " " + UserDigest(userName);

    /// <summary>
    /// A fixed-size stand-in for a user name (case-insensitive): keys stay a few dozen bytes whatever names a client
    /// sprays, so <see cref="AuthThrottleOptions.MaxTrackedKeys"/> bounds the memory, not only the count.
    /// </summary>
    private static string UserDigest(string userName) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(userName.ToLowerInvariant())), 0, 16);

    private readonly record struct Entry(int Failures, long LastFailure);
}
