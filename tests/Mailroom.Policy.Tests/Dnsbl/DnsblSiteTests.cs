using System.Net;
using Mailroom.Policy.Dnsbl;

namespace Mailroom.Policy.Tests.Dnsbl;

public sealed class DnsblSiteTests
{
    [Theory]
    [InlineData("zen.spamhaus.org=127.0.0.[2..11]*3", "zen.spamhaus.org", "127.0.0.[2..11]", 3)]
    [InlineData("bl.spamcop.net", "bl.spamcop.net", null, 1)]
    [InlineData("list.dnswl.org=127.0.[0..255].[1..3]*-2", "list.dnswl.org", "127.0.[0..255].[1..3]", -2)]
    [InlineData("  BL.Example.TEST.  *2 ", "bl.example.test", null, 2)]
    [InlineData("b.barracudacentral.org=127.0.0.2", "b.barracudacentral.org", "127.0.0.2", 1)]
    public void PostscreenSyntaxIsParsedIntoZoneFilterAndWeight(string text, string zone, string? filter, int weight)
    {
        Assert.True(DnsblSite.TryParse(text, out DnsblSite? site, out string? error), error);
        Assert.Equal(zone, site!.Zone);
        Assert.Equal(filter, site.Filter?.Text);
        Assert.Equal(weight, site.Weight);
    }

    [Theory]
    [InlineData("")]
    [InlineData("bl..test")]
    [InlineData("bl.test*x")]
    [InlineData("bl.test*1001")]
    [InlineData("bl.test=127.0.0")]
    [InlineData("bl.test=127.0.0.256")]
    [InlineData("bl.test=127.0.0.[3..2]")]
    [InlineData("bl.test=127.0.0.[2")]
    [InlineData("bl test")]
    public void MalformedEntriesAreRefusedWithAReason(string text)
    {
        Assert.False(DnsblSite.TryParse(text, out _, out string? error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData("127.0.0.[2..11]", "127.0.0.2", true)]
    [InlineData("127.0.0.[2..11]", "127.0.0.11", true)]
    [InlineData("127.0.0.[2..11]", "127.0.0.1", false)]
    [InlineData("127.0.0.[2..11]", "127.0.0.12", false)]
    [InlineData("127.0.[0..255].[1;3;5..6]", "127.0.9.3", true)]
    [InlineData("127.0.[0..255].[1;3;5..6]", "127.0.9.4", false)]
    [InlineData("127.0.[0..255].[1;3;5..6]", "127.0.9.6", true)]
    [InlineData("127.0.0.2", "127.0.0.2", true)]
    [InlineData("127.0.0.2", "127.0.1.2", false)]
    public void ReplyFiltersMatchOctetByOctet(string pattern, string answer, bool matches)
    {
        Assert.True(DnsblReplyFilter.TryParse(pattern, out DnsblReplyFilter? filter));
        Assert.Equal(matches, filter!.Matches(IPAddress.Parse(answer)));
    }

    [Fact]
    public void AnIpv6AnswerNeverMatchesAFilter()
    {
        Assert.True(DnsblReplyFilter.TryParse("127.0.0.[0..255]", out DnsblReplyFilter? filter));
        Assert.False(filter!.Matches(IPAddress.Parse("::ffff:127.0.0.2").MapToIPv6()));
    }

    [Theory]
    [InlineData("192.0.2.99", "99.2.0.192.bl.test")]
    [InlineData("::ffff:192.0.2.99", "99.2.0.192.bl.test")]
    [InlineData("2001:db8:1:2:3:4:567:89ab", "b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.bl.test")]
    public void QueryNamesAreTheReversedAddressUnderTheZoneAsRfc5782Says(string client, string name)
    {
        Assert.Equal(name, DnsblQueryName.For(IPAddress.Parse(client), "bl.test"));
    }
}
