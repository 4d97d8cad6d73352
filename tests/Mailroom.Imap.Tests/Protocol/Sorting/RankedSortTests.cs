using Mailroom.Imap.Protocol.Sorting;

namespace Mailroom.Imap.Tests.Protocol.Sorting;

/// <summary>
/// SORT by integer ranks kept across commands (a folder's <see cref="SortRanks"/>) orders exactly as comparing the
/// string keys does, also after messages arrive with new values, are expunged, or sort again by other keys.
/// </summary>
public sealed class RankedSortTests
{
    private static readonly SortKeyKind[] AllKeys = Enum.GetValues<SortKeyKind>();

    private static SortableMessage RandomMessage(Random random, int sequence)
    {
        string Pick(params string[] values) => values[random.Next(values.Length)];
        var keys = new MessageSortKeys(
            random.Next(4) == 0 ? MessageSortKeys.NoDate : random.Next(50) * TimeSpan.TicksPerMinute,
            Pick(string.Empty, "LUNCH", "LUNCH PLANS", "BUDGET", "A" + random.Next(30)),
            false,
            Pick(string.Empty, "ALICE", "BOB", "CAROL", "U" + random.Next(40)),
            Pick(string.Empty, "LIST", "TEAM"),
            Pick(string.Empty, "CC" + random.Next(5)),
            Pick(string.Empty, "ALICE SMITH", "BOB@EXAMPLE.ORG", "D" + random.Next(40)),
            Pick(string.Empty, "LIST", "T" + random.Next(10)),
            string.Empty,
            []);
        return new SortableMessage(sequence, (uint)(sequence * 3), random.Next(50) * TimeSpan.TicksPerMinute, random.Next(1, 20) * 100, keys);
    }

    /// <summary>The order by comparing the keys themselves (RFC 5256 §3), the reference the ranked sort must match.</summary>
    private static uint[] ByComparingStrings(IEnumerable<SortableMessage> messages, SortCriterion[] criteria)
    {
        SortableMessage[] copy = [.. messages];
        Array.Sort(copy, (a, b) => MessageSorter.Compare(a, b, criteria));
        return [.. copy.Select(m => m.Number)];
    }

    private static SortCriterion[] RandomCriteria(Random random) =>
        [.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => new SortCriterion(AllKeys[random.Next(AllKeys.Length)], random.Next(2) == 0))];

    [Fact]
    public void EverySingleKeyAndItsReverseSortAsTheStringsCompare()
    {
        var random = new Random(5256);
        SortableMessage[] messages = [.. Enumerable.Range(1, 300).Select(i => RandomMessage(random, i))];
        var ranks = new SortRanks();
        foreach (SortKeyKind key in AllKeys)
        {
            foreach (bool reverse in (bool[])[false, true])
            {
                SortCriterion[] criteria = [new(key, reverse)];
                SortableMessage[] sorted = [.. messages];
                MessageSorter.Sort(sorted, criteria, ranks, TestContext.Current.CancellationToken);
                Assert.Equal(ByComparingStrings(messages, criteria), sorted.Select(m => m.Number));
            }
        }
    }

    [Fact]
    public void KeptRanksStayRightAsMessagesArriveAndAreExpungedWithMultiKeyAndReverseSorts()
    {
        var random = new Random(3501);
        var ranks = new SortRanks();
        List<SortableMessage> folder = [.. Enumerable.Range(1, 50).Select(i => RandomMessage(random, i))];
        int nextSequence = 51;
        for (int step = 0; step < 60; step++)
        {
            // New mail (values seen before and new ones), and now and then an expunge of a few messages.
            int arriving = random.Next(0, step % 7 == 0 ? 80 : 4);
            for (int i = 0; i < arriving; i++)
            {
                folder.Add(RandomMessage(random, nextSequence++));
            }

            if (step % 3 == 0 && folder.Count > 10)
            {
                for (int i = 0; i < 3; i++)
                {
                    folder.RemoveAt(random.Next(folder.Count));
                }
            }

            SortCriterion[] criteria = RandomCriteria(random);
            SortableMessage[] sorted = [.. folder];
            MessageSorter.Sort(sorted, criteria, ranks, TestContext.Current.CancellationToken);
            Assert.Equal(ByComparingStrings(folder, criteria), sorted.Select(m => m.Number));
        }
    }

    [Fact]
    public void MessagesEqualByEveryCriterionKeepMailboxOrderWhateverTheirOrderGiven()
    {
        var keys = new MessageSortKeys(MessageSortKeys.NoDate, "SAME", false, "X", "Y", string.Empty, "X", "Y", string.Empty, []);
        SortableMessage[] messages = [.. new[] { 4, 1, 3, 2 }.Select(i => new SortableMessage(i, (uint)i, 0, 100, keys))];
        MessageSorter.Sort(messages, [new(SortKeyKind.Subject, true), new(SortKeyKind.From, false)], new SortRanks(), TestContext.Current.CancellationToken);
        Assert.Equal([1u, 2u, 3u, 4u], messages.Select(m => m.Number));
    }

    [Fact]
    public void TheRanksOfAFolderHoldEachDistinctValueOnceAndClearForgetsThem()
    {
        var ranks = new SortRanks();
        var random = new Random(1);
        SortableMessage[] messages = [.. Enumerable.Range(1, 100).Select(i => RandomMessage(random, i))];
        MessageSorter.Sort(messages, [new(SortKeyKind.Subject, false)], ranks, TestContext.Current.CancellationToken);
        int subjects = messages.Select(m => m.Keys.Subject).Distinct(StringComparer.Ordinal).Count();
        Assert.Equal(subjects, ranks.Count);
        MessageSorter.Sort(messages, [new(SortKeyKind.Subject, true)], ranks, TestContext.Current.CancellationToken);
        Assert.Equal(subjects, ranks.Count);
        ranks.Clear();
        Assert.Equal(0, ranks.Count);
    }
}
