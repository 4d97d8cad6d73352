using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Tests.Mailboxes;

/// <summary>What the Maildir store remembers of expunges for QRESYNC (RFC 7162 §3.2) beyond the contract: files removed by others, restarts.</summary>
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
    public async Task AfterARestartExpungesBeforeTheLoadAreUnknownAndLaterOnesRemembered()
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
        ulong loaded = reopened.Folder.Current.HighestModSeq;
        reopened.Folder.Remove([b]);

        Assert.False(reopened.Folder.GetExpungedSince(start).Complete);
        ExpungedSince sinceLoad = reopened.Folder.GetExpungedSince(loaded);
        Assert.True(sinceLoad.Complete);
        Assert.Equal([b], sinceLoad.Uids);
    }
}
