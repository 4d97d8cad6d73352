using Mailroom.Core;

namespace Mailroom.Core.Tests;

public sealed class EmailAddressTests
{
    [Theory]
    [InlineData("samt@example.org", "samt", "example.org")]
    [InlineData("Sam.T@EXAMPLE.org", "Sam.T", "example.org")]
    [InlineData("\"odd user\"@example.org", "\"odd user\"", "example.org")]
    [InlineData("user@[192.0.2.1]", "user", "[192.0.2.1]")]
    [InlineData("jörg@bücher.example", "jörg", "bücher.example")]
    [InlineData("\"a\\\"b@c\"@example.org", "\"a\\\"b@c\"", "example.org")]
    public void ValidAddressesParseIntoLocalPartAndLowerCaseDomain(string text, string local, string domain)
    {
        Assert.True(EmailAddress.TryParse(text, out EmailAddress? address));
        Assert.Equal(local, address!.LocalPart);
        Assert.Equal(domain, address.Domain);
    }

    [Theory]
    [InlineData("")]
    [InlineData("no-at-sign")]
    [InlineData("@example.org")]
    [InlineData("user@")]
    [InlineData("us er@example.org")]
    [InlineData("user@exa mple.org")]
    [InlineData("user@-bad.example")]
    [InlineData(".user@example.org")]
    [InlineData("a..b@example.org")]
    [InlineData("user@example..org")]
    [InlineData("\"\"@x\"\"@example.org")]
    [InlineData("\"a\"b\"@example.org")]
    [InlineData("\"a\\\"@example.org")]
    public void InvalidAddressesAreRejected(string text)
    {
        Assert.False(EmailAddress.TryParse(text, out _));
    }

    [Fact]
    public void KeyFoldsTheLocalPartForLookups()
    {
        Assert.Equal("sam.t@example.org", EmailAddress.Parse("Sam.T@Example.ORG").Key);
    }
}
