using System.Collections.Concurrent;
using Mailroom.Core;

namespace Mailroom.Store.Mailboxes;

/// <summary>
/// The one quota of the system (<see cref="IMailboxQuota"/>): the limit from the directory
/// (<see cref="IMailboxQuotaLimits"/>; none configured: no mailbox has a quota) and the usage the store measures
/// (<see cref="IMailboxStore.MeasureUsedBytes"/>), kept for <see cref="CacheLifetime"/> so that a burst of recipients,
/// deliveries or APPENDs measures a mailbox once. The store's own changes (<see cref="IMailboxStore.UsageChanged"/>)
/// drop a measurement at once; changes by other programs are seen when it expires. A quota is a limit on the order of
/// megabytes, so a few seconds of staleness matter less than walking a large mailbox per recipient.
/// </summary>
public sealed class MailboxQuota : IMailboxQuota, IDisposable
{
    /// <summary>How long a measured usage is reused. 5 s: short enough that a user who deleted mail with another program is let in again promptly.</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(5);

    private const int MaxCachedMailboxes = 10_000;

    private readonly IMailboxStore _store;
    private readonly IMailboxQuotaLimits? _limits;
    private readonly TimeProvider _timeProvider;
    private readonly ConcurrentDictionary<string, (long Bytes, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    public MailboxQuota(IMailboxStore store, TimeProvider timeProvider, IMailboxQuotaLimits? limits = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _limits = limits;
        _store.UsageChanged += Forget;
    }

    /// <summary>The usage is measured only for a mailbox with a quota: without one nothing needs it, and it costs a walk of the folders.</summary>
    public async ValueTask<QuotaUsage> GetUsageAsync(string mailbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        string key = mailbox.ToLowerInvariant();
        long limit = _limits is null ? 0 : await _limits.GetQuotaBytesAsync(key, cancellationToken).ConfigureAwait(false);
        return limit > 0 ? new QuotaUsage(GetUsedBytes(key), limit) : new QuotaUsage(0, 0);
    }

    public void Dispose() => _store.UsageChanged -= Forget;

    private long GetUsedBytes(string key)
    {
        DateTimeOffset now = _timeProvider.GetUtcNow();
        if (_cache.TryGetValue(key, out var cached) && cached.Expires > now)
        {
            return cached.Bytes;
        }

        long bytes = _store.MeasureUsedBytes(key);
        if (_cache.Count >= MaxCachedMailboxes)
        {
            _cache.Clear();
        }

        _cache[key] = (bytes, now + CacheLifetime);
        return bytes;
    }

    private void Forget(string mailbox) => _cache.TryRemove(mailbox.ToLowerInvariant(), out _);
}
