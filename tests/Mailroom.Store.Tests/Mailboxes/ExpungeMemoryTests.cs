using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Tests.Mailboxes;

/// <summary>What the Maildir store remembers of expunges for QRESYNC (RFC 7162 §3.2) beyond the contract: files removed by others, restarts, a lost index.</summary>
public sealed class ExpungeMemoryTests : IDisposable
{
    private readonly MailboxTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task AFileRemovedByAnotherProgramIsRememberedAsExpunged()
    {
        await _context.DeliverAsync("a");
        await _context.DeliverAsync("b");
        using FolderLease lease = _context.Open();
        MailFolder folder = lease.Folder;
        ulong before = folder.Current.HighestModSeq;
        string first = Directory.GetFiles(Path.Combine(_context.Maildir, "cur"))
            .Single(f => Path.GetFileName(f).StartsWith(folder.Current.Messages[0].BaseName, StringComparison.Ordinal));

        File.Delete(first);
        folder.Refresh();

        ExpungedSince expunged = folder.GetExpungedSince(before);
        Assert.True(expunged.Complete);
        Assert.Equal([1u], expunged.Uids);
        Assert.True(folder.Current.HighestModSeq > before);
    }

    [Fact]
    public async Task ExpungesAreRememberedAcrossARestart()
    {
        uint a;
        uint b;
        ulong start;
        using (FolderLease lease = _context.Open())
        {
            a = await MailboxTestContext.AppendAsync(lease.Folder, "a");
            b = await MailboxTestContext.AppendAsync(lease.Folder, "b");
            start = lease.Folder.Current.HighestModSeq;
            lease.Folder.Remove([a]);
        }

        _context.Restart();
        using FolderLease reopened = _context.Open();
        reopened.Folder.Remove([b]);

        ExpungedSince since = reopened.Folder.GetExpungedSince(start);
        Assert.True(since.Complete);
        Assert.Equal([a, b], since.Uids);
    }

    [Fact]
    public async Task TheBoundOfTheMemoryHoldsAcrossARestart()
    {
        using var bounded = new MailboxTestContext(o => o.ExpungedUidMemory = 1);
        uint[] uids;
        ulong start;
        using (FolderLease lease = bounded.Open())
        {
            uids = [await MailboxTestContext.AppendAsync(lease.Folder, "a"), await MailboxTestContext.AppendAsync(lease.Folder, "b")];
            start = lease.Folder.Current.HighestModSeq;
            lease.Folder.Remove([uids[0]]);
            lease.Folder.Remove([uids[1]]);
        }

        bounded.Restart();
        using FolderLease reopened = bounded.Open();

        Assert.False(reopened.Folder.GetExpungedSince(start).Complete);
        ExpungedSince last = reopened.Folder.GetExpungedSince(start + 1);
        Assert.True(last.Complete);
        Assert.Equal([uids[1]], last.Uids);
    }

    [Fact]
    public async Task ALostIndexForgetsTheExpungesBeforeTheLoad()
    {
        ulong start;
        using (FolderLease lease = _context.Open())
        {
            uint a = await MailboxTestContext.AppendAsync(lease.Folder, "a");
            await MailboxTestContext.AppendAsync(lease.Folder, "b");
            start = lease.Folder.Current.HighestModSeq;
            lease.Folder.Remove([a]);
        }

        string maildir = _context.Maildir;
        _context.Store.Dispose();
        foreach (string file in Directory.GetFiles(maildir, "mailroom-index.db*"))
        {
            File.Delete(file);
        }

        _context.Restart();
        using FolderLease reopened = _context.Open();

        Assert.False(reopened.Folder.GetExpungedSince(start).Complete);
        Assert.True(reopened.Folder.GetExpungedSince(reopened.Folder.Current.HighestModSeq).Complete);
    }
}
