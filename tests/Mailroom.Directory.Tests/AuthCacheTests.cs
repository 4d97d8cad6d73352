using Microsoft.Extensions.Time.Testing;

namespace Mailroom.Directory.Tests;

public sealed class AuthCacheTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);

    [Fact]
    public void EntryHitsUntilTheTtlThenMisses()
    {
        var time = new FakeTimeProvider();
        var cache = new AuthCache(Ttl, 10, time);
        string key = AuthCache.CreateKey("a@example.org", "pw", "{PLAIN}pw");
        Assert.False(cache.Contains(key));
        cache.Add(key);
        Assert.True(cache.Contains(key));
        time.Advance(Ttl - TimeSpan.FromSeconds(1));
        Assert.True(cache.Contains(key));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(cache.Contains(key));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void ChangedStoredHashOrPasswordGivesADifferentKey()
    {
        var cache = new AuthCache(Ttl, 10, new FakeTimeProvider());
        cache.Add(AuthCache.CreateKey("a@example.org", "pw", "{PLAIN}pw"));
        Assert.False(cache.Contains(AuthCache.CreateKey("a@example.org", "pw", "{PLAIN}new")));
        Assert.False(cache.Contains(AuthCache.CreateKey("a@example.org", "pw2", "{PLAIN}pw")));
        Assert.False(cache.Contains(AuthCache.CreateKey("b@example.org", "pw", "{PLAIN}pw")));
        Assert.NotEqual(AuthCache.CreateKey("ab", "c", "x"), AuthCache.CreateKey("a", "bc", "x"));
    }

    [Fact]
    public void SizeNeverExceedsTheCap()
    {
        var cache = new AuthCache(Ttl, 3, new FakeTimeProvider());
        for (int i = 0; i < 10; i++)
        {
            cache.Add(AuthCache.CreateKey($"u{i}@example.org", "pw", "h"));
            Assert.InRange(cache.Count, 1, 3);
        }

        Assert.True(cache.Contains(AuthCache.CreateKey("u9@example.org", "pw", "h")));
    }

    [Fact]
    public void ZeroTtlDisablesTheCache()
    {
        var cache = new AuthCache(TimeSpan.Zero, 10, new FakeTimeProvider());
        string key = AuthCache.CreateKey("a@example.org", "pw", "h");
        cache.Add(key);
        Assert.False(cache.Contains(key));
    }
}
