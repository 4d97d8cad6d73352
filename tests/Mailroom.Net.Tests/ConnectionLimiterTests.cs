using System.Net;

namespace Mailroom.Net.Tests;

public sealed class ConnectionLimiterTests
{
    [Fact]
    public void IPv6ClientsAreCountedByTheirSlash64()
    {
        var limiter = new ConnectionLimiter(Options(perIp: 2));

        Assert.Null(limiter.TryAcquire(ListenerClass.Mta, IPAddress.Parse("2001:db8:1:2::1"), exempt: false, out _));
        Assert.Null(limiter.TryAcquire(ListenerClass.Mta, IPAddress.Parse("2001:db8:1:2:dead:beef:0:1"), exempt: false, out _));

        Assert.Equal(
            ConnectionRejection.TooManyConnectionsFromAddress,
            limiter.TryAcquire(ListenerClass.Mta, IPAddress.Parse("2001:db8:1:2:ffff:ffff:ffff:ffff"), exempt: false, out _));
        Assert.Null(limiter.TryAcquire(ListenerClass.Mta, IPAddress.Parse("2001:db8:1:3::1"), exempt: false, out _));
    }

    [Fact]
    public void IPv4ClientsAreCountedPerAddressAndMappedOnesAsIPv4()
    {
        var limiter = new ConnectionLimiter(Options(perIp: 1));

        Assert.Null(limiter.TryAcquire(ListenerClass.Mta, IPAddress.Parse("192.0.2.1"), exempt: false, out _));
        Assert.Null(limiter.TryAcquire(ListenerClass.Mta, IPAddress.Parse("192.0.2.2"), exempt: false, out _));
        Assert.Equal(
            ConnectionRejection.TooManyConnectionsFromAddress,
            limiter.TryAcquire(ListenerClass.Mta, IPAddress.Parse("::ffff:192.0.2.1"), exempt: false, out _));
    }

    [Fact]
    public void AReleasedSlotIsFreeAtOnceAndASecondReleaseChangesNothing()
    {
        var limiter = new ConnectionLimiter(Options(perIp: 1));
        IPAddress client = IPAddress.Parse("192.0.2.1");
        Assert.Null(limiter.TryAcquire(ListenerClass.Pop3, client, exempt: false, out var slot));

        slot!.Release();
        slot.Release();

        Assert.Equal(0, limiter.Count);
        Assert.Null(limiter.TryAcquire(ListenerClass.Pop3, client, exempt: false, out _));
        Assert.Equal(ConnectionRejection.TooManyConnectionsFromAddress, limiter.TryAcquire(ListenerClass.Pop3, client, exempt: false, out _));
    }

    [Fact]
    public void NetworksInTheExemptionListAreNotLimitedPerAddress()
    {
        NetOptions options = Options(perIp: 1);
        options.ConnectionLimitExemptions.Add("10.0.0.0/8");
        var limiter = new ConnectionLimiter(options);

        for (int i = 0; i < 5; i++)
        {
            Assert.Null(limiter.TryAcquire(ListenerClass.Mta, IPAddress.Parse("10.1.2.3"), exempt: false, out _));
        }

        Assert.Equal(5, limiter.CountOf(ListenerClass.Mta));
    }

    private static NetOptions Options(int perIp)
    {
        var options = new NetOptions { MaxConnectionsPerIp = perIp };
        options.ConnectionLimitExemptions.Clear();
        return options;
    }
}
