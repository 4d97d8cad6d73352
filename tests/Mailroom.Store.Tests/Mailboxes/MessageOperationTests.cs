using System.Text;
using Mailroom.Store.Maildir;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Tests.Mailboxes;

/// <summary>
/// Saving, copying, flagging and expunging as the Maildir files and the index show them, and what survives a restart
/// (the behaviour every store shares is in <see cref="Contract.MailboxStoreContract"/>).
/// </summary>
public sealed class MessageOperationTests : IDisposable
{
    private readonly MailboxTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task AppendWritesOneFileInCurWithItsFlagsSizesAndDateAndNothingInTmp()
    {
        using FolderLease lease = _context.Open("Drafts");
        var date = new DateTimeOffset(2020, 3, 4, 5, 6, 7, TimeSpan.Zero);
        byte[] content = Encoding.ASCII.GetBytes("Subject: lf\n\nbody\n");

        await StoreOperations.AppendAsync(lease.Folder, content, MessageFlags.Draft | MessageFlags.Seen, [], date);

        string file = Assert.Single(Directory.GetFiles(Path.Combine(_context.Maildir, ".Drafts", "cur")));
        Assert.EndsWith($",S={content.Length},W={content.Length + 3}:2,DS", file, StringComparison.Ordinal);
        Assert.Equal(date.UtcDateTime, File.GetLastWriteTimeUtc(file));
        Assert.Empty(Directory.GetFiles(Path.Combine(_context.Maildir, ".Drafts", "tmp")));
        Assert.Empty(Directory.GetFiles(Path.Combine(_context.Maildir, ".Drafts", "new")));
    }

    [Fact]
    public async Task CopiesAreHardLinksUnderNewNames()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "no hard links on Windows");
        using FolderLease inbox = _context.Open();
        using FolderLease archive = _context.Open("Archive");
        uint uid = await MailboxTestContext.AppendAsync(inbox.Folder, "linked", MessageFlags.Seen);

        await inbox.Folder.CopyToAsync(archive.Folder, [uid], TestContext.Current.CancellationToken);

        string source = Assert.Single(Directory.GetFiles(Path.Combine(_context.Maildir, "cur")));
        string copy = Assert.Single(Directory.GetFiles(Path.Combine(_context.Maildir, ".Archive", "cur")));
        Assert.NotEqual(Path.GetFileName(source), Path.GetFileName(copy));
        Assert.EndsWith(":2,S", copy, StringComparison.Ordinal);
        File.AppendAllText(source, "X-Seen-By: both names\r\n");
        Assert.EndsWith("X-Seen-By: both names\r\n", File.ReadAllText(copy), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(_context.Maildir, ".Archive", "tmp")));
    }

    [Fact]
    public async Task MoveSurvivesARestart()
    {
        using (FolderLease inbox = _context.Open())
        using (FolderLease trash = _context.Open("Trash"))
        {
            uint a = await MailboxTestContext.AppendAsync(inbox.Folder, "a", MessageFlags.Seen);
            await MailboxTestContext.AppendAsync(inbox.Folder, "b");
            await inbox.Folder.MoveToAsync(trash.Folder, [a], TestContext.Current.CancellationToken);
        }

        _context.Restart();
        using FolderLease again = _context.Open("Trash");
        MessageRecord moved = Assert.Single(again.Folder.Current.Messages);
        Assert.Equal(MessageFlags.Seen, moved.Flags);
        Assert.Equal("a", MailboxTestContext.ReadSubject(again.Folder, moved.Uid));
        using FolderLease inboxAgain = _context.Open();
        Assert.Single(inboxAgain.Folder.Current.Messages);
    }

    [Fact]
    public async Task ExpungeDeletesTheFiles()
    {
        using FolderLease lease = _context.Open();
        await MailboxTestContext.AppendAsync(lease.Folder, "a", MessageFlags.Deleted);
        await MailboxTestContext.AppendAsync(lease.Folder, "b");

        lease.Folder.Expunge(null);

        Assert.Single(Directory.GetFiles(Path.Combine(_context.Maildir, "cur")));
    }

    [Fact]
    public async Task KeywordsAndCachedDataArePersistedInTheIndex()
    {
        uint uid;
        using (FolderLease lease = _context.Open())
        {
            uid = await MailboxTestContext.AppendAsync(lease.Folder, "a");
            lease.Folder.UpdateFlags([uid], FlagUpdateMode.Replace, MessageFlags.Seen, ["Urgent", "$Forwarded"], null);
            lease.Folder.UpdateFlags([uid], FlagUpdateMode.Remove, MessageFlags.None, ["urgent"], null);
            lease.Folder.SetCached(uid, CachedField.Envelope, Encoding.ASCII.GetBytes("(NIL \"a\")"));
            Assert.Null(lease.Folder.GetCached(uid, CachedField.BodyStructure));
        }

        _context.Restart();
        using FolderLease again = _context.Open();
        MessageRecord record = Assert.Single(again.Folder.Current.Messages);
        Assert.Equal(["$Forwarded"], record.Keywords);
        Assert.Equal(MessageFlags.Seen, record.Flags);
        Assert.Equal("(NIL \"a\")", Encoding.ASCII.GetString(again.Folder.GetCached(uid, CachedField.Envelope)!));
    }

    [Fact]
    public async Task CachedDataWrittenInBatchesSurvivesARestartAndLeavesWithItsMessage()
    {
        var uids = new List<uint>();
        using (FolderLease lease = _context.Open())
        {
            for (int i = 0; i < 200; i++)
            {
                uids.Add(await MailboxTestContext.AppendAsync(lease.Folder, "m" + i));
            }

            // 600 rows: more than one write batch, and a remainder still pending when the folder is closed.
            foreach (uint uid in uids)
            {
                foreach (CachedField field in (CachedField[])[CachedField.Envelope, CachedField.BodyStructure, CachedField.Body])
                {
                    lease.Folder.SetCached(uid, field, Encoding.ASCII.GetBytes($"{field} {uid}"));
                }
            }

            lease.Folder.UpdateFlags([uids[^1]], FlagUpdateMode.Add, MessageFlags.Deleted, [], null);
            Assert.Equal([uids[^1]], lease.Folder.Expunge(null));
        }

        _context.Restart();
        using FolderLease again = _context.Open();
        Assert.Equal(199, again.Folder.Current.Messages.Count);
        foreach (uint uid in uids.Take(199))
        {
            Assert.Equal($"Body {uid}", Encoding.ASCII.GetString(again.Folder.GetCached(uid, CachedField.Body)!));
        }

        Assert.Null(again.Folder.GetCached(uids[^1], CachedField.Envelope));
    }

    [Fact]
    public async Task RecentBoundarySurvivesARestart()
    {
        uint b;
        using (FolderLease lease = _context.Open())
        {
            await MailboxTestContext.AppendAsync(lease.Folder, "a");
            lease.Folder.ClaimRecent(lease.Folder.Current.UidNext);
            b = await MailboxTestContext.AppendAsync(lease.Folder, "b");
        }

        _context.Restart();
        using FolderLease again = _context.Open();
        Assert.Equal(b, again.Folder.RecentBoundary);
        Assert.Equal(b, again.Folder.ClaimRecent(again.Folder.Current.UidNext));
    }
}
