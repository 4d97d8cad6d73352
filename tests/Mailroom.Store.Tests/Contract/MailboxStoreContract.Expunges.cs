using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Tests.Contract;

/// <summary>The memory of expunged UIDs QRESYNC answers from (RFC 7162 §3.2): what left, when, and how far back it reaches.</summary>
public abstract partial class MailboxStoreContract
{
    [Fact]
    public async Task AnExpungeIsRememberedWithTheModSeqItRaised()
    {
        using FolderLease lease = Open();
        MailFolder folder = lease.Folder;
        uint a = await AppendAsync(folder, "a");
        uint b = await AppendAsync(folder, "b");
        uint c = await AppendAsync(folder, "c");
        folder.UpdateFlags([a, c], FlagUpdateMode.Add, MessageFlags.Deleted, [], null);
        ulong before = folder.Current.HighestModSeq;

        folder.Expunge(null);

        ulong after = folder.Current.HighestModSeq;
        Assert.True(after > before);
        AssertExpunged(folder.GetExpungedSince(before), [a, c], complete: true);
        AssertExpunged(folder.GetExpungedSince(after), [], complete: true);
        Assert.Equal([b], folder.Current.Messages.Select(m => m.Uid));
    }

    [Fact]
    public async Task MovedAndRemovedMessagesAreRememberedInTheFolderTheyLeft()
    {
        using FolderLease inbox = Open();
        using FolderLease archive = Open("Archive");
        uint moved = await AppendAsync(inbox.Folder, "moved");
        uint removed = await AppendAsync(inbox.Folder, "removed");
        ulong start = inbox.Folder.Current.HighestModSeq;

        await inbox.Folder.MoveToAsync(archive.Folder, [moved], TestContext.Current.CancellationToken);
        ulong afterMove = inbox.Folder.Current.HighestModSeq;
        inbox.Folder.Remove([removed]);

        Assert.Equal([moved, removed], inbox.Folder.GetExpungedSince(start).Uids);
        Assert.Equal([removed], inbox.Folder.GetExpungedSince(afterMove).Uids);
        Assert.Empty(archive.Folder.GetExpungedSince(0).Uids);
    }

    [Fact]
    public async Task ExpungesWithinTheBoundAreAllRemembered()
    {
        Options.ExpungedUidMemory = 3;
        using FolderLease lease = Open();
        MailFolder folder = lease.Folder;
        uint[] uids = [await AppendAsync(folder, "1"), await AppendAsync(folder, "2"), await AppendAsync(folder, "3")];
        ulong start = folder.Current.HighestModSeq;

        foreach (uint uid in uids)
        {
            folder.Remove([uid]);
        }

        AssertExpunged(folder.GetExpungedSince(start), uids, complete: true);
    }

    [Fact]
    public async Task ExpungesPastTheBoundAreForgottenAndAnOlderQuestionIsAnsweredIncomplete()
    {
        Options.ExpungedUidMemory = 3;
        using FolderLease lease = Open();
        MailFolder folder = lease.Folder;
        uint[] uids = [await AppendAsync(folder, "1"), await AppendAsync(folder, "2"), await AppendAsync(folder, "3"), await AppendAsync(folder, "4")];
        ulong start = folder.Current.HighestModSeq;
        var modSeqs = new List<ulong>();

        foreach (uint uid in uids)
        {
            folder.Remove([uid]);
            modSeqs.Add(folder.Current.HighestModSeq);
        }

        ExpungedSince old = folder.GetExpungedSince(start);
        Assert.False(old.Complete);
        Assert.DoesNotContain(uids[0], old.Uids);

        // Whatever is still remembered answers exactly from the newest forgotten expunge on.
        ExpungedSince recent = folder.GetExpungedSince(modSeqs[^2]);
        AssertExpunged(recent, [uids[^1]], complete: true);
    }

    [Fact]
    public async Task AMemoryOfZeroRemembersNoExpungeButStillAnswersCurrentQuestions()
    {
        Options.ExpungedUidMemory = 0;
        using FolderLease lease = Open();
        MailFolder folder = lease.Folder;
        uint uid = await AppendAsync(folder, "gone");
        ulong start = folder.Current.HighestModSeq;

        folder.Remove([uid]);

        AssertExpunged(folder.GetExpungedSince(start), [], complete: false);
        AssertExpunged(folder.GetExpungedSince(folder.Current.HighestModSeq), [], complete: true);
    }

    private static void AssertExpunged(ExpungedSince actual, uint[] uids, bool complete)
    {
        Assert.Equal(uids, actual.Uids);
        Assert.Equal(complete, actual.Complete);
    }
}
