using Mailroom.Store.Maildir;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Tests.Mailboxes;

public sealed class ExternalChangeTests : IDisposable
{
    private readonly MailboxTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task FlagsAreFileNameLettersAndOutsideRenamesAreSeenByRefresh()
    {
        using FolderLease lease = _context.Open();
        MailFolder folder = lease.Folder;
        uint uid = await MailboxTestContext.AppendAsync(folder, "a", MessageFlags.Seen | MessageFlags.Flagged);
        folder.UpdateFlags([uid], FlagUpdateMode.Add, MessageFlags.Answered | MessageFlags.Draft, [], null);

        string file = Assert.Single(Directory.GetFiles(Path.Combine(_context.Maildir, "cur")));
        Assert.EndsWith(":2,DFRS", file, StringComparison.Ordinal);

        // As mutt or our POP3 server would: rename with other letters (keep the base name).
        string baseName = folder.Current.Messages[0].BaseName;
        File.Move(file, Path.Combine(_context.Maildir, "cur", baseName + ":2,ST"));
        ulong modSeq = folder.Current.HighestModSeq;
        int changed = 0;
        folder.Changed += () => Interlocked.Increment(ref changed);

        FolderView view = folder.Refresh();

        MessageRecord record = Assert.Single(view.Messages);
        Assert.Equal(uid, record.Uid);
        Assert.Equal(MessageFlags.Seen | MessageFlags.Deleted, record.Flags);
        Assert.True(record.ModSeq > modSeq);
        Assert.Equal(1, changed);
    }

    [Fact]
    public async Task AFileRemovedOutsideIsExpungedByRefresh()
    {
        await _context.DeliverAsync("a");
        await _context.DeliverAsync("b");
        using FolderLease lease = _context.Open();
        MailFolder folder = lease.Folder;
        string first = Directory.GetFiles(Path.Combine(_context.Maildir, "cur"))
            .Single(f => Path.GetFileName(f).StartsWith(folder.Current.Messages[0].BaseName, StringComparison.Ordinal));

        File.Delete(first);
        FolderView view = folder.Refresh();

        Assert.Equal([2u], view.Messages.Select(m => m.Uid));
        Assert.Throws<MessageGoneException>(() => folder.OpenContent(1));
    }

    [Fact]
    public async Task AMessageMovedToCurByPop3KeepsItsUid()
    {
        string delivered = await _context.DeliverAsync("a");
        using FolderLease lease = _context.Open();

        // Our POP3 server renames new/x to cur/x:2,S; here the IMAP side moved it already, so do it on a second message.
        string second = await _context.DeliverAsync("b");
        File.Move(second, Path.Combine(_context.Maildir, "cur", Path.GetFileName(second) + ":2,S"));
        FolderView view = lease.Folder.Refresh();

        Assert.Equal([1u, 2u], view.Messages.Select(m => m.Uid));
        Assert.Equal(MessageFlags.Seen, view.Messages[1].Flags);
        Assert.Equal("b", MailboxTestContext.ReadSubject(lease.Folder, 2));
        Assert.False(File.Exists(delivered));
    }

    [Fact]
    public async Task LocalDeliveryRaisesChangedOnTheOpenInbox()
    {
        using FolderLease lease = _context.Open();
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lease.Folder.Changed += () => changed.TrySetResult();

        await _context.DeliverAsync("hello");

        await changed.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        MessageRecord record = Assert.Single(lease.Folder.Current.Messages);
        Assert.Equal("hello", MailboxTestContext.ReadSubject(lease.Folder, record.Uid));
    }

    [Fact]
    public async Task RefreshWithoutChangesKeepsTheSnapshot()
    {
        await _context.DeliverAsync("a");
        using FolderLease lease = _context.Open();
        FolderView first = lease.Folder.Refresh();

        FolderView second = lease.Folder.Refresh();

        Assert.Equal(first.Version, second.Version);
        using FolderLease other = _context.Open("inbox");
        Assert.Same(lease.Folder, other.Folder);
    }
}
