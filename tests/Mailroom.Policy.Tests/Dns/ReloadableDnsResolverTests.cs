using System.Net;
using Mailroom.Policy.Dns;
using Mailroom.Policy.Tests.Support;

namespace Mailroom.Policy.Tests.Dns;

/// <summary>The resolver front that SIGHUP swaps a new resolver into (README, "Reload": <c>Dns</c>).</summary>
public sealed class ReloadableDnsResolverTests
{
    [Fact]
    public async Task ALookupUnderWayFinishesOnTheOldResolverWhileLookupsAfterTheSwapGoToTheNewOne()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var old = new HeldResolver(new FakeDns().Txt("example.test", "v=spf1 -all"));
        var front = new ReloadableDnsResolver(old);
        ValueTask<DnsLookup<string>> underWay = front.LookupTxtAsync("example.test", ct);
        await old.Asked.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);

        IDnsResolver replaced = front.Replace(new FakeDns().Txt("example.test", "v=spf1 +all"));
        DnsLookup<string> after = await front.LookupTxtAsync("example.test", ct);
        old.Release();

        Assert.Same(old, replaced);
        Assert.Equal(["v=spf1 +all"], after.Records);
        Assert.Equal(["v=spf1 -all"], (await underWay).Records);
    }

    [Fact]
    public async Task EveryKindOfLookupGoesToTheResolverInPlace()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var first = new FakeDns();
        var front = new ReloadableDnsResolver(first);
        var next = new FakeDns()
            .Txt("example.test", "text")
            .A("mx.example.test", "192.0.2.25")
            .Mx("example.test", 10, "mx.example.test")
            .Ptr("25.2.0.192.in-addr.arpa", "mx.example.test");
        Assert.Same(first, front.Current);

        front.Replace(next);

        Assert.Same(next, front.Current);
        Assert.Equal(["text"], (await front.LookupTxtAsync("example.test", ct)).Records);
        Assert.Equal([IPAddress.Parse("192.0.2.25")], (await front.LookupAddressAsync("mx.example.test", ipv6: false, ct)).Records);
        Assert.Equal([new MxHost(10, "mx.example.test")], (await front.LookupMxAsync("example.test", ct)).Records);
        Assert.Equal(["mx.example.test"], (await front.LookupPtrAsync(IPAddress.Parse("192.0.2.25"), ct)).Records);
    }

    [Fact]
    public void NoResolverIsRefused()
    {
        Assert.Throws<ArgumentNullException>(() => new ReloadableDnsResolver(null!));
        Assert.Throws<ArgumentNullException>(() => new ReloadableDnsResolver(new FakeDns()).Replace(null!));
    }

    /// <summary>Holds its TXT lookups until released, as a slow name server would.</summary>
    private sealed class HeldResolver(IDnsResolver inner) : IDnsResolver
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _released.TrySetResult();

        public async ValueTask<DnsLookup<string>> LookupTxtAsync(string name, CancellationToken cancellationToken)
        {
            Asked.TrySetResult();
            await _released.Task.WaitAsync(cancellationToken);
            return await inner.LookupTxtAsync(name, cancellationToken);
        }

        public ValueTask<DnsLookup<IPAddress>> LookupAddressAsync(string name, bool ipv6, CancellationToken cancellationToken) =>
            inner.LookupAddressAsync(name, ipv6, cancellationToken);

        public ValueTask<DnsLookup<MxHost>> LookupMxAsync(string name, CancellationToken cancellationToken) => inner.LookupMxAsync(name, cancellationToken);

        public ValueTask<DnsLookup<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken) => inner.LookupPtrAsync(address, cancellationToken);
    }
}
