using System.Net;
using Microsoft.Extensions.Options;

namespace Mailroom.Net;

/// <summary>
/// Failed-authentication throttle shared by SMTP, POP3 and IMAP, keyed by client address and by user name (the same
/// guesser may rotate addresses, or spray one password over many users). After <see cref="AuthThrottleOptions.FreeFailures"/>
/// failures each further attempt waits a doubling delay capped at <see cref="AuthThrottleOptions.MaxDelay"/>; past
/// <see cref="AuthThrottleOptions.BlockAfter"/> attempts are refused unchecked. A key is forgotten once
/// <see cref="AuthThrottleOptions.Window"/> has passed since its last failure.
/// </summary>
public sealed class AuthFailureThrottle
{
    private readonly AuthThrottleOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public AuthFailureThrottle(IOptions<NetOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value.AuthThrottle;
        _timeProvider = timeProvider;
    }

    /// <summary>The delay to apply before answering the next attempt (the larger of the address's and the user's).</summary>
    public TimeSpan GetDelay(IPAddress client, string? userName)
    {
        var failures = GetFailures(client, userName);
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

    /// <summary>True when the address or the user is over the hard limit: refuse without checking the credentials.</summary>
    public bool IsBlocked(IPAddress client, string? userName) => GetFailures(client, userName) >= _options.BlockAfter;

    /// <summary>Counts a failed attempt against the address and (when known) the user name.</summary>
    public void RecordFailure(IPAddress client, string? userName)
    {
        ArgumentNullException.ThrowIfNull(client);
        var now = _timeProvider.GetTimestamp();
        lock (_lock)
        {
            Increment(AddressKey(client), now);
            if (!string.IsNullOrEmpty(userName))
            {
                Increment(UserKey(userName), now);
            }
        }
    }

    /// <summary>
    /// Forgets the failures of the address and the user. Resetting the address too is Dovecot's auth-penalty rule:
    /// an office behind one NAT address is not kept waiting because one colleague mistyped; the per-user count still
    /// slows a guesser who also owns a valid account.
    /// </summary>
    public void RecordSuccess(IPAddress client, string userName)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(userName);
        lock (_lock)
        {
            _entries.Remove(AddressKey(client));
            _entries.Remove(UserKey(userName));
        }
    }

    private int GetFailures(IPAddress client, string? userName)
    {
        ArgumentNullException.ThrowIfNull(client);
        var now = _timeProvider.GetTimestamp();
        lock (_lock)
        {
            var failures = Current(AddressKey(client), now);
            return string.IsNullOrEmpty(userName) ? failures : Math.Max(failures, Current(UserKey(userName), now));
        }
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

    private static string AddressKey(IPAddress address) =>
        "a:" + (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();

    private static string UserKey(string userName) => "u:" + userName.ToLowerInvariant();

    private readonly record struct Entry(int Failures, long LastFailure);
}
