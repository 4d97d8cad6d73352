using Mailroom.Imap.Protocol;

namespace Mailroom.Imap.Tests.Protocol;

public sealed class SequenceSetTests
{
    private static SequenceSet Parse(string text)
    {
        Assert.True(SequenceSet.TryParse(text, out SequenceSet set), text);
        return set;
    }

    [Theory]
    [InlineData("1", 10, new[] { 1 })]
    [InlineData("2:4", 10, new[] { 2, 3, 4 })]
    [InlineData("4:2", 10, new[] { 2, 3, 4 })]
    [InlineData("*", 10, new[] { 10 })]
    [InlineData("8:*", 10, new[] { 8, 9, 10 })]
    [InlineData("*:8", 10, new[] { 8, 9, 10 })]
    [InlineData("1,3:4,3,2:3", 10, new[] { 1, 2, 3, 4 })]
    [InlineData("9:12", 10, new[] { 9, 10 })]
    [InlineData("1:*", 0, new int[0])]
    public void SequenceNumbersAreExpandedAscendingWithoutDuplicates(string text, int count, int[] expected)
    {
        Assert.Equal(expected, Parse(text).ToSequenceNumbers(count));
    }

    [Theory]
    [InlineData("1:3", 3, false)]
    [InlineData("*", 3, false)]
    [InlineData("4", 3, true)]
    [InlineData("2:4", 3, true)]
    [InlineData("*", 0, true)]
    [InlineData("1", 0, true)]
    public void OutOfRangeSequenceNumbersAreDetected(string text, int count, bool expected)
    {
        Assert.Equal(expected, Parse(text).ContainsOutOfRange(count));
    }

    [Theory]
    [InlineData("1:*", new uint[] { 3, 7, 9 })]
    [InlineData("4:8", new uint[] { 7 })]
    [InlineData("8:4", new uint[] { 7 })]
    [InlineData("*", new uint[] { 9 })]
    [InlineData("100:*", new uint[] { 9 })]
    [InlineData("1,2,4:6", new uint[0])]
    [InlineData("9,3", new uint[] { 3, 9 })]
    public void UidSetsNameOnlyExistingUids(string text, uint[] expected)
    {
        Assert.Equal(expected, Parse(text).ToUids([3, 7, 9]));
    }

    [Fact]
    public void UidSetOnAnEmptyMailboxIsEmpty()
    {
        Assert.Empty(Parse("1:*").ToUids([]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("1:0")]
    [InlineData("01")]
    [InlineData("1,")]
    [InlineData(",1")]
    [InlineData("1::2")]
    [InlineData("1:2:3")]
    [InlineData("4294967296")]
    [InlineData("a")]
    [InlineData("1 2")]
    [InlineData("$,1")]
    [InlineData("**")]
    public void MalformedSetsAreRejected(string text)
    {
        Assert.False(SequenceSet.TryParse(text, out _));
    }

    [Fact]
    public void LargestNumberIsAccepted()
    {
        Assert.True(Parse("4294967295").Contains(4294967295, 1));
    }

    [Fact]
    public void SavedResultIsRecognisedAndCannotBeExpanded()
    {
        SequenceSet set = Parse("$");
        Assert.True(set.IsSavedResult);
        Assert.Equal("$", set.ToString());
        Assert.Throws<InvalidOperationException>(() => set.ToSequenceNumbers(3));
    }

    [Fact]
    public void ToStringEchoesTheRanges()
    {
        Assert.Equal("1:3,5,7:*", Parse("1:3,5,7:*").ToString());
    }

    [Theory]
    [InlineData(new uint[0], "")]
    [InlineData(new uint[] { 1, 2, 3, 5, 9, 10 }, "1:3,5,9:10")]
    [InlineData(new uint[] { 4 }, "4")]
    [InlineData(new uint[] { 4294967294, 4294967295 }, "4294967294:4294967295")]
    public void FormatCompressesRuns(uint[] values, string expected)
    {
        Assert.Equal(expected, SequenceSet.Format(values));
    }

    [Fact]
    public void ContainsResolvesStarAndReversedRanges()
    {
        SequenceSet set = Parse("5:2,*");
        Assert.True(set.Contains(3, 100));
        Assert.True(set.Contains(100, 100));
        Assert.False(set.Contains(6, 100));
    }

    [Fact]
    public void ManyRangesAndHugeNumbersCostNothingInProportionToThem()
    {
        // 100,000 ranges, asked about 200,000 times (a SEARCH of that many messages): each answer is a binary search.
        SequenceSet set = Parse(string.Join(',', Enumerable.Range(0, 100_000).Select(i => (2 * i) + 1)));
        for (uint value = 1; value <= 200_000; value++)
        {
            Assert.Equal(value % 2 == 1, set.Contains(value, 200_000));
        }

        SequenceSet wide = Parse("1:4294967295,4294967295:1");
        Assert.True(wide.Contains(4_000_000_000, 7));
        Assert.Equal([1u, 2u, 3u], wide.ToUids([1, 2, 3]));
        Assert.Equal([1, 2], wide.ToSequenceNumbers(2));
        Assert.True(Parse("3:*").Contains(7, 7));
        Assert.False(Parse("3:*").Contains(2, 7));
        Assert.True(Parse("3:*").Contains(2, 2));
    }

    [Fact]
    public void ReaderRejectsTrailingGarbageAfterASet()
    {
        ImapArgumentReader reader = ProtocolWire.Reader("1:2x");
        Assert.Throws<ImapParseException>(() => reader.ReadSequenceSet());
    }
}
