using Mailroom.Imap.Protocol;

namespace Mailroom.Imap.Tests.Protocol;

/// <summary>FETCH EMAILID, THREADID (RFC 8474), SAVEDATE (RFC 8514) and PREVIEW with its LAZY modifier (RFC 8970).</summary>
public sealed class MessageMetadataFetchTests
{
    private static FetchRequest Parse(string arguments)
    {
        ImapArgumentReader reader = ProtocolWire.Reader(arguments);
        FetchRequest request = FetchRequest.Parse(ref reader);
        reader.ReadEnd();
        return request;
    }

    [Theory]
    [InlineData("(EMAILID THREADID SAVEDATE PREVIEW)", "EMAILID THREADID SAVEDATE PREVIEW")]
    [InlineData("(emailid uid)", "EMAILID UID")]
    [InlineData("savedate", "SAVEDATE")]
    [InlineData("PREVIEW", "PREVIEW")]
    [InlineData("(UID PREVIEW (LAZY) FLAGS)", "UID PREVIEW FLAGS")]
    [InlineData("PREVIEW (lazy)", "PREVIEW")]
    public void ObjectIdSaveDateAndPreviewItemsAreParsed(string arguments, string expected)
    {
        Assert.Equal(expected, string.Join(" ", Parse(arguments).Items.Select(i => i.ToResponseName())));
    }

    [Theory]
    [InlineData("PREVIEW", false)]
    [InlineData("PREVIEW (LAZY)", true)]
    [InlineData("(PREVIEW (LAZY LAZY))", true)]
    [InlineData("(PREVIEW UID)", false)]
    public void LazyIsReadOnlyFromPreviewsOwnModifiers(string arguments, bool lazy)
    {
        Assert.Equal(lazy, Parse(arguments).Items.Single(i => i.Kind == FetchItemKind.Preview).Lazy);
    }

    [Fact]
    public void ALonePreviewFollowedByFetchModifiersKeepsThemAsModifiers()
    {
        FetchRequest request = Parse("PREVIEW (CHANGEDSINCE 5)");

        Assert.Equal(5ul, request.ChangedSince);
        Assert.False(request.Items.Single(i => i.Kind == FetchItemKind.Preview).Lazy);
    }

    [Theory]
    [InlineData("PREVIEW (LAZY")]
    [InlineData("PREVIEW (LAZYX)")]
    [InlineData("(PREVIEW (FUZZY))")]
    [InlineData("EMAILID[]")]
    [InlineData("(SAVEDATE[1])")]
    public void MalformedItemsAreParseErrors(string arguments)
    {
        Assert.Throws<ImapParseException>(() => Parse(arguments));
    }
}
