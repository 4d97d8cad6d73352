using Mailroom.Imap.Protocol;

namespace Mailroom.Imap.Tests.Protocol;

public sealed class ModifiedUtf7Tests
{
    // RFC 3501 §5.1.3 examples, plus the "&" escape and a character outside the BMP.
    [Theory]
    [InlineData("~peter/mail/\u53f0\u5317/\u65e5\u672c\u8a9e", "~peter/mail/&U,BTFw-/&ZeVnLIqe-")]
    [InlineData("&", "&-")]
    [InlineData("Tom & Jerry", "Tom &- Jerry")]
    [InlineData("Entw\u00fcrfe", "Entw&APw-rfe")]
    [InlineData("\U0001F600", "&2D3eAA-")]
    [InlineData("INBOX", "INBOX")]
    [InlineData("", "")]
    public void RoundTripsBothWays(string name, string encoded)
    {
        Assert.Equal(encoded, ModifiedUtf7.Encode(name));
        Assert.True(ModifiedUtf7.TryDecode(encoded, out string decoded));
        Assert.Equal(name, decoded);
    }

    [Theory]
    [InlineData("&Jjo!")]
    [InlineData("&U,BTFw")]
    [InlineData("&AGE-")]
    [InlineData("&U,BTFw-&ZeVnLIqe-")]
    [InlineData("&2D0-")]
    [InlineData("&U/BTFw-")]
    [InlineData("Entw\u00fcrfe")]
    [InlineData("&APx-x&-&APw")]
    [InlineData("&APy-")]
    public void InvalidEncodingsAreRejected(string text)
    {
        Assert.False(ModifiedUtf7.TryDecode(text, out _));
    }

    [Fact]
    public void LongNamesAreDecodedInOnePass()
    {
        // Each "&" looks ahead for its "-" once; nothing is scanned again for the next one.
        string name = string.Concat(Enumerable.Repeat("a&-&AOk-", 200_000));
        Assert.True(ModifiedUtf7.TryDecode(name, out string decoded));
        Assert.Equal(string.Concat(Enumerable.Repeat("a&\u00e9", 200_000)), decoded);
        Assert.False(ModifiedUtf7.TryDecode(new string('&', 1_000_000), out _));
        Assert.Equal(name, ModifiedUtf7.Encode(decoded));
    }
}
