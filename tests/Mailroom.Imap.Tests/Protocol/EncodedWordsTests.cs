using Mailroom.Imap.Protocol.Mime;

namespace Mailroom.Imap.Tests.Protocol;

public sealed class EncodedWordsTests
{
    [Theory]
    [InlineData("=?UTF-8?Q?Caf=C3=A9_meeting?=", "Café meeting")]
    [InlineData("=?utf-8?b?w6l0w6k=?=", "été")]
    [InlineData("=?ISO-8859-1?Q?Andr=E9?= Pirard", "André Pirard")]
    [InlineData("=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=", "ab")]
    [InlineData("=?ISO-8859-1?Q?a?=\t =?ISO-8859-1?Q?b?= c", "ab c")]
    [InlineData("x=?utf-8?q?a?==?utf-8?q?b?=y", "xaby")]
    [InlineData("=?windows-1252?q?=80?=", "€")]
    [InlineData("=?utf-8*en?q?hi?=", "hi")]
    [InlineData("plain text", "plain text")]
    [InlineData("=?unknown-charset?q?a?=", "=?unknown-charset?q?a?=")]
    [InlineData("=?utf-8?x?a?=", "=?utf-8?x?a?=")]
    [InlineData("=?utf-8?q?a b?=", "=?utf-8?q?a b?=")]
    [InlineData("=?utf-8?b?!!!?=", "=?utf-8?b?!!!?=")]
    [InlineData("=?utf-8?q?unterminated", "=?utf-8?q?unterminated")]
    public void EncodedWordsAreDecodedAndAnythingElseIsKept(string value, string expected)
    {
        Assert.Equal(expected, EncodedWords.Decode(value));
    }

    [Fact]
    public void ManyUnterminatedWordsCostOnePass()
    {
        // MimeKit's decoder took 61 s for 50,000 of these; each one looked for its end to the end of the value.
        string value = string.Concat(Enumerable.Repeat("=?utf-8?q?a", 200_000)) + " tail";
        Assert.Equal(value, EncodedWords.Decode(value));
        string mixed = string.Concat(Enumerable.Repeat("=?a?q?x=?utf-8?q?y", 100_000)) + "?=";
        Assert.EndsWith("y", EncodedWords.Decode(mixed), StringComparison.Ordinal);
    }
}
