using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Tests.Mailboxes;

/// <summary>
/// An expunge (IMAP EXPUNGE, POP3's UPDATE state, MOVE) is durable before it returns: the directories the files left
/// are fsynced, so a crash cannot bring back a message the client was told is gone.
/// </summary>
public sealed class DurableRemovalTests : IDisposable
{
    private readonly MailboxTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task RemovalFsyncsTheDirectoriesTheFilesLeft()
    {
        await _context.DeliverAsync("in new");
        using FolderLease lease = _context.Store.OpenFolder(MailboxTestContext.User, "INBOX", keepNew: true)!;
        uint inCur = await MailboxTestContext.AppendAsync(lease.Folder, "in cur");
        var flushed = new List<string>();
        _context.Store.FlushDirectory = flushed.Add;

        lease.Folder.Remove([.. lease.Folder.Current.Messages.Select(m => m.Uid)]);

        Assert.Equal([Path.Combine(_context.Maildir, "new"), Path.Combine(_context.Maildir, "cur")], flushed);
        Assert.DoesNotContain(lease.Folder.Current.Messages, m => m.Uid == inCur);
    }

    [Fact]
    public async Task NothingRemovedFsyncsNothing()
    {
        using FolderLease lease = _context.Open();
        await MailboxTestContext.AppendAsync(lease.Folder, "kept");
        var flushed = new List<string>();
        _context.Store.FlushDirectory = flushed.Add;

        Assert.Empty(lease.Folder.Expunge(null));
        Assert.Empty(lease.Folder.Remove([999]));

        Assert.Empty(flushed);
    }

    [Fact]
    public async Task ARemovalThatCannotBeMadeDurableThrows()
    {
        using FolderLease lease = _context.Open();
        uint uid = await MailboxTestContext.AppendAsync(lease.Folder, "doomed");
        _context.Store.FlushDirectory = _ => throw new IOException("fsync failed");

        Assert.Throws<IOException>(() => lease.Folder.Remove([uid]));
    }
}
