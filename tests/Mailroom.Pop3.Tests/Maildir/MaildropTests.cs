using Mailroom.Pop3.Maildir;
using Mailroom.Store;
using Mailroom.Store.Maildir;
using Mailroom.Store.Mailboxes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mailroom.Pop3.Tests.Maildir;

/// <summary>The maildrop as a snapshot of INBOX, on Maildir files written by hand (as other programs leave them).</summary>
public sealed class MaildropTests : IDisposable
{
    private const string User = "charlie@alpha.example.org";

    private readonly DirectoryInfo _root = System.IO.Directory.CreateTempSubdirectory("mailroom-pop3-drop-");
    private readonly MaildirStore _store;

    public MaildropTests()
    {
        _store = new MaildirStore(Options.Create(new StoreOptions { MailRoot = _root.FullName }), TimeProvider.System, NullLogger<MaildirStore>.Instance);
        foreach (string sub in (string[])["new", "cur", "tmp"])
        {
            System.IO.Directory.CreateDirectory(Path.Combine(Maildir, sub));
        }
    }

    private string Maildir => _store.GetMaildirPath(User);

    public void Dispose()
    {
        _store.Dispose();
        _root.Delete(recursive: true);
    }

    [Fact]
    public void MessagesAreNumberedInDeliveryOrderAcrossNewAndCur()
    {
        Write("cur", "1700000001.M5P1Q1.h,S=3:2,S");
        Write("new", "1700000000.M40P1Q2.h,S=3");
        Write("cur", "1700000000.M5P1Q10.h,S=3:2,");
        Write("new", "1700000000.M5P1Q9.h,S=3");
        Write("new", ".hidden");

        using Maildrop drop = Maildrop.Open(_store, User);

        Assert.Equal(
            ["1700000000.M5P1Q9.h,S=3", "1700000000.M5P1Q10.h,S=3", "1700000000.M40P1Q2.h,S=3", "1700000001.M5P1Q1.h,S=3"],
            drop.Messages.Select(static m => m.UniqueId));
        Assert.Equal([MessageFlags.None, MessageFlags.None, MessageFlags.None, MessageFlags.Seen], drop.Messages.Select(static m => m.Flags));
    }

    [Fact]
    public void AMessageSeenInBothNewAndCurIsListedOnce()
    {
        Write("new", "1700000000.M1P1Q1.h,S=3");
        Write("cur", "1700000000.M1P1Q1.h,S=3:2,S");

        using Maildrop drop = Maildrop.Open(_store, User);

        Assert.Single(drop.Messages);
    }

    [Fact]
    public void SizesComeFromTheWFieldOrFromTheContent()
    {
        Write("new", "1700000000.M1P1Q1.h,S=3,W=40");
        Write("new", "1700000000.M1P1Q2.h,S=3", "a\nb");

        using Maildrop drop = Maildrop.Open(_store, User);

        Assert.Equal([40L, 6L], drop.Messages.Select(static m => m.Size));
        Assert.Equal(46, drop.InitialSize);
    }

    [Fact]
    public void UpdateRemovesDeletedMessagesAndMarksRetrievedOnesSeenLeavingTheRestNew()
    {
        Write("new", "1700000000.M1P1Q1.h,S=3");
        Write("new", "1700000000.M1P1Q2.h,S=3");
        Write("new", "1700000000.M1P1Q3.h,S=3");
        using Maildrop drop = Maildrop.Open(_store, User);
        drop.Messages[0].Deleted = true;
        drop.Messages[1].Retrieved = true;

        Assert.Equal(0, drop.Commit());

        Assert.Equal(["1700000000.M1P1Q3.h,S=3"], System.IO.Directory.GetFiles(Path.Combine(Maildir, "new")).Select(Path.GetFileName));
        Assert.Equal(["1700000000.M1P1Q2.h,S=3:2,S"], System.IO.Directory.GetFiles(Path.Combine(Maildir, "cur")).Select(Path.GetFileName));
    }

    [Fact]
    public void AMessageAnotherAgentExpungedCountsAsRemoved()
    {
        Write("new", "1700000000.M1P1Q1.h,S=3");
        using Maildrop drop = Maildrop.Open(_store, User);
        drop.Messages[0].Deleted = true;
        using (FolderLease imap = _store.OpenFolder(User, "INBOX")!)
        {
            imap.Folder.Remove([imap.Folder.Current.Messages[0].Uid]);
        }

        Assert.Equal(0, drop.Commit());
    }

    [Fact]
    public void AMessageAnImapSessionExpungesAfterLoginStaysReadableUntilTheSessionEnds()
    {
        Write("new", "1700000000.M1P1Q1.h,S=3", "kept\r\n");
        using FolderLease imap = _store.OpenFolder(User, "INBOX")!;
        MailFolder inbox = imap.Folder;
        using (Maildrop drop = Maildrop.Open(_store, User))
        {
            inbox.Remove([inbox.Current.Messages[0].Uid]);

            Assert.Empty(System.IO.Directory.GetFiles(Path.Combine(Maildir, "new")).Concat(System.IO.Directory.GetFiles(Path.Combine(Maildir, "cur"))));
            using (var reader = new StreamReader(drop.Open(drop.Messages[0])))
            {
                Assert.Equal("kept\r\n", reader.ReadToEnd());
            }

            Assert.Equal(1, inbox.HeldExpungedCount);
        }

        Assert.Equal(0, inbox.HeldExpungedCount);
    }

    [Fact]
    public void PastTheStoresBoundOfHeldMessagesAnExpungedMessageIsGone()
    {
        using var bounded = new MaildirStore(
            Options.Create(new StoreOptions { MailRoot = _root.FullName, MaxHeldExpungedMessages = 0 }), TimeProvider.System, NullLogger<MaildirStore>.Instance);
        Write("new", "1700000000.M1P1Q1.h,S=3");
        using Maildrop drop = Maildrop.Open(bounded, User);
        using (FolderLease imap = bounded.OpenFolder(User, "INBOX")!)
        {
            imap.Folder.Remove([imap.Folder.Current.Messages[0].Uid]);
        }

        Assert.Throws<MessageGoneException>(() => drop.Open(drop.Messages[0]));
    }

    [Fact]
    public void TheSessionsOwnDeletionsAreNotHeldForIt()
    {
        Write("new", "1700000000.M1P1Q1.h,S=3");
        using FolderLease imap = _store.OpenFolder(User, "INBOX")!;
        using (Maildrop drop = Maildrop.Open(_store, User))
        {
            drop.Messages[0].Deleted = true;
            Assert.Equal(0, drop.Commit());
            Assert.Equal(0, imap.Folder.HeldExpungedCount);
        }

        Assert.Empty(imap.Folder.Current.Messages);
    }

    [Fact]
    public void AnUnreadableMessageIsLeftOutAndTheOthersAreListed()
    {
        Write("new", "1700000000.M1P1Q1.h");
        string fifo = Path.Combine(Maildir, "new", "1700000000.M1P1Q2.h");
        Fifo.Make(fifo);

        Write("new", "1700000000.M1P1Q3.h");

        using Maildrop drop = Maildrop.Open(_store, User);

        Assert.Equal(["1700000000.M1P1Q1.h", "1700000000.M1P1Q3.h"], drop.Messages.Select(static m => m.UniqueId));
        Assert.Equal(1, drop.UnreadableCount);
        Assert.Contains("not a regular file", drop.FirstUnreadable?.Message, StringComparison.Ordinal);
    }

    private void Write(string sub, string name, string content = "a\r\n") =>
        File.WriteAllText(Path.Combine(Maildir, sub, name), content);
}
