using Mailroom.Imap.Protocol.Sorting;

namespace Mailroom.Imap.Tests.Protocol.Sorting;

/// <summary>The integer ranks SORT compares in place of string keys: they must order exactly as the strings do.</summary>
public sealed class SortRankTableTests
{
    private static void AssertOrderedAsStrings(SortRankTable table, IEnumerable<string> values)
    {
        string[] distinct = [.. values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        for (int i = 1; i < distinct.Length; i++)
        {
            Assert.True(table.Find(distinct[i - 1]) < table.Find(distinct[i]), $"{distinct[i - 1]} ranks below {distinct[i]}");
        }
    }

    [Fact]
    public void RanksOrderAsTheValuesOrdinallyAndAValueKeepsItsRank()
    {
        var table = new SortRankTable();
        long b = table.RankOf("B");
        long a = table.RankOf("A");
        long c = table.RankOf("C");
        long empty = table.RankOf(string.Empty);
        Assert.True(empty < a && a < b && b < c);
        Assert.Equal(b, table.RankOf("B"));
        Assert.Equal(4, table.Count);
        Assert.Equal(-1, table.Find("D"));
    }

    [Fact]
    public void ANewValueBetweenTwoTakesTheMidpointWithoutRenumbering()
    {
        var table = new SortRankTable();
        table.RankOf("A");
        table.RankOf("C");
        int generation = table.Generation;
        long b = table.RankOf("B");
        Assert.Equal(generation, table.Generation);
        Assert.True(table.Find("A") < b && b < table.Find("C"));
    }

    [Fact]
    public void WhenNoGapIsLeftEveryValueIsRenumberedInOrderAndTheGenerationChanges()
    {
        var table = new SortRankTable();
        table.RankOf("A");
        table.RankOf("B");
        int generation = table.Generation;

        // Each value goes just above "A": the gap halves every time until none is left (after about 20 insertions).
        List<string> values = ["A", "B"];
        string value = "A";
        for (int i = 0; i < 24; i++)
        {
            value += "A";
            table.RankOf(value);
            values.Add(value);
        }

        Assert.NotEqual(generation, table.Generation);
        AssertOrderedAsStrings(table, values);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(2000)]
    public void ValuesAddedInBulkOrOneByOneInAnyOrderRankAsTheyCompare(int count)
    {
        var random = new Random(count);
        var table = new SortRankTable();
        List<string> all = [];
        for (int round = 0; round < 3; round++)
        {
            string[] batch = [.. Enumerable.Range(0, count).Select(_ => new string((char)random.Next('A', 'F'), random.Next(0, 4)) + random.Next(100))];
            table.AddAll(batch.Distinct(StringComparer.Ordinal).Where(v => table.Find(v) < 0).ToArray());
            all.AddRange(batch);
            AssertOrderedAsStrings(table, all);
            Assert.Equal(all.Distinct(StringComparer.Ordinal).Count(), table.Count);
        }
    }

    [Fact]
    public void ClearForgetsEveryValueAndChangesTheGeneration()
    {
        var table = new SortRankTable();
        table.RankOf("A");
        int generation = table.Generation;
        table.Clear();
        Assert.Equal(0, table.Count);
        Assert.Equal(-1, table.Find("A"));
        Assert.NotEqual(generation, table.Generation);
    }
}
