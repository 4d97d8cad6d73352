using Mailroom.Policy.Dns;
using System.Net;
using Mailroom.Queue.Delivery.Remote;

namespace Mailroom.Queue.Tests;

public sealed class TargetResolverTests
{
    private readonly FakeMxResolver _dns = new();

    private TargetResolver Resolver => new(_dns, 10);

    [Fact]
    public async Task MxHostsAreTriedByPreferenceWithEqualPreferencesMixed()
    {
        _dns.AddMx("example.org", (20, "backup.example.org"), (10, "a.example.org"), (10, "b.example.org"));
        _dns.AddHost("a.example.org", "127.0.0.1");
        _dns.AddHost("b.example.org", "127.0.0.1");
        _dns.AddHost("backup.example.org", "127.0.0.1");

        TargetResolution resolution = await Resolver.ResolveAsync("example.org", 25, mxLookup: true, TestContext.Current.CancellationToken);

        Assert.Null(resolution.Failure);
        Assert.Equal(["a.example.org", "b.example.org"], resolution.Targets.Take(2).Select(t => t.Host).Order());
        Assert.Equal("backup.example.org", resolution.Targets[2].Host);
    }

    [Fact]
    public void EqualPreferencesAreShuffled()
    {
        MxHost[] records = [.. Enumerable.Range(0, 8).Select(i => new MxHost(10, $"mx{i}.example.org"))];
        var firsts = new HashSet<string>();
        for (int i = 0; i < 50; i++)
        {
            firsts.Add(TargetResolver.Order(records).First().Host);
        }

        Assert.True(firsts.Count > 1);
    }

    [Fact]
    public async Task ADomainWithoutMxIsItsOwnMailHost()
    {
        _dns.AddHost("plain.example.org", "127.0.0.1");

        TargetResolution resolution = await Resolver.ResolveAsync("plain.example.org", 25, mxLookup: true, TestContext.Current.CancellationToken);

        SmtpTarget target = Assert.Single(resolution.Targets);
        Assert.Equal(new SmtpTarget("plain.example.org", IPAddress.Loopback, 25), target);
    }

    [Fact]
    public async Task NullMxBouncesAtOnce()
    {
        _dns.AddMx("nomail.example.org", (0, "."));

        TargetResolution resolution = await Resolver.ResolveAsync("nomail.example.org", 25, mxLookup: true, TestContext.Current.CancellationToken);

        Assert.Empty(resolution.Targets);
        Assert.Equal(new RemoteFailure(DeliveryStatus.Bounced, "5.1.10", "Domain nomail.example.org does not accept mail (nullMX)"), resolution.Failure);
    }

    [Fact]
    public async Task NxDomainBouncesAndServfailDefers()
    {
        _dns.Mx["flaky.example.org"] = new DnsLookup<MxHost>(DnsLookupStatus.TemporaryFailure, []);

        TargetResolution missing = await Resolver.ResolveAsync("missing.example.org", 25, mxLookup: true, TestContext.Current.CancellationToken);
        TargetResolution flaky = await Resolver.ResolveAsync("flaky.example.org", 25, mxLookup: true, TestContext.Current.CancellationToken);

        Assert.Equal(DeliveryStatus.Bounced, missing.Failure?.Status);
        Assert.Equal("5.4.4", missing.Failure?.Dsn);
        Assert.Equal(DeliveryStatus.Deferred, flaky.Failure?.Status);
        Assert.Equal("4.4.3", flaky.Failure?.Dsn);
    }

    [Theory]
    [InlineData("smtp:[127.0.0.1]:2525", "127.0.0.1", 2525, false)]
    [InlineData("smtp:relay.example.net:587", "relay.example.net", 587, true)]
    [InlineData("smtp:[smtp.example.net]", "smtp.example.net", 25, false)]
    public void TransportEntriesParseAsPostfixWritesThem(string value, string host, int port, bool mx)
    {
        Assert.True(TransportRoute.TryParse(value, 25, out TransportRoute? route, out _));
        Assert.Equal(new TransportRoute(TransportKind.Smtp, host, port, mx, ""), route);
    }

    [Fact]
    public void InvalidTransportEntriesFailValidation()
    {
        var options = new RemoteDeliveryOptions();
        options.Transports["example.org"] = "smtp:[host:99999";
        options.Transports["other.org"] = "uucp:somewhere";

        Microsoft.Extensions.Options.ValidateOptionsResult result = new RemoteDeliveryOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(2, result.Failures!.Count());
    }
}
