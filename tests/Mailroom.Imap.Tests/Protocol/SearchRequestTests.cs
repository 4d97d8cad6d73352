using System.Text;
using Mailroom.Imap.Protocol;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Tests.Protocol;

public sealed class SearchRequestTests
{
    private static SearchRequest Parse(string arguments, bool allowReturn = true, int maxDepth = 64, int maxKeys = 1000)
    {
        ImapArgumentReader reader = ProtocolWire.Reader(arguments);
        return SearchRequest.Parse(ref reader, allowReturn, maxDepth, maxKeys);
    }

    [Theory]
    [InlineData("ALL", typeof(SearchKey.All))]
    [InlineData("ANSWERED", typeof(SearchKey.Flag))]
    [InlineData("BCC bob", typeof(SearchKey.Header))]
    [InlineData("BEFORE 1-Feb-1994", typeof(SearchKey.InternalDate))]
    [InlineData("BODY \"some text\"", typeof(SearchKey.Body))]
    [InlineData("CC bob", typeof(SearchKey.Header))]
    [InlineData("DELETED", typeof(SearchKey.Flag))]
    [InlineData("DRAFT", typeof(SearchKey.Flag))]
    [InlineData("FLAGGED", typeof(SearchKey.Flag))]
    [InlineData("FROM alice", typeof(SearchKey.Header))]
    [InlineData("HEADER X-Mailer \"\"", typeof(SearchKey.Header))]
    [InlineData("KEYWORD $Forwarded", typeof(SearchKey.Keyword))]
    [InlineData("LARGER 100", typeof(SearchKey.Size))]
    [InlineData("NEW", typeof(SearchKey.And))]
    [InlineData("NOT SEEN", typeof(SearchKey.Not))]
    [InlineData("OLD", typeof(SearchKey.Recent))]
    [InlineData("ON 1-Feb-1994", typeof(SearchKey.InternalDate))]
    [InlineData("OR SEEN FLAGGED", typeof(SearchKey.Or))]
    [InlineData("RECENT", typeof(SearchKey.Recent))]
    [InlineData("SEEN", typeof(SearchKey.Flag))]
    [InlineData("SENTBEFORE 1-Feb-1994", typeof(SearchKey.SentDate))]
    [InlineData("SENTON \"1-Feb-1994\"", typeof(SearchKey.SentDate))]
    [InlineData("SENTSINCE 1-Feb-1994", typeof(SearchKey.SentDate))]
    [InlineData("SINCE 1-Feb-1994", typeof(SearchKey.InternalDate))]
    [InlineData("SMALLER 100", typeof(SearchKey.Size))]
    [InlineData("SUBJECT {5}\r\nhello", typeof(SearchKey.Header))]
    [InlineData("TEXT x", typeof(SearchKey.Text))]
    [InlineData("TO x", typeof(SearchKey.Header))]
    [InlineData("UID 1:*", typeof(SearchKey.Uid))]
    [InlineData("UNANSWERED", typeof(SearchKey.Flag))]
    [InlineData("UNDELETED", typeof(SearchKey.Flag))]
    [InlineData("UNDRAFT", typeof(SearchKey.Flag))]
    [InlineData("UNFLAGGED", typeof(SearchKey.Flag))]
    [InlineData("UNKEYWORD work", typeof(SearchKey.Keyword))]
    [InlineData("UNSEEN", typeof(SearchKey.Flag))]
    [InlineData("2:4,*", typeof(SearchKey.Sequence))]
    [InlineData("$", typeof(SearchKey.Sequence))]
    [InlineData("MODSEQ 620162338", typeof(SearchKey.ModSeq))]
    [InlineData("MODSEQ \"/flags/\\\\draft\" all 620162338", typeof(SearchKey.ModSeq))]
    [InlineData("(SEEN)", typeof(SearchKey.Flag))]
    [InlineData("(SEEN FLAGGED)", typeof(SearchKey.And))]
    [InlineData("seen flagged", typeof(SearchKey.And))]
    public void EveryKeyIsParsed(string arguments, Type expected)
    {
        Assert.IsType(expected, Parse(arguments).Key);
    }

    [Fact]
    public void KeyArgumentsAreKept()
    {
        SearchRequest request = Parse("CHARSET UTF-8 OR (FROM \"Al Ice\" SINCE 3-Mar-2024) NOT UID 5:3 LARGER 10");
        SearchKey.And and = Assert.IsType<SearchKey.And>(request.Key);
        SearchKey.Or or = Assert.IsType<SearchKey.Or>(and.Keys[0]);
        SearchKey.And left = Assert.IsType<SearchKey.And>(or.Left);
        Assert.Equal(new SearchKey.Header("From", "Al Ice", IsAddressSearch: true), left.Keys[0]);
        Assert.Equal(new SearchKey.InternalDate(SearchKey.DateComparison.Since, new DateOnly(2024, 3, 3)), left.Keys[1]);
        Assert.IsType<SearchKey.Not>(or.Right);
        Assert.Equal(new SearchKey.Size(true, 10), and.Keys[1]);
        Assert.Equal("UTF-8", request.Charset);
        Assert.True(request.NeedsContent);
        Assert.False(request.UsesModSeq);
        Assert.False(request.ReturnSpecified);
    }

