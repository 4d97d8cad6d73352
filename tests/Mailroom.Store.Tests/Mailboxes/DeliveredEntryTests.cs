using Mailroom.Store.Maildir;
using Mailroom.Store.Mailboxes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mailroom.Store.Tests.Mailboxes;

/// <summary>The index entries deliveries leave for the reader that gives their messages UIDs.</summary>
public sealed class DeliveredEntryTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("mailroom-delivered-");
    private readonly IndexDatabase _index;

    public DeliveredEntryTests()
    {
        _index = IndexDatabase.Open(_root.FullName, NullLogger.Instance);
    }

    public void Dispose()
    {
        _index.Dispose();
        _root.Delete(recursive: true);
    }

    [Fact]
    public void TakingEveryWaitingEntryReturnsThemAllAndLeavesNoneBehind()
    {
        _index.SaveDelivered("INBOX", [Entry("a", 1), Entry("b", 2), Entry("c", 3)], Now);

        Dictionary<string, byte[]?[]> taken = _index.TakeDelivered("INBOX", ["a", "b", "c"], Now);

        Assert.Equal(["a", "b", "c"], taken.Keys.Order());
        Assert.Equal([2], taken["b"][0]);
        Assert.Equal([2, 2], taken["b"][1]);
        Assert.Empty(_index.TakeDelivered("INBOX", ["a", "b", "c"], Now));
    }

    [Fact]
    public void TakingSomeEntriesLeavesTheOthersWaitingForTheirMessages()
    {
        _index.SaveDelivered("INBOX", [Entry("a", 1), Entry("b", 2), Entry("c", 3)], Now);

        Dictionary<string, byte[]?[]> first = _index.TakeDelivered("INBOX", ["b"], Now);
        Dictionary<string, byte[]?[]> rest = _index.TakeDelivered("INBOX", ["a", "b", "c"], Now);

        Assert.Equal(["b"], first.Keys);
        Assert.Equal(["a", "c"], rest.Keys.Order());
        Assert.Equal([3], rest["c"][0]);
    }

    [Fact]
    public void EntriesWhoseMessageNeverAppearedAreDroppedOnlyAfterAWeek()
    {
        _index.SaveDelivered("INBOX", [Entry("old", 1)], Now - TimeSpan.FromDays(8));
        _index.SaveDelivered("INBOX", [Entry("recent", 2)], Now - TimeSpan.FromDays(6));

        Assert.Empty(_index.TakeDelivered("INBOX", ["fresh"], Now));
        Dictionary<string, byte[]?[]> left = _index.TakeDelivered("INBOX", ["old", "recent"], Now);

        Assert.Equal(["recent"], left.Keys);
    }

    [Fact]
    public void TakingTheEntriesOfOneFolderLeavesAnotherFoldersEntries()
    {
        _index.SaveDelivered("INBOX", [Entry("a", 1)], Now);
        _index.SaveDelivered("Other", [Entry("a", 9)], Now);

        Assert.Single(_index.TakeDelivered("INBOX", ["a"], Now));
        Dictionary<string, byte[]?[]> other = _index.TakeDelivered("Other", ["a"], Now);

        Assert.Equal([9], Assert.Single(other).Value[0]);
    }

    private static (string BaseName, byte[]?[] Values) Entry(string baseName, byte marker)
    {
        var values = new byte[]?[CachedFields.Count];
        values[0] = [marker];
        values[1] = [marker, marker];
        return (baseName, values);
    }
}
