using Mailroom.IO;
using Mailroom.Store.Maildir;
using Mailroom.Store.Mailboxes;
using Microsoft.Extensions.Time.Testing;

namespace Mailroom.Store.Tests.Mailboxes;

/// <summary>
/// A user's index stays open a while after nobody holds the user, so that deliveries to a user without a session do
/// not open and close SQLite for every message (its WAL created, fsynced and removed each time). SQLite removes the WAL
/// when the last connection closes, so whether the WAL file exists tells whether a connection is still open.
/// </summary>
public sealed class IdleIndexTests
{
    private const string Bob = "bob@example.org";

    [Fact]
    public async Task DeliveriesToAUserWithoutSessionShareOneOpenIndex()
    {
        using var context = new MailboxTestContext();
        await context.DeliverAsync("one");
        Assert.Equal(1, context.Store.IdleIndexes.Count);
        FileIdentity? wal = FileIdentity.Of(WalPath(context.Maildir));
        Assert.NotNull(wal);

        await context.DeliverAsync("two");

        // Not closed (which removes the WAL) and reopened (which makes a new one) in between.
        Assert.Equal(wal, FileIdentity.Of(WalPath(context.Maildir)));
        using FolderLease inbox = context.Open();
        Assert.Equal([1u, 2u], inbox.Folder.Current.Messages.Select(static m => m.Uid));
        Assert.Equal(0, context.Store.IdleIndexes.Count);
    }

    [Fact]
    public async Task TheBoundClosesTheLeastRecentlyUsedIndex()
    {
        using var context = new MailboxTestContext(options => options.IdleIndexCacheSize = 1);
        await context.DeliverAsync("for alice");
        await StoreOperations.DeliverAsync(context.Store, Bob, MailboxTestContext.Message("for bob"));

        Assert.Equal(1, context.Store.IdleIndexes.Count);
        Assert.False(File.Exists(WalPath(context.Maildir)));
        Assert.True(File.Exists(WalPath(context.Store.GetMaildirPath(Bob))));
    }

    [Fact]
    public async Task AKeptIndexIsClosedAfterTheTimeout()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var context = new MailboxTestContext(options => options.IdleIndexTimeout = TimeSpan.FromMinutes(5), time);
        await context.DeliverAsync("one");

        time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(1, context.Store.IdleIndexes.Count);
        Assert.True(File.Exists(WalPath(context.Maildir)));

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, context.Store.IdleIndexes.Count);
        Assert.False(File.Exists(WalPath(context.Maildir)));
    }

    [Fact]
    public async Task ACacheOfZeroClosesTheIndexWhenTheDeliveryEnds()
    {
        using var context = new MailboxTestContext(options => options.IdleIndexCacheSize = 0);
        await context.DeliverAsync("one");

        Assert.Equal(0, context.Store.IdleIndexes.Count);
        Assert.False(File.Exists(WalPath(context.Maildir)));
    }

    [Fact]
    public async Task AnIndexRemovedWhileKeptIsOpenedAfreshNotWrittenBehindTheRemoval()
    {
        using var context = new MailboxTestContext();
        await context.DeliverAsync("one");
        string index = Path.Combine(context.Maildir, IndexDatabase.FileName);
        foreach (string suffix in (string[])["", "-wal", "-shm"])
        {
            File.Delete(index + suffix);
        }

        await context.DeliverAsync("two");

        // A kept connection would have written the rows into the removed file and left none on disk.
        Assert.True(File.Exists(index));
        context.Restart();
        using FolderLease inbox = context.Open();
        Assert.Equal(["one", "two"], inbox.Folder.Current.Messages.Select(m => MailboxTestContext.ReadSubject(inbox.Folder, m.Uid)));
    }

    [Fact]
    public void TheIndexCacheSettingsHaveSafeDefaultsAndRefuseValuesOutOfRange()
    {
        var validator = new StoreOptionsValidator();
        Assert.Equal(64, new StoreOptions().IdleIndexCacheSize);
        Assert.Equal(TimeSpan.FromMinutes(5), new StoreOptions().IdleIndexTimeout);
        Assert.True(validator.Validate(null, new StoreOptions { IdleIndexCacheSize = 0 }).Succeeded);
        Assert.True(validator.Validate(null, new StoreOptions { IdleIndexCacheSize = 4096 }).Succeeded);
        Assert.True(validator.Validate(null, new StoreOptions { IdleIndexCacheSize = -1 }).Failed);
        Assert.True(validator.Validate(null, new StoreOptions { IdleIndexCacheSize = 4097 }).Failed);
        Assert.True(validator.Validate(null, new StoreOptions { IdleIndexTimeout = TimeSpan.Zero }).Failed);
        Assert.True(validator.Validate(null, new StoreOptions { IdleIndexTimeout = TimeSpan.FromDays(2) }).Failed);
    }

    private static string WalPath(string maildir) => Path.Combine(maildir, IndexDatabase.FileName + "-wal");
}
