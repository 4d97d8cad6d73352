using Mailroom.Store.Maildir;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Tests.Mailboxes;

/// <summary>
/// Maildir's new/: delivered mail waits there until a mail reader (an IMAP session) looks; POP3 opens INBOX without
/// taking it, so mutt and <c>mail -u</c> still show unretrieved mail as new.
/// </summary>
public sealed class NewMailTests : IDisposable
{
    private readonly MailboxTestContext _context = new();

    public void Dispose() => _context.Dispose();

    private string NewDirectory => Path.Combine(_context.Maildir, "new");

    private string CurDirectory => Path.Combine(_context.Maildir, "cur");

    [Fact]
    public async Task OpeningWithKeepNewLeavesDeliveredMailInNewAndAReaderMovesIt()
    {
        string delivered = await _context.DeliverAsync("a");

        using (FolderLease pop3 = _context.Store.OpenFolder(MailboxTestContext.User, "INBOX", keepNew: true)!)
        {
            Assert.Single(pop3.Folder.Current.Messages);
            Assert.Equal([delivered], Directory.GetFiles(NewDirectory));

            using FolderLease imap = _context.Open();
            imap.Folder.Refresh();
        }

        Assert.Empty(Directory.GetFiles(NewDirectory));
        Assert.Equal([Path.GetFileName(delivered) + ":2,"], Directory.GetFiles(CurDirectory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task MailDeliveredWhileTheFolderIsOpenStaysNewUntilAReaderRefreshes()
    {
        using FolderLease lease = _context.Store.OpenFolder(MailboxTestContext.User, "INBOX", keepNew: true)!;
        using var announced = new SemaphoreSlim(0);
        lease.Folder.Changed += () => announced.Release();

        string delivered = await _context.DeliverAsync("late");

        Assert.True(await announced.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Single(lease.Folder.Current.Messages);
        Assert.Equal([delivered], Directory.GetFiles(NewDirectory));
        lease.Folder.Refresh();
        Assert.Empty(Directory.GetFiles(NewDirectory));
    }

    [Fact]
    public async Task SettingSeenOnNewMailMovesItToCurWithTheSLetter()
    {
        string delivered = await _context.DeliverAsync("read by pop3");
        using FolderLease lease = _context.Store.OpenFolder(MailboxTestContext.User, "INBOX", keepNew: true)!;

        lease.Folder.UpdateFlags([lease.Folder.Current.Messages[0].Uid], FlagUpdateMode.Add, MessageFlags.Seen, [], null);

        Assert.Empty(Directory.GetFiles(NewDirectory));
        Assert.True(File.Exists(Path.Combine(CurDirectory, Path.GetFileName(delivered) + ":2,S")));
    }

    [Fact]
    public async Task RemovingNewMailDeletesItsFileInNew()
    {
        await _context.DeliverAsync("deleted by pop3");
        await _context.DeliverAsync("kept");
        using FolderLease lease = _context.Store.OpenFolder(MailboxTestContext.User, "INBOX", keepNew: true)!;

        lease.Folder.Remove([lease.Folder.Current.Messages[0].Uid]);

        string kept = Assert.Single(Directory.GetFiles(NewDirectory));
        Assert.Equal("kept", MailboxTestContext.ReadSubject(lease.Folder, lease.Folder.Current.Messages.Single().Uid));
        Assert.Contains(Path.GetFileName(kept), lease.Folder.Current.Messages.Single().BaseName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADeliveryWithFlagsGoesToCurWithItsInfoLettersAndGetsAUidFromTheNextReader()
    {
        using (SaveTransaction delivery = _context.Store.BeginDelivery(MailboxTestContext.User))
        {
            MessageWriter writer = delivery.BeginMessage(MessageFlags.Seen | MessageFlags.Flagged, [], null);
            await writer.WriteAsync(MailboxTestContext.Message("filed"), TestContext.Current.CancellationToken);
            await writer.CompleteAsync(TestContext.Current.CancellationToken);
            SaveResult saved = await delivery.CommitAsync(TestContext.Current.CancellationToken);
            Assert.Empty(saved.Uids);
        }

        string file = Assert.Single(Directory.GetFiles(CurDirectory));
        Assert.EndsWith(":2,FS", file, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(NewDirectory));
        using FolderLease lease = _context.Open();
        MessageRecord record = Assert.Single(lease.Folder.Current.Messages);
        Assert.Equal(MessageFlags.Seen | MessageFlags.Flagged, record.Flags);
    }
}
