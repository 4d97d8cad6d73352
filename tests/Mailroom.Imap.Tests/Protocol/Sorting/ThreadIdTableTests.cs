using Mailroom.Imap.Protocol.Sorting;
using static Mailroom.Imap.Tests.Protocol.Sorting.ThreadTestMessages;

namespace Mailroom.Imap.Tests.Protocol.Sorting;

/// <summary>The folder's id numbers behind THREAD=REFERENCES.</summary>
public sealed class ThreadIdTableTests
{
    [Fact]
    public void OneIdHasOneNumberWhereverItAppearsAndEveryNumberIsBelowTheCount()
    {
        SortableMessage[] messages =
        [
            Message(1, "a", "topic", 0),
            Message(2, "b", "Re: topic", 1, "a"),
            Message(3, "c", "Re: topic", 2, "a", "b"),
            Message(4, null, "other", 3, "z"),
        ];
        var links = new ThreadLinks[messages.Length];
        int count = new ThreadIdTable().Number(messages, links);

        Assert.Equal(4, count);
        Assert.Equal(links[0].Id, links[1].References[0]);
        Assert.Equal(links[0].Id, links[2].References[0]);
        Assert.Equal(links[1].Id, links[2].References[1]);
        Assert.Equal(ThreadLinks.NoId, links[3].Id);
        Assert.All(links, l => Assert.All(l.References.Append(l.Id), n => Assert.InRange(n, ThreadLinks.NoId, count - 1)));
    }

    [Fact]
    public void AMessageIsNumberedOnceAndLaterMessagesExtendTheSameNumbering()
    {
        var table = new ThreadIdTable();
        SortableMessage first = Message(1, "a", "topic", 0);
        SortableMessage reply = Message(2, "b", "Re: topic", 1, "a");
        var before = new ThreadLinks[1];
        table.Number([first], before);
        var after = new ThreadLinks[2];
        int count = table.Number([first, reply], after);

        Assert.Same(before[0], after[0]);
        Assert.Equal(after[0].Id, after[1].References[0]);
        Assert.Equal(2, count);
    }

    [Fact]
    public void ClearingStartsTheNumberingAgain()
    {
        var table = new ThreadIdTable();
        var links = new ThreadLinks[2];
        table.Number([Message(1, "a"), Message(2, "b")], links);
        table.Clear();

        Assert.Equal(0, table.Count);
        Assert.Equal(1, table.Number([Message(3, "c")], links));
        Assert.Equal(0, links[0].Id);
    }

    [Fact]
    public void ThreadingWithAFolderTableKeptAcrossCommandsGivesWhatAFreshTableGives()
    {
        // The folder's table is kept between THREAD commands and grows as mail arrives; the answer must not depend on
        // what it numbered before.
        var table = new ThreadIdTable();
        SortableMessage[] early = [Message(1, "a", "topic", 0), Message(2, "x", "other", 1, "q")];
        SortableMessage[] all =
        [
            .. early,
            Message(3, "c", "Re: topic", 2, "a", "b"),
            Message(4, "b", "Re: topic", 3, "a"),
            Message(5, "q", "other", 4),
        ];
        Assert.Equal(Format(ReferencesThreader.Thread(early, 1000, TestContext.Current.CancellationToken)),
            Format(ReferencesThreader.Thread(early, table, 1000, TestContext.Current.CancellationToken)));
        Assert.Equal("(1 4 3)(5 2)", Format(ReferencesThreader.Thread(all, table, 1000, TestContext.Current.CancellationToken)));
        Assert.Equal("(1 4 3)(5 2)", Format(ReferencesThreader.Thread(all, 1000, TestContext.Current.CancellationToken)));
    }
}
