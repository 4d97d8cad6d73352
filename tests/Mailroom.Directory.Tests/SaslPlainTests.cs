using System.Text;

namespace Mailroom.Directory.Tests;

public sealed class SaslPlainTests
{
    [Theory]
    [InlineData("\0samt@example.org\0secret", "samt@example.org", "secret")]
    [InlineData("samt@example.org\0samt@example.org\0secret", "samt@example.org", "secret")]
    [InlineData("SAMT@example.org\0samt@example.org\0pass word\u00e9", "samt@example.org", "pass word\u00e9")]
    public void AWellFormedResponseYieldsTheCredentials(string message, string user, string password)
    {
        Assert.True(SaslPlain.TryDecode(Base64(message), out SaslCredentials credentials));
        Assert.Equal(new SaslCredentials(user, password), credentials);
    }

    [Theory]
    [InlineData("other@example.org\0samt@example.org\0secret", "samt@example.org")]
    [InlineData("\0\0secret", "")]
    [InlineData("samt@example.org secret", "")]
    [InlineData("\0samt@example.org", "")]
    [InlineData("\0samt@example.org\0secret\0more", "")]
    [InlineData("", "")]
    public void AMalformedResponseYieldsNoPasswordSoItFailsLikeAWrongOne(string message, string user)
    {
        // Acting for another identity (an authzid naming someone else) is not supported (RFC 4616 §2).
        Assert.True(SaslPlain.TryDecode(Base64(message), out SaslCredentials credentials));
        Assert.Equal(new SaslCredentials(user, ""), credentials);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("AGFi=")]
    public void TextThatIsNotBase64IsRefused(string line) =>
        Assert.False(SaslPlain.TryDecode(Encoding.ASCII.GetBytes(line), out _));

    [Fact]
    public void Base64OfInvalidUtf8IsRefused() =>
        Assert.False(SaslPlain.TryDecode(Encoding.ASCII.GetBytes(Convert.ToBase64String([0, 0x61, 0, 0xFF, 0xFE])), out _));

    [Fact]
    public void SpacesAroundTheResponseAreIgnored()
    {
        Assert.True(SaslPlain.TryDecode(Encoding.ASCII.GetBytes("  " + Encoding.ASCII.GetString(Base64("\0u@example.org\0p")) + " "), out SaslCredentials credentials));
        Assert.Equal("u@example.org", credentials.UserName);
    }

    [Fact]
    public void StarCancelsAnExchange()
    {
        Assert.True(SaslResponse.IsCancel("*"u8));
        Assert.False(SaslResponse.IsCancel("**"u8));
    }

    private static byte[] Base64(string message) => Encoding.ASCII.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes(message)));
}
