using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Storage;
using Mailroom.Sieve.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Mailroom.Sieve.Tests.Storage;

/// <summary>Vacation and duplicate records survive a restart and expire.</summary>
public sealed class TrackingStoreTests
{
    private const string User = "samt@example.org";

    [Fact]
    public void MarkIsSeenByANewStoreOverTheSameFilesUntilItExpires()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.Zero));
        using var root = new TemporaryMailRoot(time: time);
        root.Tracking.Mark(User, [new TrackingMark("vacation:abc", time.GetUtcNow().AddDays(7))]);

        var restarted = new SieveTrackingStore(root.Maildirs, time);
        Assert.True(restarted.IsTracked(User, "vacation:abc"));
        Assert.False(restarted.IsTracked(User, "vacation:other"));

        time.Advance(TimeSpan.FromDays(7));
        Assert.False(restarted.IsTracked(User, "vacation:abc"));
    }

    [Fact]
    public void UserWithoutRecordsHasNoneAndNoFileIsCreated()
    {
        using var root = new TemporaryMailRoot();

        Assert.False(root.Tracking.IsTracked(User, "x"));
        Assert.False(File.Exists(Path.Combine(root.Maildirs.GetMaildirPath(User), SieveTrackingStore.FileName)));
    }

    [Fact]
    public void LaterExpiryReplacesAnEarlierOne()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.Zero));
        using var root = new TemporaryMailRoot(time: time);
        root.Tracking.Mark(User, [new TrackingMark("k", time.GetUtcNow().AddHours(1))]);
        root.Tracking.Mark(User, [new TrackingMark("k", time.GetUtcNow().AddHours(5))]);

        time.Advance(TimeSpan.FromHours(2));

        Assert.True(root.Tracking.IsTracked(User, "k"));
    }
}
