using Mailroom.Imap.Protocol;

namespace Mailroom.Imap.Tests.Protocol;

public sealed class RawParametersTests
{
    [Fact]
    public void ValuesAreUnquotedNamesLowerCasedAndCommentsSkipped()
    {
        const string header = "text/plain (plain text); CHARSET=\"utf-8\" (the charset); format = flowed; x=\"a;\\\"b\"";
        Assert.Equal("text/plain", RawParameters.Value(header));
        Assert.Equal(
            [new("charset", "utf-8"), new("format", "flowed"), new("x", "a;\"b")],
            RawParameters.Parse(header));
    }

    [Fact]
    public void Rfc2231ContinuationsAreJoinedInOrder()
    {
        List<KeyValuePair<string, string>> parameters = RawParameters.Parse(
            "attachment; filename*1*=%A9.pdf; size=3; filename*0*=utf-8''r%C3; title*0=\"a b\"; title*1=c");
        Assert.Equal(
            [new("filename*", "utf-8''r%C3%A9.pdf"), new("size", "3"), new("title", "a bc")],
            parameters);
    }

    [Theory]
    [InlineData("attachment")]
    [InlineData("attachment;")]
    [InlineData("attachment; ;; novalue; =x")]
    public void MissingOrBrokenParametersAreSkipped(string header)
    {
        Assert.Empty(RawParameters.Parse(header));
        Assert.Equal("attachment", RawParameters.Value(header));
    }
}
