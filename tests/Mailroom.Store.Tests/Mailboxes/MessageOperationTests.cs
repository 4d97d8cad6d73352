using System.Text;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Tests.Mailboxes;

public sealed class MessageOperationTests : IDisposable
{
    private readonly MailboxTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task AppendStoresContentFlagsKeywordsAndInternalDate()
    {
        using FolderLease lease = _context.Open("Drafts");
        var date = new DateTimeOffset(2020, 3, 4, 5, 6, 7, TimeSpan.FromHours(2));
        byte[] content = MailboxTestContext.Message("draft");

        uint uid = await lease.Folder.AppendAsync(new MemoryStream(content), MessageFlags.Draft, ["Work", "$Important", "work"], date, TestContext.Current.CancellationToken);

        MessageRecord record = lease.Folder.Current.Messages[lease.Folder.Current.IndexOfUid(uid)];
        Assert.Equal(content.Length, record.Size);
        Assert.Equal(date, record.InternalDate);
        Assert.Equal(date.Offset, record.InternalDate.Offset);
        Assert.Equal(MessageFlags.Draft, record.Flags);
        Assert.Equal(["$Important", "Work"], record.Keywords);
        Assert.Equal(["$Important", "Work"], lease.Folder.KnownKeywords);
        using Stream stored = lease.Folder.OpenContent(uid);
        using var copy = new MemoryStream();
        await stored.CopyToAsync(copy, TestContext.Current.CancellationToken);
        Assert.Equal(content, copy.ToArray());
        Assert.Empty(Directory.GetFiles(Path.Combine(_context.Maildir, ".Drafts", "tmp")));
    }

    [Fact]
    public async Task CopyKeepsFlagsAndKeywordsAndReturnsUidPlusData()
    {
        using FolderLease inbox = _context.Open();
        using FolderLease archive = _context.Open("Archive");
        uint a = await MailboxTestContext.AppendAsync(inbox.Folder, "a", MessageFlags.Seen, "$Label1");
        uint b = await MailboxTestContext.AppendAsync(inbox.Folder, "b", MessageFlags.Flagged);
        await MailboxTestContext.AppendAsync(archive.Folder, "already there");

        CopyResult result = inbox.Folder.CopyTo(archive.Folder, [b, a, 99]);

        Assert.Equal(archive.Folder.Current.UidValidity, result.DestinationUidValidity);
        Assert.Equal([a, b], result.SourceUids);
        Assert.Equal([2u, 3u], result.DestinationUids);
        FolderView target = archive.Folder.Current;
        MessageRecord copiedA = target.Messages[target.IndexOfUid(2)];
        Assert.Equal(MessageFlags.Seen, copiedA.Flags);
        Assert.Equal(["$Label1"], copiedA.Keywords);
        Assert.Equal(MessageFlags.Flagged, target.Messages[target.IndexOfUid(3)].Flags);
        Assert.Equal("b", MailboxTestContext.ReadSubject(archive.Folder, 3));
        Assert.Equal(2, inbox.Folder.Current.Messages.Count);
    }

    [Fact]
    public async Task MoveRemovesTheSourceMessagesAndSurvivesARestart()
    {
        using (FolderLease inbox = _context.Open())
        using (FolderLease trash = _context.Open("Trash"))
        {
            uint a = await MailboxTestContext.AppendAsync(inbox.Folder, "a", MessageFlags.Seen);
            uint b = await MailboxTestContext.AppendAsync(inbox.Folder, "b");

            CopyResult result = inbox.Folder.MoveTo(trash.Folder, [a]);

            Assert.Equal([a], result.SourceUids);
            Assert.Equal([b], inbox.Folder.Current.Messages.Select(m => m.Uid));
            Assert.Equal(result.DestinationUids, trash.Folder.Current.Messages.Select(m => m.Uid));
        }

        _context.Restart();
        using FolderLease again = _context.Open("Trash");
        MessageRecord moved = Assert.Single(again.Folder.Current.Messages);
        Assert.Equal(MessageFlags.Seen, moved.Flags);
        Assert.Equal("a", MailboxTestContext.ReadSubject(again.Folder, moved.Uid));
    }

    [Fact]
    public async Task ExpungeRemovesOnlyDeletedMessagesAmongTheGivenUids()
    {
        using FolderLease lease = _context.Open();
        MailFolder folder = lease.Folder;
        uint a = await MailboxTestContext.AppendAsync(folder, "a", MessageFlags.Deleted);
        uint b = await MailboxTestContext.AppendAsync(folder, "b", MessageFlags.Deleted);
        uint c = await MailboxTestContext.AppendAsync(folder, "c");

        Assert.Equal([b], folder.Expunge([b, c]));
        Assert.Equal([a, c], folder.Current.Messages.Select(m => m.Uid));
        Assert.Equal([a], folder.Expunge(null));
        Assert.Equal([c], folder.Current.Messages.Select(m => m.Uid));
        Assert.Single(Directory.GetFiles(Path.Combine(_context.Maildir, "cur")));
    }

    [Fact]
    public async Task UpdateFlagsWithUnchangedSinceReportsModifiedMessages()
    {
        using FolderLease lease = _context.Open();
        MailFolder folder = lease.Folder;
        uint a = await MailboxTestContext.AppendAsync(folder, "a");
        ulong old = folder.Current.HighestModSeq;
        uint b = await MailboxTestContext.AppendAsync(folder, "b");

        FlagUpdateResult result = folder.UpdateFlags([a, b], FlagUpdateMode.Add, MessageFlags.Seen, [], old);

        Assert.Equal([b], result.Modified);
        MessageRecord changed = Assert.Single(result.Changed);
        Assert.Equal(a, changed.Uid);
        Assert.Equal(MessageFlags.Seen, changed.Flags);
        Assert.Equal(folder.Current.HighestModSeq, changed.ModSeq);
        Assert.Equal(MessageFlags.None, folder.Current.Messages[1].Flags);

        FlagUpdateResult again = folder.UpdateFlags([a], FlagUpdateMode.Add, MessageFlags.Seen, [], null);
        Assert.Empty(again.Changed);
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
    public async Task RecentMessagesAreClaimedOnce()
    {
        using FolderLease lease = _context.Open();
        uint a = await MailboxTestContext.AppendAsync(lease.Folder, "a");

        Assert.Equal(a, lease.Folder.ClaimRecent());
        Assert.Equal(lease.Folder.Current.UidNext, lease.Folder.ClaimRecent());
    }

    [Fact]
    public async Task RecentBoundaryIsReadWithoutClaimingAndSurvivesARestart()
    {
        uint b;
        using (FolderLease lease = _context.Open())
        {
            uint a = await MailboxTestContext.AppendAsync(lease.Folder, "a");
            Assert.True(lease.Folder.RecentBoundary <= a);
            Assert.True(lease.Folder.RecentBoundary <= a);
            lease.Folder.ClaimRecent();
            Assert.Equal(lease.Folder.Current.UidNext, lease.Folder.RecentBoundary);
            b = await MailboxTestContext.AppendAsync(lease.Folder, "b");
            Assert.Equal(b, lease.Folder.RecentBoundary);
        }

        _context.Restart();
        using FolderLease again = _context.Open();
        Assert.Equal(b, again.Folder.RecentBoundary);
        Assert.Equal(b, again.Folder.ClaimRecent());
    }
}
