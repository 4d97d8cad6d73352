using Mailroom.Store.Maildir;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Tests.Mailboxes;

public sealed class UidPersistenceTests : IDisposable
{
    private readonly MailboxTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task DeliveredMessagesGetAscendingUidsInDeliveryOrderThatSurviveARestart()
    {
        for (int i = 1; i <= 3; i++)
        {
            await _context.DeliverAsync($"m{i}");
        }

        uint uidValidity;
        using (FolderLease lease = _context.Open())
        {
            FolderView view = lease.Folder.Current;
            Assert.Equal([1u, 2u, 3u], view.Messages.Select(m => m.Uid));
            Assert.Equal(4u, view.UidNext);
            Assert.Equal("m1", MailboxTestContext.ReadSubject(lease.Folder, 1));
            Assert.Equal("m3", MailboxTestContext.ReadSubject(lease.Folder, 3));
            Assert.Empty(Directory.GetFiles(Path.Combine(_context.Maildir, "new")));
            uidValidity = view.UidValidity;
        }

        _context.Restart();
        await _context.DeliverAsync("m4");

        using FolderLease again = _context.Open();
        FolderView after = again.Folder.Refresh();
        Assert.Equal(uidValidity, after.UidValidity);
        Assert.Equal([1u, 2u, 3u, 4u], after.Messages.Select(m => m.Uid));
        Assert.Equal("m4", MailboxTestContext.ReadSubject(again.Folder, 4));
    }

    [Fact]
    public async Task ExpungedUidsAreNotReusedAfterARestart()
    {
        using (FolderLease lease = _context.Open())
        {
            uint a = await MailboxTestContext.AppendAsync(lease.Folder, "a");
            uint b = await MailboxTestContext.AppendAsync(lease.Folder, "b", MessageFlags.Deleted);
            Assert.Equal([b], lease.Folder.Expunge(null));
            Assert.Equal([a], lease.Folder.Current.Messages.Select(m => m.Uid));
        }

        _context.Restart();
        using FolderLease again = _context.Open();
        Assert.Equal(3u, again.Folder.Current.UidNext);
        uint c = await MailboxTestContext.AppendAsync(again.Folder, "c");
        Assert.Equal(3u, c);
    }

    [Fact]
    public async Task ADeletedIndexIsRebuiltWithTheSameUids()
    {
        await AssertUidsKeptAfterIndexDamageAsync(path => File.Delete(path));
    }

    [Fact]
    public async Task AGarbageIndexIsRebuiltWithTheSameUids()
    {
        await AssertUidsKeptAfterIndexDamageAsync(path => File.WriteAllText(path, new string('x', 8192)));
    }

    [Fact]
    public async Task ALostUidListGivesANewUidValidity()
    {
        uint before;
        using (FolderLease lease = _context.Open())
        {
            await MailboxTestContext.AppendAsync(lease.Folder, "a");
            before = lease.Folder.Current.UidValidity;
        }

        _context.Restart();
        File.Delete(Path.Combine(_context.Maildir, UidList.FileName));

        using FolderLease again = _context.Open();
        Assert.NotEqual(before, again.Folder.Current.UidValidity);
        Assert.Single(again.Folder.Current.Messages);
        Assert.Equal("a", MailboxTestContext.ReadSubject(again.Folder, again.Folder.Current.Messages[0].Uid));
    }

    [Fact]
    public async Task ModSeqGrowsWithEveryChangeIncludingExpunge()
    {
        using FolderLease lease = _context.Open();
        MailFolder folder = lease.Folder;
        uint uid = await MailboxTestContext.AppendAsync(folder, "a");
        ulong afterAppend = folder.Current.HighestModSeq;
        Assert.Equal(afterAppend, folder.Current.Messages[0].ModSeq);

        folder.UpdateFlags([uid], FlagUpdateMode.Add, MessageFlags.Deleted, [], null);
        ulong afterStore = folder.Current.HighestModSeq;
        Assert.True(afterStore > afterAppend);
        Assert.Equal(afterStore, folder.Current.Messages[0].ModSeq);

        long version = folder.Current.Version;
        folder.Expunge(null);
        Assert.True(folder.Current.HighestModSeq > afterStore);
        Assert.True(folder.Current.Version > version);
    }

    private async Task AssertUidsKeptAfterIndexDamageAsync(Action<string> damage)
    {
        Dictionary<uint, string> before = [];
        using (FolderLease lease = _context.Open())
        {
            for (int i = 0; i < 4; i++)
            {
                uint uid = await MailboxTestContext.AppendAsync(lease.Folder, $"s{i}", MessageFlags.Seen, "$Label1");
                before[uid] = $"s{i}";
            }

            lease.Folder.UpdateFlags([2], FlagUpdateMode.Add, MessageFlags.Deleted, [], null);
            lease.Folder.Expunge(null);
            before.Remove(2);
        }

        _context.Restart();
        damage(Path.Combine(_context.Maildir, IndexDatabase.FileName));

        using FolderLease again = _context.Open();
        FolderView view = again.Folder.Current;
        Assert.Equal(before.Keys.Order(), view.Messages.Select(m => m.Uid));
        foreach (MessageRecord record in view.Messages)
        {
            Assert.Equal(before[record.Uid], MailboxTestContext.ReadSubject(again.Folder, record.Uid));
            Assert.Equal(MessageFlags.Seen, record.Flags);
        }

        Assert.Equal(5u, view.UidNext);
        Assert.Equal(5u, await MailboxTestContext.AppendAsync(again.Folder, "next"));
    }
}
