using Mailroom.Imap.Protocol.Sorting;

namespace Mailroom.Imap.Tests.Protocol.Sorting;

public sealed class MessageIdsTests
{
    [Fact]
    public void IdsAreReadInOrderWithoutBracketsAndTextBetweenThemIsSkipped()
    {
        Assert.Equal(["a@x", "b@y", "c@z"], MessageIds.Parse("<a@x> (comment) <b@y>\t<c@z> trailing", 10));
    }

    [Fact]
    public void OnlyTheLastIdsAreKeptPastTheLimit()
    {
        Assert.Equal(["c@z", "d@w"], MessageIds.Parse("<a@x> <b@y> <c@z> <d@w>", 2));
    }

    [Fact]
    public void UnclosedAndEmptyIdsAreDropped()
    {
        Assert.Equal(["b@y"], MessageIds.Parse("<a@x <b@y> <> <unclosed", 10));
        Assert.Empty(MessageIds.Parse(null, 10));
    }

    [Fact]
    public void FoldingBlanksInsideAnIdAreRemoved()
    {
        Assert.Equal("long.id@example.org", MessageIds.First("< long.id@ example.org >"));
        Assert.Equal(string.Empty, MessageIds.First("no id here"));
    }

    [Fact]
    public void AHugeReferencesValueIsReadInOnePassWithBoundedResult()
    {
        string value = string.Join(' ', Enumerable.Range(0, 200_000).Select(i => $"<{i}@x>"));
        List<string> ids = MessageIds.Parse(value, 100);
        Assert.Equal(100, ids.Count);
        Assert.Equal("199999@x", ids[^1]);
    }
}
