using System.Net;
using System.Net.Sockets;
using Mailroom.Policy.Dns;
using Microsoft.Extensions.Options;


namespace Mailroom.Policy.Tests.Dns;

public sealed class DnsResolverTests
{
    [Fact]
    public async Task AServerThatDoesNotAnswerGivesATemporaryFailureNotAVerdict()
    {
        // A loopback port with no DNS server behind it: the ICMP "port unreachable" must become a temporary failure.
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        socket.Close();
        var resolver = new DnsResolver(Options.Create(new DnsOptions { Servers = [$"127.0.0.1:{port}"], Timeout = TimeSpan.FromMilliseconds(500), Retries = 0 }));

        DnsLookup<string> txt = await resolver.LookupTxtAsync("example.test", TestContext.Current.CancellationToken);

        Assert.Equal(DnsLookupStatus.TemporaryFailure, txt.Status);
    }

    [Theory]
    [InlineData("192.0.2.53", "192.0.2.53:53")]
    [InlineData("192.0.2.53:5353", "192.0.2.53:5353")]
    [InlineData("::1", "[::1]:53")]
    [InlineData("[::1]:5353", "[::1]:5353")]
    public void ServerEntriesParse(string text, string endPoint)
    {
        Assert.True(DnsServerAddress.TryParse(text, out IPEndPoint? parsed));
        Assert.Equal(endPoint, parsed!.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("dns.example")]
    [InlineData("192.0.2.53:0")]
    [InlineData("192.0.2.53:65536")]
    [InlineData("::1:53:x")]
    public void BadServerEntriesAreRefusedWithTheKeyNamed(string text)
    {
        ValidateOptionsResult result = new DnsOptionsValidator().Validate(null, new DnsOptions { Servers = [text] });

        Assert.True(result.Failed);
        Assert.Contains("Dns:Servers", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(10, true)]
    [InlineData(11, false)]
    [InlineData(-1, false)]
    public void RetriesAreBoundedOnBothSides(int retries, bool valid) =>
        Assert.Equal(valid, new DnsOptionsValidator().Validate(null, new DnsOptions { Retries = retries }).Succeeded);
}
