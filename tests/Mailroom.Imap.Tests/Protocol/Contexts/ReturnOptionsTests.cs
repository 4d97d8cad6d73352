using Mailroom.Imap.Protocol;
using Mailroom.Imap.Protocol.Contexts;

namespace Mailroom.Imap.Tests.Protocol.Contexts;

/// <summary>RETURN options of SEARCH and SORT with RFC 5267's PARTIAL, UPDATE and CONTEXT.</summary>
public sealed class ReturnOptionsTests
{
    [Theory]
    [InlineData("1:1", 1u, 1u)]
    [InlineData("2:4", 2u, 4u)]
    [InlineData("4:2", 2u, 4u)]
    [InlineData("1:4294967295", 1u, uint.MaxValue)]
    public void PartialRangesAreOrderedLowToHigh(string text, uint low, uint high)
    {
        PartialRange range = PartialRange.Parse(text);
        Assert.Equal((low, high), (range.Low, range.High));
        Assert.Equal($"{low}:{high}", range.ToString());
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1:")]
    [InlineData(":1")]
    [InlineData("0:1")]
    [InlineData("1:0")]
    [InlineData("1:4294967296")]
    [InlineData("-1:-5")]
    [InlineData("1:*")]
    [InlineData("+1:2")]
    [InlineData("1:2:3")]
    public void MalformedPartialRangesAreSyntaxErrors(string text) =>
        Assert.Throws<ImapParseException>(() => PartialRange.Parse(text));

    [Theory]
    [InlineData(1u, 1u, 5, 0, 1)]
    [InlineData(2u, 4u, 5, 1, 3)]
    [InlineData(1u, 6u, 5, 0, 5)]
    [InlineData(6u, 6u, 5, 0, 0)]
    [InlineData(5u, uint.MaxValue, 5, 4, 1)]
    [InlineData(1u, 3u, 0, 0, 0)]
    public void APartialRangeCoversOnlyPositionsTheResultHas(uint low, uint high, int count, int start, int length) =>
        Assert.Equal((start, length), new PartialRange(low, high).Within(count));

    [Fact]
    public void UpdateAndPartialNameNoResultOptionWhileAnEmptyListOrTheHintAloneMeansAll()
    {
        ReturnOptions update = ReturnOptions.Parse(["update"], "SEARCH");
        Assert.True(update.Update);
        Assert.Empty(update.Results);

        ReturnOptions partial = ReturnOptions.Parse(["COUNT", "PARTIAL", "3:1", "CONTEXT"], "SEARCH");
        Assert.Equal(new PartialRange(1, 3), partial.Partial);
        Assert.Equal(["COUNT"], partial.Results);

        Assert.Equal(["ALL"], ReturnOptions.Parse([], "SORT").Results);
        Assert.Equal(["ALL"], ReturnOptions.Parse(["CONTEXT"], "SORT").Results);
        Assert.Equal(["MIN", "ALL", "SAVE"], ReturnOptions.Parse(["min", "ALL", "SAVE", "MIN"], "SORT").Results);
    }

    [Theory]
    [InlineData("PARTIAL")]
    [InlineData("PARTIAL 1:2 PARTIAL 3:4")]
    [InlineData("ALL PARTIAL 1:2")]
    [InlineData("UPDATE UPDATE")]
    [InlineData("RELEVANCY")]
    public void ContradictoryRepeatedOrUnknownOptionsAreSyntaxErrors(string atoms) =>
        Assert.Throws<ImapParseException>(() => ReturnOptions.Parse([.. atoms.Split(' ')], "SEARCH"));
}
