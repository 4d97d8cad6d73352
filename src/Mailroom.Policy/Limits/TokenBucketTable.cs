namespace Mailroom.Policy.Limits;

/// <summary>
/// Hourly token buckets by key (not thread-safe: <see cref="SendingRateLimiter"/> holds its lock). A bucket holds up to
/// its hourly limit and refills at limit/hour; a full bucket is the same as none, so it is dropped when room is needed.
/// Past <c>capacity</c> keys, full buckets go first, then the fullest tenth: memory stays bounded whatever the number of
/// senders, and the buckets that are emptied (the senders being limited) are the last to be forgotten.
/// </summary>
internal sealed class TokenBucketTable
{
    private static readonly double Hour = TimeSpan.FromHours(1).TotalSeconds;

    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly int _capacity;
    private readonly TimeProvider _time;

    public TokenBucketTable(int capacity, TimeProvider time)
    {
        _capacity = capacity;
        _time = time;
    }

    public int Count => _buckets.Count;

    /// <summary>Whether one more unit fits in <paramref name="key"/>'s allowance of <paramref name="limit"/> per hour.</summary>
    public bool HasRoom(string key, int limit) =>
        !_buckets.TryGetValue(key, out Bucket? bucket) || Refill(bucket, limit) >= 1;

    /// <summary>Spends one unit (call after <see cref="HasRoom"/> said yes).</summary>
    public void Take(string key, int limit)
    {
        if (!_buckets.TryGetValue(key, out Bucket? bucket))
        {
            if (_buckets.Count >= _capacity)
            {
                Sweep();
            }

            bucket = new Bucket { Tokens = limit, Updated = _time.GetTimestamp(), Limit = limit };
            _buckets[key] = bucket;
        }

        Refill(bucket, limit);
        bucket.Tokens = Math.Max(0, bucket.Tokens - 1);
    }

    /// <summary>Every bucket not yet full: key, units spent (rounded up) and limit.</summary>
    public IEnumerable<(string Key, int Used, int Limit)> Spent()
    {
        foreach ((string key, Bucket bucket) in _buckets)
        {
            double tokens = Refill(bucket, bucket.Limit);
            if (tokens < bucket.Limit)
            {
                yield return (key, (int)Math.Ceiling(bucket.Limit - tokens), bucket.Limit);
            }
        }
    }

    // Brings the bucket up to now; a changed limit (a user's override edited) keeps what was spent.
    private double Refill(Bucket bucket, int limit)
    {
        long now = _time.GetTimestamp();
        if (bucket.Limit != limit)
        {
            bucket.Tokens = Math.Max(0, limit - (bucket.Limit - bucket.Tokens));
            bucket.Limit = limit;
        }

        double elapsed = _time.GetElapsedTime(bucket.Updated, now).TotalSeconds;
        if (elapsed > 0)
        {
            bucket.Tokens = Math.Min(limit, bucket.Tokens + (elapsed * limit / Hour));
            bucket.Updated = now;
        }

        return bucket.Tokens;
    }

    private void Sweep()
    {
        foreach ((string key, Bucket bucket) in _buckets)
        {
            if (Refill(bucket, bucket.Limit) >= bucket.Limit)
            {
                _buckets.Remove(key);
            }
        }

        int excess = _buckets.Count - (_capacity - Math.Max(1, _capacity / 10));
        if (excess > 0)
        {
            foreach (string key in _buckets.OrderByDescending(p => p.Value.Tokens / p.Value.Limit).Take(excess).Select(p => p.Key).ToList())
            {
                _buckets.Remove(key);
            }
        }
    }

    private sealed class Bucket
    {
        public double Tokens { get; set; }

        public long Updated { get; set; }

        public int Limit { get; set; }
    }
}