    [Fact]
    public void NewIsRecentAndUnseen()
    {
        SearchKey.And and = Assert.IsType<SearchKey.And>(Parse("NEW").Key);
        Assert.Equal([new SearchKey.Recent(true), new SearchKey.Flag(MessageFlags.Seen, false)], and.Keys);
    }

    [Theory]
    [InlineData("RETURN (MIN MAX) ALL", new[] { "MIN", "MAX" })]
    [InlineData("RETURN (count save all) UNSEEN", new[] { "COUNT", "SAVE", "ALL" })]
    [InlineData("RETURN () ALL", new[] { "ALL" })]
    public void ReturnOptionsSelectEsearch(string arguments, string[] options)
    {
        SearchRequest request = Parse(arguments);
        Assert.True(request.ReturnSpecified);
        Assert.Equal(options, request.ReturnOptions);
    }

    [Fact]
    public void ReturnIsRefusedWhereNotAllowed()
    {
        Assert.Throws<ImapParseException>(() => Parse("RETURN (MIN) ALL", allowReturn: false));
    }

    [Fact]
    public void UnknownCharsetCarriesTheBadCharsetCode()
    {
        ImapParseException error = Assert.Throws<ImapParseException>(() => Parse("CHARSET KOI8-R ALL"));
        Assert.Equal("BADCHARSET (UTF-8 US-ASCII)", error.ResponseCode);
    }

    [Fact]
    public void ModSeqKeyIsReported()
    {
        SearchRequest request = Parse("OR MODSEQ 5 SEEN");
        Assert.True(request.UsesModSeq);
        Assert.False(request.NeedsContent);
    }

    [Fact]
    public void NestingBeyondTheLimitIsBadNotAStackOverflow()
    {
        Assert.IsType<SearchKey.All>(Parse(new string('(', 63) + "ALL" + new string(')', 63)).Key);
        Assert.Throws<ImapParseException>(() => Parse(new string('(', 64) + "ALL" + new string(')', 64)));
        Assert.IsType<SearchKey.Not>(Parse("NOT NOT ALL", maxDepth: 3).Key);
        Assert.Throws<ImapParseException>(() => Parse("NOT NOT NOT ALL", maxDepth: 3));
        Assert.Throws<ImapParseException>(() => Parse(string.Concat(Enumerable.Repeat("NOT ", 100_000)) + "ALL"));
        Assert.Throws<ImapParseException>(() => Parse(string.Concat(Enumerable.Repeat("OR ALL ", 100_000)) + "ALL"));
        Assert.IsType<SearchKey.And>(Parse("((((SEEN FLAGGED))))").Key);
    }

    [Fact]
    public void KeysBeyondTheLimitAreALimitNotASyntaxError()
    {
        Assert.IsType<SearchKey.And>(Parse("SEEN SEEN SEEN SEEN SEEN", maxKeys: 5).Key);
        Assert.Throws<ImapLimitException>(() => Parse("SEEN SEEN SEEN SEEN SEEN SEEN", maxKeys: 5));

        // A list, NOT and OR are keys too.
        Assert.IsType<SearchKey.Or>(Parse("OR NOT SEEN (FLAGGED)", maxKeys: 5).Key);
        Assert.Throws<ImapLimitException>(() => Parse("OR NOT SEEN (FLAGGED DRAFT)", maxKeys: 5));
    }

    [Theory]
    [InlineData("")]
    [InlineData("BOGUS")]
    [InlineData("FROM")]
    [InlineData("OR SEEN")]
    [InlineData("NOT")]
    [InlineData("(SEEN")]
    [InlineData("SEEN)")]
    [InlineData("()")]
    [InlineData("SINCE 32-Jan-2024")]
    [InlineData("LARGER x")]
    [InlineData("LARGER -1")]
    [InlineData("UID x")]
    [InlineData("0")]
    [InlineData("KEYWORD \\Seen")]
    [InlineData("HEADER Subject")]
    [InlineData("MODSEQ \"/flags/\\\\draft\" bogus 5")]
    [InlineData("SEEN  FLAGGED")]
    [InlineData("RETURN (FOO) ALL")]
    [InlineData("RETURN MIN ALL")]
    [InlineData("CHARSET")]
    public void MalformedCriteriaAreBad(string arguments)
    {
        Assert.Throws<ImapParseException>(() => Parse(arguments));
    }

    [Fact]
    public void Utf8LiteralSearchStringIsDecoded()
    {
        byte[] wire = [.. Encoding.ASCII.GetBytes("CHARSET UTF-8 SUBJECT {6}\r\n"), .. Encoding.UTF8.GetBytes("\u00e9t\u00e9!")];
        ImapArgumentReader reader = new(ProtocolWire.Command(wire));
        SearchRequest request = SearchRequest.Parse(ref reader, allowReturnOptions: true, maxDepth: 64, maxKeys: 1000);
        Assert.Equal(new SearchKey.Header("Subject", "\u00e9t\u00e9!"), request.Key);
    }
}
