using Mailroom.Core;
using Mailroom.Store.Mailboxes;
using Microsoft.Extensions.Time.Testing;

namespace Mailroom.Store.Tests.Contract;

/// <summary>What a user's mail takes, and the one quota built on it.</summary>
public abstract partial class MailboxStoreContract
{
    [Fact]
    public async Task UsageCountsEveryMessageOfEveryFolderOfTheUserOnly()
    {
        Assert.Equal(0, Store.MeasureUsedBytes(User));
        await StoreOperations.DeliverAsync(Store, User, Message("inbox"));
        using (FolderLease sent = Open("Sent"))
        {
            await AppendAsync(sent.Folder, "sent");
        }

        using (FolderLease theirs = Open(user: OtherUser))
        {
            await AppendAsync(theirs.Folder, "not mine");
        }

        Assert.Equal(Message("inbox").Length + Message("sent").Length, Store.MeasureUsedBytes(User));
    }

    [Fact]
    public async Task EveryChangeOfUsageIsAnnouncedWithItsUser()
    {
        var announced = new List<string>();
        Store.UsageChanged += user =>
        {
            lock (announced)
            {
                announced.Add(user.ToLowerInvariant());
            }
        };

        await StoreOperations.DeliverAsync(Store, User, Message("delivered"));
        using (FolderLease lease = Open("Archive"))
        {
            uint uid = await AppendAsync(lease.Folder, "appended");
            lease.Folder.Remove([uid]);
        }

        Store.DeleteFolder(User, "Archive");

        lock (announced)
        {
            Assert.Equal(4, announced.Count);
            Assert.All(announced, user => Assert.Equal(User, user));
        }
    }

    [Fact]
    public async Task TheQuotaMeasuresOnceAndAgainAfterTheStoreChangedTheMailbox()
    {
        var limits = new FixedLimits(1000);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var quota = new MailboxQuota(Store, time, limits);
        await StoreOperations.DeliverAsync(Store, User, Message("first"));

        QuotaUsage usage = await quota.GetUsageAsync("Alice@Example.org", TestContext.Current.CancellationToken);
        Assert.Equal(new QuotaUsage(Message("first").Length, 1000), usage);
        Assert.False(usage.WouldExceed(1000 - Message("first").Length));
        Assert.True(usage.WouldExceed(1001 - Message("first").Length));

        await StoreOperations.DeliverAsync(Store, User, Message("second"));
        usage = await quota.GetUsageAsync(User, TestContext.Current.CancellationToken);
        Assert.Equal(Message("first").Length + Message("second").Length, usage.UsedBytes);
    }

    [Fact]
    public async Task AMailboxWithoutALimitHasNoQuotaToMeasure()
    {
        using var quota = new MailboxQuota(Store, TimeProvider.System, new FixedLimits(0));
        await StoreOperations.DeliverAsync(Store, User, Message("free"));

        QuotaUsage usage = await quota.GetUsageAsync(User, TestContext.Current.CancellationToken);

        Assert.False(usage.IsLimited);
        Assert.False(usage.IsFull);
        Assert.False(usage.WouldExceed(long.MaxValue / 2));
        using var unlimited = new MailboxQuota(Store, TimeProvider.System);
        Assert.False((await unlimited.GetUsageAsync(User, TestContext.Current.CancellationToken)).IsLimited);
    }

    private sealed class FixedLimits(long bytes) : IMailboxQuotaLimits
    {
        public ValueTask<long> GetQuotaBytesAsync(string mailbox, CancellationToken cancellationToken) => ValueTask.FromResult(bytes);
    }
}
