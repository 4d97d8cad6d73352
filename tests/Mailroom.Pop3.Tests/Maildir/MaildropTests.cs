using Mailroom.Pop3.Maildir;

namespace Mailroom.Pop3.Tests.Maildir;

public sealed class MaildropTests : IDisposable
{
    private readonly DirectoryInfo _maildir = System.IO.Directory.CreateTempSubdirectory("mailroom-pop3-drop-");

    public MaildropTests()
    {
        _maildir.CreateSubdirectory("new");
        _maildir.CreateSubdirectory("cur");
        _maildir.CreateSubdirectory("tmp");
    }

    public void Dispose() => _maildir.Delete(recursive: true);

    [Fact]
    public void MessagesAreNumberedInDeliveryOrderAcrossNewAndCur()
    {
        Write("cur", "1700000001.M5P1Q1.h,S=3:2,S");
        Write("new", "1700000000.M40P1Q2.h,S=3");
        Write("cur", "1700000000.M5P1Q10.h,S=3:2,");
        Write("new", "1700000000.M5P1Q9.h,S=3");
        Write("new", ".hidden");

        Maildrop drop = Maildrop.Load(_maildir.FullName, new WireSize());

        Assert.Equal(
            ["1700000000.M5P1Q9.h,S=3", "1700000000.M5P1Q10.h,S=3", "1700000000.M40P1Q2.h,S=3", "1700000001.M5P1Q1.h,S=3"],
            drop.Messages.Select(static m => m.BaseName));
        Assert.Equal(["", "", "", "S"], drop.Messages.Select(static m => m.Flags));
    }

    [Fact]
    public void AMessageSeenInBothNewAndCurIsListedOnce()
    {
        Write("new", "1700000000.M1P1Q1.h,S=3");
        Write("cur", "1700000000.M1P1Q1.h,S=3:2,S");

        Assert.Single(Maildrop.Load(_maildir.FullName, new WireSize()).Messages);
    }

    [Fact]
    public void SizesComeFromTheWFieldOrFromTheFile()
    {
        Write("new", "1700000000.M1P1Q1.h,S=3,W=40");
        Write("new", "1700000000.M1P1Q2.h,S=3", "a\nb");

        Maildrop drop = Maildrop.Load(_maildir.FullName, new WireSize());

        Assert.Equal([40L, 6L], drop.Messages.Select(static m => m.Size));
        Assert.Equal(46, drop.InitialSize);
    }

    [Fact]
    public void UpdateFsyncsTheMaildirBeforeTheClientIsAnswered()
    {
        Write("new", "1700000000.M1P1Q1.h,S=3");
        Write("new", "1700000000.M1P1Q2.h,S=3");
        var flushed = new List<string>();
        Maildrop drop = Maildrop.Load(_maildir.FullName, new WireSize(), flushed.Add);
        drop.Messages[0].Deleted = true;
        drop.Messages[1].Retrieved = true;

        Assert.Equal(0, drop.Commit());

        Assert.Equal([Path.Combine(_maildir.FullName, "new"), Path.Combine(_maildir.FullName, "cur")], flushed);
        Assert.Empty(System.IO.Directory.GetFiles(Path.Combine(_maildir.FullName, "new")));
        Assert.Equal(["1700000000.M1P1Q2.h,S=3:2,S"], System.IO.Directory.GetFiles(Path.Combine(_maildir.FullName, "cur")).Select(Path.GetFileName));
    }

    [Fact]
    public void DeletionsThatCannotBeMadeDurableAreReportedAsNotRemoved()
    {
        Write("new", "1700000000.M1P1Q1.h,S=3");
        Write("new", "1700000000.M1P1Q2.h,S=3");
        Maildrop drop = Maildrop.Load(_maildir.FullName, new WireSize(), _ => throw new IOException("fsync failed"));
        drop.Messages[0].Deleted = true;
        drop.Messages[1].Deleted = true;

        Assert.Equal(2, drop.Commit());
    }

    [Fact]
    public void ASessionThatChangedNothingFsyncsNothing()
    {
        Write("new", "1700000000.M1P1Q1.h,S=3");
        var flushed = new List<string>();
        Maildrop drop = Maildrop.Load(_maildir.FullName, new WireSize(), flushed.Add);

        Assert.Equal(0, drop.Commit());
        Assert.Empty(flushed);
    }

    private void Write(string sub, string name, string content = "a\r\n") =>
        File.WriteAllText(Path.Combine(_maildir.FullName, sub, name), content);
}
