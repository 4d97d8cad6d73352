using System.Net;

namespace Mailroom.Net.Tests;

public sealed class NetworkListTests
{
    [Fact]
    public void CidrEntriesAndBareAddressesAreParsed()
    {
        Assert.True(NetworkList.TryParse(["127.0.0.0/8", " ::1/128 ", "192.0.2.7", "2001:db8::/32"], out var networks, out var error));

        Assert.Null(error);
        Assert.True(NetworkList.Contains(networks, IPAddress.Parse("127.1.2.3")));
        Assert.True(NetworkList.Contains(networks, IPAddress.Parse("192.0.2.7")));
        Assert.False(NetworkList.Contains(networks, IPAddress.Parse("192.0.2.8")));
        Assert.True(NetworkList.Contains(networks, IPAddress.Parse("2001:db8:1::5")));
        Assert.True(NetworkList.Contains(networks, IPAddress.Parse("::ffff:127.0.0.1")));
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/")]
    [InlineData("example.org")]
    [InlineData("10")]
    public void BadEntryIsNamedWithTheSetting(string entry)
    {
        Assert.False(NetworkList.TryParse(["127.0.0.0/8", entry], "Smtp:TrustedNetworks", out var networks, out var error));

        Assert.Equal($"bad CIDR '{entry}' in Smtp:TrustedNetworks", error);
        Assert.Empty(networks);
    }

    [Fact]
    public void BadEntryWithoutASettingNameStillNamesTheEntry()
    {
        Assert.False(NetworkList.TryParse(["300.1.1.1/8"], out _, out var error));

        Assert.Equal("bad CIDR '300.1.1.1/8'", error);
    }
}
